/**
 * Server-side ValidateRunnerConfiguration for every item a plan would create or change, with the
 * plaintext secret where a new one would be sent. Errors come back as config issues at file lines.
 */
import type { GitpodClient } from "../api/client.js";
import type { ScmIntegration, ValidateRunnerConfigurationRequest } from "../api/schemas.js";
import type { ConfigIssue, DesiredState } from "../config/types.js";
import type { RunnerState } from "./current-state.js";
import { mapWithConcurrency } from "./limiter.js";
import { type Operation, type Plan, pendingOperations } from "./plan-types.js";
import { secretFor } from "./scm-integrations.js";

function validationRequest(
  operation: Operation,
  secrets: ReadonlyMap<string, string>,
  current: ScmIntegration | undefined,
): ValidateRunnerConfigurationRequest | undefined {
  if (operation.action !== "create" && operation.action !== "update" && operation.action !== "replace")
    return undefined;
  if (!operation.desired) return undefined;
  if (operation.kind === "environmentClass") {
    const { displayName, description, configuration } = operation.desired;
    return { runnerId: operation.runnerId, environmentClass: { displayName, description, configuration } };
  }
  const desired = operation.desired;
  const oauth = desired.oauth;
  return {
    runnerId: operation.runnerId,
    scmIntegration: {
      id: operation.currentId,
      scmId: desired.scmId,
      host: desired.host,
      pat: desired.pat,
      virtualDirectory: desired.virtualDirectory,
      issuerUrl: oauth?.issuerUrl,
      oauthClientId: oauth?.clientId,
      ...(oauth && operation.sendSecret
        ? { oauthPlaintextClientSecret: secretFor(oauth.clientSecretEnv, secrets) }
        : oauth
          ? { oauthEncryptedClientSecret: current?.oauth?.encryptedClientSecret }
          : {}),
    },
  };
}

const SCM_FIELDS = [
  ["hostError", "host"],
  ["oauthError", "oauth.clientSecret"],
  ["patError", "pat"],
  ["scmIdError", "scmId"],
] as const;

export async function validateRemotely(
  client: GitpodClient,
  desired: DesiredState,
  plan: Plan,
  current: ReadonlyMap<string, RunnerState>,
  secrets: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<ConfigIssue[]> {
  const itemsByPath = new Map<string, { lines: Record<string, number>; line: number }>();
  for (const runner of desired.runners) {
    for (const item of [...runner.environmentClasses, ...runner.scmIntegrations])
      itemsByPath.set(item.path, item);
  }
  const operations = pendingOperations(plan);
  const results = await mapWithConcurrency(operations, concurrency, async (operation) => {
    const stored = current.get(operation.runnerId)?.scmIntegrations.find((i) => i.id === operation.currentId);
    const request = validationRequest(operation, secrets, stored);
    return request ? client.validate(request) : undefined;
  });
  const issues: ConfigIssue[] = [];
  operations.forEach((operation, index) => {
    const result = results[index];
    const item = operation.path ? itemsByPath.get(operation.path) : undefined;
    if (!result || !item || !operation.path) return;
    const push = (field: string, message: string) =>
      issues.push({
        file: desired.file,
        line: item.lines[field] ?? item.line,
        column: 1,
        path: `${operation.path}.${field}`,
        message,
      });
    const classResult = result.environmentClass;
    if (classResult && classResult.valid !== true) {
      if (classResult.displayNameError) push("displayName", classResult.displayNameError);
      if (classResult.descriptionError) push("description", classResult.descriptionError);
      for (const error of classResult.configurationErrors ?? []) {
        push(`configuration.${error.key ?? ""}`, `${error.key}: ${error.error ?? "invalid"}`);
      }
    }
    const scmResult = result.scmIntegration;
    if (scmResult && scmResult.valid !== true) {
      for (const [resultField, fileField] of SCM_FIELDS) {
        const message = scmResult[resultField];
        if (message) push(fileField, message);
      }
    }
    const invalid = (classResult && classResult.valid !== true) || (scmResult && scmResult.valid !== true);
    if (invalid && !issues.some((issue) => issue.path.startsWith(operation.path ?? ""))) {
      push("", "rejected by the server without a reason");
    }
  });
  return issues;
}
