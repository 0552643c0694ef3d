/**
 * Checks the desired state against each runner's live configuration schema, before anything is
 * sent, through each resource kind's own check (unknown SCM providers; unknown or missing
 * configuration keys, int ranges, patterns, enums).
 */
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import { ALL_KINDS } from "../kinds/registry.js";
import type { DesiredRunner } from "./desired-state.js";
import type { ConfigIssue } from "./types.js";

export function checkAgainstSchema(
  file: string,
  runner: DesiredRunner,
  schema: RunnerConfigurationSchema,
): ConfigIssue[] {
  const context = { file, runner: { id: runner.id, name: runner.name } };
  return ALL_KINDS.flatMap(
    (kind) => kind.file.checkAgainstSchema?.(kind.desired(runner), schema, context) ?? [],
  );
}
