/**
 * The managed runners and integrations from the runner-config file, for rotate and audit. Secret
 * variables are not resolved here: the rotate mode refuses an unset one per integration, and the
 * audit needs none. Any other problem in the file fails the step with annotations on its lines.
 */

import * as core from "@actions/core";
import { formatIssue, loadRunnerConfigs } from "../../shared/config/load.js";
import { managedFromDesiredState } from "../../shared/credential-upkeep/index.js";
import { plural } from "../../shared/text/plural.js";
import { annotateIssues, readConfigSources } from "../config-file.js";
import { logInfo } from "../log.js";

export async function loadManaged(
  file: string,
): Promise<ReturnType<typeof managedFromDesiredState> | undefined> {
  const sources = await readConfigSources(file);
  if (sources === undefined) return undefined;
  // No environment: an unset variable is not a problem of the file (the loader does not report it).
  const loaded = loadRunnerConfigs(sources, {});
  if (loaded.issues.length > 0 || !loaded.desired) {
    annotateIssues(loaded.issues);
    for (const issue of loaded.issues) logInfo(formatIssue(issue));
    core.setFailed(`${plural(loaded.issues.length, "error")} in ${file}; nothing was changed`);
    return undefined;
  }
  return managedFromDesiredState(loaded.desired);
}
