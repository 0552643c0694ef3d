/**
 * The plan: plain, serialisable data (like a Terraform plan). It names secrets only by their
 * environment variable, never by value, so it can be printed, stored and posted as a comment.
 */

export type OperationKind = "create" | "update" | "replace" | "disable" | "delete" | "no-op";
export type ResourceKind = "environmentClass" | "scmIntegration";

/** One field's change; secrets show only as `(secret set)` / `(secret rotated)`. */
export interface FieldChange {
  field: string;
  from?: string | undefined;
  to?: string | undefined;
  secret?: "set" | "rotated" | undefined;
}

/** What a destructive operation takes away; refused unless allow-destructive. */
export interface Destructive {
  /** e.g. "turns PAT support off". */
  reason: string;
  /** e.g. "deletes 3 PAT host authentication tokens for github.com". */
  deletes: string;
  /** Host authentication tokens affected, when they were counted. */
  hostTokens?: number | undefined;
}

export interface EnvironmentClassSpec {
  displayName: string;
  description?: string | undefined;
  enabled: boolean;
  configuration: Record<string, string>;
}

export interface ScmIntegrationSpec {
  scmId: string;
  host: string;
  pat: boolean;
  oauth?: { clientId: string; clientSecretEnv: string; issuerUrl?: string | undefined } | undefined;
  virtualDirectory?: string | undefined;
}

export interface EnvironmentClassUpdate {
  description?: string | undefined;
  enabled?: boolean | undefined;
}

export interface ScmIntegrationUpdate {
  pat?: boolean | undefined;
  /** "" removes OAuth. */
  oauthClientId?: string | undefined;
  /** Environment variable whose value is sent as the plaintext client secret. */
  clientSecretEnv?: string | undefined;
  issuerUrl?: string | undefined;
  virtualDirectory?: string | undefined;
}

interface OperationBase {
  kind: OperationKind;
  runnerId: string;
  /** The key within the runner: displayName, or `scmId@host`. */
  key: string;
  /** Human label, e.g. `Large Instance` or `github github.com`. */
  label: string;
  /** Id of the current object (update, replace, disable, delete, no-op). */
  id?: string | undefined;
  /** Line of the item in the config file, when it is in the file. */
  line?: number | undefined;
  changes: FieldChange[];
  destructive?: Destructive | undefined;
  /** Destructive and not permitted by allow-destructive: apply refuses the whole plan. */
  refused?: boolean | undefined;
}

export interface EnvironmentClassOperation extends OperationBase {
  resource: "environmentClass";
  desired?: EnvironmentClassSpec | undefined;
  update?: EnvironmentClassUpdate | undefined;
  /** For replace: whether the old class is still enabled (and so must be disabled). */
  oldEnabled?: boolean | undefined;
}

export interface ScmIntegrationOperation extends OperationBase {
  resource: "scmIntegration";
  desired?: ScmIntegrationSpec | undefined;
  update?: ScmIntegrationUpdate | undefined;
}

export type Operation = EnvironmentClassOperation | ScmIntegrationOperation;

export interface RunnerPlan {
  runnerId: string;
  name?: string | undefined;
  operations: Operation[];
  /** Objects in the API but not in the file, left alone because prune is off. */
  unmanaged: { environmentClasses: number; scmIntegrations: number };
}

export interface PlanOptions {
  prune: boolean;
  allowDestructive: boolean;
  rotateSecrets: boolean;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  disable: number;
  delete: number;
  noop: number;
  destructive: number;
  /** Destructive operations that allow-destructive does not permit. */
  refused: number;
  /** True when applying would write anything. */
  changed: boolean;
}

export interface Plan {
  version: 1;
  config: string;
  options: PlanOptions;
  runners: RunnerPlan[];
  summary: PlanSummary;
}

export const PLAN_OPTION_DEFAULTS: PlanOptions = {
  prune: false,
  allowDestructive: false,
  rotateSecrets: false,
};
