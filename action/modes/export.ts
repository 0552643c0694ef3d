/**
 * The action's `export` mode: what the runners have now, written as a runner-config file at the
 * `config` path (the CLI's `export`, the same engine). Changes no runner. Secrets cannot be read
 * back: the file names each as a `${VARIABLE}`, and the outputs and the job summary say which.
 */
import * as core from "@actions/core";
import { withoutCredentials } from "../../shared/api/dispatcher.js";
import type { GitpodClient } from "../../shared/api/index.js";
import { writablePath } from "../../shared/config/confine.js";
import { PUBLISHED_SCHEMA_URL } from "../../shared/config/json-schema.js";
import { singleConfigPath } from "../../shared/config/paths.js";
import { exportRunners, NothingToExportError, runnerSelection } from "../../shared/export/export-runners.js";
import { UnknownRunnerError } from "../../shared/export/read-state.js";
import {
  type ExportReport,
  exportedVariables,
  exportMarkdown,
  exportText,
  exportTitle,
} from "../../shared/export/report.js";
import { listEntries } from "../../shared/text/list-entries.js";
import { writeTextFile } from "../cli/files.js";
import { workspaceRoot } from "../config-file.js";
import { type ActionInputs, InputError } from "../inputs.js";
import { logInfo } from "../log.js";
import { writeJobSummary } from "../report/job-summary.js";

/** The `runners` input: runner ids (comma- or newline-separated), or `all`; undefined for all. */
function runnersInput(): string[] | undefined {
  const given = listEntries(core.getInput("runners"));
  if (given.length === 0)
    throw new InputError("input runners is required in export mode: runner ids (a UUID each) or all");
  const selection = runnerSelection(given, "input runners");
  if (!selection.ok) throw new InputError(selection.error);
  return selection.ids;
}

export async function runExportMode(
  inputs: ActionInputs,
  client: GitpodClient,
  env: Record<string, string | undefined>,
): Promise<void> {
  core.setOutput("changed", "false");
  // Every input is checked before the first API call.
  const ids = runnersInput();
  const file = singleConfigPath(inputs.config);
  if (file === undefined)
    throw new InputError(
      `input config must name one file in export mode (the file to write), got "${inputs.config}"`,
    );
  const target = await writablePath(file, workspaceRoot());
  if (!target.ok)
    throw new InputError(`input config: ${file} cannot be written: ${target.reason}; nothing was written`);

  const source = withoutCredentials(client.baseUrl);
  let report: ExportReport;
  try {
    const result = await exportRunners(client, ids, {
      source,
      now: new Date(),
      schemaUrl: PUBLISHED_SCHEMA_URL,
    });
    report = { file, source, result };
  } catch (error) {
    if (error instanceof UnknownRunnerError) throw new Error(`${error.message}; nothing was written`);
    if (error instanceof NothingToExportError)
      throw new Error(`${error.message} (name runners by id in the runners input); nothing was written`);
    throw error;
  }
  await writeTextFile(target.path, report.result.text, "input config");

  logInfo(exportText(report));
  core.setOutput("summary", exportTitle(report));
  core.setOutput("export-file", file);
  core.setOutput("secret-variables", exportedVariables(report).join(" "));
  await writeJobSummary(exportMarkdown(report), env);
}
