/**
 * The Workflow Builder steps (Slack custom steps, Bolt's `app.function`) as data: callback id and
 * the names, types and whether required of their inputs and outputs. The listener registers
 * exactly these, the handlers can only complete with these outputs (types below), and
 * test/bot/manifest.test.ts checks that bot/manifest.workflow-steps.yaml declares the same.
 */

/** Who the history and the audit trail name when a step acts for no Slack user. */
export const WORKFLOW_ACTOR = "workflow step";

/** The manifest's parameter types the steps use. */
type ParameterType = "string" | "boolean" | "slack#/types/user_id";

interface StepParameter {
  type: ParameterType;
  required: boolean;
}

export interface StepDefinition {
  callbackId: string;
  /** As Workflow Builder shows it (and failures name it). */
  title: string;
  inputs: Readonly<Record<string, StepParameter>>;
  outputs: Readonly<Record<string, StepParameter>>;
}

/** "Check credential health": the health check (the action's audit mode) over the bot's runners. */
export const CHECK_HEALTH_STEP = {
  callbackId: "check_credential_health",
  title: "Check credential health",
  inputs: { runner: { type: "string", required: false } },
  outputs: {
    healthy: { type: "boolean", required: true },
    summary: { type: "string", required: true },
  },
} as const satisfies StepDefinition;

/** "Request a credential rotation": a four-eyes request, as `rotate` makes it; never a secret. */
export const REQUEST_ROTATION_STEP = {
  callbackId: "request_credential_rotation",
  title: "Request a credential rotation",
  inputs: {
    integration: { type: "string", required: true },
    requester: { type: "slack#/types/user_id", required: true },
    reason: { type: "string", required: true },
  },
  outputs: { request_id: { type: "string", required: true } },
} as const satisfies StepDefinition;

/** A step's outputs as the handler must give them: every declared name, with its type. */
type StepOutputs<D extends StepDefinition> = {
  [K in keyof D["outputs"]]: D["outputs"][K]["type"] extends "boolean" ? boolean : string;
};

/** How a step ends: its outputs, or why not in words (Slack shows it in the workflow's activity). */
export type StepResult<D extends StepDefinition> =
  | { ok: true; outputs: StepOutputs<D>; outcome: string }
  | { ok: false; error: string; outcome: string };

/** A text input as given: absent, not a string or blank all mean "not given". */
export function textInput(inputs: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = inputs[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
