/**
 * Server-side ValidateRunnerConfiguration for every item a plan would create or change, with the
 * plaintext secret where a new one would be sent. Errors come back as config issues at file lines.
 */
import { randomUUID } from "node:crypto";
import type { GitpodClient } from "../api/client.js";
import { isRunnerOffline } from "../api/errors.js";
import type { ScmIntegration, ValidateRunnerConfigurationRequest } from "../api/schemas.js";
import { type ConfigIssue, type DesiredState, runnerLabel } from "../config/types.js";
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
  // The API has no way to test a host token before storing it.
  if (operation.kind === "hostAuthenticationToken") return undefined;
  if (operation.kind === "environmentClass") {
    const { displayName, description, configuration } = operation.desired;
    return {
      runnerId: operation.runnerId,
      environmentClass: {
        // The SDK's EnvironmentClass requires id and runnerId: the class's own id for an update, a
        // fresh one for a class that a create or replace would make.
        id: operation.action === "update" && operation.currentId ? operation.currentId : randomUUID(),
        runnerId: operation.runnerId,
        displayName,
        ...(description ? { description } : {}),
        configuration,
      },
    };
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

/** The file field an SCM validation error is about, so it lands on the right line. */
function scmErrorField(
  resultField: "hostError" | "oauthError" | "patError" | "scmIdError",
  message: string,
): string {
  switch (resultField) {
    case "hostError":
      return /virtual ?directory/i.test(message) ? "virtualDirectory" : "host";
    case "oauthError":
      return /secret/i.test(message)
        ? "oauth.clientSecret"
        : /issuer/i.test(message)
          ? "oauth.issuerUrl"
          : "oauth.clientId";
    case "patError":
      return "pat";
    default:
      return "scmId";
  }
}

const SCM_RESULT_FIELDS = ["hostError", "oauthError", "patError", "scmIdError"] as const;

/** The listed integration an operation changes; by host when the API left its id out (""). */
function storedIntegration(
  operation: Operation,
  current: ReadonlyMap<string, RunnerState>,
  byId: ReadonlyMap<string, ScmIntegration>,
): ScmIntegration | undefined {
  if (operation.currentId === undefined) return undefined;
  if (operation.currentId !== "") return byId.get(operation.currentId);
  const host = operation.kind === "scmIntegration" ? operation.desired?.host.toLowerCase() : undefined;
  return current
    .get(operation.runnerId)
    ?.scmIntegrations.find((i) => i.id === "" && (i.host ?? "").toLowerCase() === host);
}

export async function validateRemotely(
  client: GitpodClient,
  desired: DesiredState,
  plan: Plan,
  current: ReadonlyMap<string, RunnerState>,
  secrets: ReadonlyMap<string, string>,
  concurrency: number,
  kinds: { environmentClasses: boolean } = { environmentClasses: true },
): Promise<ConfigIssue[]> {
  // Paths repeat across files (each has its runners[0]); a runner id is in one file only.
  const itemKey = (runnerId: string, path: string) => `${runnerId}\u0000${path}`;
  // The item itself is kept (not copied): its lines are worked out only when an issue asks.
  const itemsByPath = new Map<
    string,
    { item: { lines: Record<string, number>; line: number }; file: string }
  >();
  for (const runner of desired.runners) {
    for (const item of [...runner.environmentClasses, ...runner.scmIntegrations])
      itemsByPath.set(itemKey(runner.id, item.path), { item, file: runner.file });
  }
  const integrationsById = new Map<string, ScmIntegration>();
  for (const state of current.values()) for (const i of state.scmIntegrations) integrationsById.set(i.id, i);
  const operations = pendingOperations(plan).filter(
    (operation) => kinds.environmentClasses || operation.kind !== "environmentClass",
  );
  // Validation goes through the runner: an offline one cannot answer, which is said once per runner.
  const offline = new Set<string>();
  const results = await mapWithConcurrency(operations, concurrency, async (operation) => {
    if (offline.has(operation.runnerId)) return undefined;
    const stored = storedIntegration(operation, current, integrationsById);
    const request = validationRequest(operation, secrets, stored);
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
    issues.push({
      file: runner.file,
      line: runner.line,
      column: 1,
      path: `${runner.path}.id`,
      message: `runner ${runnerLabel(runner)} is offline: Gitpod validates through the runner, so nothing was checked or changed; run again when it is connected`,
    });
  }
  operations.forEach((operation, index) => {
    const result = results[index];
    const found = operation.path ? itemsByPath.get(itemKey(operation.runnerId, operation.path)) : undefined;
    if (!result || !found || !operation.path) return;
    const { item, file } = found;
    // Counted per item: searching all issues so far for this item's path made the error path quadratic.
    let pushed = 0;
    const push = (field: string, message: string) => {
      pushed++;
      issues.push({
        file,
        line: item.lines[field] ?? item.line,
        column: 1,
        path: `${operation.path}.${field}`,
        message,
      });
    };
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
      for (const resultField of SCM_RESULT_FIELDS) {
        const message = scmResult[resultField];
        if (message) push(scmErrorField(resultField, message), message);
      }
    }
    const invalid = (classResult && classResult.valid !== true) || (scmResult && scmResult.valid !== true);
    if (invalid && pushed === 0) {
      push("", "rejected by the server without a reason");
    }
  });
  return issues;
}
