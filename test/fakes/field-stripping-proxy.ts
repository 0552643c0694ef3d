/**
 * A proxy in front of an emulator that removes one field from the 200 answers of one RPC: what a
 * real service may do wherever the spec marks a response field optional. Paths are dotted, `[]`
 * means every element of a list: `integrations[].id`, `schema`, `environmentClass.valid`.
 * startRewritingProxy is the same proxy with any change to the answers (adding objects a server
 * should not have sent).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StripRule {
  rpc: string;
  path: string;
}

function strip(value: unknown, parts: readonly string[]): void {
  if (parts.length === 0 || value === null || typeof value !== "object") return;
  const [head, ...rest] = parts as [string, ...string[]];
  const record = value as Record<string, unknown>;
  if (head.endsWith("[]")) {
    const list = record[head.slice(0, -2)];
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (rest.length === 1) delete (item as Record<string, unknown>)[rest[0] as string];
      else strip(item, rest);
    }
    return;
  }
  if (rest.length === 0) delete record[head];
  else strip(record[head], rest);
}

export interface StrippingProxy {
  url: string;
  /** How many answers had the field removed (rewritten, for startRewritingProxy). */
  stripped: number;
  close(): Promise<void>;
}

export function startStrippingProxy(target: string, rule: StripRule): Promise<StrippingProxy> {
  return startRewritingProxy(target, (rpc, body) => {
    if (rpc === rule.rpc) strip(body, rule.path.split("."));
  });
}

/** Passes every request to `target`; `rewrite` may change the parsed body of each 200 answer of an RPC. */
export async function startRewritingProxy(
  target: string,
  rewrite: (rpc: string, body: unknown) => void,
): Promise<StrippingProxy> {
  const state = { stripped: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && key !== "host" && key !== "content-length") headers[key] = value;
    }
    const upstream = await fetch(`${target}${req.url ?? "/"}`, {
      method: req.method ?? "POST",
      headers,
      ...(req.method !== "GET" && { body: Buffer.concat(chunks) }),
    });
    let text = await upstream.text();
    const rpc = new URL(req.url ?? "/", "http://proxy").pathname.split("/").at(-1) ?? "";
    if (upstream.status === 200 && upstream.headers.get("content-type")?.includes("json")) {
      const body = JSON.parse(text) as unknown;
      const before = JSON.stringify(body);
      rewrite(rpc, body);
      const after = JSON.stringify(body);
      // Answers left as they were keep their bytes.
      if (after !== before) {
        text = after;
        state.stripped += 1;
      }
    }
    const out: Record<string, string> = {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
    };
    const retryAfter = upstream.headers.get("retry-after");
    if (retryAfter) out["retry-after"] = retryAfter;
    res.writeHead(upstream.status, out);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get stripped() {
      return state.stripped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
