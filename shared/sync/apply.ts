/**
 * Executes a plan: bounded concurrency, one failure does not stop the others, every operation's
 * outcome is reported. Creates are never duplicated after an ambiguous failure: the runner's
 * objects are re-read first.
 */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import { ALL_KINDS, kindOf } from "../kinds/registry.js";
import type { RunnerState } from "./current-state.js";
import { mapWithConcurrency } from "./limiter.js";
import { OutcomeUnknownError } from "./outcome.js";
import { type Operation, type Plan, pendingOperations, refusedOperations } from "./plan-types.js";
import type { ApplyContext, KindApplier } from "./resource.js";

export interface OperationOutcome {
  operation: Operation;
  /**
   * `unknown`: a write was sent and its effect could not be established (answer lost, re-read
   * inconclusive, or still in flight when the run was abandoned). `not-started`: the run was
   * cancelled before this operation began, so nothing was sent for it.
   */
  status: "done" | "failed" | "refused" | "unknown" | "not-started";
  error?: string;
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
  /** Once aborted, no further operation starts; those in flight finish (or time out). */
  stopWrites?: AbortSignal;
  /** Once aborted, stop waiting for operations in flight and report them as unknown. */
  abandon?: AbortSignal;
  /** What the runners held when the plan was made (kinds use it to recognise objects they create). */
  before?: ReadonlyMap<string, RunnerState>;
  /** Called as each operation finishes (for progress output), with how many have finished. */
  onOutcome?: (outcome: OperationOutcome, finished: number, total: number) => void;
}

export async function applyPlan(
  client: GitpodClient,
  plan: Plan,
  secrets: ReadonlyMap<string, string>,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const refused = new Set(refusedOperations(plan));
  const context: ApplyContext = { client, secrets, before: options.before ?? new Map() };
  const appliers = startAppliers(context);

  // Kinds apply in phases (a sorted copy is stable): a later kind may link to what an earlier one creates.
  const operations = pendingOperations(plan).sort(
    (a, b) => (kindOf(a).applyPhase ?? 0) - (kindOf(b).applyPhase ?? 0),
  );
  const outcomes = new Array<OperationOutcome | undefined>(operations.length);
  const started = new Set<number>();
  let finished = 0;
  const work = mapWithConcurrency(operations, options.concurrency, async (operation, index) => {
    if (options.stopWrites?.aborted) return;
    started.add(index);
    const outcome = await applyOne(operation, refused, appliers);
    outcomes[index] = outcome;
    finished++;
    options.onOutcome?.(outcome, finished, operations.length);
  });
  await (options.abandon ? Promise.race([work, aborted(options.abandon)]) : work);
  const settled = operations.map(
    (operation, index): OperationOutcome =>
      outcomes[index] ??
      (started.has(index)
        ? {
            operation,
            status: "unknown",
            error:
              "still in flight when the run was stopped; it may or may not have happened: run plan again",
          }
        : { operation, status: "not-started", error: "not started: the run was cancelled" }),
  );
  return { ok: settled.every((outcome) => outcome.status === "done"), outcomes: settled };
}

type Appliers = ReadonlyMap<Operation["kind"], KindApplier<Operation>>;

/** One applier per kind for this apply (each builds its own per-apply state once). */
function startAppliers(context: ApplyContext): Appliers {
  return new Map(ALL_KINDS.map((kind) => [kind.kind, kind.applier(context)]));
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

async function applyOne(
  operation: Operation,
  refused: ReadonlySet<Operation>,
  appliers: Appliers,
): Promise<OperationOutcome> {
  if (refused.has(operation)) {
    return {
      operation,
      status: "refused",
      error: `destructive (${operation.destructive?.reason}); set allow-destructive to apply it`,
    };
  }
  try {
    const applier = appliers.get(operation.kind);
    if (!applier) throw new Error(`internal: no resource kind ${operation.kind}`);
    await applier.apply(operation);
    return { operation, status: "done" };
  } catch (error) {
    return {
      operation,
      status: outcomeIsUnknown(error) ? "unknown" : "failed",
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
