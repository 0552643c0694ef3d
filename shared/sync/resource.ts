/**
 * One folder per resource kind (shared/kinds/<kind>/) behind one interface (the github/safe-settings
 * shape): read what the runners have, diff it against the file (pure), validate on the server, and
 * apply one operation. plan.ts, apply.ts, current-state.ts, remote-validation.ts and the formatters
 * reach a kind only through this interface and the registry (shared/kinds/registry.ts);
 * CONTRIBUTING.md lists the steps for a new kind.
 */
import type { GitpodClient } from "../api/client.js";
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import type {
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "../api/resources/validate.wire.js";
import type { FileFormat, LiveObjects, Located } from "../config/file-format.js";
import type { ConfigIssue, RunnerEntry } from "../config/types.js";
import type { OperationBase, PlanOptions } from "./plan-base.js";
import type { UnmanagedObject } from "./unmanaged.js";

/** What an operation of some kind is: the common fields and its kind's name. */
type KindOperation = OperationBase & { kind: string };

/**
 * A runner's state as one kind sees it: the fields every runner has and the kind's own (`Live`, its
 * emptyState's type). current-state.ts puts every kind's fields together as RunnerState.
 */
export type KindState<Live extends object = object> = LiveObjects<Live> & {
  /** Undefined when the runner reported none (the spec makes it optional). */
  schema: RunnerConfigurationSchema | undefined;
  /** What the product could not read and how it degrades, in words (shown in the plan). */
  notes?: string[];
};

/**
 * A file's runner as one kind sees it: the runner's entry and the kind's list under its key. For a
 * kind of any key (the registry's view), the entry alone: config/desired-state.ts puts every
 * kind's list together as DesiredRunner.
 */
type KindRunner<Key extends string, Desired> = string extends Key
  ? RunnerEntry
  : RunnerEntry & { readonly [K in Key]: Desired[] };

interface DiffContext {
  runnerId: string;
  options: PlanOptions;
  /**
   * With prune off, where the diff lists what prune would remove (`pruneOrList`,
   * shared/sync/unmanaged.ts); absent when nobody asks.
   */
  unmanaged?: UnmanagedObject[];
}

export interface ApplyContext<Live extends object = object> {
  client: GitpodClient;
  /** Secret values by environment variable name. */
  secrets: ReadonlyMap<string, string>;
  /** What the runners held when the plan was made (a kind may use it to recognise new objects). */
  before: ReadonlyMap<string, KindState<Live>>;
}

interface ValidationContext<Live extends object> {
  secrets: ReadonlyMap<string, string>;
  /** The runner's objects as read for the plan. */
  state: KindState<Live> | undefined;
}

/** A server validation error, by the file field it is about (`host`, `configuration.cpu`, ...). */
export interface FieldError {
  field: string;
  message: string;
}

/** Applies operations of one kind during one apply; per-apply state of the kind lives inside it. */
export interface KindApplier<Op extends KindOperation> {
  apply(operation: Op): Promise<void>;
}

/**
 * A kind: `Op` its operation, `Desired` one item of its list in the file, `Key` the list's key,
 * `Live` its fields on a runner's state, `PlanFields` the facts it adds to a runner's plan, `Uses`
 * other kinds' fields it reads (host tokens link to SCM integrations; registry.ts checks that
 * some kind reads them). Every
 * type a kind's methods see is built from these and the base types, never from the registry, so
 * a kind imports nothing that imports the kinds.
 */
export interface ResourceKind<
  Op extends KindOperation,
  Desired extends Located = Located,
  Key extends string = string,
  Live extends object = object,
  PlanFields extends object = object,
  Uses extends object = object,
> {
  readonly kind: Op["kind"];
  /** The kind's part of the file format: its key, entries, JSON Schema, live-schema checks, export. */
  readonly file: FileFormat<Desired, Key, unknown, Live & Uses>;
  /** What a user calls one object of this kind: "environment class". */
  readonly label: string;
  /** One object named in a sentence: `environment class "Large"`. */
  itemLabel(key: string): string;
  /**
   * The kind's fields on a runner's state before anything is read (`{ environmentClasses: [] }`).
   * Its return type declares them: RunnerState is derived from it. A field the kind does not
   * always read is optional and left out here.
   */
  emptyState(): Live;
  /** The file's objects of this kind for a runner (their path and lines place server errors). */
  desired(runner: KindRunner<Key, Desired>): readonly Desired[];
  /**
   * Read only on runners whose file declares objects of this kind (a saved plan: runners whose plan
   * has operations of it), not on every runner of the file.
   */
  readonly readOnlyWhereDeclared?: boolean;
  /**
   * Whether server validation still has something to say once the file passed the runner's live
   * schema check. False lets the engine skip the server round for this kind when asked to
   * (`serverValidationAfterSchemaCheck: false`); a kind the live schema does not cover says true.
   */
  readonly needsServerValidationAfterSchemaCheck: boolean;
  /**
   * The kind's objects of one runner for the saved-plan fingerprint (ids and all fields, sorted by
   * id), under the kind's own name; `{}` when the kind was not read for the runner.
   */
  fingerprint(state: KindState<Live & Uses> | undefined): Record<string, unknown>;
  /**
   * Export of every runner (`--runner all`): reads all objects of this kind without a runner filter
   * into `stateOf(runnerId)`, which finds the runners. Optional: a kind without it is read runner by
   * runner (`read`) on the runners the others found.
   */
  readEveryRunner?(
    client: GitpodClient,
    stateOf: (runnerId: string) => KindState<Live & Uses>,
  ): Promise<void>;
  /** Kinds apply in phases, lowest first (a kind whose objects link to another kind's goes later). */
  readonly applyPhase?: number;
  /**
   * Reads every object of this kind on these runners (all pages, one walk per runner, walks in
   * parallel) into `states`, which holds a state for each of `runnerIds`.
   */
  read(
    client: GitpodClient,
    runnerIds: string[],
    states: ReadonlyMap<string, KindState<Live & Uses>>,
  ): Promise<void>;
  /**
   * Reads what destructive operations of this kind need to say what they delete, only for the
   * runners where the plan holds some (optional: a kind without destructive operations has none).
   */
  readForDestructive?(
    client: GitpodClient,
    runnerIds: string[],
    states: ReadonlyMap<string, KindState<Live & Uses>>,
  ): Promise<void>;
  /**
   * Facts about the runner as a whole that this kind adds to its plan (pure; optional). Its return
   * type declares them: RunnerPlan is derived from it.
   */
  runnerPlanFields?(state: KindState<Live & Uses> | undefined, runner: KindRunner<Key, Desired>): PlanFields;
  /** Runner-level notes in words from those facts (optional; a saved plan may lack them). */
  runnerNotes?(runner: Partial<PlanFields>): string[];
  /**
   * Problems of the file that only the runner's current objects show (an `id:` that is not on the
   * runner, a change the API cannot make in place), at their file, line and field. Like the live
   * schema's, they stop the run before a plan. Optional; may read only to say more in its words.
   */
  checkAgainstCurrent?(
    client: GitpodClient,
    runner: KindRunner<Key, Desired>,
    state: KindState<Live & Uses>,
  ): Promise<ConfigIssue[]>;
  /**
   * Pure and linear in the number of objects: the operations that take current to desired. What the
   * file does not hold goes through `pruneOrList` (shared/sync/unmanaged.ts): removed with prune on,
   * listed in `context.unmanaged` as unmanaged with prune off (a kind that never prunes lists none).
   */
  diff(
    runner: KindRunner<Key, Desired>,
    state: KindState<Live & Uses> | undefined,
    context: DiffContext,
  ): Op[];
  /** The ValidateRunnerConfiguration request for a create or change; undefined when there is none. */
  validationRequest(
    operation: Op,
    context: ValidationContext<Live & Uses>,
  ): ValidateRunnerConfigurationRequest | undefined;
  /** The errors in a validation answer; undefined when the answer says this object is valid. */
  validationErrors(result: ValidateRunnerConfigurationResponse): FieldError[] | undefined;
  /** Names of the environment variables whose values the operation sends. */
  secretVariables(operation: Op): string[];
  /**
   * Whether the server validation of an operation (plan, validate) sends the secrets that
   * `secretVariables` names, so that a plan needs them too; otherwise only apply does.
   */
  readonly validationSendsSecrets: boolean;
  /** Starts an apply: after an ambiguous create the applier re-reads before creating again. */
  applier(context: ApplyContext<Live & Uses>): KindApplier<Op>;
}
