/**
 * Times every acknowledgement for /metrics. Both receivers (HTTP and Socket Mode) hand each verified
 * request to App.processEvent with its ack; Bolt offers no other hook that sees the ack.
 */
import type { App } from "@slack/bolt";

export function timeAcks(app: App, observe: (event: string, seconds: number) => void): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const body = event.body as Record<string, unknown>;
    const kind =
      typeof body.command === "string" ? "command" : typeof body.type === "string" ? body.type : "other";
    const ack: typeof event.ack = async (response) => {
      try {
        return await event.ack(response);
      } finally {
        observe(kind, (performance.now() - started) / 1000);
      }
    };
    return process({ ...event, ack });
  };
}
