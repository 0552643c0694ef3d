/**
 * A gateway in front of the emulator that echoes secrets back: every 200 answer to
 * ValidateRunnerConfiguration for an SCM integration gets `oauthError` and `hostError` texts that
 * quote the plaintext client secret it was sent, spelled with JSON `\u` escapes (as some services do),
 * so a scan of the raw body would not see it.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface EchoingGateway {
  url: string;
  /** Answers it rewrote. */
  readonly echoed: number;
  close(): Promise<void>;
}

function jsonEscaped(text: string): string {
  return [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startEchoingGateway(upstream: string): Promise<EchoingGateway> {
  let echoed = 0;
  const server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !["host", "content-length", "connection"].includes(name)) {
        headers[name] = value;
      }
    }
    let answer: Response;
    try {
      answer = await fetch(`${upstream}${request.url ?? "/"}`, {
        ...(request.method === undefined ? {} : { method: request.method }),
        headers,
        ...(request.method === "GET" || request.method === "HEAD" ? {} : { body }),
      });
    } catch (error) {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`gateway: ${String(error)}`);
      return;
    }
    let text = await answer.text();
    const secret = (JSON.parse(body || "{}") as { scmIntegration?: { oauthPlaintextClientSecret?: string } })
      .scmIntegration?.oauthPlaintextClientSecret;
    if (answer.status === 200 && request.url?.endsWith("/ValidateRunnerConfiguration") && secret) {
      echoed += 1;
      const quoted = jsonEscaped(secret);
      text = `{"scmIntegration":{"oauthError":"client secret ${quoted} is not accepted","hostError":"while checking ${quoted}"}}`;
    }
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get echoed() {
      return echoed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
