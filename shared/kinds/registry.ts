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
import { type ScmIntegrationOperation, scmIntegrationKind } from "./scm-integrations/index.js";

/** Every kind's operation: one line per kind, next to its line in RESOURCE_KINDS. */
export type Operation =
  | EnvironmentClassOperation
  | ScmIntegrationOperation
  | HostAuthenticationTokenOperation;

type OperationOf<K extends Operation["kind"]> = Extract<Operation, { kind: K }>;

/** In the order plans list them and files hold them (a kind's file part may use an earlier one's). */
const RESOURCE_KINDS = {
  environmentClass: environmentClassKind,
  scmIntegration: scmIntegrationKind,
  hostAuthenticationToken: hostAuthenticationTokenKind,
};

/** The registry's type: the desired state's lists are derived from it (config/types.ts). */
export type ResourceKinds = typeof RESOURCE_KINDS;

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
