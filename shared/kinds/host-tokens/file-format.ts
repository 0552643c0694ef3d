/**
 * `hostAuthenticationTokens:` in the file: service accounts' tokens at SCM hosts, keyed by (host,
 * serviceAccount) within a runner. The token and refresh token are `${ENV_VAR}` references only;
 * `expiresAt` is an RFC 3339 time with a zone; `integration` names one of the runner's SCM
 * integrations in the file by scmId. Users' tokens belong to users: the file cannot express them,
 * and export never writes them.
 */
import { z } from "zod";
import { isServiceAccountToken } from "../../api/matching.js";
import type { HostAuthenticationToken } from "../../api/resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "../../api/resources/scm-integrations.wire.js";
import {
  type FileFormat,
  type JsonSchema,
  type LoadContext,
  listSchema,
  locatedItem,
} from "../../config/file-format.js";
import { MAX_OTHER_LENGTH } from "../../config/limits.js";
import type { PathPart } from "../../config/locate.js";
import {
  referenceTo,
  secretReference,
  secretReferenceEntry,
  secretReferenceSchema,
  variablePart,
} from "../../config/secret-reference.js";
import type { FieldLines } from "../../config/types.js";
import { oneLine } from "../../text/untrusted.js";
import { scmIntegrationFormat } from "../scm-integrations/file-format.js";

const HostAuthenticationTokenEntry = z.strictObject({
  host: z.string().min(1, "host must not be empty"),
  serviceAccount: z.uuid({ error: "serviceAccount must be a service account id (a UUID)" }),
  token: secretReferenceEntry("token"),
  refreshToken: z.string().optional(),
  expiresAt: z.string({ error: "expiresAt must be an RFC 3339 time in quotes" }).optional(),
  scopes: z.array(z.string().min(1, "a scope must not be empty")).max(100, "at most 100 scopes").optional(),
  integration: z.string().min(1, "integration must not be empty").optional(),
});
type Entry = z.infer<typeof HostAuthenticationTokenEntry>;

/** A service account's host token. Keyed by (host, serviceAccount) within its runner. */
export interface DesiredHostAuthenticationToken {
  host: string;
  /** The service account's id (the token's subject, PRINCIPAL_SERVICE_ACCOUNT). */
  serviceAccount: string;
  /** The environment variable that holds the token: the file never holds the value. */
  tokenEnv: string;
  refreshTokenEnv: string | undefined;
  /** RFC 3339 in UTC, as the API prints it. */
  expiresAt: string | undefined;
  scopes: string[] | undefined;
  /** The scmId of the runner's SCM integration the token belongs to. */
  integration: string | undefined;
  path: string;
  line: number;
  lines: FieldLines;
  columns: FieldLines;
}

export function hostTokenKey(item: { host: string; serviceAccount: string }): string {
  return `${item.host.toLowerCase()}/${item.serviceAccount.toLowerCase()}`;
}

/** The kind's live objects: service accounts' tokens whose subject names the account (the key needs it). */
export function isServiceAccountTokenWithId(token: HostAuthenticationToken): boolean {
  return isServiceAccountToken(token) && Boolean(token.subject?.id);
}

export function liveTokenKey(token: HostAuthenticationToken): string {
  return hostTokenKey({ host: token.host ?? "", serviceAccount: token.subject?.id ?? "" });
}

const FIELDS = ["host", "serviceAccount", "token", "refreshToken", "expiresAt", "scopes", "integration"];

/** RFC 3339 with a time zone (Z or ±hh:mm), as the API's Timestamp requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** UTC with whole seconds when there is no fraction, as the API prints timestamps. */
function normaliseTimestamp(text: string): string | undefined {
  if (!RFC3339.test(text)) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

function loadEntry(
  entry: Entry,
  path: readonly PathPart[],
  context: LoadContext,
): DesiredHostAuthenticationToken | undefined {
  const { issue } = context;
  const tokenEnv = secretReference(
    entry.token,
    [...path, "token"],
    { name: "token", holds: "token" },
    context,
  );
  const refreshTokenEnv =
    entry.refreshToken === undefined
      ? undefined
      : secretReference(
          entry.refreshToken,
          [...path, "refreshToken"],
          { name: "refreshToken", holds: "token" },
          context,
        );

  let expiresAt: string | undefined;
  if (entry.expiresAt !== undefined) {
    expiresAt = normaliseTimestamp(entry.expiresAt.trim());
    if (!expiresAt) {
      issue(
        [...path, "expiresAt"],
        `expiresAt must be an RFC 3339 time with a time zone, e.g. 2027-01-31T00:00:00Z, got "${entry.expiresAt}"`,
      );
    }
  }

  if (entry.scopes) {
    const duplicate = entry.scopes.find((scope, at) => entry.scopes?.indexOf(scope) !== at);
    if (duplicate !== undefined) issue([...path, "scopes"], `scope "${duplicate}" is listed twice`);
  }

  if (entry.integration !== undefined) {
    const named = context.loaded(scmIntegrationFormat).filter((scm) => scm.scmId === entry.integration);
    if (named.length === 0) {
      issue(
        [...path, "integration"],
        `integration "${entry.integration}" is not an scmId of this runner's scmIntegrations in the file`,
      );
    } else if (!named.some((scm) => scm.host.toLowerCase() === entry.host.toLowerCase())) {
      issue(
        [...path, "integration"],
        `integration "${entry.integration}" is for host ${named.map((scm) => scm.host).join(", ")}, not ${entry.host}`,
      );
    }
  }

  if (tokenEnv === undefined) return undefined;
  const item = {
    host: entry.host,
    serviceAccount: entry.serviceAccount.toLowerCase(),
    tokenEnv,
    refreshTokenEnv,
    expiresAt,
    scopes: entry.scopes ? [...entry.scopes] : undefined,
    integration: entry.integration,
  };
  return locatedItem<DesiredHostAuthenticationToken>(item, path, context, FIELDS);
}

const ENTRY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["host", "serviceAccount", "token"],
  properties: {
    host: {
      type: "string",
      minLength: 1,
      maxLength: MAX_OTHER_LENGTH,
      description: "Host name, e.g. github.com.",
    },
    serviceAccount: {
      type: "string",
      pattern: z.regexes.uuid().source,
      description: "The service account's id (a UUID): the token's subject.",
    },
    token: secretReferenceSchema(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
      "A ${ENV_VAR} reference; never the token itself. Sent on create, rotation or a new expiresAt.",
    ),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
    refreshToken: secretReferenceSchema("Optional ${ENV_VAR} reference."),
    expiresAt: {
      type: "string",
      format: "date-time",
      description: "When the token expires (RFC 3339 with a time zone).",
    },
    scopes: {
      type: "array",
      maxItems: 100,
      uniqueItems: true,
      items: { type: "string", minLength: 1, maxLength: MAX_OTHER_LENGTH },
    },
    integration: {
      type: "string",
      minLength: 1,
      maxLength: MAX_OTHER_LENGTH,
      description: "The scmId of this runner's SCM integration (in the file) the token belongs to.",
    },
  },
};

/**
 * The variable an exported token is referenced by (docs/cli.md): `HOST_TOKEN_<HOST>_<first 8
 * characters of the service account id>`; when the same service account has a token for the same
 * host on more than one exported runner, `_<first 8 characters of the runner id>` is appended.
 */
function tokenVariable(
  host: string,
  serviceAccount: string,
  runnerId: string,
  onSeveralRunners: boolean,
): string {
  const base = `HOST_TOKEN_${variablePart(host) || "HOST"}_${variablePart(serviceAccount.slice(0, 8)) || "SA"}`;
  return onSeveralRunners ? `${base}_${variablePart(runnerId.slice(0, 8))}` : base;
}

/** On how many exported runners each (host, service account) has a token (counted once per export). */
const keyCountsOf = new WeakMap<readonly unknown[], Map<string, number>>();
function runnersPerKey(runners: readonly { hostAuthenticationTokens?: HostAuthenticationToken[] }[]) {
  let counts = keyCountsOf.get(runners);
  if (!counts) {
    counts = new Map();
    for (const runner of runners) {
      const keys = (runner.hostAuthenticationTokens ?? [])
        .filter(isServiceAccountTokenWithId)
        .map(liveTokenKey);
      for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    keyCountsOf.set(runners, counts);
  }
  return counts;
}

export const hostAuthenticationTokenFormat: FileFormat<
  DesiredHostAuthenticationToken,
  "hostAuthenticationTokens",
  Entry,
  // The SCM integrations name the integration a token links to.
  { hostAuthenticationTokens?: HostAuthenticationToken[]; scmIntegrations: ScmIntegration[] }
> = {
  key: "hostAuthenticationTokens",
  entry: HostAuthenticationTokenEntry,
  counted: "service-account host token(s)",
  jsonSchema: listSchema(
    "hostAuthenticationToken",
    ENTRY_SCHEMA,
    "Service accounts' tokens at SCM hosts, matched by host and serviceAccount within the runner. Users' tokens are never managed here.",
  ),
  identity: {
    key: hostTokenKey,
    field: "serviceAccount",
    duplicate: (entry) =>
      `duplicate host token of service account ${entry.serviceAccount} for host ${entry.host} in this runner`,
  },
  loadEntry,
  exportedSecretsHeader: [
    "Host tokens cannot be read back from the API. Set these variables where apply runs: it sends",
    "a token only on create, with --rotate-secrets, or when expiresAt changes (and rotation).",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
    "A refresh token cannot be read back either: add refreshToken: ${VAR} by hand where a token has one.",
    "Users' tokens are theirs and are not written. Service accounts' tokens:",
  ],
  exportEntries(state, context) {
    const keyCounts = runnersPerKey(context.runners);
    const written = new Map<string, HostAuthenticationToken>();
    const entries: Array<Record<string, unknown>> = [];
    // Users' tokens are theirs: only service accounts' tokens are written.
    for (const token of (state.hostAuthenticationTokens ?? []).filter(isServiceAccountTokenWithId)) {
      const serviceAccount = token.subject?.id ?? "";
      const host = token.host ?? "";
      const what = `the host token of service account ${oneLine(serviceAccount)} for ${oneLine(host)} on runner ${state.runnerId} (${oneLine(token.id)})`;
      if (!z.uuid().safeParse(serviceAccount).success) {
        context.note(`${what} is left out: its service account id is not a UUID, which the file requires.`);
        continue;
      }
      const key = liveTokenKey(token);
      const first = written.get(key);
      if (first) {
        context.note(
          `${what} is left out: a file holds one token per service account and host in a runner, and ${first.id} is written; plan and apply leave it alone, except that --prune would delete it.`,
        );
        continue;
      }
      written.set(key, token);
      const variable = context.variable(
        tokenVariable(host, serviceAccount, state.runnerId, (keyCounts.get(key) ?? 0) > 1),
      );
      context.secret({
        variable,
        runnerId: state.runnerId,
        describes: `service account ${oneLine(serviceAccount)} at ${oneLine(host)} on runner ${state.runnerId}`,
      });
      const entry: Record<string, unknown> = { host, serviceAccount, token: referenceTo(variable) };
      if (token.expiresAt) {
        const expiresAt = normaliseTimestamp(token.expiresAt);
        entry.expiresAt = expiresAt ?? token.expiresAt;
        if (expiresAt !== token.expiresAt) {
          context.note(
            `${what} expires at ${oneLine(token.expiresAt)}, written as ${expiresAt ?? "is"}: plan will show expiresAt as a change (and send the token) until the two agree.`,
          );
        }
      }
      const scopes = [...new Set(token.scopes ?? [])];
      if (scopes.length > 0) entry.scopes = scopes;
      if (token.integrationId) {
        const integration = state.scmIntegrations.find((scm) => scm.id === token.integrationId);
        if (integration && (integration.host ?? "").toLowerCase() === host.toLowerCase()) {
          entry.integration = integration.scmId ?? "";
        } else {
          context.note(
            `${what} is linked to integration ${oneLine(token.integrationId)}, which is not an SCM integration of the runner for ${oneLine(host)}: the file says no integration, and plan and apply leave the link as it is.`,
          );
        }
      }
      entries.push(entry);
    }
    return entries;
  },
};
