/**
 * One sticky pull-request comment with the plan: found by a hidden marker, created once and then
 * updated in place on each push. GitHub REST over fetch, at GITHUB_API_URL.
 */
import { readFile } from "node:fs/promises";

/**
 * The hidden marker of the sticky comment for one config input: several configs (or workflows) on
 * one pull request each keep their own comment. The path is URI-encoded so it cannot end the HTML
 * comment.
 */
export function commentMarker(config: string): string {
  return `<!-- gitpod-runner-config:plan config=${encodeURIComponent(config)} -->`;
}

export interface GitHubContext {
  apiUrl: string;
  repository: string;
  pullNumber: number;
  /** The pull request's head commit: what the plan was made from. */
  headSha: string | undefined;
}

/** The pull request this run is for, from the event payload; undefined outside pull requests. */
export async function pullRequestContext(
  env: Record<string, string | undefined>,
): Promise<GitHubContext | undefined> {
  const eventPath = env.GITHUB_EVENT_PATH;
  const repository = env.GITHUB_REPOSITORY;
  if (!eventPath || !repository) return undefined;
  const event = JSON.parse(await readFile(eventPath, "utf8")) as {
    pull_request?: { number?: number; head?: { sha?: unknown } };
  };
  const pullNumber = event.pull_request?.number;
  if (!pullNumber) return undefined;
  return {
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    repository,
    pullNumber,
    headSha: typeof event.pull_request?.head?.sha === "string" ? event.pull_request.head.sha : undefined,
  };
}

async function github(
  token: string,
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "content-type": "application/json",
      "user-agent": "gitpod-runner-config",
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok)
    throw new Error(`GitHub API ${init.method ?? "GET"} ${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

/** Creates or updates the sticky comment; returns what it did. */
export async function upsertPlanComment(
  token: string,
  context: GitHubContext,
  config: string,
  markdown: string,
): Promise<"created" | "updated"> {
  const marker = commentMarker(config);
  const body = `${marker}\n${markdown}`;
  const base = `${context.apiUrl}/repos/${context.repository}`;
  for (let page = 1; page <= 10; page++) {
    const comments = (await github(
      token,
      `${base}/issues/${context.pullNumber}/comments?per_page=100&page=${page}`,
    )) as Array<{
      id: number;
      body?: string;
    }>;
    const mine = comments.find((comment) => comment.body?.startsWith(`${marker}\n`));
    if (mine) {
      await github(token, `${base}/issues/comments/${mine.id}`, { method: "PATCH", body: { body } });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  await github(token, `${base}/issues/${context.pullNumber}/comments`, { method: "POST", body: { body } });
  return "created";
}
