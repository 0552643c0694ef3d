/**
 * The Slack Web API methods the bot calls, as a narrow interface (Bolt's WebClient satisfies it).
 * Keeping it narrow documents the scopes the manifest must grant.
 */
import type { types } from "@slack/bolt";
import type { MessageBlock } from "../shared/slack/blocks.js";

type Block = MessageBlock | types.KnownBlock;

export interface SlackPoster {
  chat: {
    postMessage(args: { channel: string; text: string; blocks?: Block[] }): Promise<unknown>;
    postEphemeral(args: { channel: string; user: string; text: string; blocks?: Block[] }): Promise<unknown>;
  };
}

export interface SlackViews {
  views: {
    open(args: { trigger_id: string; view: types.ModalView }): Promise<{ view?: { id?: string } }>;
    update(args: { view_id: string; view: types.ModalView }): Promise<unknown>;
  };
}
