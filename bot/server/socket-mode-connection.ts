/**
 * Whether the Socket Mode connection to Slack is up, for /healthz, /readyz and /metrics. Bolt keeps
 * its receiver private, so the socket client's events are followed from outside.
 */
import type { App } from "@slack/bolt";
import type { JsonLogger } from "../logger.js";

interface SocketEvents {
  on(event: string, listener: () => void): unknown;
}

export class SocketModeConnection {
  /** Unknown until the app starts; then what the socket client last said. */
  #up: boolean | undefined;

  /** `enabled` is false in HTTP mode, where there is no connection to follow. */
  constructor(readonly enabled: boolean) {}

  /** For /healthz: undefined in HTTP mode. */
  health(): "connected" | "disconnected" | undefined {
    if (!this.enabled) return undefined;
    return this.#up ? "connected" : "disconnected";
  }

  /** For /readyz: only a connection seen dropping makes the bot unready (not one still starting). */
  get seenDown(): boolean {
    return this.#up === false;
  }

  /** For the gauge: undefined in HTTP mode. */
  get connected(): boolean | undefined {
    return this.enabled ? this.#up === true : undefined;
  }

  /** Follows the socket client of `app` (created with socketMode: true) from now on. */
  follow(app: App, logger: JsonLogger): void {
    const socket = (app as unknown as { receiver?: { client?: SocketEvents } }).receiver?.client;
    socket?.on("connected", () => {
      this.#up = true;
    });
    // "close": the WebSocket dropped (Slack's disconnect, a network failure); reconnecting starts later.
    for (const state of ["close", "reconnecting", "disconnected"]) {
      socket?.on(state, () => {
        this.#up = false;
        logger.warn("socket_mode_down", { state });
      });
    }
  }

  /** app.start() resolved: the connection is open. */
  opened(): void {
    this.#up = true;
  }
}
