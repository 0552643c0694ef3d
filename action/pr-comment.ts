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
function commentMarker(config: string): string {
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
export async function upsertPlanComment(
  token: string,
  context: GitHubContext,
  config: string,
  markdown: string,
): Promise<"created" | "updated"> {
  const marker = commentMarker(config);
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
