import type { OperationBase } from "../../sync/plan-base.js";

/** What a plan does to one environment class (a replace is create-then-disable: docs/adr/0003). */
export interface EnvironmentClassOperation extends OperationBase {
  kind: "environmentClass";
  desired?: {
    displayName: string;
    description?: string;
    enabled: boolean;
    configuration: Array<{ key: string; value: string }>;
  };
}
