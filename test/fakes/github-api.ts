/**
 * A small fake of the GitHub REST API for pull-request comments and issues: list, create and update
 * issue comments; list, open and edit (close) issues; the pull requests of a commit; with bearer-token
 * checks and a request log. Listens on 127.0.0.1.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

interface FakeComment {
  id: number;
  body: string;
  /** The author, as GitHub reports it in `user.login`. */
  login: string;
}

/** The author GitHub records for comments made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

/** An issue of the fake repository (any `owner/repo`: the fake keeps one list). */
interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  login: string;
}

interface FakeGitHubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  /** Comments by `owner/repo#number`. */
  comments: Map<string, FakeComment[]>;
  requests: FakeGitHubRequest[];
  /** Issues (not pull requests), in the order they were opened. */
  issues: FakeIssue[];
  /** Pull requests by commit (`GET /repos/{repo}/commits/{sha}/pulls`), e.g. a merge commit's: set by a test. */
  pullsOfCommit: Map<string, Array<{ number: number; headSha: string; merged: boolean }>>;
  /** Posts a comment as someone else (e.g. an outside contributor), as a test's set-up. */
  addComment(thread: string, body: string, login: string): FakeComment;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/**
 * `login`: the user a personal token acts as (GET /user answers it). Without it the token behaves
 * like a workflow's GITHUB_TOKEN: GET /user is refused and comments are written by github-actions[bot].
 */
export async function startFakeGitHub(options: { token: string; login?: string }): Promise<FakeGitHub> {
  const author = options.login ?? ACTIONS_BOT_LOGIN;
  const wire = (comment: FakeComment) => ({
    id: comment.id,
    body: comment.body,
    user: { login: comment.login, type: comment.login.endsWith("[bot]") ? "Bot" : "User" },
  });
  const comments = new Map<string, FakeComment[]>();
  const requests: FakeGitHubRequest[] = [];
  const issues: FakeIssue[] = [];
  const pullsOfCommit: FakeGitHub["pullsOfCommit"] = new Map();
  let nextId = 1000;
  const wireIssue = (issue: FakeIssue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    html_url: `https://github.example/issues/${issue.number}`,
    user: { login: issue.login, type: issue.login.endsWith("[bot]") ? "Bot" : "User" },
  });
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const body = await readBody(request);
    requests.push({
      method: request.method ?? "",
      path: url.pathname,
      authorization: request.headers.authorization,
      body,
    });
    const send = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.headers.authorization !== `Bearer ${options.token}`)
      return send(401, { message: "Bad credentials" });
    if (url.pathname === "/user" && request.method === "GET") {
      return options.login
        ? send(200, { login: options.login, type: "User" })
        : send(403, { message: "Resource not accessible by integration" });
    }
    const ofCommit = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/pulls$/);
    if (ofCommit && request.method === "GET") {
      const pulls = pullsOfCommit.get(ofCommit[1] ?? "") ?? [];
      return send(
        200,
        pulls.map((pull) => ({
          number: pull.number,
          head: { sha: pull.headSha },
          merged_at: pull.merged ? "2026-12-06T12:00:00Z" : null,
        })),
      );
    }
    const list = url.pathname.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/);
    if (list) {
      const key = `${list[1]}#${list[2]}`;
      const thread = comments.get(key) ?? [];
      comments.set(key, thread);
      if (request.method === "GET") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return send(200, thread.slice((page - 1) * perPage, page * perPage).map(wire));
      }
      if (request.method === "POST") {
        const comment = {
          id: nextId++,
          body: String((body as { body?: unknown })?.body ?? ""),
          login: author,
        };
        thread.push(comment);
        return send(201, wire(comment));
      }
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) {
      if (request.method === "GET") {
        const state = url.searchParams.get("state") ?? "open";
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const matching = issues.filter((issue) => state === "all" || issue.state === state);
        return send(200, matching.slice((page - 1) * perPage, page * perPage).map(wireIssue));
      }
      if (request.method === "POST") {
        const fields = body as { title?: unknown; body?: unknown };
        const issue: FakeIssue = {
          number: issues.length + 1,
          title: String(fields?.title ?? ""),
          body: String(fields?.body ?? ""),
          state: "open",
          login: author,
        };
        issues.push(issue);
        return send(201, wireIssue(issue));
      }
    }
    const issueMatch = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/);
    if (issueMatch && request.method === "PATCH") {
      const issue = issues.find((candidate) => candidate.number === Number(issueMatch[1]));
      if (!issue) return send(404, { message: "Not Found" });
      const fields = body as { body?: unknown; state?: unknown };
      if (typeof fields?.body === "string") issue.body = fields.body;
      if (fields?.state === "open" || fields?.state === "closed") issue.state = fields.state;
      return send(200, wireIssue(issue));
    }
    const one = url.pathname.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/);
    if (one && request.method === "PATCH") {
      const id = Number(one[2]);
      for (const thread of comments.values()) {
        const comment = thread.find((c) => c.id === id);
        if (comment) {
          // GitHub only lets a token edit what its identity may edit; the fake does not check that,
          // so a test sees it if the action tries to take over someone else's comment.
          comment.body = String((body as { body?: unknown })?.body ?? "");
          return send(200, wire(comment));
        }
      }
      return send(404, { message: "Not Found" });
    }
    send(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    issues,
    pullsOfCommit,
    addComment(thread, body, login) {
      const comment = { id: nextId++, body, login };
      comments.set(thread, [...(comments.get(thread) ?? []), comment]);
      return comment;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
