/**
 * Sending results back to the person who asked. A response_url takes at most five messages, so a
 * long list continues as ephemeral messages in the same channel.
 */
import type { types } from "@slack/bolt";
import type { MessageBlock, SlackMessage } from "../../shared/slack/blocks.js";
import type { SlackPoster } from "./web-api.js";

const RESPONSE_URL_LIMIT = 5;

export type Respond = (message: {
  text: string;
  blocks?: (MessageBlock | types.KnownBlock)[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}) => Promise<unknown>;

export interface Recipient {
  channelId: string;
  userId: string;
}

export async function deliver(
  messages: readonly SlackMessage[],
  respond: Respond,
  slack: SlackPoster,
  recipient: Recipient,
): Promise<void> {
  for (const [index, message] of messages.entries()) {
    if (index < RESPONSE_URL_LIMIT) {
      await respond({ ...message, response_type: "ephemeral", replace_original: false });
    } else {
      await slack.chat.postEphemeral({ channel: recipient.channelId, user: recipient.userId, ...message });
    }
  }
}

/** A respond function for a response_url kept in a modal's metadata (Bolt's respond is per request). */
export function respondTo(responseUrl: string): Respond {
  return async (message) => {
    const response = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
    });
    if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
    return response;
  };
}
