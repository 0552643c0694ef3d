/**
 * Server-side ValidateRunnerConfiguration for every item a plan would create or change, with the
 * plaintext secret where a new one would be sent. Each kind builds its request and reads its answer;
 * errors come back as config issues at file lines.
 */

import type { GitpodClient } from "../api/client.js";
import { isRunnerOffline } from "../api/errors.js";
import type { DesiredState } from "../config/desired-state.js";
import { runnerIssue } from "../config/runner-issue.js";
import type { ConfigIssue, FieldLines } from "../config/types.js";
import { ALL_KINDS, kindOf } from "../kinds/registry.js";
import { runnerLabel } from "../text/runner-label.js";
import type { RunnerState } from "./current-state.js";
import { mapWithConcurrency } from "./limiter.js";
import { type Operation, type Plan, pendingOperations } from "./plan-types.js";

export interface RemoteValidationOptions {
  /** Kinds whose operations are not sent for validation (the server checks them on write anyway). */
  skipKinds?: ReadonlySet<Operation["kind"]>;
}

export async function validateRemotely(
  client: GitpodClient,
  desired: DesiredState,
  plan: Plan,
  current: ReadonlyMap<string, RunnerState>,
  secrets: ReadonlyMap<string, string>,
  concurrency: number,
  options: RemoteValidationOptions = {},
): Promise<ConfigIssue[]> {
  // Paths repeat across files (each has its runners[0]); a runner id is in one file only.
  const itemKey = (runnerId: string, path: string) => `${runnerId}\u0000${path}`;
  // The item itself is kept (not copied): its lines are worked out only when an issue asks.
  const itemsByPath = new Map<
    string,
    { item: { lines: FieldLines; columns: FieldLines; line: number }; file: string }
  >();
  for (const runner of desired.runners) {
    for (const kind of ALL_KINDS)
      for (const item of kind.desired(runner))
        itemsByPath.set(itemKey(runner.id, item.path), { item, file: runner.file });
  }
  const operations = pendingOperations(plan).filter((operation) => !options.skipKinds?.has(operation.kind));
  // Validation goes through the runner: an offline one cannot answer, which is said once per runner.
  const offline = new Set<string>();
  const results = await mapWithConcurrency(operations, concurrency, async (operation) => {
    if (offline.has(operation.runnerId)) return undefined;
    const request = kindOf(operation).validationRequest(operation, {
      secrets,
      state: current.get(operation.runnerId),
    });
    try {
      return request ? await client.validate(request) : undefined;
    } catch (error) {
      if (!isRunnerOffline(error)) throw error;
      offline.add(operation.runnerId);
      return undefined;
    }
  });
  const issues: ConfigIssue[] = [];
  for (const runner of desired.runners) {
    if (!offline.has(runner.id)) continue;
    issues.push(
      runnerIssue(
        runner,
        `runner ${runnerLabel(runner.id, runner.name)} is offline: Gitpod validates through the runner, so nothing was checked or changed; run again when it is connected`,
      ),
    );
  }
  operations.forEach((operation, index) => {
    const result = results[index];
    const found = operation.path ? itemsByPath.get(itemKey(operation.runnerId, operation.path)) : undefined;
    if (!result || !found || !operation.path) return;
    const { item, file } = found;
    const errors = kindOf(operation).validationErrors(result);
    if (!errors) return;
    const push = (field: string, message: string) => {
      issues.push({
        file,
        line: item.lines[field] ?? item.line,
        column: item.columns[field] ?? 1,
        path: `${operation.path}.${field}`,
        message,
      });
    };
    for (const error of errors) push(error.field, error.message);
    if (errors.length === 0) push("", "rejected by the server without a reason");
  });
  return issues;
}
