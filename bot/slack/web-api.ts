/**
 * The Slack Web API methods the bot calls, as a narrow interface (Bolt's WebClient satisfies it).
 * Keeping it narrow documents the scopes the manifest must grant.
 */
import type { types } from "@slack/bolt";
import type { MessageBlock } from "../../shared/slack/blocks.js";

type Block = MessageBlock | types.KnownBlock;

export interface SlackPoster {
  chat: {
    /** `thread_ts`: a reply in that message's thread (an approval's votes under its request). */
    postMessage(args: {
      channel: string;
      text: string;
      blocks?: Block[];
      thread_ts?: string;
    }): Promise<unknown>;
    postEphemeral(args: { channel: string; user: string; text: string; blocks?: Block[] }): Promise<unknown>;
  };
}

/** Direct messages and messages updated in place (approvals: chat:write and im:write). */
export interface SlackMessages {
  chat: {
    update(args: { channel: string; ts: string; text: string; blocks?: Block[] }): Promise<unknown>;
  };
  conversations: {
    open(args: { users: string }): Promise<{ channel?: { id?: string } }>;
  };
}

export interface SlackViews {
  views: {
    open(args: { trigger_id: string; view: types.ModalView }): Promise<{ view?: { id?: string } }>;
    update(args: { view_id: string; view: types.ModalView }): Promise<unknown>;
    /** A person's App Home tab (no scope beyond the bot token). */
    publish(args: { user_id: string; view: types.HomeView }): Promise<unknown>;
  };
}
