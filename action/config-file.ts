/** Reading the runner-config file and reporting its problems to the runner, for every mode. */
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import type { ConfigIssue } from "../shared/config/types.js";

/** The file's text, or undefined after failing the step with a message naming the input. */
export async function readConfigFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    core.setFailed(`config file ${file} could not be read (input config)`);
    return undefined;
  }
}

/** One error annotation per issue, on its file line. */
export function annotateIssues(issues: readonly ConfigIssue[]): void {
  for (const issue of issues) {
    core.error(`${issue.path ? `${issue.path}: ` : ""}${issue.message}`, {
      title: "runner-config",
      file: issue.file,
      startLine: issue.line,
      startColumn: issue.column,
    });
  }
}
