/** The link to the workflow run, from the variables every GitHub Actions job has. */
export function workflowRunUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const server = env.GITHUB_SERVER_URL?.trim();
  const repository = env.GITHUB_REPOSITORY?.trim();
  const runId = env.GITHUB_RUN_ID?.trim();
  if (!server || !repository || !runId) return undefined;
  return `${server.replace(/\/+$/, "")}/${repository}/actions/runs/${runId}`;
}

export function workflowRunLink(
  env: Readonly<Record<string, string | undefined>>,
): { url: string; text: string } | undefined {
  const url = workflowRunUrl(env);
  return url ? { url, text: "View the workflow run" } : undefined;
}
