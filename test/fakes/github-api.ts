/**
 * A small fake of the GitHub REST API for pull-request comments: list, create and update issue
 * comments, with bearer-token checks and a request log. Listens on 127.0.0.1.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
}

export interface FakeGitHubRequest {
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
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeGitHub(options: { token: string }): Promise<FakeGitHub> {
  const comments = new Map<string, FakeComment[]>();
  const requests: FakeGitHubRequest[] = [];
  let nextId = 1000;
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
    const list = url.pathname.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/);
    if (list) {
      const key = `${list[1]}#${list[2]}`;
      const thread = comments.get(key) ?? [];
      comments.set(key, thread);
      if (request.method === "GET") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return send(200, thread.slice((page - 1) * perPage, page * perPage));
      }
      if (request.method === "POST") {
        const comment = { id: nextId++, body: String((body as { body?: unknown })?.body ?? "") };
        thread.push(comment);
        return send(201, comment);
      }
    }
    const one = url.pathname.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/);
    if (one && request.method === "PATCH") {
      const id = Number(one[2]);
      for (const thread of comments.values()) {
        const comment = thread.find((c) => c.id === id);
        if (comment) {
          comment.body = String((body as { body?: unknown })?.body ?? "");
          return send(200, comment);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
