/**
 * The App Home as Block Kit: a pure function of the model (bot/home/model.ts). Every text from
 * Gitpod, the store or people is escaped. The view keeps within Slack's limits for a Home tab
 * (100 blocks, 3000 characters per section, 150 per header): when the integrations do not fit, it
 * shows those needing attention first, counts the rest and points to `list`.
 */
import type { types } from "@slack/bolt";
import type { ExpiringToken } from "../../shared/credential-upkeep/types.js";
import { context, header, type MessageBlock, section } from "../../shared/slack/blocks.js";
import { llmIntegrationLines } from "../../shared/slack/llm-integration-list.js";
import { bold, code, escapeMrkdwn, userMention } from "../../shared/slack/mrkdwn.js";
import { expiryInWords } from "../../shared/slack/time.js";
import { runnerLabel } from "../../shared/text/runner-label.js";
import { approvalRequestMessage } from "../approvals/messages.js";
import { eventLine } from "../history/format.js";
import type { Approval } from "../state/store.js";
import type { HomeIntegration, HomeModel } from "./model.js";

export const HOME_REFRESH_ACTION = "home_refresh";

/** Slack's limits for a Home tab view (https://docs.slack.dev/reference/views). */
const HOME_LIMITS = { blocks: 100, sectionText: 3000, headerText: 150 } as const;

/** Requests shown one by one; more are counted. */
const SHOWN_TO_DECIDE = 5;
const SHOWN_OWN_REQUESTS = 5;
/** Host tokens named one by one per integration; more are counted. */
const SHOWN_TOKENS = 3;

type Block = MessageBlock | types.KnownBlock;

function divider(): Block {
  return { type: "divider" };
}

function when(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** At most `limit` characters, cut at a line end where possible and marked with "…". */
function withinLimit(text: string, limit: number = HOME_LIMITS.sectionText): string {
  if (text.length <= limit) return text;
  const head = text.slice(0, limit - 1);
  const lineEnd = head.lastIndexOf("\n");
  return `${lineEnd > limit / 2 ? head.slice(0, lineEnd) : head}…`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Who ran a validation: a Slack user, the schedule, or another actor by name. */
function validatedBy(actor: string, source: string): string {
  if (source === "schedule" || actor === "schedule") return "the schedule";
  return source === "slack" ? userMention(actor) : escapeMrkdwn(actor);
}

/** How urgently an integration needs someone: 0 (nothing to do) and up. */
function attention(item: HomeIntegration): number {
  const hasSecret = Boolean(item.integration.oauth?.clientId);
  let rank = 0;
  if (hasSecret && !item.integration.oauth?.encryptedClientSecret) rank = Math.max(rank, 4);
  if (hasSecret && item.lastValidation?.result === "invalid") rank = Math.max(rank, 4);
  if (hasSecret && item.lastValidation?.result === "unverified") rank = Math.max(rank, 3);
  if ("error" in item.tokens) rank = Math.max(rank, 2);
  else if (item.tokens.expiring.some((token) => token.expired)) rank = Math.max(rank, 3);
  else if (item.tokens.expiring.length > 0) rank = Math.max(rank, 2);
  if (hasSecret && !item.lastValidation) rank = Math.max(rank, 1);
  return rank;
}

function icon(item: HomeIntegration): string {
  const rank = attention(item);
  if (rank >= 4) return ":x:";
  if (rank === 3) return ":rotating_light:";
  if (rank === 2) return ":warning:";
  if (rank === 1) return ":grey_question:";
  return ":white_check_mark:";
}

function oauthLine(item: HomeIntegration): string {
  const oauth = item.integration.oauth;
  if (!oauth?.clientId) return "OAuth: off (no secret to check)";
  const parts = [`OAuth client ${code(oauth.clientId)}`];
  if (!oauth.encryptedClientSecret) parts.push("*no secret stored*");
  const last = item.lastValidation;
  if (!last) parts.push("never validated through the bot");
  else {
    const result =
      last.result === "valid" ? "*valid*" : last.result === "invalid" ? "*NOT valid*" : "*not verified*";
    const how = last.action === "validate" ? "validated" : "validated by a rotation";
    parts.push(`last ${how} ${when(last.at)} by ${validatedBy(last.actor, last.source)}: ${result}`);
  }
  return parts.join(" · ");
}

/** Who must act on an expired or expiring token. */
function whoActs(token: ExpiringToken, host: string, command: string): string {
  if (token.principal === "service account" && token.owner)
    return `service account ${code(token.owner)}: \`${escapeMrkdwn(command)} rotate-token ${escapeMrkdwn(host)} ${escapeMrkdwn(token.owner)}\``;
  if (token.principal === "user" && token.owner)
    return `user ${code(token.owner)} must sign in to ${escapeMrkdwn(host)} again`;
  return `whoever holds it must sign in to ${escapeMrkdwn(host)} again`;
}

function tokenLines(item: HomeIntegration, model: HomeModel, windowDays: number): string[] {
  const { tokens } = item;
  if ("error" in tokens) return [`Host tokens: could not be read (${escapeMrkdwn(tokens.error)})`];
  if (tokens.expiring.length === 0)
    return [`Host tokens: ${tokens.count}, none expired or expiring within ${plural(windowDays, "day")}`];
  const expired = tokens.expiring.filter((token) => token.expired).length;
  const soon = tokens.expiring.length - expired;
  const counts = [
    ...(expired > 0 ? [`*${expired} expired*`] : []),
    ...(soon > 0 ? [`${soon} expiring within ${plural(windowDays, "day")}`] : []),
  ];
  const host = item.integration.host || "the host";
  const now = new Date(model.now);
  const lines = [`Host tokens: ${counts.join(", ")} (of ${tokens.count})`];
  for (const token of tokens.expiring.slice(0, SHOWN_TOKENS))
    lines.push(`• ${expiryInWords(token.expiresAt, now)}: ${whoActs(token, host, model.command)}`);
  const more = tokens.expiring.length - SHOWN_TOKENS;
  if (more > 0)
    lines.push(
      `• and ${more} more: \`${escapeMrkdwn(model.command)} list ${escapeMrkdwn(item.integration.host ?? "")}\``,
    );
  return lines;
}

function integrationSection(
  item: HomeIntegration,
  model: HomeModel,
  labels: Readonly<Record<string, string>>,
  windowDays: number,
): Block {
  const { integration } = item;
  const runner = runnerLabel(integration.runnerId, labels[integration.runnerId]);
  const lines = [
    `${icon(item)} ${bold(integration.host || "(no host)")} · ${escapeMrkdwn(integration.scmId || "unknown provider")} · runner ${bold(runner)}`,
    oauthLine(item),
    `PAT ${integration.pat ? "on" : "off"}`,
    ...tokenLines(item, model, windowDays),
    `ID ${code(integration.id)}`,
  ];
  return section(withinLimit(lines.join("\n")));
}

/** One request as a section (who, what, why, where it stands), compacted from the approvers' DM. */
function requestSection(approval: Approval): Block {
  const texts = approvalRequestMessage(approval, "dm")
    .blocks.filter((block): block is Extract<MessageBlock, { type: "section" }> => block.type === "section")
    .map((block) => block.text.text);
  return section(withinLimit(texts.join("\n")));
}

function approvalButtonsOf(approval: Approval): Block[] {
  return approvalRequestMessage(approval, "dm").blocks.filter((block) => block.type === "actions");
}

function topBlocks(model: HomeModel): Block[] {
  const blocks: Block[] = [
    header("Gitpod SCM credentials"),
    context(`For ${userMention(model.viewer)} · updated ${when(model.now)}`),
  ];
  if (model.notice) blocks.push(section(withinLimit(`:speech_balloon: ${escapeMrkdwn(model.notice)}`)));
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: HOME_REFRESH_ACTION,
        text: { type: "plain_text", text: "Refresh" },
        value: "refresh",
      },
    ],
  });
  return blocks;
}

function approvalBlocks(model: HomeModel): Block[] {
  const blocks: Block[] = [];
  if (model.approvalsOn && model.approver) {
    blocks.push(divider(), section(`*Waiting for your decision* (${model.toDecide.length})`));
    if (model.toDecide.length === 0) blocks.push(context("Nothing waits for your decision."));
    for (const approval of model.toDecide.slice(0, SHOWN_TO_DECIDE))
      blocks.push(requestSection(approval), ...approvalButtonsOf(approval));
    const more = model.toDecide.length - SHOWN_TO_DECIDE;
    if (more > 0)
      blocks.push(
        context(
          `and ${plural(more, "more request")}: they are in your direct messages and the audit channel.`,
        ),
      );
  }
  if (model.ownRequests.length > 0) {
    blocks.push(divider(), section(`*Your pending requests* (${model.ownRequests.length})`));
    for (const approval of model.ownRequests.slice(0, SHOWN_OWN_REQUESTS))
      blocks.push(requestSection(approval));
    const more = model.ownRequests.length - SHOWN_OWN_REQUESTS;
    if (more > 0) blocks.push(context(`and ${plural(more, "more")}.`));
  }
  return blocks;
}

function hiddenHealthBlocks(model: HomeModel, why: "guest" | "not-allowed"): Block[] {
  if (why === "guest")
    return [divider(), section(":lock: Guests of the workspace see no credential health here.")];
  const channels = model.viewChannelIds.map((id) => `<#${id}>`).join(", ");
  return [
    divider(),
    section(
      `:information_source: Credential health is shown here to the people who may rotate or approve. \`${escapeMrkdwn(model.command)} list\` works in ${channels}.`,
    ),
  ];
}

/** Runner labels by id (GITPOD_RUNNER_IDS' label=id). */
function labelsOf(health: Extract<HomeModel["health"], { shown: true }>): Record<string, string> {
  return Object.fromEntries(
    health.runners.flatMap((runner) => (runner.label ? [[runner.id, runner.label]] : [])),
  );
}

function runnerSummary(model: HomeModel, health: Extract<HomeModel["health"], { shown: true }>): string {
  const labels = labelsOf(health);
  const lines = health.runners.map((runner) => {
    const mine = health.integrations.filter((item) => item.integration.runnerId === runner.id);
    const needing = mine.filter((item) => attention(item) > 0).length;
    const expired = mine.reduce(
      (sum, item) =>
        sum + ("error" in item.tokens ? 0 : item.tokens.expiring.filter((token) => token.expired).length),
      0,
    );
    const facts = [
      plural(mine.length, "integration"),
      needing > 0 ? `*${needing} need${needing === 1 ? "s" : ""} attention*` : "nothing needs attention",
      ...(expired > 0 ? [`${plural(expired, "host token")} expired`] : []),
    ];
    return `Runner ${bold(runnerLabel(runner.id, labels[runner.id]))}: ${facts.join(" · ")}`;
  });
  if (health.readError)
    lines.unshift(
      `:warning: Gitpod could not be read: ${escapeMrkdwn(health.readError)}. The integrations are unknown, not gone; press Refresh or run \`${escapeMrkdwn(model.command)} list\`.`,
    );
  return withinLimit(lines.join("\n"));
}

/**
 * The LLM integrations per runner with their phase (UNAVAILABLE with the service's reason), one
 * section, and how to rotate a key: nothing when the runners have none.
 */
function llmBlocks(model: HomeModel, health: Extract<HomeModel["health"], { shown: true }>): Block[] {
  const { llmIntegrations } = health;
  if ("error" in llmIntegrations) {
    return [
      section(
        withinLimit(
          `:warning: The LLM integrations could not be read: ${escapeMrkdwn(llmIntegrations.error)}. Press Refresh or run \`${escapeMrkdwn(model.command)} list\`.`,
        ),
      ),
    ];
  }
  if (llmIntegrations.length === 0) return [];
  const labels = labelsOf(health);
  const lines = [`*LLM integrations* (${llmIntegrations.length})`];
  for (const runner of health.runners) {
    const mine = llmIntegrations.filter((integration) => integration.runnerId === runner.id);
    if (mine.length === 0) continue;
    lines.push(`Runner ${bold(runnerLabel(runner.id, labels[runner.id]))}:`);
    lines.push(...llmIntegrationLines(mine).map((line) => `• ${line}`));
  }
  return [
    section(withinLimit(lines.join("\n"))),
    context(
      `Rotate a key: \`${escapeMrkdwn(`${model.command} rotate-llm <endpoint-host | llm-integration-id> [runner]`)}\` (a form asks for the new key).`,
    ),
  ];
}

function historyBlocks(health: Extract<HomeModel["health"], { shown: true }>, command: string): Block[] {
  if (health.history.length === 0)
    return [divider(), section("*Latest history*"), context("Nothing recorded yet.")];
  const lines = health.history.map((event) => eventLine(event, {}));
  return [
    divider(),
    section("*Latest history*"),
    section(withinLimit(lines.join("\n"))),
    context(`More: \`${escapeMrkdwn(command)} history\``),
  ];
}

export function homeView(model: HomeModel): types.HomeView {
  const top = topBlocks(model);
  const approvals = approvalBlocks(model);
  const { health } = model;
  if (!health.shown) {
    return {
      type: "home",
      blocks: [...top, ...approvals, ...hiddenHealthBlocks(model, health.why)] as types.KnownBlock[],
    };
  }
  const history = [...llmBlocks(model, health), ...historyBlocks(health, model.command)];
  const intro = [divider(), header("Credential health"), section(runnerSummary(model, health))];
  const labels = labelsOf(health);
  const order = new Map(health.runners.map((runner, index) => [runner.id, index]));
  const byPlace = (a: HomeIntegration, b: HomeIntegration) =>
    (order.get(a.integration.runnerId) ?? 0) - (order.get(b.integration.runnerId) ?? 0) ||
    (a.integration.host ?? "").localeCompare(b.integration.host ?? "") ||
    a.integration.id.localeCompare(b.integration.id);
  const room = HOME_LIMITS.blocks - top.length - approvals.length - intro.length - history.length;
  const all = health.integrations;
  let shown: HomeIntegration[];
  let overflow: Block[] = [];
  if (all.length <= room) shown = [...all].sort(byPlace);
  else {
    // One block is the note on what was left out; the rest show the most urgent first.
    const fitting = Math.max(0, room - 1);
    shown = [...all].sort((a, b) => attention(b) - attention(a) || byPlace(a, b)).slice(0, fitting);
    overflow = [
      context(
        `Showing ${shown.length} of ${all.length} integrations, those needing attention first (a Home tab holds ${HOME_LIMITS.blocks} blocks). All of them: \`${escapeMrkdwn(model.command)} list\`, or \`${escapeMrkdwn(`${model.command} list <runner-id | host>`)}\`.`,
      ),
    ];
  }
  const integrations = shown.map((item) => integrationSection(item, model, labels, health.expiryWarningDays));
  if (all.length === 0 && !health.readError)
    integrations.push(context("No SCM integrations on the managed runners."));
  const blocks = [...top, ...approvals, ...intro, ...integrations, ...overflow, ...history];
  return { type: "home", blocks: blocks.slice(0, HOME_LIMITS.blocks) as types.KnownBlock[] };
}
