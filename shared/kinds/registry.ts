/**
 * The registry of resource kinds: one folder per kind (shared/kinds/<kind>/), listed here twice, in
 * the table and in the Operation union. The table is keyed by `Operation["kind"]`, so the compiler
 * refuses a kind in the union that has no module here, and a module whose operation is not in it.
 * Everything generic (the file's structure and JSON Schema, loading, live-schema checks, read, plan,
 * validate, apply, fingerprint, export, print) goes through this table; nothing outside a kind's
 * folder names a kind.
 */
import type { FileFormat } from "../config/file-format.js";
import type { ResourceKind } from "../sync/resource.js";
import { type EnvironmentClassOperation, environmentClassKind } from "./environment-classes/index.js";
import { type HostAuthenticationTokenOperation, hostAuthenticationTokenKind } from "./host-tokens/index.js";
import { type LlmIntegrationOperation, llmIntegrationKind } from "./llm-integrations/index.js";
import { type ScmIntegrationOperation, scmIntegrationKind } from "./scm-integrations/index.js";

/** Every kind's operation: one line per kind, next to its line in RESOURCE_KINDS. */
export type Operation =
  | EnvironmentClassOperation
  | ScmIntegrationOperation
  | HostAuthenticationTokenOperation
  | LlmIntegrationOperation;

type OperationOf<K extends Operation["kind"]> = Extract<Operation, { kind: K }>;

/** In the order plans list them and files hold them (a kind's file part may use an earlier one's). */
const RESOURCE_KINDS = {
  environmentClass: environmentClassKind,
  scmIntegration: scmIntegrationKind,
  hostAuthenticationToken: hostAuthenticationTokenKind,
  llmIntegration: llmIntegrationKind,
};

/** The registry's type: the desired state's lists are derived from it (config/desired-state.ts). */
export type ResourceKinds = typeof RESOURCE_KINDS;

type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void
  ? I
  : never;

/** Every kind's fields on a runner's state, as their `emptyState` declare them (sync/current-state.ts). */
export type RunnerObjects = Intersection<ReturnType<ResourceKinds[keyof ResourceKinds]["emptyState"]>>;

/** What a kind's methods see of a runner's state: its own fields and the other kinds' it uses. */
type ViewOf<Kind> =
  Kind extends ResourceKind<infer _Op, infer _Desired, infer _Key, infer Live, infer _Plan, infer Uses>
    ? Live & Uses
    : never;
/** The kinds that use a field no kind declares as its own (none, or the type check below fails). */
type UsesUnread = {
  [K in keyof ResourceKinds]: RunnerObjects extends ViewOf<ResourceKinds[K]> ? never : K;
}[keyof ResourceKinds];
// A field a kind uses of another kind's (host tokens: the runner's SCM integrations) is on every runner's state.
// biome-ignore lint/correctness/noUnusedVariables: a check for the compiler, nothing reads the value
const everyUseIsRead: [UsesUnread] extends [never] ? true : UsesUnread = true;

/** Every kind's facts about a runner as a whole, as their `runnerPlanFields` declare them (sync/plan-types.ts). */
export type RunnerPlanFields = Intersection<
  ReturnType<NonNullable<ResourceKinds[keyof ResourceKinds]["runnerPlanFields"]>>
>;

// Every kind of the Operation union has a module, and each module is a ResourceKind of its kind.
const everyKind: { readonly [K in Operation["kind"]]: ResourceKind<OperationOf<K>> } = RESOURCE_KINDS;

/** Every kind, in the order plans list them. */
export const ALL_KINDS: ReadonlyArray<ResourceKind<Operation>> = Object.values(everyKind);

/** Every kind's part of the file format, in the order a runner's lists are read. */
export const FILE_FORMATS: readonly FileFormat[] = ALL_KINDS.map((kind) => kind.file);

/** The module of an operation's kind. */
export function kindOf(operation: Operation): ResourceKind<Operation> {
  return everyKind[operation.kind];
}

/** "environment class", "SCM integration". */
export function kindLabel(operation: Operation): string {
  return kindOf(operation).label;
}

/** `environment class "Large"`, `SCM integration github@github.com`. */
export function operationLabel(operation: Operation): string {
  return kindOf(operation).itemLabel(operation.key);
}
