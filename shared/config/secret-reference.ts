/**
 * One rule for every secret field of the file (an OAuth client secret, a host token): it holds a
 * `${ENV_VAR}` reference, never the secret. The literal is never echoed in an error, and the value
 * of a set variable goes to `secrets` (for the caller to send and to mask), never into the model.
 * An unset variable is not an error here: only a run that sends or validates the secret needs it
 * (the engine decides, see shared/sync/needed-secrets.ts).
 */
import { z } from "zod";
import { envValue } from "./env.js";
import type { PathPart } from "./locate.js";

const SECRET_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The same rule for editors (JSON Schema); the loader trims around the reference too. */
const SECRET_REFERENCE_PATTERN = "^\\s*\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}\\s*$";

/**
 * Variables that hold this product's own credentials or the CI's, never a secret for the file: the
 * API token, GitHub's and Slack's tokens, the runner's and the action's own inputs (INPUT_*). A
 * pull request could name them in the file and have the API token sent as an OAuth secret.
 */
const OWN_CREDENTIALS = [
  /^GITPOD_API_KEY$/,
  /^ONA_API_KEY$/,
  /^GITHUB_TOKEN$/,
  /^GH_TOKEN$/,
  /^ACTIONS_/,
  /^RUNNER_/,
  /^SLACK_/,
  /^INPUT_/,
];

/** Whether a file may name `variable` as a secret (see OWN_CREDENTIALS). */
function isOwnCredentialVariable(variable: string): boolean {
  const upper = variable.toUpperCase();
  return OWN_CREDENTIALS.some((pattern) => pattern.test(upper));
}

/** A required secret field of an entry (the reference itself is checked by `secretReference`). */
export function secretReferenceEntry(name: string, when = ""): z.ZodString {
  return z.string({ error: `${name} is required${when}: a \${ENV_VAR} reference` });
}

export interface SecretReferenceContext {
  env: Readonly<Record<string, string | undefined>>;
  issue: (path: readonly PathPart[], message: string) => void;
  /** Receives the values of the variables the file names. */
  secrets: Map<string, string>;
  /** Told of a field whose variable is unset or empty (`field` names it for the error, if one is needed). */
  unset: (variable: string, path: readonly PathPart[], field: string) => void;
}

/**
 * The variable a secret field names, or undefined when the field is not a reference (an issue says
 * so, naming the field and never its text). An unset variable goes to `context.unset`, and its name
 * is returned: the item is still well formed.
 */
export function secretReference(
  text: string,
  path: readonly PathPart[],
  /** The field as the file spells it and what it holds, for the messages: "clientSecret", "secret". */
  field: { name: string; holds: string },
  context: SecretReferenceContext,
): string | undefined {
  const name = SECRET_REFERENCE.exec(text.trim())?.[1];
  if (name === undefined) {
    context.issue(
      path,
      `${field.name} must be a \${ENV_VAR} reference: a literal ${field.holds} in this file would be committed to git`,
    );
    return undefined;
  }
  if (isOwnCredentialVariable(name)) {
    // Never read: its value must not reach the secrets that are sent.
    context.issue(
      path,
      `${field.name} may not name ${name}: that variable holds this tool's or the CI's own credential, which is never sent as a ${field.holds}; use a variable of its own`,
    );
    return undefined;
  }
  const value = envValue(context.env, name);
  if (value === undefined || value === "") {
    context.unset(name, path, field.name);
  } else {
    context.secrets.set(name, value);
  }
  return name;
}

/** The JSON Schema of a secret field. */
export function secretReferenceSchema(description: string): Record<string, unknown> {
  return { type: "string", pattern: SECRET_REFERENCE_PATTERN, description };
}

/** How an exported file refers to a variable. */
export function referenceTo(variable: string): string {
  return `\${${variable}}`;
}

/**
 * Text as part of an environment variable name (documented in docs/cli.md, "Export"): upper-cased,
 * every run of characters other than A-Z and 0-9 one `_`, none at either end.
 */
export function variablePart(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
