/**
 * Which unset secret variables a run needs. A run needs a secret only where it sends it: apply with
 * the operations that carry it (ResourceKind.secretVariables), plan and validate only to the server's
 * validation (ResourceKind.validationSendsSecrets). An unchanged OAuth integration sends nothing, so
 * its variable is not needed to plan or apply; the plan says, on the item, which variables apply or a
 * rotation will need, without failing.
 */

import type { DesiredState } from "../config/desired-state.js";
import type { UnsetSecret } from "../config/load.js";
import type { ConfigIssue } from "../config/types.js";
import { kindOf } from "../kinds/registry.js";
import { allOperations, type Operation, type Plan, pendingOperations } from "./plan-types.js";

const itemKey = (file: string, itemPath: string) => `${file}\u0000${itemPath}`;

/**
 * The issues for the unset variables this run sends (nothing may be sent then), and notes on the
 * plan's items for the others. The notes are added to `plan` in place: the engine owns it, and a
 * copy would read every operation's lazy line (the costly positioned parse).
 */
export function checkUnsetSecrets(
  plan: Plan,
  desired: DesiredState,
  unset: readonly UnsetSecret[],
  mode: "validate" | "plan" | "apply",
  skipKinds: ReadonlySet<Operation["kind"]> = new Set(),
): ConfigIssue[] {
  if (unset.length === 0) return [];
  const byItem = new Map<string, UnsetSecret[]>();
  for (const secret of unset) {
    const key = itemKey(secret.file, secret.itemPath);
    byItem.set(key, [...(byItem.get(key) ?? []), secret]);
  }
  const fileOf = new Map(desired.runners.map((runner) => [runner.id, runner.file]));
  const pending = new Set(pendingOperations(plan));
  const issues: ConfigIssue[] = [];
  for (const operation of allOperations(plan)) {
    const file = fileOf.get(operation.runnerId);
    const here = file && operation.path ? byItem.get(itemKey(file, operation.path)) : undefined;
    if (!here) continue;
    const kind = kindOf(operation);
    const sent = new Set(pending.has(operation) ? kind.secretVariables(operation) : []);
    const sentNow = mode === "apply" || (kind.validationSendsSecrets && !skipKinds.has(operation.kind));
    const notes: string[] = [];
    for (const secret of here) {
      if (sent.has(secret.variable) && sentNow) {
        issues.push(
          secret.issue(
            mode === "apply"
              ? "apply sends this secret"
              : "the plan sends this secret to the server to validate it",
          ),
        );
      } else if (sent.has(secret.variable)) {
        notes.push(`${secret.variable} is not set: apply sends this secret, so set it before applying`);
      } else {
        notes.push(
          `${secret.variable} is not set: not needed now (the secret is not sent), but a rotation (rotate-secrets, the rotate mode) will need it`,
        );
      }
    }
    if (notes.length > 0) operation.notes = [...(operation.notes ?? []), ...notes];
  }
  return issues;
}
