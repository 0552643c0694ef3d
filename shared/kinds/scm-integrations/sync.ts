/**
 * SCM integrations: diff and apply. (scmId, host) is the key within a runner. The OAuth secret
 * cannot be read back, so it is sent on create, when the client id changes, or on rotation; an
 * unchanged secret is not a diff. Removing OAuth, turning PATs off and deleting an integration
 * delete users' host authentication tokens: those operations are flagged destructive.
 */
import type { GitpodClient } from "../../api/client.js";
import { GitpodApiError } from "../../api/errors.js";
import {
  everyIntegration,
  hostTokensOfRunner,
  integrationsOfRunner,
  readEachRunner,
} from "../../api/live-reads.js";
import { sameHost } from "../../api/matching.js";
import type { HostAuthenticationToken } from "../../api/resources/host-authentication-tokens.wire.js";
import type {
  ScmIntegration,
  UpdateScmIntegrationRequest,
} from "../../api/resources/scm-integrations.wire.js";
import { withLineOf } from "../../config/positions.js";
import { deleteUnlessGone } from "../../sync/delete-unless-gone.js";
import { OutcomeUnknownError } from "../../sync/outcome.js";
import { type FieldChange, fieldChange } from "../../sync/plan-base.js";
import type { FieldError, ResourceKind } from "../../sync/resource.js";
import { sortedById } from "../../sync/sorted-by-id.js";
import { pruneOrList, type UnmanagedObject } from "../../sync/unmanaged.js";
import {
  type DesiredOAuth,
  type DesiredScmIntegration,
  scmIntegrationFormat,
  scmKey,
} from "./file-format.js";
import type { ScmIntegrationOperation } from "./operation.js";

/** The spec lets the API leave an integration's id out; without it nothing can be changed. */
const MISSING_ID = (key: string, what: string) =>
  `SCM integration ${key} cannot be ${what}: the API listed it without its id (the spec makes it optional); nothing was sent`;

const OAUTH = "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH";
const PAT = "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT";

function tokensFor(tokens: HostAuthenticationToken[] | undefined, host: string, source?: string): number {
  return (tokens ?? []).filter((token) => sameHost(token.host, host) && (!source || token.source === source))
    .length;
}

const DELETED = { one: "is deleted with it", many: "are deleted with it" };
const STOP_WORKING = { one: "stops working", many: "stop working" };

/** "3 users' PAT tokens", "1 user's OAuth token": each user holds one token per host and source. */
function usersTokens(count: number, kind: string): string {
  return count === 1 ? `1 user's ${kind}token` : `${count} users' ${kind}tokens`;
}

/**
 * The second half of a destructive note, so that the note reads as one sentence:
 * "turns PAT support off; 3 users' PAT tokens for gitlab.com are deleted with it and those users
 * must sign in again".
 */
function consequence(parts: string[], host: string, verb: { one: string; many: string }): string {
  const counted = parts.filter((part) => !part.startsWith("0 "));
  if (counted.length === 0)
    return `no user has such a token for ${host} on this runner, so nobody has to sign in again`;
  const one = counted.length === 1 && counted[0]?.startsWith("1 ");
  return `${counted.join(" and ")} for ${host} ${one ? verb.one : verb.many} and ${one ? "that user" : "those users"} must sign in again`;
}

/** The plan's copy of the desired OAuth client, without an issuer URL the file does not set. */
function desiredOAuth(
  oauth: DesiredOAuth,
): NonNullable<NonNullable<ScmIntegrationOperation["desired"]>["oauth"]> {
  const { clientId, clientSecretEnv, issuerUrl } = oauth;
  return { clientId, clientSecretEnv, ...(issuerUrl === undefined ? {} : { issuerUrl }) };
}

function diffScmIntegrations(
  runnerId: string,
  desired: DesiredScmIntegration[],
  current: ScmIntegration[],
  options: {
    prune: boolean;
    rotateSecrets: boolean;
    tokens?: HostAuthenticationToken[];
    unmanaged?: UnmanagedObject[] | undefined;
  },
): ScmIntegrationOperation[] {
  const byKey = new Map(current.map((integration) => [scmKey(integration), integration]));
  const matched = new Set<string>();
  const operations: ScmIntegrationOperation[] = [];

  for (const item of desired) {
    const key = scmKey(item);
    const target = {
      scmId: item.scmId,
      host: item.host,
      pat: item.pat,
      ...(item.virtualDirectory === undefined ? {} : { virtualDirectory: item.virtualDirectory }),
      ...(item.oauth === undefined ? {} : { oauth: desiredOAuth(item.oauth) }),
    };
    const base = {
      kind: "scmIntegration" as const,
      runnerId,
      key,
      path: item.path,
      desired: target,
    };
    const existing = byKey.get(key);
    if (!existing) {
      const changes: FieldChange[] = [{ field: "pat", to: String(item.pat) }];
      if (item.virtualDirectory) changes.push({ field: "virtualDirectory", to: item.virtualDirectory });
      if (item.oauth) {
        changes.push({ field: "oauth.clientId", to: item.oauth.clientId });
        changes.push({ field: "oauth.clientSecret", to: "(secret set)" });
        if (item.oauth.issuerUrl) changes.push({ field: "oauth.issuerUrl", to: item.oauth.issuerUrl });
      }
      operations.push(
        withLineOf({ ...base, action: "create", changes, sendSecret: Boolean(item.oauth) }, item),
      );
      continue;
    }
    matched.add(existing.id);
    const changes: FieldChange[] = [];
    const updateFields: NonNullable<ScmIntegrationOperation["updateFields"]> = [];
    const destructive: string[] = [];
    const deletes: string[] = [];
    let sendSecret = false;
    let clearOAuth = false;

    if ((existing.pat ?? false) !== item.pat) {
      changes.push(fieldChange("pat", String(existing.pat ?? false), String(item.pat)));
      updateFields.push("pat");
      if (!item.pat) {
        destructive.push("turns PAT support off");
        deletes.push(usersTokens(tokensFor(options.tokens, item.host, PAT), "PAT "));
      }
    }
    if ((existing.virtualDirectory ?? "") !== (item.virtualDirectory ?? "")) {
      changes.push(fieldChange("virtualDirectory", existing.virtualDirectory, item.virtualDirectory));
      updateFields.push("virtualDirectory");
    }
    const currentClientId = existing.oauth?.clientId ?? "";
    if (!item.oauth && currentClientId) {
      changes.push({ field: "oauth", from: `client ${currentClientId}`, to: "(removed)" });
      clearOAuth = true;
      destructive.push("removes OAuth");
      deletes.push(usersTokens(tokensFor(options.tokens, item.host, OAUTH), "OAuth "));
    } else if (item.oauth) {
      if (currentClientId !== item.oauth.clientId) {
        changes.push(fieldChange("oauth.clientId", currentClientId || undefined, item.oauth.clientId));
        changes.push({ field: "oauth.clientSecret", to: "(secret set)" });
        sendSecret = true;
      } else if (options.rotateSecrets) {
        changes.push({ field: "oauth.clientSecret", to: "(secret rotated)" });
        sendSecret = true;
      }
      if ((existing.oauth?.issuerUrl ?? "") !== (item.oauth.issuerUrl ?? "")) {
        changes.push(fieldChange("oauth.issuerUrl", existing.oauth?.issuerUrl, item.oauth.issuerUrl));
        updateFields.push("issuerUrl");
      }
      if (sendSecret) updateFields.push("oauth");
    }
    const changed = changes.length > 0;
    operations.push(
      withLineOf(
        {
          ...base,
          action: changed ? "update" : "no-op",
          currentId: existing.id,
          changes,
          sendSecret,
          clearOAuth,
          ...(changed ? { updateFields } : {}),
          ...(destructive.length > 0
            ? {
                destructive: {
                  reason: destructive.join(" and "),
                  deletes: consequence(deletes, item.host, DELETED),
                },
              }
            : {}),
        },
        item,
      ),
    );
  }

  for (const integration of current) {
    if (matched.has(integration.id)) continue;
    const host = integration.host ?? "";
    pruneOrList(options, operations, () => ({
      kind: "scmIntegration" as const,
      runnerId,
      key: scmKey(integration),
      action: "delete",
      currentId: integration.id,
      changes: [{ field: "integration", from: `${integration.scmId} ${host}`, to: "(deleted)" }],
      destructive: {
        reason: "deletes the integration",
        deletes: consequence([usersTokens(tokensFor(options.tokens, host), "")], host, STOP_WORKING),
      },
    }));
  }
  noteDuplicates(operations, current, options.prune);
  return operations;
}

/**
 * That (runnerId, host) is unique is an assumption: if the API holds two integrations for one key,
 * the plan changes one of them and says what happens to the others.
 */
function noteDuplicates(
  operations: ScmIntegrationOperation[],
  current: ScmIntegration[],
  prune: boolean,
): void {
  const counts = new Map<string, number>();
  for (const integration of current)
    counts.set(scmKey(integration), (counts.get(scmKey(integration)) ?? 0) + 1);
  for (const operation of operations) {
    const count = counts.get(operation.key) ?? 0;
    if (count < 2 || operation.action === "delete") continue;
    operation.notes = [
      ...(operation.notes ?? []),
      `the API holds ${count} SCM integrations for ${operation.key} on this runner (it accepted a duplicate); this plan keeps ${operation.currentId ?? "one"} and ${prune ? "deletes" : "leaves alone"} the other${count > 2 ? "s" : ""}`,
    ];
  }
}

/** The update request an operation sends; the secret comes from `secrets` by variable name. */
function updateRequest(
  operation: ScmIntegrationOperation,
  secrets: ReadonlyMap<string, string>,
): UpdateScmIntegrationRequest {
  const desired = operation.desired;
  if (operation.currentId === "") throw new Error(MISSING_ID(operation.key, "updated"));
  if (!desired || !operation.currentId) throw new Error(`internal: incomplete update for ${operation.key}`);
  const request: UpdateScmIntegrationRequest = { id: operation.currentId };
  const fields = new Set(operation.updateFields ?? []);
  if (fields.has("pat")) request.pat = desired.pat;
  if (fields.has("virtualDirectory")) request.virtualDirectory = desired.virtualDirectory ?? "";
  if (fields.has("issuerUrl")) request.issuerUrl = desired.oauth?.issuerUrl ?? "";
  if (operation.clearOAuth) request.oauthClientId = "";
  if (operation.sendSecret && desired.oauth) {
    request.oauthClientId = desired.oauth.clientId;
    request.oauthPlaintextClientSecret = secretFor(desired.oauth.clientSecretEnv, secrets);
  }
  return request;
}

export function secretFor(name: string, secrets: ReadonlyMap<string, string>): string {
  const value = secrets.get(name);
  if (value === undefined) throw new Error(`environment variable ${name} is not set`);
  return value;
}

interface ScmWriter {
  client: GitpodClient;
  secrets: ReadonlyMap<string, string>;
  relist: (runnerId: string) => Promise<ScmIntegration[]>;
}

async function applyScmIntegrationOperation(
  context: ScmWriter,
  operation: ScmIntegrationOperation,
): Promise<void> {
  const { client, secrets } = context;
  switch (operation.action) {
    case "create": {
      const desired = operation.desired;
      if (!desired) throw new Error(`internal: create without a desired state for ${operation.key}`);
      const request = {
        runnerId: operation.runnerId,
        scmId: desired.scmId,
        host: desired.host,
        pat: desired.pat,
        virtualDirectory: desired.virtualDirectory,
        issuerUrl: desired.oauth?.issuerUrl,
        oauthClientId: desired.oauth?.clientId,
        oauthPlaintextClientSecret: desired.oauth
          ? secretFor(desired.oauth.clientSecretEnv, secrets)
          : undefined,
      };
      try {
        await client.scmIntegrations.create(request);
      } catch (error) {
        // Unknown outcome (timeout, reset) or "already exists" (an earlier attempt landed): re-read.
        if (!(error instanceof GitpodApiError && (error.outcomeUnknown || error.code === "already_exists"))) {
          throw error;
        }
        const exists = (await context.relist(operation.runnerId)).some((i) => scmKey(i) === operation.key);
        if (exists || error.code === "already_exists") return;
        // Not listed (yet): a list may lag behind a create, and that (runnerId, host) is unique is
        // only an assumption, so creating again could make a second copy. Say so instead.
        throw new OutcomeUnknownError(
          `${error.rpc} got no usable answer (${error.code}${error.status ? `, HTTP ${error.status}` : ""}) and a re-read does not show ${operation.key} yet; it may or may not exist: run plan again before applying`,
        );
      }
      return;
    }
    case "update":
      await client.scmIntegrations.update(updateRequest(operation, secrets));
      return;
    case "delete":
      if (operation.currentId === "") throw new Error(MISSING_ID(operation.key, "deleted"));
      if (!operation.currentId) throw new Error(`internal: delete without an id for ${operation.key}`);
      await deleteUnlessGone((request) => client.scmIntegrations.delete(request), operation.currentId);
      return;
    default:
      return;
  }
}

/** An index per listed array, built once: a search per operation would make validation quadratic. */
const indexes = new WeakMap<ScmIntegration[], Map<string, ScmIntegration>>();
function byId(integrations: ScmIntegration[]): Map<string, ScmIntegration> {
  let index = indexes.get(integrations);
  if (!index) {
    index = new Map(integrations.map((integration) => [integration.id, integration]));
    indexes.set(integrations, index);
  }
  return index;
}

/** The listed integration an operation changes; by host when the API left its id out (""). */
function storedIntegration(
  operation: ScmIntegrationOperation,
  state: { scmIntegrations: ScmIntegration[] } | undefined,
): ScmIntegration | undefined {
  if (operation.currentId === undefined) return undefined;
  const integrations = state?.scmIntegrations ?? [];
  if (operation.currentId !== "") return byId(integrations).get(operation.currentId);
  return integrations.find((i) => i.id === "" && sameHost(i.host, operation.desired?.host));
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

export const scmIntegrationKind: ResourceKind<
  ScmIntegrationOperation,
  DesiredScmIntegration,
  "scmIntegrations",
  {
    scmIntegrations: ScmIntegration[];
    /** Every host token of the runner, read only where a plan would delete some (to say how many). */
    hostTokensToCount?: HostAuthenticationToken[];
  }
> = {
  kind: "scmIntegration",
  label: "SCM integration",
  itemLabel: (key) => `SCM integration ${key}`,
  file: scmIntegrationFormat,
  emptyState: () => ({ scmIntegrations: [] }),
  desired: (runner) => runner.scmIntegrations,
  // The live schema knows only the scmId: hosts and OAuth clients are the server's to check.
  needsServerValidationAfterSchemaCheck: true,
  // A new or rotated OAuth client secret is checked by the server before it is applied.
  validationSendsSecrets: true,
  fingerprint: (state) => ({ scmIntegrations: sortedById(state?.scmIntegrations ?? []) }),
  async readEveryRunner(client, stateOf) {
    const integrations = await everyIntegration(client);
    for (const integration of integrations)
      stateOf(integration.runnerId ?? "").scmIntegrations.push(integration);
  },
  async read(client, runnerIds, states) {
    // One walk per runner: the client fills in a runner id the API left out from the one-runner filter.
    const integrations = await readEachRunner(runnerIds, (runnerId) =>
      integrationsOfRunner(client, runnerId),
    );
    for (const integration of integrations)
      states.get(integration.runnerId)?.scmIntegrations.push(integration);
  },
  async readForDestructive(client, runnerIds, states) {
    // Say how many users' tokens a destructive operation would delete: read them only when needed.
    await Promise.all(
      runnerIds.map(async (runnerId) => {
        const tokens = await hostTokensOfRunner(client, runnerId);
        const state = states.get(runnerId);
        if (state) state.hostTokensToCount = tokens;
      }),
    );
  },
  // Pruned, or unmanaged without prune: integrations not in the file.
  diff: (runner, state, context) =>
    diffScmIntegrations(context.runnerId, runner.scmIntegrations, state?.scmIntegrations ?? [], {
      prune: context.options.prune,
      unmanaged: context.unmanaged,
      rotateSecrets: context.options.rotateSecrets,
      ...(state?.hostTokensToCount ? { tokens: state.hostTokensToCount } : {}),
    }),
  validationRequest(operation, context) {
    if (operation.action !== "create" && operation.action !== "update") return undefined;
    const desired = operation.desired;
    if (!desired) return undefined;
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
          ? { oauthPlaintextClientSecret: secretFor(oauth.clientSecretEnv, context.secrets) }
          : oauth
            ? {
                oauthEncryptedClientSecret: storedIntegration(operation, context.state)?.oauth
                  ?.encryptedClientSecret,
              }
            : {}),
      },
    };
  },
  validationErrors(result) {
    const scmResult = result.scmIntegration;
    if (!scmResult || scmResult.valid === true) return undefined;
    const errors: FieldError[] = [];
    for (const resultField of SCM_RESULT_FIELDS) {
      const message = scmResult[resultField];
      if (message) errors.push({ field: scmErrorField(resultField, message), message });
    }
    return errors;
  },
  secretVariables: (operation) =>
    operation.sendSecret && operation.desired?.oauth ? [operation.desired.oauth.clientSecretEnv] : [],
  applier(context) {
    const writer: ScmWriter = {
      client: context.client,
      secrets: context.secrets,
      relist: (runnerId) => integrationsOfRunner(context.client, runnerId),
    };
    return { apply: (operation) => applyScmIntegrationOperation(writer, operation) };
  },
};
