/**
 * The peer for the bot acknowledgement benchmark: a bare Bolt app in HTTP mode whose slash command
 * handler only acks. Same Bolt version and receiver as the real bot, so the difference measured is
 * what the bot adds on top of Bolt.
 */
import type { AddressInfo } from "node:net";
import bolt from "@slack/bolt";

export interface BareBolt {
  url: string;
  close(): Promise<void>;
}

export async function startBareBolt(signingSecret: string, slackApiUrl: string): Promise<BareBolt> {
  const receiver = new bolt.HTTPReceiver({ signingSecret, endpoints: "/slack/events" });
  const app = new bolt.App({ token: "xoxb-bench", receiver, clientOptions: { slackApiUrl } });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    close: async () => {
      await app.stop();
    },
  };
}
