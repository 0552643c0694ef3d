/**
 * The list of SCM integrations, grouped by runner, one short section per integration so it reads
 * well on a phone. Any number of integrations: split into several messages, never cut.
 */

import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import type { TokenSummary } from "../rotation/token-summary.js";
import { runnerLabel } from "../text/runner-label.js";
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { type LlmListing, llmIntegrationLines } from "./llm-integration-list.js";
import { bold, code, escapeMrkdwn, fallbackText } from "./mrkdwn.js";
import { sections, splitIntoMessages } from "./split.js";
import { expiryInWords } from "./time.js";

export interface IntegrationListItem {
  integration: ScmIntegration;
  /** Host authentication tokens of this integration, or why they could not be listed. */
  tokens?: TokenSummary | { error: string };
}

export interface IntegrationListOptions {
  /** Friendly runner names by id, e.g. { "d2c9…": "aws-eu" }. */
  runnerLabels?: Readonly<Record<string, string>>;
  /** What the list was narrowed to, e.g. "github.com". */
  filter?: string;
  now?: Date;
  /** For tests: a smaller block budget per message. */
  maxBlocks?: number;
  /** The runners' LLM integrations, listed after each runner's SCM integrations. */
  llm?: LlmListing;
}

function tokenLine(tokens: IntegrationListItem["tokens"], now: Date): string {
  if (tokens === undefined) return "Host tokens: not listed";
  if ("error" in tokens) return `Host tokens: could not be listed (${escapeMrkdwn(tokens.error)})`;
  if (tokens.count === 0) return "Host tokens: none";
  const parts = [`Host tokens: ${tokens.count}`];
  if (tokens.nearestExpiry) parts.push(`next expiry ${expiryInWords(tokens.nearestExpiry, now)}`);
  if (tokens.expired > 0) parts.push(`${tokens.expired} expired${expiredOwners(tokens)}`);
  return [parts.join(" · "), breakdownLine(tokens)].filter(Boolean).join("\n");
}

function counted(parts: Array<[number, string, string]>): string[] {
  return parts
    .filter(([count]) => count > 0)
    .map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
}

/** "By source: 2 OAuth, 1 PAT · by owner: 2 users, 1 service account". */
function breakdownLine(tokens: TokenSummary): string {
  if (!tokens.bySource || !tokens.byPrincipal) return "";
  const sources = counted([
    [tokens.bySource.oauth, "OAuth", "OAuth"],
    [tokens.bySource.pat, "PAT", "PAT"],
    [tokens.bySource.other, "unspecified", "unspecified"],
  ]);
  const owners = counted([
    [tokens.byPrincipal.users, "user", "users"],
    [tokens.byPrincipal.serviceAccounts, "service account", "service accounts"],
    [tokens.byPrincipal.other, "unnamed owner", "unnamed owners"],
  ]);
  return `By source: ${sources.join(", ")} · by owner: ${owners.join(", ")}`;
}

/** " (1 user must sign in again, 1 service account's token needs rotating)". */
function expiredOwners(tokens: TokenSummary): string {
  if (!tokens.expiredByPrincipal) return "";
  const { users, serviceAccounts } = tokens.expiredByPrincipal;
  const parts: string[] = [];
  if (users > 0) parts.push(`${users} ${users === 1 ? "user must" : "users must"} sign in again`);
  if (serviceAccounts > 0)
    parts.push(
      `${serviceAccounts} service account${serviceAccounts === 1 ? "'s token needs" : "s' tokens need"} rotating`,
    );
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** The lines describing one integration (no secret: only whether one is stored). */
function integrationLines(item: IntegrationListItem, now: Date): string[] {
  const { integration } = item;
  const oauth = integration.oauth;
  const title = `${bold(integration.host || "(no host)")} · ${escapeMrkdwn(integration.scmId || "unknown provider")}`;
  const auth = [
    oauth?.clientId ? `OAuth client ${code(oauth.clientId)}` : "OAuth: off",
    oauth?.clientId ? (oauth.encryptedClientSecret ? "secret stored" : "*no secret stored*") : undefined,
    `PAT ${integration.pat ? "on" : "off"}`,
  ].filter((part): part is string => part !== undefined);
  const lines = [title, auth.join(" · "), tokenLine(item.tokens, now)];
  if (integration.virtualDirectory) lines.push(`Virtual directory ${code(integration.virtualDirectory)}`);
  lines.push(`ID ${code(integration.id)}`);
  return lines;
}

export function formatIntegrationList(
  items: readonly IntegrationListItem[],
  options: IntegrationListOptions = {},
): SlackMessage[] {
  const now = options.now ?? new Date();
  const scope = options.filter ? ` for ${options.filter}` : "";
  const title = `SCM integrations${scope}`;
  const llm = options.llm && "integrations" in options.llm ? options.llm.integrations : [];
  const llmError = options.llm && "error" in options.llm ? options.llm.error : undefined;
  if (items.length === 0 && llm.length === 0 && llmError === undefined) {
    return [
      {
        text: fallbackText(`No SCM integrations${scope}.`),
        blocks: sections(`No SCM integrations found${options.filter ? ` for ${code(options.filter)}` : ""}.`),
      },
    ];
  }
  const byRunner = new Map<string, IntegrationListItem[]>();
  for (const item of items) {
    const group = byRunner.get(item.integration.runnerId) ?? [];
    group.push(item);
    byRunner.set(item.integration.runnerId, group);
  }
  for (const integration of llm)
    if (!byRunner.has(integration.runnerId)) byRunner.set(integration.runnerId, []);
  const blocks: MessageBlock[] = [];
  for (const [runnerId, group] of byRunner) {
    const llmLines = llmIntegrationLines(llm.filter((integration) => integration.runnerId === runnerId));
    const llmCount =
      llmLines.length > 0 ? ` · ${llmLines.length} LLM integration${llmLines.length === 1 ? "" : "s"}` : "";
    const count = `${group.length} integration${group.length === 1 ? "" : "s"}${llmCount}`;
    blocks.push(
      context(`Runner ${bold(runnerLabel(runnerId, options.runnerLabels?.[runnerId]))} · ${count}`),
    );
    const sorted = [...group].sort(
      (a, b) =>
        (a.integration.host ?? "").localeCompare(b.integration.host ?? "") ||
        (a.integration.scmId ?? "").localeCompare(b.integration.scmId ?? ""),
    );
    for (const item of sorted) blocks.push(...sections(integrationLines(item, now).join("\n")));
    if (llmLines.length > 0) blocks.push(...sections(llmLines.join("\n")));
  }
  if (llmError !== undefined)
    blocks.push(...sections(`LLM integrations could not be listed: ${escapeMrkdwn(llmError)}`));
  const total = `${items.length} SCM integration${items.length === 1 ? "" : "s"}${scope}`;
  return splitIntoMessages(blocks, { text: total, title }, options);
}
