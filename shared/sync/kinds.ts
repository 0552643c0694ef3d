/**
 * The registry of resource kinds. Keyed by `Operation["kind"]`, so the compiler refuses a kind in the
 * Operation union that has no module here. Everything generic (read, plan, validate, apply, print)
 * goes through this table; nothing outside a kind's module names a kind.
 */
import { environmentClassKind } from "./environment-classes.js";
import { hostAuthenticationTokenKind } from "./host-tokens.js";
import type { Operation } from "./plan-types.js";
import type { ResourceKind } from "./resource.js";
import { scmIntegrationKind } from "./scm-integrations.js";

type OperationOf<K extends Operation["kind"]> = Extract<Operation, { kind: K }>;

export const RESOURCE_KINDS: { readonly [K in Operation["kind"]]: ResourceKind<OperationOf<K>> } = {
  environmentClass: environmentClassKind,
  scmIntegration: scmIntegrationKind,
  hostAuthenticationToken: hostAuthenticationTokenKind,
};

/** Every kind, in the order plans list them. */
export const ALL_KINDS: ReadonlyArray<ResourceKind<Operation>> = Object.values(RESOURCE_KINDS);

/** The module of an operation's kind. */
export function kindOf(operation: Operation): ResourceKind<Operation> {
  return RESOURCE_KINDS[operation.kind];
}

/** "environment class", "SCM integration". */
export function kindLabel(operation: Operation): string {
  return kindOf(operation).label;
}

/** `environment class "Large"`, `SCM integration github@github.com`. */
export function operationLabel(operation: Operation): string {
  return kindOf(operation).itemLabel(operation.key);
}
