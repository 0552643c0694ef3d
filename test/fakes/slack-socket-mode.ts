/**
 * A Socket Mode server on 127.0.0.1 speaking Slack's WebSocket protocol, attached to a fake Web API:
 * `apps.connections.open` (with the app-level token) answers a one-time ws:// URL; on connecting the
 * client gets `hello`; the server sends envelopes (slash_commands, interactive, events_api) and waits
 * for the ack carrying the envelope id; `disconnect` asks the client to reconnect, as Slack does when it
 * recycles a connection. The server pings every few seconds, as Slack's does.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { FakeSlack } from "./slack-api.js";

type EnvelopeType = "slash_commands" | "interactive" | "events_api";

interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** How many times the client asked for a URL (apps.connections.open). */
  opened(): number;
  /** Sockets connected now. */
  connected(): number;
  /** Resolves once `count` connections have received their hello, in all (past or future). */
  waitForHello(count: number, timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest connection; resolves with the client's ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs?: number): Promise<Ack>;
  /** Asks the newest connection to go away (`type: disconnect`); closes it if the client does not. */
  disconnect(reason?: string): void;
  /** Messages the client sent that were not acks of a known envelope (should stay empty). */
  strays: unknown[];
  close(): Promise<void>;
}

const PING_EVERY_MS = 5000;

export async function startFakeSocketMode(slack: FakeSlack, appToken: string): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const origin = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tickets = new Set<string>();
  const sockets: WebSocket[] = [];
  const pending = new Map<string, (ack: Ack) => void>();
  const strays: unknown[] = [];
  let opened = 0;
  let hellos = 0;
  const helloWaiters: Array<{ count: number; resolve: () => void }> = [];

  slack.on("apps.connections.open", (_args, call) => {
    if (call.authorization !== `Bearer ${appToken}`) return { ok: false, error: "invalid_auth" };
    opened += 1;
    const ticket = randomUUID();
    tickets.add(ticket);
    return { ok: true, url: `${origin}/link/?ticket=${ticket}` };
  });

  server.on("connection", (socket, request) => {
    const ticket = new URL(request.url ?? "/", origin).searchParams.get("ticket") ?? "";
    // A URL is good for one connection, as Slack's are.
    if (!tickets.delete(ticket)) {
      socket.close(4001, "invalid ticket");
      return;
    }
    sockets.push(socket);
    const pinger = setInterval(() => socket.ping(), PING_EVERY_MS);
    socket.on("close", () => {
      clearInterval(pinger);
      sockets.splice(sockets.indexOf(socket), 1);
    });
    socket.on("message", (data) => {
      let message: Ack;
      try {
        message = JSON.parse(String(data)) as Ack;
      } catch {
        strays.push(String(data));
        return;
      }
      const resolve = pending.get(message.envelope_id);
      if (!resolve) {
        strays.push(message);
        return;
      }
      pending.delete(message.envelope_id);
      resolve(message);
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: sockets.length,
        debug_info: { host: "fake-socket-mode", approximate_connection_time: 18060 },
        connection_info: { app_id: "A0TEST" },
      }),
    );
    hellos += 1;
    for (const waiter of [...helloWaiters]) {
      if (hellos >= waiter.count) {
        helloWaiters.splice(helloWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });

  const newest = (): WebSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error("no Socket Mode connection is open");
    return socket;
  };

  return {
    opened: () => opened,
    connected: () => sockets.length,
    waitForHello(count, timeoutMs = 15_000) {
      if (hellos >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = { count, resolve };
        helloWaiters.push(waiter);
        setTimeout(() => {
          if (helloWaiters.includes(waiter))
            reject(new Error(`no hello number ${count} within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    send(type, payload, timeoutMs = 5000) {
      const envelopeId = randomUUID();
      const socket = newest();
      return new Promise<Ack>((resolve, reject) => {
        pending.set(envelopeId, resolve);
        setTimeout(() => {
          if (pending.delete(envelopeId))
            reject(new Error(`no ack of the ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs).unref();
        socket.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== "events_api",
            ...(type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
          }),
        );
      });
    },
    disconnect(reason = "refresh_requested") {
      const socket = newest();
      socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-socket-mode" } }));
      setTimeout(() => socket.terminate(), 2000).unref();
    },
    strays,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
