/** The answer to "does the stored secret of this integration still work?". */

import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import type { ScmValidationDescription } from "../rotation/validation-in-words.js";
import { runnerLabel } from "../text/runner-label.js";
import { context, type SlackMessage } from "./blocks.js";
import { bold, code, escapeMrkdwn, fallbackText } from "./mrkdwn.js";
import { sections } from "./split.js";

export interface ValidationResultInput {
  integration: ScmIntegration;
  validation: ScmValidationDescription;
  runnerLabels?: Readonly<Record<string, string>>;
}

export function formatValidationResult(input: ValidationResultInput): SlackMessage {
  const { integration, validation } = input;
  const what = `${integration.host ?? "(no host)"} (${integration.scmId ?? "scm"})`;
  const headline = validation.valid
    ? `:white_check_mark: ${bold(what)}: the stored credentials are valid.`
    : `:x: ${bold(what)}: the stored credentials are *not valid*.`;
  const problems = validation.problems.map(
    (problem) => `• *${escapeMrkdwn(problem.label)}*: ${escapeMrkdwn(problem.message)}`,
  );
  if (!validation.valid && problems.length === 0) problems.push(`• ${escapeMrkdwn(validation.summary)}`);
  const text = validation.valid
    ? `${what}: the stored credentials are valid.`
    : `${what}: the stored credentials are not valid: ${validation.summary}`;
  return {
    text: fallbackText(text),
    blocks: [
      ...sections([headline, ...problems].join("\n")),
      context(
        `Runner ${escapeMrkdwn(runnerLabel(integration.runnerId, input.runnerLabels?.[integration.runnerId]))} · ID ${code(integration.id)}`,
      ),
    ],
  };
}
