/**
 * The "Request a credential rotation" step: the four-eyes request `rotate` makes, for the OAuth
 * client secret of one SCM integration, from a workflow. It takes no secret: the step completes
 * when the request exists (output: its id), and the usual approval flow follows (the approvers'
 * DMs, the votes, the requester's DM with the button to the secret form). The requester must be
 * allowed to rotate, as for the slash command; a refusal fails the step in words and is audited.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import { requestApproval } from "../approvals/flow.js";
import { reasonProblem } from "../approvals/reason.js";
import type { BotContext } from "../context.js";
import { resolveTarget, type Target } from "../gitpod/reads.js";
import { looksLikeSecret, parseTarget, targetText } from "../listeners/commands/words.js";
import { oauthSecretOf } from "../rotations/credential.js";
import { rotationAuditBase } from "../rotations/slack-rotation.js";
import { type REQUEST_ROTATION_STEP, type StepResult, textInput, WORKFLOW_ACTOR } from "./definitions.js";

type Result = StepResult<typeof REQUEST_ROTATION_STEP>;

const NOTHING = "Nothing was requested.";
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

function refuse(outcome: string, error: string): Result {
  return { ok: false, outcome, error: `${error} ${NOTHING}` };
}

/** The integration input as a target, or why it is not one (never echoing what may be a secret). */
function targetOf(input: string | undefined): Target | string {
  if (input === undefined) return "The step needs the integration: its id or its host (like github.com).";
  const target = parseTarget(input);
  return target ?? "The integration input is not an integration id or a host (like github.com).";
}

/**
 * A secret where the integration belongs: refused without repeating it, and audited as the slash
 * command audits a secret typed into `rotate` (someone should revoke it).
 */
async function refuseSecret(bot: BotContext, requester: string | undefined): Promise<Result> {
  await bot.auditor.record({
    ...rotationAuditBase(bot, "oauth-secret", requester ?? WORKFLOW_ACTOR),
    ...(requester ? {} : { source: "workflow" }),
    outcome: "refused",
    reason:
      "a secret-looking value was given to a Workflow Builder step's integration input; the step failed, saying to revoke it",
  });
  return refuse(
    "secret-refused",
    "The integration input looks like a secret: if it is one, revoke it, since it is now in the workflow's data. Give the integration's id or host: a rotation request never takes a secret; the new one is typed into a form once the request is approved.",
  );
}

export async function requestRotationStep(
  bot: BotContext,
  inputs: Readonly<Record<string, unknown>>,
): Promise<Result> {
  const requester = textInput(inputs, "requester");
  const validRequester = requester !== undefined && USER_ID.test(requester) ? requester : undefined;
  const integrationInput = textInput(inputs, "integration");
  if (integrationInput?.split(/\s+/).some(looksLikeSecret)) return refuseSecret(bot, validRequester);
  if (bot.config.approvals.required === 0)
    return refuse(
      "approvals-off",
      `Four-eyes approval is off (SLACK_ROTATE_APPROVALS_REQUIRED is 0), so there is no request to make: rotate with ${bot.config.command} rotate <host>.`,
    );
  if (validRequester === undefined)
    return refuse("no-requester", "The step needs the requester: the Slack user who asks.");
  const target = targetOf(integrationInput);
  if (typeof target === "string") return refuse("bad-integration", target);
  const reason = textInput(inputs, "reason") ?? "";
  const problem = reasonProblem(reason);
  if (problem) return refuse("bad-reason", `The reason cannot be used: ${problem}`);

  const decision = await bot.authorizer.canRotate(validRequester);
  if (!decision.allowed) {
    await bot.auditor.record({
      ...rotationAuditBase(bot, "oauth-secret", validRequester),
      outcome: "unauthorized",
      target: targetText(target),
      reason: `${decision.reason} (asked for by a Workflow Builder step)`,
    });
    return refuse("unauthorized", `${validRequester} may not rotate credentials: ${decision.reason}.`);
  }

  let resolution: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    resolution = await resolveTarget(bot.gitpod, bot.runnerIds, target);
  } catch (error) {
    return refuse("read-failed", `Could not look up the integration: ${describeApiError(error).text}.`);
  }
  if (resolution.kind === "none") return refuse("not-found", `${targetText(target)}: ${resolution.reason}`);
  if (resolution.kind === "many") {
    const ids = resolution.integrations
      .map(
        (integration) =>
          `${integration.id} on ${bot.runnerLabels[integration.runnerId] ?? integration.runnerId}`,
      )
      .join(", ");
    return refuse(
      "ambiguous",
      `${targetText(target)} is the host of ${resolution.integrations.length} integrations (${ids}): give the integration's id.`,
    );
  }
  const { integration } = resolution;
  if (!integration.oauth?.clientId)
    return refuse(
      "no-oauth",
      `${targetText(target)} has no OAuth app configured, so there is no client secret to rotate.`,
    );
  const { approval } = await requestApproval(bot, {
    userId: validRequester,
    // Asked in no channel: the approvers' and the requester's DMs carry the flow.
    channelId: "",
    credential: oauthSecretOf(integration),
    reason,
  });
  return { ok: true, outcome: "approval-requested", outputs: { request_id: approval.id } };
}
