/** Reading the runner-config file and reporting its problems to the runner, for every mode. */
import * as core from "@actions/core";
import type { ConfigRoot } from "../shared/config/confine.js";
import { type ConfigSource, issueText } from "../shared/config/load.js";
import { expandConfigPaths } from "../shared/config/paths.js";
import { readConfigText } from "../shared/config/read.js";
import type { ConfigIssue } from "../shared/config/types.js";
import { unreadableReason } from "./cli/files.js";
import { emitAnnotations } from "./report/annotations.js";

/**
 * The workspace the config must be inside: a pull request could make `.gitpod/runner-config.yaml` a
 * symlink to `../.git/config` (which holds the checkout's token) and have it quoted in errors.
 */
export function workspaceRoot(): ConfigRoot {
  return { dir: process.env.GITHUB_WORKSPACE || process.cwd(), name: "the workspace (GITHUB_WORKSPACE)" };
}

/** The file's text, or undefined after failing the step with a message naming the input. */
async function readConfigFile(file: string): Promise<string | undefined> {
  const read = await readConfigText(file, workspaceRoot());
  if (read.ok) return read.text;
  if (read.issue) {
    annotateIssues([read.issue]);
    core.setFailed(`${file}:${read.issue.line}: ${read.issue.message}; nothing was changed`);
  } else {
    core.setFailed(`config file ${file} ${unreadableReason({ code: read.code })} (input config)`);
  }
  return undefined;
}

/**
 * The files the `config` input names (one, a list, or globs), each read; undefined after failing the
 * step. Every file is read, so every unreadable one is reported.
 */
export async function readConfigSources(config: string): Promise<ConfigSource[] | undefined> {
  const paths = await expandConfigPaths(config);
  if (!paths.ok) {
    core.setFailed(`${paths.error} (input config)`);
    return undefined;
  }
  const sources: ConfigSource[] = [];
  let failed = false;
  for (const file of paths.files) {
    const text = await readConfigFile(file);
    if (text === undefined) failed = true;
    else sources.push({ file, text });
  }
  return failed ? undefined : sources;
}

/** One error annotation per issue, on its file line, within the runner's per-step limit. */
export function annotateIssues(issues: readonly ConfigIssue[]): void {
  emitAnnotations(
    issues.map((issue) => ({
      level: "error",
      message: issueText(issue),
      properties: {
        title: "runner-config",
        file: issue.file,
        startLine: issue.line,
        startColumn: issue.column,
      },
    })),
    "every error is listed in the log and the job summary",
  );
}
