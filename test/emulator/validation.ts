/**
 * Pure validation rules shared by ValidateRunnerConfiguration (which reports them field by field)
 * and the Create/Update RPCs (which reject with invalid_argument). Messages never contain a secret.
 */
import { VIRTUAL_DIRECTORY_SCM_ID } from "./fixtures.js";
import type { FieldValue, RunnerConfigurationSchema, SchemaField, SchemaScm } from "./messages.js";

interface FieldValidationError {
  key: string;
  error: string;
}

/** Length in characters (code points), as protovalidate's min_len/max_len count them. */
function charLength(value: string): number {
  return [...value].length;
}

/** The spec's minLength/maxLength, as the rule text protovalidate-style messages use. */
export function lengthRule(value: string, min: number, max: number): string | undefined {
  const length = charLength(value);
  if (length < min) return `must be at least ${min} characters`;
  if (length > max) return `must be at most ${max} characters`;
  return undefined;
}

/** Spec: display_name "maxLength127 minLength3". */
export function displayNameRule(displayName: string | undefined): string | undefined {
  return lengthRule(displayName ?? "", 3, 127);
}

/**
 * Spec: description "maxLength200 minLength3". An empty description is the same as none on the
 * wire (proto3), so only a given one is checked.
 */
export function descriptionRule(description: string | undefined): string | undefined {
  if (description === undefined || description === "") return undefined;
  return lengthRule(description, 3, 200);
}

function fieldValueError(field: SchemaField, value: string): string | undefined {
  if (field.int) {
    if (!/^-?\d+$/.test(value)) return "must be an integer";
    const number = Number(value);
    if (field.int.min !== undefined && number < field.int.min) return `must be at least ${field.int.min}`;
    if (field.int.max !== undefined && number > field.int.max) return `must be at most ${field.int.max}`;
    return undefined;
  }
  if (field.bool) {
    return value === "true" || value === "false" ? undefined : 'must be "true" or "false"';
  }
  if (field.enum) {
    const allowed = field.enum.possibleValues?.map((option) => option.title ?? "") ?? field.enum.values ?? [];
    return allowed.includes(value) ? undefined : `must be one of ${allowed.join(", ")}`;
  }
  if (field.string) {
    const pattern = field.string.pattern;
    if (pattern && !new RegExp(pattern).test(value)) return `must match the pattern ${pattern}`;
    return undefined;
  }
  if (field.display) return "is read-only";
  return undefined;
}

/** Checks an environment class configuration against the runner schema's environmentClasses fields. */
function configurationErrors(
  fields: readonly SchemaField[],
  configuration: readonly FieldValue[],
): FieldValidationError[] {
  const byId = new Map(fields.map((field) => [field.id ?? "", field]));
  const errors: FieldValidationError[] = [];
  const seen = new Set<string>();
  for (const { key = "", value = "" } of configuration) {
    const field = byId.get(key);
    if (!field || key === "") {
      errors.push({ key, error: "unknown configuration key" });
      continue;
    }
    if (seen.has(key)) {
      errors.push({ key, error: "configuration key given more than once" });
      continue;
    }
    seen.add(key);
    if (value === "") {
      if (field.required) errors.push({ key, error: "is required" });
      continue;
    }
    const error = fieldValueError(field, value);
    if (error) errors.push({ key, error });
  }
  for (const field of fields) {
    if (field.required && field.id && !seen.has(field.id)) {
      errors.push({ key: field.id, error: "is required" });
    }
  }
  return errors;
}

export interface EnvironmentClassCheck {
  displayName?: string;
  description?: string;
  configuration?: readonly FieldValue[];
}

export interface EnvironmentClassErrors {
  displayNameError?: string;
  descriptionError?: string;
  configurationErrors: FieldValidationError[];
}

export function environmentClassErrors(
  schema: RunnerConfigurationSchema,
  input: EnvironmentClassCheck,
): EnvironmentClassErrors {
  const result: EnvironmentClassErrors = {
    configurationErrors: configurationErrors(schema.environmentClasses ?? [], input.configuration ?? []),
  };
  const nameRule = displayNameRule(input.displayName);
  if (nameRule) result.displayNameError = `display name ${nameRule} long`;
  const descRule = descriptionRule(input.description);
  if (descRule) result.descriptionError = `description ${descRule} long`;
  return result;
}

const HOST_PATTERN =
  /^(?=[^:]{1,253}(?::|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::(\d{1,5}))?$/i;

/**
 * A host is `hostname[:port]`: no scheme, no path, no whitespace (an assumption: the spec only
 * calls it `host`). With `allowSchemeAndPath` only emptiness and whitespace are refused.
 */
export function hostError(host: string | undefined, allowSchemeAndPath = false): string | undefined {
  if (!host) return "host is required";
  if (allowSchemeAndPath) return /\s/.test(host) ? `host "${host}" contains whitespace` : undefined;
  const match = HOST_PATTERN.exec(host);
  if (!match) return `host "${host}" is not a valid hostname[:port] (no scheme or path)`;
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `host "${host}" has an invalid port`;
  }
  return undefined;
}

export function virtualDirectoryError(
  scmId: string,
  virtualDirectory: string | undefined,
): string | undefined {
  if (!virtualDirectory) return undefined;
  if (scmId !== VIRTUAL_DIRECTORY_SCM_ID) {
    return `virtualDirectory is only supported for ${VIRTUAL_DIRECTORY_SCM_ID}`;
  }
  if (!/^\/[^\s?#]*$/.test(virtualDirectory)) return "virtualDirectory must be a path starting with /";
  return undefined;
}

export function issuerUrlError(issuerUrl: string | undefined): string | undefined {
  if (!issuerUrl) return undefined;
  try {
    const url = new URL(issuerUrl);
    if (url.protocol === "https:" || url.protocol === "http:") return undefined;
  } catch {
    // fall through to the error below
  }
  return "issuerUrl must be an http(s) URL";
}

/** The request's fields as decoded: zod gives a field the wire leaves out as undefined. */
export interface ScmCheck {
  scmId?: string | undefined;
  host?: string | undefined;
  issuerUrl?: string | undefined;
  oauthClientId?: string | undefined;
  /** Whether a client secret (plaintext or encrypted) accompanies the client id. */
  hasSecret: boolean;
  pat?: boolean | undefined;
  virtualDirectory?: string | undefined;
  /** The scheme-in-host assumption switched off. */
  allowSchemeInHost?: boolean;
}

export interface ScmErrors {
  scmIdError?: string;
  hostError?: string;
  oauthError?: string;
  patError?: string;
}

export function findScmProvider(schema: RunnerConfigurationSchema, scmId: string): SchemaScm | undefined {
  return schema.scm?.find((provider) => provider.scmId === scmId);
}

/** The structural SCM rules (no call to the SCM host: credentials are checked by the caller). */
export function scmIntegrationErrors(schema: RunnerConfigurationSchema, input: ScmCheck): ScmErrors {
  const errors: ScmErrors = {};
  const scmId = input.scmId ?? "";
  const provider = scmId ? findScmProvider(schema, scmId) : undefined;
  if (!scmId) errors.scmIdError = "scmId is required";
  else if (!provider) {
    const known = (schema.scm ?? []).map((entry) => entry.scmId).join(", ");
    errors.scmIdError = `scmId "${scmId}" is not in the runner's configuration schema (known: ${known})`;
  }

  const hostProblem =
    hostError(input.host, input.allowSchemeInHost) ?? virtualDirectoryError(scmId, input.virtualDirectory);
  if (hostProblem) errors.hostError = hostProblem;

  const oauthProblem = oauthShapeError(provider, input);
  if (oauthProblem) errors.oauthError = oauthProblem;

  if (input.pat && provider && !provider.pat) {
    errors.patError = `${provider.name ?? scmId} does not support personal access tokens`;
  }
  return errors;
}

function oauthShapeError(provider: SchemaScm | undefined, input: ScmCheck): string | undefined {
  if (!input.oauthClientId) {
    return input.hasSecret ? "an OAuth client secret was given without an OAuth client id" : undefined;
  }
  if (!input.hasSecret) return "an OAuth client id requires a client secret";
  if (provider && !provider.oauth) return `${provider.name ?? provider.scmId} does not support OAuth`;
  return issuerUrlError(input.issuerUrl);
}

/** Joins field errors into one invalid_argument message. */
export function joinErrors(errors: Record<string, string | undefined>): string | undefined {
  const parts = Object.entries(errors)
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([field, error]) => `${field}: ${error}`);
  return parts.length === 0 ? undefined : parts.join("; ");
}
