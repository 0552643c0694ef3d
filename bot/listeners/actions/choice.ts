/**
 * "github.com matches 3 integrations": the Validate / Rotate button beside each one. Rotate fills
 * the open modal with the form; Validate answers in the channel.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { formatError } from "../../../shared/slack/errors.js";
import type { BotContext } from "../../context.js";
import { resolveTarget } from "../../gitpod/reads.js";
import { decodeMetadata } from "../../rotations/rotate-form.js";
import type { Respond } from "../../slack/deliver.js";
import { CHOICE_ACTION_ID, notFoundMessage, refusedMessage } from "../../slack/messages.js";
import { handleRotateChoice } from "../commands/rotate.js";
import { validateOne } from "../commands/validate.js";
import { ranAs } from "../log-requests.js";

export function registerChoiceButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(CHOICE_ACTION_ID, async ({ ack, body, action, respond, context }) => {
    await ack();
    const integrationId = action.value ?? "";
    const kind = action.action_id.startsWith("choose_rotate") ? "rotate" : "validate";
    ranAs(context, kind);
    if (kind === "rotate" && body.view?.id) {
      const metadata = decodeMetadata(body.view.private_metadata);
      ranAs(
        context,
        kind,
        await handleRotateChoice(bot, body.user.id, integrationId, body.view.id, metadata),
      );
      return;
    }
    ranAs(context, kind, await validateChosen(bot, body.user.id, body.channel?.id, integrationId, respond));
  });
}

async function validateChosen(
  bot: BotContext,
  userId: string,
  channelId: string | undefined,
  integrationId: string,
  respond: Respond,
): Promise<string> {
  const view = bot.authorizer.canView(channelId);
  if (!view.allowed) {
    await respond({ ...refusedMessage("view integrations here", view.reason), response_type: "ephemeral" });
    return "channel-refused";
  }
  try {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: integrationId });
    if (resolution.kind !== "one") {
      await respond({
        ...notFoundMessage(integrationId, resolution.kind === "none" ? resolution.reason : "ambiguous"),
        response_type: "ephemeral",
      });
      return "not-found";
    }
    return await validateOne(bot, resolution.integration, respond, userId);
  } catch (error) {
    await respond({ ...formatError("validate the integration", error), response_type: "ephemeral" });
    throw error;
  }
}
