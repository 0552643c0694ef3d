/**
 * Service accounts' host authentication tokens: diff and apply. (host, service account) is the key
 * within a runner. Users' tokens belong to users: they are never read into the plan, changed or
 * pruned. The token cannot be read back (Get omits it), so like an OAuth secret it is sent on
 * create, on rotate-secrets, or when expiresAt changes (a new expiry means a new token).
 */
import type { GitpodClient } from "../../api/client.js";
import { GitpodApiError } from "../../api/errors.js";
import { hostTokensOfRunner, integrationsOfRunner, readEachRunner } from "../../api/live-reads.js";
import { SERVICE_ACCOUNT } from "../../api/matching.js";
import type {
  CreateHostAuthenticationTokenRequest,
  HostAuthenticationToken,
  UpdateHostAuthenticationTokenRequest,
} from "../../api/resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "../../api/resources/scm-integrations.wire.js";
import { deleteUnlessGone } from "../../sync/delete-unless-gone.js";
import { OutcomeUnknownError } from "../../sync/outcome.js";
import { type FieldChange, fieldChange } from "../../sync/plan-base.js";
import type { ResourceKind } from "../../sync/resource.js";
import { sortedById } from "../../sync/sorted-by-id.js";
import { pruneOrList, type UnmanagedObject } from "../../sync/unmanaged.js";
import { secretFor } from "../scm-integrations/sync.js";
import {
  type DesiredHostAuthenticationToken,
  hostAuthenticationTokenFormat,
  hostTokenKey,
  isServiceAccountTokenWithId,
  liveTokenKey,
} from "./file-format.js";
import type { HostAuthenticationTokenOperation } from "./operation.js";

const PAT = "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT";

function sameScopes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = [...new Set(a ?? [])].sort();
  const right = [...new Set(b ?? [])].sort();
  return left.length === right.length && left.every((scope, index) => scope === right[index]);
}

/** The live integration a token entry names by scmId (same host). */
function integrationFor(
  item: DesiredHostAuthenticationToken,
  integrations: readonly ScmIntegration[],
): ScmIntegration | undefined {
  if (!item.integration) return undefined;
  return integrations.find(
    (integration) =>
      integration.scmId === item.integration &&
      (integration.host ?? "").toLowerCase() === item.host.toLowerCase(),
  );
}

function diffHostTokens(
  runnerId: string,
  desired: readonly DesiredHostAuthenticationToken[],
  current: readonly HostAuthenticationToken[],
  options: {
    prune: boolean;
    rotateSecrets: boolean;
    integrations: readonly ScmIntegration[];
    unmanaged?: UnmanagedObject[] | undefined;
  },
): HostAuthenticationTokenOperation[] {
  const serviceTokens = current.filter(isServiceAccountTokenWithId);
  const byKey = new Map<string, HostAuthenticationToken>();
  for (const token of serviceTokens)
    if (!byKey.has(liveTokenKey(token))) byKey.set(liveTokenKey(token), token);
  const matched = new Set<string>();
  const operations: HostAuthenticationTokenOperation[] = [];

  for (const item of desired) {
    const key = hostTokenKey(item);
    const integrationId = integrationFor(item, options.integrations)?.id;
    const base = {
      kind: "hostAuthenticationToken" as const,
      runnerId,
      key,
      path: item.path,
      line: item.line,
      desired: {
        host: item.host,
        serviceAccount: item.serviceAccount,
        tokenEnv: item.tokenEnv,
        ...(item.refreshTokenEnv === undefined ? {} : { refreshTokenEnv: item.refreshTokenEnv }),
        ...(item.expiresAt === undefined ? {} : { expiresAt: item.expiresAt }),
        ...(item.scopes === undefined ? {} : { scopes: item.scopes }),
        ...(integrationId === undefined ? {} : { integrationId }),
        ...(item.integration && !integrationId ? { integration: item.integration } : {}),
      },
    };
    const existing = byKey.get(key);
    if (!existing) {
      const changes: FieldChange[] = [{ field: "token", to: "(secret set)" }];
      if (item.refreshTokenEnv) changes.push({ field: "refreshToken", to: "(secret set)" });
      if (item.expiresAt) changes.push({ field: "expiresAt", to: item.expiresAt });
      if (item.scopes) changes.push({ field: "scopes", to: item.scopes.join(" ") });
      if (item.integration) changes.push({ field: "integration", to: item.integration });
      operations.push({ ...base, action: "create", changes, sendToken: true });
      continue;
    }
    matched.add(existing.id);
    const changes: FieldChange[] = [];
    const updateFields: NonNullable<HostAuthenticationTokenOperation["updateFields"]> = [];
    const notes: string[] = [];
    let sendToken = false;
    if (item.expiresAt !== undefined && item.expiresAt !== (existing.expiresAt ?? "")) {
      changes.push(fieldChange("expiresAt", existing.expiresAt || undefined, item.expiresAt));
      changes.push({ field: "token", to: "(secret sent with the new expiry)" });
      updateFields.push("expiresAt");
      sendToken = true;
    } else if (options.rotateSecrets) {
      changes.push({ field: "token", to: "(secret rotated)" });
      sendToken = true;
    }
    if (item.scopes !== undefined && !sameScopes(item.scopes, existing.scopes)) {
      changes.push(fieldChange("scopes", (existing.scopes ?? []).join(" "), item.scopes.join(" ")));
      updateFields.push("scopes");
    }
    if (integrationId && existing.integrationId && existing.integrationId !== integrationId) {
      notes.push(
        `the token is linked to integration ${existing.integrationId}, not ${integrationId}; the API cannot relink a token: delete it in Gitpod and apply again`,
      );
    }
    const changed = changes.length > 0;
    operations.push({
      ...base,
      action: changed ? "update" : "no-op",
      currentId: existing.id,
      changes,
      sendToken,
      ...(changed ? { updateFields } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
  }

  // Only runners that declare tokens have their service accounts' tokens pruned: a file that never
  // mentions tokens does not delete the automations' credentials.
  if (desired.length > 0) {
    for (const token of serviceTokens) {
      if (matched.has(token.id)) continue;
      pruneOrList(options, operations, () => ({
        kind: "hostAuthenticationToken" as const,
        runnerId,
        key: liveTokenKey(token),
        action: "delete",
        currentId: token.id,
        changes: [{ field: "token", from: `service account ${token.subject?.id}`, to: "(deleted)" }],
        destructive: {
          reason: "deletes a service account's host token",
          deletes: `whatever runs as service account ${token.subject?.id} can no longer reach ${token.host}`,
        },
      }));
    }
  }
  return operations;
}

interface HostTokenApplyContext {
  client: GitpodClient;
  secrets: ReadonlyMap<string, string>;
}

function createRequest(
  operation: HostAuthenticationTokenOperation,
  secrets: ReadonlyMap<string, string>,
  integrationId: string | undefined,
): CreateHostAuthenticationTokenRequest {
  const desired = operation.desired;
  if (!desired) throw new Error(`internal: create without a desired state for ${operation.key}`);
  return {
    runnerId: operation.runnerId,
    host: desired.host,
    subject: { id: desired.serviceAccount, principal: SERVICE_ACCOUNT },
    source: PAT,
    token: secretFor(desired.tokenEnv, secrets),
    ...(desired.refreshTokenEnv ? { refreshToken: secretFor(desired.refreshTokenEnv, secrets) } : {}),
    ...(desired.expiresAt ? { expiresAt: desired.expiresAt } : {}),
    ...(desired.scopes ? { scopes: desired.scopes } : {}),
    ...(integrationId ? { integrationId } : {}),
  };
}

/** The update an operation sends; the token comes from `secrets` by variable name. */
function hostTokenUpdateRequest(
  operation: HostAuthenticationTokenOperation,
  secrets: ReadonlyMap<string, string>,
): UpdateHostAuthenticationTokenRequest {
  const desired = operation.desired;
  if (!desired || !operation.currentId) throw new Error(`internal: incomplete update for ${operation.key}`);
  const request: UpdateHostAuthenticationTokenRequest = { id: operation.currentId };
  const fields = new Set(operation.updateFields ?? []);
  if (fields.has("expiresAt") && desired.expiresAt) request.expiresAt = desired.expiresAt;
  if (fields.has("scopes")) request.scopes = desired.scopes ?? [];
  if (operation.sendToken) {
    request.token = secretFor(desired.tokenEnv, secrets);
    if (desired.refreshTokenEnv) request.refreshToken = secretFor(desired.refreshTokenEnv, secrets);
  }
  return request;
}

/** The integration named by scmId, when the plan could not know its id (created by the same apply). */
async function resolveIntegration(
  client: GitpodClient,
  operation: HostAuthenticationTokenOperation,
): Promise<string | undefined> {
  const desired = operation.desired;
  if (!desired?.integration || desired.integrationId) return desired?.integrationId;
  const integrations = await integrationsOfRunner(client, operation.runnerId);
  const found = integrations.find(
    (integration) =>
      integration.scmId === desired.integration &&
      (integration.host ?? "").toLowerCase() === desired.host.toLowerCase(),
  );
  if (!found) {
    throw new Error(
      `host token ${operation.key}: SCM integration ${desired.integration} for ${desired.host} does not exist on the runner; nothing was sent`,
    );
  }
  return found.id;
}

async function applyHostTokenOperation(
  context: HostTokenApplyContext,
  operation: HostAuthenticationTokenOperation,
): Promise<void> {
  const { client, secrets } = context;
  switch (operation.action) {
    case "create": {
      const request = createRequest(operation, secrets, await resolveIntegration(client, operation));
      try {
        await client.hostAuthenticationTokens.create(request);
      } catch (error) {
        // Unknown outcome or "already exists" (an earlier attempt landed): re-read before anything else.
        if (!(error instanceof GitpodApiError && (error.outcomeUnknown || error.code === "already_exists"))) {
          throw error;
        }
        const live = (await hostTokensOfRunner(client, operation.runnerId)).find(
          (token) => isServiceAccountTokenWithId(token) && liveTokenKey(token) === operation.key,
        );
        if (live) {
          // It exists; make sure it holds this token (the landed attempt may have been another run's).
          await client.hostAuthenticationTokens.update({
            id: live.id,
            token: request.token ?? "",
            ...(request.refreshToken ? { refreshToken: request.refreshToken } : {}),
            ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
            ...(request.scopes ? { scopes: request.scopes } : {}),
          });
          return;
        }
        throw new OutcomeUnknownError(
          `${error.rpc} got no usable answer (${error.code}${error.status ? `, HTTP ${error.status}` : ""}) and a re-read does not show host token ${operation.key} yet; it may or may not exist: run plan again before applying`,
        );
      }
      return;
    }
    case "update":
      await client.hostAuthenticationTokens.update(hostTokenUpdateRequest(operation, secrets));
      return;
    case "delete":
      if (!operation.currentId) throw new Error(`internal: delete without an id for ${operation.key}`);
      await deleteUnlessGone(
        (request) => client.hostAuthenticationTokens.delete(request),
        operation.currentId,
      );
      return;
    default:
      return;
  }
}

export const hostAuthenticationTokenKind: ResourceKind<
  HostAuthenticationTokenOperation,
  DesiredHostAuthenticationToken,
  "hostAuthenticationTokens",
  {
    /**
     * Read only for runners whose file entry declares service-account tokens (absent elsewhere, so
     * the fingerprint of other runners does not change).
     */
    hostAuthenticationTokens?: HostAuthenticationToken[];
  },
  object,
  // A token may link to one of the runner's SCM integrations.
  { scmIntegrations: ScmIntegration[] }
> = {
  kind: "hostAuthenticationToken",
  label: "service-account host token",
  itemLabel: (key) => `host token ${key}`,
  file: hostAuthenticationTokenFormat,
  emptyState: () => ({}),
  // The API cannot validate a token: there is no server round to skip or keep.
  needsServerValidationAfterSchemaCheck: true,
  // The API cannot validate a token: only apply sends it.
  validationSendsSecrets: false,
  // Absent (not empty) on runners where the kind was not read, so their fingerprint stays as it was.
  fingerprint: (state) =>
    state?.hostAuthenticationTokens
      ? { hostAuthenticationTokens: sortedById(state.hostAuthenticationTokens) }
      : {},
  // Users' tokens are not the file's business: read only where the file declares service-account tokens.
  readOnlyWhereDeclared: true,
  // After SCM integrations: a token may link to an integration that this same apply creates.
  applyPhase: 1,
  desired: (runner) => runner.hostAuthenticationTokens,
  async read(client, runnerIds, states) {
    for (const runnerId of runnerIds) {
      const state = states.get(runnerId);
      if (state) state.hostAuthenticationTokens = [];
    }
    const tokens = await readEachRunner(runnerIds, (runnerId) => hostTokensOfRunner(client, runnerId));
    for (const token of tokens) states.get(token.runnerId ?? "")?.hostAuthenticationTokens?.push(token);
  },
  // Pruned, or unmanaged without prune: service accounts' tokens not in the file, where the file
  // declares tokens (users' own tokens are never drift).
  diff: (runner, state, context) =>
    diffHostTokens(context.runnerId, runner.hostAuthenticationTokens, state?.hostAuthenticationTokens ?? [], {
      prune: context.options.prune,
      unmanaged: context.unmanaged,
      rotateSecrets: context.options.rotateSecrets,
      integrations: state?.scmIntegrations ?? [],
    }),
  // The API has no way to test a host token before storing it.
  validationRequest: () => undefined,
  validationErrors: () => undefined,
  secretVariables: (operation) =>
    operation.sendToken && operation.desired
      ? [
          operation.desired.tokenEnv,
          ...(operation.desired.refreshTokenEnv ? [operation.desired.refreshTokenEnv] : []),
        ]
      : [],
  applier: (context) => ({
    apply: (operation) =>
      applyHostTokenOperation({ client: context.client, secrets: context.secrets }, operation),
  }),
};
