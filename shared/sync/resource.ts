/**
 * One module per resource kind behind one interface (as github/safe-settings does): read the
 * current objects, diff desired against current (pure), build the server-side validation request,
 * map its answer back to file lines, and apply one operation.
 */
import type { GitpodClient } from "../api/client.js";
import type {
  HostAuthenticationToken,
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "../api/schemas.js";
import type { FieldLines } from "../config/types.js";
import type { Operation, PlanOptions } from "./types.js";

export interface DiffContext {
  runnerId: string;
  options: PlanOptions;
  /** The runner's host authentication tokens, when counted (for destructive operations). */
  hostTokens?: readonly HostAuthenticationToken[] | undefined;
}

export interface DiffResult<O extends Operation> {
  operations: O[];
  /** Current objects not in the file, left alone because prune is off. */
  unmanaged: number;
}

/** Where an error about a field goes: its field name in the item's line table. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ApplyContext {
  client: GitpodClient;
  /** Resolves a secret reference (environment variable name) to its value. */
  secret(name: string): string;
}

export interface ResourceSync<Desired, Current, O extends Operation> {
  readonly resource: O["resource"];
  /** Every current object of this kind on these runners (all pages), grouped by runner id. */
  read(client: GitpodClient, runnerIds: readonly string[]): Promise<Map<string, Current[]>>;
  /** Pure, linear in the number of objects. */
  diff(desired: readonly Desired[], current: readonly Current[], context: DiffContext): DiffResult<O>;
  /** The ValidateRunnerConfiguration request for a create/update/replace, else undefined. */
  validationRequest(
    operation: O,
    current: Current | undefined,
    secret: (name: string) => string | undefined,
  ): ValidateRunnerConfigurationRequest | undefined;
  /** The field errors in a validation answer (field names as in FieldLines). */
  validationErrors(response: ValidateRunnerConfigurationResponse): FieldError[];
  apply(operation: O, context: ApplyContext): Promise<void>;
}

export function lineOf(lines: FieldLines, field: string, fallback: number): number {
  return lines[field] ?? lines[field.split(".")[0] ?? field] ?? fallback;
}
