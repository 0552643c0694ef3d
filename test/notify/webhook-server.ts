/** A local stand-in for a Slack incoming webhook: records posts, answers as told (or never). */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface WebhookPost {
  path: string;
  body: unknown;
  raw: string;
}

interface Answer {
  status: number;
  body: string;
  /** Never answer (to test timeouts). */
  hang?: boolean;
}

export interface FakeWebhook {
  /** A webhook URL on this server; its path is the "secret" part, as with Slack. */
  url(path?: string): string;
  origin: string;
  posts: WebhookPost[];
  answer(next: Answer): void;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const posts: WebhookPost[] = [];
  let answer: Answer = { status: 200, body: "ok" };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    posts.push({ path: request.url ?? "/", body, raw });
    if (answer.hang) return;
    response.writeHead(answer.status, { "content-type": "text/plain" });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path = "/services/T000/B000/canary-webhook-path-9f2b") => `${origin}${path}`,
    posts,
    answer(next) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
