/**
 * Executes a plan: bounded concurrency, one failure does not stop the others, every operation's
 * outcome is reported. Creates are never duplicated after an ambiguous failure: the runner's
 * objects are re-read first.
 */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import { environmentClassSync } from "./environment-classes.js";
import { mapWithConcurrency } from "./limiter.js";
import { OutcomeUnknownError } from "./outcome.js";
import { type Operation, type Plan, pendingOperations, refusedOperations } from "./plan-types.js";
import type { ApplyContext } from "./resource.js";
import { scmIntegrationSync } from "./scm-integrations.js";

export interface OperationOutcome {
  operation: Operation;
  /** `unknown`: a write was sent and its effect could not be established (answer lost, re-read inconclusive). */
  status: "done" | "failed" | "refused" | "unknown";
  error?: string | undefined;
}

function outcomeIsUnknown(error: unknown): boolean {
  return error instanceof OutcomeUnknownError || (error instanceof GitpodApiError && error.outcomeUnknown);
}

export interface ApplyResult {
  ok: boolean;
  outcomes: OperationOutcome[];
}

export interface ApplyOptions {
  concurrency: number;
  /** Ids of environment classes that existed when the plan was made. */
  knownEnvironmentClassIds?: ReadonlySet<string> | undefined;
  /** Called as each operation finishes (for progress output), with how many have finished. */
  onOutcome?: ((outcome: OperationOutcome, finished: number, total: number) => void) | undefined;
}

export async function applyPlan(
  client: GitpodClient,
  plan: Plan,
  secrets: ReadonlyMap<string, string>,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const refused = new Set(refusedOperations(plan));
  const context: ApplyContext = {
    client,
    secrets,
    knownEnvironmentClassIds: options.knownEnvironmentClassIds ?? new Set(),
  };

  const pending = pendingOperations(plan);
  let finished = 0;
  const report = (outcome: OperationOutcome): OperationOutcome => {
    finished++;
    options.onOutcome?.(outcome, finished, pending.length);
    return outcome;
  };
  const outcomes = await mapWithConcurrency(pending, options.concurrency, async (operation) =>
    report(await applyOne(operation, refused, context)),
  );
  return { ok: outcomes.every((outcome) => outcome.status === "done"), outcomes };
}

async function applyOne(
  operation: Operation,
  refused: ReadonlySet<Operation>,
  context: ApplyContext,
): Promise<OperationOutcome> {
  if (refused.has(operation)) {
    return {
      operation,
      status: "refused",
      error: `destructive (${operation.destructive?.reason}); set allow-destructive to apply it`,
    };
  }
  try {
    if (operation.kind === "environmentClass") await environmentClassSync.apply(operation, context);
    else await scmIntegrationSync.apply(operation, context);
    return { operation, status: "done" };
  } catch (error) {
    return {
      operation,
      status: outcomeIsUnknown(error) ? "unknown" : "failed",
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
