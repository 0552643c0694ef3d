/**
 * The action's inputs, read and checked in one place. A bad value stops the run with an error that
 * names the input.
 */
import * as core from "@actions/core";
import {
  API_KEY_VARIABLES,
  apiKeyFromEnvironment,
  baseUrlFromEnvironment,
  DEFAULT_BASE_URL,
  eitherName,
} from "../shared/api/api-settings.js";
import { withoutCredentials } from "../shared/api/dispatcher.js";
import type { SettingNames } from "../shared/api/transport.js";
import { DRIFT_SCOPES, type DriftScope } from "../shared/sync/unmanaged.js";

/** What the inputs' check needs of a mode in the table (action/modes/table.ts). */
interface ModeRule {
  name: string;
  /** False when the mode runs offline without `api-token`. */
  needsToken: boolean;
}

export interface ActionInputs {
  config: string;
  /** The name of a mode in the table. */
  mode: string;
  /** The api-token input, else ONA_API_KEY, else GITPOD_API_KEY; empty: none (validate runs offline). */
  apiToken: string;
  /** The api-url input; undefined: the client reads ONA_BASE_URL, else GITPOD_BASE_URL, else its default. */
  apiUrl: string | undefined;
  /** Where the token and the address were set, for errors that ask a person to change one. */
  apiSettingNames: SettingNames;
  prune: boolean;
  allowDestructive: boolean;
  rotateSecrets: boolean;
  concurrency: number;
  failOnDrift: boolean;
  /** What fail-on-drift counts: the file's objects only, or also what Gitpod holds outside the file. */
  drift: DriftScope;
  githubToken: string | undefined;
  commentOnPr: boolean;
  /** The policy file (default .gitpod/policies.yaml when it exists; on a pull request the base branch's). */
  policy: string | undefined;
  /** Emergency: apply despite failing policy rules, for this reason (written in the summary). */
  policyOverride: string | undefined;
  /** apply: a saved plan (the plan job's saved-plan-file) to apply only if it still holds. */
  planFile: string | undefined;
}

export class InputError extends Error {}

export function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new InputError(`input ${name} must be true or false, got "${value}"`);
}

/** The `drift` input: managed (the default) or all. */
function driftScopeInput(): DriftScope {
  const text = optional("drift") ?? "managed";
  const scope = DRIFT_SCOPES.find((candidate) => candidate === text);
  if (!scope) throw new InputError(`input drift must be one of ${DRIFT_SCOPES.join(", ")}, got "${text}"`);
  return scope;
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === "" ? undefined : value;
}

/** The inputs, and the entry of `modes` that the `mode` input names. */
export function readInputs<Mode extends ModeRule>(
  modes: readonly Mode[],
): { inputs: ActionInputs; mode: Mode } {
  const name = optional("mode") ?? "plan";
  const mode = modes.find((candidate) => candidate.name === name);
  if (!mode)
    throw new InputError(
      `input mode must be one of ${modes.map((candidate) => candidate.name).join(", ")}, got "${name}"`,
    );
  const inputToken = core.getInput("api-token");
  const tokenFromEnv = inputToken ? undefined : apiKeyFromEnvironment(process.env);
  const apiToken = inputToken || tokenFromEnv?.found?.value || "";
  // A mode that needs no token runs offline without one (pull requests from forks get no secrets).
  if (!apiToken && mode.needsToken)
    throw new InputError(
      `input api-token is required (a Gitpod API token, from a secret), or set ${eitherName(API_KEY_VARIABLES)} in the step's env`,
    );
  if (apiToken) core.setSecret(apiToken);
  const githubToken = optional("github-token");
  if (githubToken) core.setSecret(githubToken);
  const concurrencyText = optional("concurrency") ?? "8";
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InputError(`input concurrency must be an integer from 1 to 64, got "${concurrencyText}"`);
  }
  const apiUrl = optional("api-url");
  if (apiUrl && !URL.canParse(apiUrl))
    throw new InputError(`input api-url must be a URL, got "${withoutCredentials(apiUrl)}"`);
  const apiSettingNames = apiToken ? announceApiSettings(apiUrl, tokenFromEnv) : {};
  const inputs = {
    config: optional("config") ?? ".gitpod/runner-config.yaml",
    mode: name,
    apiToken,
    apiUrl,
    apiSettingNames,
    prune: booleanInput("prune"),
    allowDestructive: booleanInput("allow-destructive"),
    rotateSecrets: booleanInput("rotate-secrets"),
    concurrency,
    failOnDrift: booleanInput("fail-on-drift"),
    drift: driftScopeInput(),
    githubToken,
    commentOnPr: booleanInput("comment-on-pr"),
    policy: optional("policy"),
    policyOverride: optional("policy-override"),
    planFile: optional("plan-file"),
  };
  return { inputs, mode };
}

/**
 * Says in the log which address and which token the run uses (input, variable or default; never a
 * value of the token) and warns when a setting is set under both names with different values.
 */
function announceApiSettings(
  apiUrl: string | undefined,
  tokenFromEnv: ReturnType<typeof apiKeyFromEnvironment> | undefined,
): SettingNames {
  const urlFromEnv = apiUrl ? undefined : baseUrlFromEnvironment(process.env);
  for (const warning of [tokenFromEnv?.warning, urlFromEnv?.warning]) if (warning) core.warning(warning);
  const token = tokenFromEnv?.found ? tokenFromEnv.found.variable : "the api-token input";
  const address = apiUrl
    ? { url: apiUrl, from: "the api-url input" }
    : urlFromEnv?.found
      ? { url: urlFromEnv.found.value, from: urlFromEnv.found.variable }
      : { url: DEFAULT_BASE_URL, from: "the default" };
  core.info(`Gitpod API: ${withoutCredentials(address.url)} (${address.from}), token from ${token}.`);
  return {
    apiKey: token,
    baseUrl: address.from === "the default" ? "the api-url input (or ONA_BASE_URL)" : address.from,
  };
}
