/**
 * Offline validation, for pre-commit hooks and pull requests from forks: syntax, structure and
 * secret references by name, with no network and no token. An unset variable is not an error here
 * (the secret is only needed by plan and apply), so it is returned separately, as a warning.
 */
import { type ConfigSource, loadRunnerConfigs } from "./load.js";
import type { ConfigIssue } from "./types.js";

export interface OfflineResult {
  issues: ConfigIssue[];
  /** Variables the file references that are not set in `env`. */
  unsetVariables: string[];
  /** What the kinds say does not stop the file, with its place (a model name this version does not know). */
  warnings: ConfigIssue[];
}

export function validateOffline(
  file: string,
  text: string,
  env: Record<string, string | undefined>,
): OfflineResult {
  return validateOfflineSources([{ file, text }], env);
}

/** Several files validated as one desired state (a runner in two files is an error). */
export function validateOfflineSources(
  sources: readonly ConfigSource[],
  env: Record<string, string | undefined>,
): OfflineResult {
  // The loader sees every variable as set (a placeholder where it is not); the really unset ones
  // are listed afterwards. Only the environment's own strings are real values.
  const isSet = (name: string | symbol): name is string =>
    typeof name === "string" && Object.hasOwn(env, name) && typeof env[name] === "string" && env[name] !== "";
  const placeholderOr = (name: string | symbol) => (isSet(name) ? (env[name] as string) : "set");
  const anyValue = new Proxy({} as Record<string, string>, {
    get: (_, name) => placeholderOr(name),
    has: () => true,
    getOwnPropertyDescriptor: (_, name) => ({
      value: placeholderOr(name),
      writable: true,
      enumerable: true,
      configurable: true,
    }),
  });
  const loaded = loadRunnerConfigs(sources, anyValue);
  const unsetVariables = [...loaded.secrets.keys()].filter((name) => !isSet(name));
  return { issues: loaded.issues, unsetVariables, warnings: loaded.warnings ?? [] };
}
