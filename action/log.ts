/** The action's log: every line printed goes through the workflow-command escape (see shared/text). */
import * as core from "@actions/core";
import { escapeWorkflowCommands } from "../shared/text/untrusted.js";

/** core.info for text that holds anything not written by our code (which is nearly all of it). */
export function logInfo(text: string): void {
  core.info(escapeWorkflowCommands(text));
}
