/** A tiny scripted HTTP server for transport tests that need answers the emulator never gives. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Script = (
  request: { path: string; body: string; count: number },
  response: ServerResponse,
) => void;

export interface RawServer {
  url: string;
  requests: Array<{ path: string; body: string }>;
  close(): Promise<void>;
}

export async function startRawServer(script: Script): Promise<RawServer> {
  const requests: Array<{ path: string; body: string }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      requests.push({ path: req.url ?? "", body });
      script({ path: req.url ?? "", body, count: requests.length }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
