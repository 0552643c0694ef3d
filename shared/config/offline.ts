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
  const loaded = loadRunnerConfigs(sources, env);
  const unsetVariables = [...new Set(loaded.unsetSecrets.map((secret) => secret.variable))];
  return { issues: loaded.issues, unsetVariables, warnings: loaded.warnings ?? [] };
}
