/**
 * Which LLM integration `rotate-llm <endpoint-host|integration-id> [runner]` means. Pure: the
 * caller reads the integrations of the managed runners. An integration is named by its endpoint's
 * host (as `list` shows it) or its id; only the bot's runners' integrations are ever chosen.
 */
import { sameHost } from "../../shared/api/matching.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import { endpointHost } from "../../shared/rotation/llm-key.js";
import { runnerLabel } from "../../shared/text/runner-label.js";
import type { Target } from "../gitpod/reads.js";

export type LlmChoice =
  | { kind: "one"; integration: LlmIntegration }
  /** Several integrations have that endpoint host (on several runners, or several paths): name the runner or the id. */
  | { kind: "many"; integrations: LlmIntegration[] }
  | { kind: "none"; reason: string };

/** A runner given by id or by its label in GITPOD_RUNNER_IDS (case-insensitive). */
function matchesRunner(
  runnerId: string,
  given: string,
  runnerLabels: Readonly<Record<string, string>>,
): boolean {
  const wanted = given.toLowerCase();
  return runnerId.toLowerCase() === wanted || (runnerLabels[runnerId] ?? "").toLowerCase() === wanted;
}

export function chooseLlmIntegration(
  integrations: readonly LlmIntegration[],
  request: { target: Target; runner?: string },
  runnerIds: readonly string[],
  runnerLabels: Readonly<Record<string, string>>,
): LlmChoice {
  let managed = integrations.filter((integration) => runnerIds.includes(integration.runnerId));
  const { runner, target } = request;
  if (runner !== undefined) {
    if (!runnerIds.some((id) => matchesRunner(id, runner, runnerLabels)))
      return { kind: "none", reason: "the bot manages no runner of that id or name" };
    managed = managed.filter((integration) => matchesRunner(integration.runnerId, runner, runnerLabels));
  }
  const where = runner === undefined ? "the bot's runners" : "that runner";
  const matching =
    target.kind === "id"
      ? managed.filter((integration) => integration.id.toLowerCase() === target.id)
      : managed.filter((integration) => sameHost(endpointHost(integration.endpoint), target.host));
  if (matching.length === 1 && matching[0]) return { kind: "one", integration: matching[0] };
  if (matching.length > 1) return { kind: "many", integrations: matching };
  return {
    kind: "none",
    reason:
      target.kind === "id"
        ? `no LLM integration of ${where} has that id`
        : `no LLM integration of ${where} has an endpoint on that host`,
  };
}

/** "api.example.com/v1 on aws-eu (ID …), …": the integrations to choose from, for the "name it" answer. */
export function llmChoicesText(
  integrations: readonly LlmIntegration[],
  runnerLabels: Readonly<Record<string, string>>,
): string {
  return integrations
    .map(
      (integration) =>
        `${integration.endpoint ?? ""} on ${runnerLabel(integration.runnerId, runnerLabels[integration.runnerId])} (ID ${integration.id})`,
    )
    .join(", ");
}
