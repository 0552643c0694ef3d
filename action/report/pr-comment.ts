/**
 * Sticky pull-request comments (the plan on the pull request, the apply result on the merged one):
 * each found by a hidden marker, created once and then updated in place. GitHub REST over fetch, at
 * GITHUB_API_URL.
 */
import { readFile } from "node:fs/promises";

/**
 * The hidden marker of the sticky comment for one config input: several configs (or workflows) on
 * one pull request each keep their own comment. The path is URI-encoded so it cannot end the HTML
 * comment.
 */
function commentMarker(kind: CommentKind, config: string): string {
  return `<!-- gitpod-runner-config:${kind} config=${encodeURIComponent(config)} -->`;
}

/** Which sticky comment: the plan of a pull request, or the result of applying it after the merge. */
export type CommentKind = "plan" | "apply";

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

/**
 * The pull request a push run's commit came from (the merge commit of a merged pull request), by
 * GET /repos/{repo}/commits/{sha}/pulls; undefined when the commit is on none. On a pull_request
 * event, that pull request.
 */
export async function mergedPullRequestContext(
  token: string,
  env: Record<string, string | undefined>,
): Promise<GitHubContext | undefined> {
  const fromEvent = await pullRequestContext(env);
  if (fromEvent) return fromEvent;
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!repository || !sha) return undefined;
  const apiUrl = (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const pulls = (await github(
    token,
    `${apiUrl}/repos/${repository}/commits/${encodeURIComponent(sha)}/pulls`,
  )) as Array<{ number?: unknown; merged_at?: unknown; head?: { sha?: unknown } }>;
  const pull = pulls.find((candidate) => typeof candidate.merged_at === "string") ?? pulls[0];
  if (typeof pull?.number !== "number") return undefined;
  return {
    apiUrl,
    repository,
    pullNumber: pull.number,
    headSha: typeof pull.head?.sha === "string" ? pull.head.sha : undefined,
  };
}

class GitHubHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function github(
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
    throw new GitHubHttpError(
      `GitHub API ${init.method ?? "GET"} ${new URL(url).pathname}: HTTP ${response.status}`,
      response.status,
    );
  return response.json();
}

/** The author GitHub records for comments made with a workflow's GITHUB_TOKEN. */
const ACTIONS_BOT_LOGIN = "github-actions[bot]";

/**
 * The login the token writes comments as: GET /user for a personal token; a workflow's GITHUB_TOKEN
 * cannot read /user (403) and writes as github-actions[bot].
 */
export async function tokenLogin(token: string, apiUrl: string): Promise<string> {
  try {
    const user = (await github(token, `${apiUrl}/user`)) as { login?: unknown };
    if (typeof user.login === "string" && user.login !== "") return user.login;
  } catch (error) {
    if (!(error instanceof GitHubHttpError && (error.status === 403 || error.status === 401))) throw error;
  }
  return ACTIONS_BOT_LOGIN;
}

/**
 * Creates or updates the sticky comment; returns what it did. Only a comment written by the token's
 * own identity is updated: anyone can post a comment that carries the marker, and editing theirs
 * would let them edit "the plan" afterwards.
 */
export async function upsertStickyComment(
  token: string,
  context: GitHubContext,
  kind: CommentKind,
  config: string,
  markdown: string,
): Promise<"created" | "updated"> {
  const marker = commentMarker(kind, config);
  const body = `${marker}\n${markdown}`;
  const base = `${context.apiUrl}/repos/${context.repository}`;
  const login = await tokenLogin(token, context.apiUrl);
  for (let page = 1; page <= 10; page++) {
    const comments = (await github(
      token,
      `${base}/issues/${context.pullNumber}/comments?per_page=100&page=${page}`,
    )) as Array<{
      id: number;
      body?: string;
      user?: { login?: string } | null;
    }>;
    const mine = comments.find(
      (comment) => comment.user?.login === login && comment.body?.startsWith(`${marker}\n`),
    );
    if (mine) {
      await github(token, `${base}/issues/comments/${mine.id}`, { method: "PATCH", body: { body } });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  await github(token, `${base}/issues/${context.pullNumber}/comments`, { method: "POST", body: { body } });
  return "created";
}
