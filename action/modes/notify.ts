/** Post a report to Slack when configured; a failure is a warning in the log, never a failed step. */

import * as core from "@actions/core";
import { postSlackMessages, shouldNotify } from "../../shared/notify/index.js";
import type { SlackMessage } from "../../shared/slack/blocks.js";
import { logInfo } from "../log.js";
import type { SlackNotifyInputs } from "./mode-inputs.js";

export async function notifySlack(
  inputs: SlackNotifyInputs,
  messages: readonly SlackMessage[],
  succeeded: boolean,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (!inputs.slack || !shouldNotify(inputs.notifyOn, succeeded)) return;
  const result = await postSlackMessages(inputs.slack, messages, {
    env,
    ...(inputs.slackTimeoutMs !== undefined && { timeoutMs: inputs.slackTimeoutMs }),
  });
  if (result.ok) logInfo("Posted the result to Slack.");
  else core.warning(result.warning);
}
