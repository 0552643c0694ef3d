/**
 * The `hostAuthenticationTokens:` entries of one runner: service accounts' tokens at SCM hosts.
 * The token and refresh token are `${ENV_VAR}` references only; `expiresAt` is an RFC 3339 time
 * with a zone; `integration` names one of the runner's SCM integrations in the file by scmId.
 */
import type { z } from "zod";
import { envValue } from "./env.js";
import { formatPath, type PathPart } from "./locate.js";
import { type LazyPositions, lazyLines } from "./positions.js";
import { type HostAuthenticationTokenEntry, SECRET_REFERENCE } from "./structure.js";
import { type DesiredHostAuthenticationToken, type DesiredScmIntegration, hostTokenKey } from "./types.js";

type Entry = z.infer<typeof HostAuthenticationTokenEntry>;

const FIELDS = ["host", "serviceAccount", "token", "refreshToken", "expiresAt", "scopes", "integration"];

export interface HostTokenLoadContext {
  runnerPath: PathPart[];
  /** The runner's SCM integrations in the file, for `integration`. */
  integrations: readonly DesiredScmIntegration[];
  env: Readonly<Record<string, string | undefined>>;
  issue: (path: readonly PathPart[], message: string) => void;
  /** Lines are worked out only when asked for (see positions.ts). */
  positions: LazyPositions;
  /** Receives the values of the variables the entries name. */
  secrets: Map<string, string>;
}

/** RFC 3339 with a time zone (Z or ±hh:mm), as the API's Timestamp requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** UTC with whole seconds when there is no fraction, as the API prints timestamps. */
export function normaliseTimestamp(text: string): string | undefined {
  if (!RFC3339.test(text)) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

export function loadHostTokens(
  entries: readonly Entry[],
  context: HostTokenLoadContext,
): DesiredHostAuthenticationToken[] {
  const { runnerPath, issue } = context;
  const tokens: DesiredHostAuthenticationToken[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, t) => {
    const path: PathPart[] = [...runnerPath, "hostAuthenticationTokens", t];
    const key = hostTokenKey(entry);
    if (seen.has(key)) {
      issue(
        [...path, "serviceAccount"],
        `duplicate host token of service account ${entry.serviceAccount} for host ${entry.host} in this runner`,
      );
    }
    seen.add(key);
    const tokenEnv = secretReference(entry.token, [...path, "token"], "token", context);
    const refreshTokenEnv =
      entry.refreshToken === undefined
        ? undefined
        : secretReference(entry.refreshToken, [...path, "refreshToken"], "refreshToken", context);

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
      const duplicate = entry.scopes.find((scope, index) => entry.scopes?.indexOf(scope) !== index);
      if (duplicate !== undefined) issue([...path, "scopes"], `scope "${duplicate}" is listed twice`);
    }

    if (entry.integration !== undefined) {
      const named = context.integrations.filter((scm) => scm.scmId === entry.integration);
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

    if (tokenEnv === undefined) return;
    const item = {
      host: entry.host,
      serviceAccount: entry.serviceAccount.toLowerCase(),
      tokenEnv,
      refreshTokenEnv,
      expiresAt,
      scopes: entry.scopes ? [...entry.scopes] : undefined,
      integration: entry.integration,
      path: formatPath(path),
    } as DesiredHostAuthenticationToken;
    tokens.push(
      lazyLines(item, context.positions, path, () => FIELDS.map((name) => ({ name, path: [...path, name] }))),
    );
  });
  return tokens;
}

/** The variable a `${VAR}` field names, after checking it is a reference and is set. */
function secretReference(
  text: string,
  path: PathPart[],
  field: string,
  context: HostTokenLoadContext,
): string | undefined {
  const reference = SECRET_REFERENCE.exec(text.trim());
  if (!reference?.[1]) {
    context.issue(
      path,
      `${field} must be a \${ENV_VAR} reference: a literal token in this file would be committed to git`,
    );
    return undefined;
  }
  const name = reference[1];
  const value = envValue(context.env, name);
  if (value === undefined || value === "") {
    context.issue(path, `environment variable ${name} is not set (${field})`);
    return name;
  }
  context.secrets.set(name, value);
  return name;
}
