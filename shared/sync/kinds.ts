/**
 * The registry of resource kinds. Keyed by `Operation["kind"]`, so the compiler refuses a kind in the
 * Operation union that has no module here. Everything generic (the file's structure and JSON Schema,
 * loading, live-schema checks, read, plan, validate, apply, fingerprint, export, print) goes through
 * this table; nothing outside a kind's modules names a kind.
 */
import type { FileFormat } from "../config/file-format.js";
import { environmentClassKind } from "./environment-classes.js";
import { hostAuthenticationTokenKind } from "./host-tokens.js";
import type { Operation } from "./plan-types.js";
import type { ResourceKind } from "./resource.js";
import { scmIntegrationKind } from "./scm-integrations.js";

type OperationOf<K extends Operation["kind"]> = Extract<Operation, { kind: K }>;

/** In the order plans list them and files hold them (a kind's file part may use an earlier one's). */
export const RESOURCE_KINDS = {
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
