/**
 * A tiny Slack Web API and response_url stub on 127.0.0.1 for the bot benchmark: it answers
 * auth.test and every other method with ok, accepts response_url posts, and only counts them
 * (no recording, so memory stays flat under load), and when the last response_url post arrived.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackStub {
  /** Web API base URL, ending in "/". */
  apiUrl: string;
  /** A response_url on this stub. */
  responseUrl: string;
  counts(): { api: number; responses: number; lastResponseAt: number };
  close(): Promise<void>;
}

export async function startSlackStub(): Promise<SlackStub> {
  let api = 0;
  let responses = 0;
  let lastResponseAt = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "/";
      let body: Record<string, unknown> = { ok: true };
      if (path.startsWith("/response/")) {
        responses += 1;
        lastResponseAt = Date.now();
      } else {
        api += 1;
        if (path.startsWith("/api/auth.test")) {
          body = { ok: true, user_id: "UBENCHBOT", bot_id: "BBENCH", team_id: "T0BENCH", user: "bench" };
        }
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}/api/`,
    responseUrl: `${origin}/response/bench`,
    counts: () => ({ api, responses, lastResponseAt }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
