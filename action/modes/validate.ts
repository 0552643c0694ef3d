/**
 * The action's validate mode. With a token: the file against the runners' live schemas and the
 * API's validation, writing nothing. Without one (pull requests from forks have no secrets):
 * offline, syntax, structure and secret reference names, an unset variable being a warning.
 */
import * as core from "@actions/core";
import type { GitpodClient } from "../../shared/api/index.js";
import { validateOfflineSources } from "../../shared/config/offline.js";
import type { ConfigIssue } from "../../shared/config/types.js";
import { markdownText } from "../../shared/markdown/escape.js";
import { runSync } from "../../shared/sync/engine.js";
import { formatIssuesMarkdown, formatIssuesText } from "../../shared/sync/format.js";
import { plural } from "../../shared/text/plural.js";
import { annotateIssues, readConfigSources } from "../config-file.js";
import type { ActionInputs } from "../inputs.js";
import { writeJobSummary } from "../report/job-summary.js";

export async function runValidateMode(
  inputs: ActionInputs,
  client: GitpodClient | undefined,
  env: Record<string, string | undefined>,
): Promise<void> {
  core.setOutput("changed", "false");
  const sources = await readConfigSources(inputs.config);
  if (sources === undefined) return;
  let issues: ConfigIssue[];
  if (client) {
    const result = await runSync(client, {
      sources,
      env,
      mode: "validate",
      prune: inputs.prune,
      allowDestructive: inputs.allowDestructive,
      rotateSecrets: inputs.rotateSecrets,
      concurrency: inputs.concurrency,
    });
    for (const secret of result.secretValues) core.setSecret(secret);
    issues = result.issues;
  } else {
    const result = validateOfflineSources(sources, env);
    issues = result.issues;
    for (const warning of result.warnings) {
      core.warning(warning.message, {
        title: "runner-config",
        file: warning.file,
        startLine: warning.line,
        startColumn: warning.column,
      });
    }
    for (const name of result.unsetVariables) {
      core.warning(`environment variable ${name} is not set: plan and apply will need it`, {
        title: "runner-config",
        file: inputs.config,
      });
    }
  }
  const how = client
    ? "against the runners' live schemas"
    : "offline (no api-token: structure and secret references only)";
  if (issues.length > 0) {
    annotateIssues(issues);
    core.info(formatIssuesText(issues));
    await writeJobSummary(formatIssuesMarkdown(issues), env);
    core.setOutput("summary", `${plural(issues.length, "error")} in ${inputs.config}`);
    core.setFailed(`${plural(issues.length, "error")} in ${inputs.config} (validated ${how})`);
    return;
  }
  const summary = `${inputs.config} is valid (validated ${how}).`;
  core.info(summary);
  core.setOutput("summary", summary);
  await writeJobSummary(`### Gitpod runner configuration\n\n${markdownText(summary)}\n`, env);
}
