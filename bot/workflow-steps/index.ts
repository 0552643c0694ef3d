/** Every Workflow Builder step the bot has: what the listener registers (SLACK_WORKFLOW_STEPS=true). */
import type { BotContext } from "../context.js";
import { checkHealthStep } from "./check-health.js";
import {
  CHECK_HEALTH_STEP,
  REQUEST_ROTATION_STEP,
  type StepDefinition,
  type StepResult,
} from "./definitions.js";
import { requestRotationStep } from "./request-rotation.js";

export interface WorkflowStep {
  definition: StepDefinition;
  run(
    bot: BotContext,
    inputs: Readonly<Record<string, unknown>>,
  ): Promise<
    | { ok: true; outputs: Record<string, string | boolean>; outcome: string }
    | { ok: false; error: string; outcome: string }
  >;
}

/** A definition with the handler that completes it (its outputs typed by the definition). */
function step<D extends StepDefinition>(
  definition: D,
  run: (bot: BotContext, inputs: Readonly<Record<string, unknown>>) => Promise<StepResult<D>>,
): WorkflowStep {
  return { definition, run };
}

export const WORKFLOW_STEPS: readonly WorkflowStep[] = [
  step(CHECK_HEALTH_STEP, checkHealthStep),
  step(REQUEST_ROTATION_STEP, requestRotationStep),
];
