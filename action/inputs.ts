/**
 * The action's inputs, read and checked in one place. A bad value stops the run with an error that
 * names the input.
 */
import * as core from "@actions/core";
import { withoutCredentials } from "../shared/api/dispatcher.js";

const MODES = ["plan", "apply", "validate", "rotate", "audit"] as const;
type Mode = (typeof MODES)[number];

export interface ActionInputs {
  config: string;
  mode: Mode;
  apiToken: string;
  apiUrl: string | undefined;
  prune: boolean;
  allowDestructive: boolean;
  rotateSecrets: boolean;
  concurrency: number;
  failOnDrift: boolean;
  githubToken: string | undefined;
  commentOnPr: boolean;
}

export class InputError extends Error {}

export function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new InputError(`input ${name} must be true or false, got "${value}"`);
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === "" ? undefined : value;
}

export function readInputs(): ActionInputs {
  const mode = (optional("mode") ?? "plan") as Mode;
  if (!MODES.includes(mode))
    throw new InputError(`input mode must be one of ${MODES.join(", ")}, got "${mode}"`);
  const apiToken = core.getInput("api-token");
  // validate runs offline without a token (pull requests from forks get no secrets).
  if (!apiToken && mode !== "validate")
    throw new InputError("input api-token is required (a Gitpod API token, from a secret)");
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
  return {
    config: optional("config") ?? ".gitpod/runner-config.yaml",
    mode,
    apiToken,
    apiUrl,
    prune: booleanInput("prune"),
    allowDestructive: booleanInput("allow-destructive"),
    rotateSecrets: booleanInput("rotate-secrets"),
    concurrency,
    failOnDrift: booleanInput("fail-on-drift"),
    githubToken,
    commentOnPr: booleanInput("comment-on-pr"),
  };
}
