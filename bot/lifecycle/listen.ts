/**
 * Connects the Bolt app to Slack: checks the bot token (auth.test), then listens for HTTP requests
 * or opens the Socket Mode connection.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "@slack/bolt";
import type { BotConfig } from "../config.js";
import type { JsonLogger } from "../logger.js";
import type { SocketModeConnection } from "../server/socket-mode-connection.js";

export interface ListenOptions {
  /** Interface to listen on in HTTP mode; default all interfaces. */
  host?: string;
  /** Overrides config.port (0 picks a free port). */
  port?: number;
}

/** How the bot listens: the fields of its "started" log line. */
export type Listening =
  | { mode: "http"; port: number }
  /** The health routes' port (Slack's requests come over the socket). */
  | { mode: "socket"; healthPort: number };

export async function listen(
  app: App,
  config: BotConfig,
  socket: SocketModeConnection,
  logger: JsonLogger,
  options: ListenOptions,
): Promise<Listening> {
  // Fail fast, with a clear message, when Slack does not accept the bot token.
  await app.init().catch((error: unknown) => {
    const code =
      (error as { data?: { error?: string } }).data?.error ??
      (error as { code?: string }).code ??
      "unreachable";
    throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code})`);
  });
  const port = options.port ?? config.port;
  if (socket.enabled) {
    socket.follow(app, logger);
    await app.start();
    socket.opened();
    return { mode: "socket", healthPort: port };
  }
  const server = (await app.start({ port, host: options.host ?? config.host })) as Server;
  return { mode: "http", port: (server.address() as AddressInfo).port };
}
