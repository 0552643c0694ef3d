/**
 * Checks the desired state against each runner's live configuration schema, before anything is
 * sent: unknown SCM providers, unknown or missing configuration keys, int ranges, patterns, enums.
 */
import type { RunnerConfigurationSchema, SchemaField } from "../api/schemas.js";
import { didYouMean } from "../text/did-you-mean.js";
import type { ConfigIssue, DesiredRunner } from "./types.js";

export function enumValues(field: SchemaField): string[] {
  const titles = (field.enum?.possibleValues ?? []).map((value) => value.title ?? "").filter(Boolean);
  return titles.length > 0 ? titles : (field.enum?.values ?? []);
}

/** The error for one configuration value, or undefined when it fits the field. */
export function checkConfigurationValue(field: SchemaField, value: string): string | undefined {
  if (field.int) {
    if (!/^-?\d+$/.test(value)) return `must be an integer, got "${value}"`;
    const number = Number(value);
    if (field.int.min !== undefined && number < field.int.min)
      return `must be at least ${field.int.min}, got ${value}`;
    if (field.int.max !== undefined && number > field.int.max)
      return `must be at most ${field.int.max}, got ${value}`;
  } else if (field.bool) {
    if (value !== "true" && value !== "false") return `must be true or false, got "${value}"`;
  } else if (field.enum) {
    const allowed = enumValues(field);
    if (!allowed.includes(value)) return `must be one of ${allowed.join(", ")}; got "${value}"`;
  } else if (field.string?.pattern) {
    if (!new RegExp(field.string.pattern).test(value))
      return `must match ${field.string.pattern}, got "${value}"`;
  } else if (field.display) {
    return "is read-only";
  }
  return undefined;
}

export function checkAgainstSchema(
  file: string,
  runner: DesiredRunner,
  schema: RunnerConfigurationSchema,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fields = new Map((schema.environmentClasses ?? []).map((field) => [field.id ?? "", field]));
  for (const environmentClass of runner.environmentClasses) {
    const at = (key: string) => environmentClass.lines[key] ?? environmentClass.line;
    for (const [key, value] of Object.entries(environmentClass.configuration)) {
      const field = fields.get(key);
      // Looked up only for an issue: a line costs the positioned parse of the file (positions.ts).
      const line = () => at(`configuration.${key}`);
      const path = `${environmentClass.path}.configuration.${key}`;
      if (!field) {
        const known = [...fields.keys()].join(", ");
        issues.push({
          file,
          line: line(),
          column: 1,
          path,
          message: `unknown configuration key "${key}"${didYouMean(key, fields.keys())} (known: ${known})`,
        });
        continue;
      }
      const error = checkConfigurationValue(field, value);
      if (error) issues.push({ file, line: line(), column: 1, path, message: `${key} ${error}` });
    }
    for (const field of fields.values()) {
      if (field.required && field.id && !(field.id in environmentClass.configuration)) {
        issues.push({
          file,
          line: at("configuration"),
          column: 1,
          path: `${environmentClass.path}.configuration`,
          message: `missing required configuration key "${field.id}"`,
        });
      }
    }
  }
  const providers = new Set((schema.scm ?? []).map((scm) => scm.scmId ?? ""));
  for (const integration of runner.scmIntegrations) {
    if (!providers.has(integration.scmId)) {
      issues.push({
        file,
        line: integration.lines.scmId ?? integration.line,
        column: 1,
        path: `${integration.path}.scmId`,
        message: `unknown scmId "${integration.scmId}"${didYouMean(integration.scmId, providers)} for runner ${runner.name ?? runner.id} (known: ${[...providers].join(", ")})`,
      });
    }
  }
  return issues;
}
