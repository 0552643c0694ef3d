/**
 * One folder per resource kind (shared/kinds/<kind>/) behind one interface (the github/safe-settings
 * shape): read what the runners have, diff it against the file (pure), validate on the server, and
 * apply one operation. plan.ts, apply.ts, current-state.ts, remote-validation.ts and the formatters
 * reach a kind only through this interface and the registry (shared/kinds/registry.ts);
 * CONTRIBUTING.md lists the steps for a new kind.
 */
import type { GitpodClient } from "../api/client.js";
import type {
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "../api/schemas.js";
import type { FileFormat, Located } from "../config/file-format.js";
import type { DesiredRunner } from "../config/types.js";
import type { RunnerState } from "./current-state.js";
import type { Operation, PlanOptions, RunnerPlan } from "./plan-types.js";

interface DiffContext {
  runnerId: string;
  options: PlanOptions;
}

export interface ApplyContext {
  client: GitpodClient;
  /** Secret values by environment variable name. */
  secrets: ReadonlyMap<string, string>;
  /** What the runners held when the plan was made (a kind may use it to recognise new objects). */
  before: ReadonlyMap<string, RunnerState>;
}

interface ValidationContext {
  secrets: ReadonlyMap<string, string>;
  /** The runner's objects as read for the plan. */
  state: RunnerState | undefined;
}

/** A server validation error, by the file field it is about (`host`, `configuration.cpu`, ...). */
export interface FieldError {
  field: string;
  message: string;
}

/** Applies operations of one kind during one apply; per-apply state of the kind lives inside it. */
export interface KindApplier<Op extends Operation> {
  apply(operation: Op): Promise<void>;
}

export interface ResourceKind<
  Op extends Operation,
  Desired extends Located = Located,
  Key extends string = string,
  Live extends object = object,
> {
  readonly kind: Op["kind"];
  /** The kind's part of the file format: its key, entries, JSON Schema, live-schema checks, export. */
  readonly file: FileFormat<Desired, Key>;
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
  desired(runner: DesiredRunner): readonly Desired[];
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
  fingerprint(state: RunnerState | undefined): Record<string, unknown>;
  /**
   * Export of every runner (`--runner all`): reads all objects of this kind without a runner filter
   * into `stateOf(runnerId)`, which finds the runners. Optional: a kind without it is read runner by
   * runner (`read`) on the runners the others found.
   */
  readEveryRunner?(client: GitpodClient, stateOf: (runnerId: string) => RunnerState): Promise<void>;
  /** Kinds apply in phases, lowest first (a kind whose objects link to another kind's goes later). */
  readonly applyPhase?: number;
  /**
   * Reads every object of this kind on these runners (all pages, one walk per runner, walks in
   * parallel) into `states`, which holds a state for each of `runnerIds`.
   */
  read(client: GitpodClient, runnerIds: string[], states: ReadonlyMap<string, RunnerState>): Promise<void>;
  /**
   * Reads what destructive operations of this kind need to say what they delete, only for the
   * runners where the plan holds some (optional: a kind without destructive operations has none).
   */
  readForDestructive?(
    client: GitpodClient,
    runnerIds: string[],
    states: ReadonlyMap<string, RunnerState>,
  ): Promise<void>;
  /** Facts about the runner as a whole that this kind adds to its plan (pure; optional). */
  runnerPlanFields?(state: RunnerState | undefined, runner: DesiredRunner): Partial<RunnerPlan>;
  /** Runner-level notes in words from those facts (optional). */
  runnerNotes?(runner: RunnerPlan): string[];
  /** Pure and linear in the number of objects: the operations that take current to desired. */
  diff(runner: DesiredRunner, state: RunnerState | undefined, context: DiffContext): Op[];
  /** The ValidateRunnerConfiguration request for a create or change; undefined when there is none. */
  validationRequest(
    operation: Op,
    context: ValidationContext,
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
  applier(context: ApplyContext): KindApplier<Op>;
}
