/**
 * Where the API token and the API address come from in the environment: Ona's names first
 * (`ONA_API_KEY`, `ONA_BASE_URL`, as the official SDK reads them), then the legacy Gitpod names.
 * Each setting is resolved on its own; the caller learns the variable that was read, so every
 * message can name it. Pure: the caller passes the environment and prints the warnings.
 */

/** Ona's API address (the official SDK's default). */
export const DEFAULT_BASE_URL = "https://app.ona.com/api";

/** The variables read for each setting, in order: the first that is set wins. */
export const API_KEY_VARIABLES = ["ONA_API_KEY", "GITPOD_API_KEY"] as const;
const BASE_URL_VARIABLES = ["ONA_BASE_URL", "GITPOD_BASE_URL"] as const;

interface FromEnvironment {
  value: string;
  /** The variable the value was read from: `ONA_API_KEY` or `GITPOD_API_KEY`. */
  variable: string;
}

export interface Resolved {
  /** Undefined when none of the variables is set (blank counts as unset). */
  found: FromEnvironment | undefined;
  /** Set when both names are set and differ: which one was used (values are never named). */
  warning?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function resolve(env: Env, [first, legacy]: readonly [string, string]): Resolved {
  const primary = env[first]?.trim() ? env[first] : undefined;
  const old = env[legacy]?.trim() ? env[legacy] : undefined;
  if (primary !== undefined) {
    const warning =
      old !== undefined && old !== primary
        ? `${first} and ${legacy} are both set and differ: using ${first} (unset ${legacy}, the legacy name)`
        : undefined;
    return { found: { value: primary, variable: first }, ...(warning ? { warning } : {}) };
  }
  return { found: old === undefined ? undefined : { value: old, variable: legacy } };
}

/** The API token: `ONA_API_KEY`, else `GITPOD_API_KEY`. */
export function apiKeyFromEnvironment(env: Env): Resolved {
  return resolve(env, API_KEY_VARIABLES);
}

/** The API address: `ONA_BASE_URL`, else `GITPOD_BASE_URL` (else the caller's default). */
export function baseUrlFromEnvironment(env: Env): Resolved {
  return resolve(env, BASE_URL_VARIABLES);
}

/** "ONA_API_KEY (or the legacy GITPOD_API_KEY)": how messages name a setting that is not set. */
export function eitherName([first, legacy]: readonly [string, string]): string {
  return `${first} (or the legacy ${legacy})`;
}
