import type { ConfigIssue, RunnerEntry } from "./types.js";

/** An issue about a whole runner, shown at its `id` line in the file. */
export function runnerIssue(
  runner: Pick<RunnerEntry, "file" | "line" | "path">,
  message: string,
): ConfigIssue {
  return { file: runner.file, line: runner.line, column: 1, path: `${runner.path}.id`, message };
}
