/**
 * Reads a runner-config file into the desired state. Every problem is collected with its line:
 * YAML syntax, structure (strict), duplicate keys and items, secret references. Nothing here talks
 * to the API; see schema-check.ts for checks against the runners' live schemas.
 */
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { envValue } from "./env.js";
import { structureMessage, unknownKeyMessage } from "./issue-words.js";
import { MAX_CONFIG_BYTES, MAX_FIELD_LENGTH } from "./limits.js";
import { formatPath, locate, type PathPart } from "./locate.js";
import { RunnerConfigFile, SECRET_REFERENCE } from "./structure.js";
import {
  type ConfigIssue,
  type DesiredEnvironmentClass,
  type DesiredRunner,
  type DesiredScmIntegration,
  type DesiredState,
  type FieldLines,
  scmKey,
} from "./types.js";
import { forbiddenKeyIssues, syntaxIssue, toPlainData } from "./yaml-guards.js";

export interface LoadedConfig {
  /** Undefined when the file has errors that leave no usable model. */
  desired: DesiredState | undefined;
  issues: ConfigIssue[];
  /** Secret values by environment variable name, for the references the file makes. */
  secrets: Map<string, string>;
}

export function loadRunnerConfig(
  file: string,
  text: string,
  env: Record<string, string | undefined>,
): LoadedConfig {
  // The readers refuse larger files before decoding; this covers callers that pass text directly.
  if (text.length > MAX_CONFIG_BYTES) {
    return {
      desired: undefined,
      issues: [
        {
          file,
          line: 1,
          column: 1,
          path: "",
          message: `the file is larger than the limit of ${MAX_CONFIG_BYTES} bytes (1 MiB)`,
        },
      ],
      secrets: new Map(),
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  const issue = (path: readonly PathPart[], message: string, key = false) => {
    const { line, column } = locate(doc, lineCounter, path, { key });
    issues.push({ file, line, column, path: formatPath(path), message });
  };

  for (const error of doc.errors) issues.push(syntaxIssue(file, doc, lineCounter, error));
  if (issues.length > 0) return { desired: undefined, issues, secrets: new Map() };

  const plain = toPlainData(file, doc, lineCounter);
  if (!plain.ok) return { desired: undefined, issues: [plain.issue], secrets: new Map() };
  const raw = plain.value;
  issues.push(...forbiddenKeyIssues(file, doc, lineCounter));
  const parsed = RunnerConfigFile.safeParse(raw);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) reportStructureIssue(zodIssue, raw, issue);
  }
  reportTooLong(raw, issue);
  if (!parsed.success || issues.length > 0) {
    return { desired: undefined, issues: sortIssues(issues), secrets: new Map() };
  }

  const lineOf = (path: readonly PathPart[]) => locate(doc, lineCounter, path).line;
  const secrets = new Map<string, string>();
  const runners: DesiredRunner[] = [];
  const seenRunners = new Set<string>();

  parsed.data.runners.forEach((runner, r) => {
    const runnerPath: PathPart[] = ["runners", r];
    if (seenRunners.has(runner.id)) issue([...runnerPath, "id"], `runner ${runner.id} is listed twice`);
    seenRunners.add(runner.id);

    const classes: DesiredEnvironmentClass[] = [];
    const seenClasses = new Set<string>();
    runner.environmentClasses.forEach((entry, c) => {
      const path: PathPart[] = [...runnerPath, "environmentClasses", c];
      if (seenClasses.has(entry.displayName)) {
        issue([...path, "displayName"], `duplicate environment class "${entry.displayName}" in this runner`);
      }
      seenClasses.add(entry.displayName);
      const lines: FieldLines = {};
      for (const field of ["displayName", "description", "enabled", "configuration"]) {
        lines[field] = lineOf([...path, field]);
      }
      const configuration: Record<string, string> = {};
      for (const [key, value] of Object.entries(entry.configuration)) {
        configuration[key] = String(value);
        lines[`configuration.${key}`] = lineOf([...path, "configuration", key]);
      }
      classes.push({
        displayName: entry.displayName,
        description: entry.description,
        enabled: entry.enabled,
        configuration,
        path: formatPath(path),
        line: lineOf(path),
        lines,
      });
    });

    const integrations: DesiredScmIntegration[] = [];
    const seenIntegrations = new Set<string>();
    runner.scmIntegrations.forEach((entry, s) => {
      const path: PathPart[] = [...runnerPath, "scmIntegrations", s];
      const key = scmKey(entry);
      if (seenIntegrations.has(key)) {
        issue(
          [...path, "host"],
          `duplicate SCM integration ${entry.scmId} for host ${entry.host} in this runner`,
        );
      }
      seenIntegrations.add(key);
      const lines: FieldLines = {};
      for (const field of ["scmId", "host", "pat", "oauth", "virtualDirectory"])
        lines[field] = lineOf([...path, field]);
      let oauth: DesiredScmIntegration["oauth"];
      if (entry.oauth) {
        for (const field of ["clientId", "clientSecret", "issuerUrl"]) {
          lines[`oauth.${field}`] = lineOf([...path, "oauth", field]);
        }
        const reference = SECRET_REFERENCE.exec(entry.oauth.clientSecret.trim());
        if (!reference?.[1]) {
          issue(
            [...path, "oauth", "clientSecret"],
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
            "clientSecret must be a ${ENV_VAR} reference: a literal secret in this file would be committed to git",
          );
        } else {
          const name = reference[1];
          const value = envValue(env, name);
          if (value === undefined || value === "") {
            issue(
              [...path, "oauth", "clientSecret"],
              `environment variable ${name} is not set (clientSecret)`,
            );
          } else {
            secrets.set(name, value);
          }
          oauth = { clientId: entry.oauth.clientId, clientSecretEnv: name, issuerUrl: entry.oauth.issuerUrl };
        }
      }
      integrations.push({
        scmId: entry.scmId,
        host: entry.host,
        pat: entry.pat,
        oauth,
        virtualDirectory: entry.virtualDirectory,
        path: formatPath(path),
        line: lineOf(path),
        lines,
      });
    });

    runners.push({
      id: runner.id,
      name: runner.name,
      environmentClasses: classes,
      scmIntegrations: integrations,
      path: formatPath(runnerPath),
      line: lineOf(runnerPath),
    });
  });

  return { desired: { file, runners }, issues: sortIssues(issues), secrets };
}

function reportStructureIssue(
  zodIssue: z.core.$ZodIssue,
  raw: unknown,
  issue: (path: readonly PathPart[], message: string, key?: boolean) => void,
): void {
  const path = zodIssue.path.filter((part): part is PathPart => typeof part !== "symbol");
  if (zodIssue.code === "unrecognized_keys") {
    // `__proto__` keys are reported (everywhere, by line) by forbiddenKeyIssues.
    for (const key of zodIssue.keys)
      if (key !== "__proto__") issue([...path, key], unknownKeyMessage(key, path), true);
    return;
  }
  const field = path.length > 0 ? String(path[path.length - 1]) : "file";
  issue(path, structureMessage(zodIssue, field, valueAt(raw, path)));
}

/** Strings over their limit (see limits.ts), so nothing oversized is ever uploaded. */
function reportTooLong(
  raw: unknown,
  issue: (path: readonly PathPart[], message: string, key?: boolean) => void,
): void {
  const walk = (node: unknown, path: PathPart[], parentKey: string | undefined): void => {
    if (typeof node === "string") {
      const field = typeof path[path.length - 1] === "string" ? String(path[path.length - 1]) : "";
      const kind =
        parentKey === "configuration"
          ? "configurationValue"
          : field === "displayName" || field === "description"
            ? field
            : "other";
      const limit = MAX_FIELD_LENGTH[kind] ?? 2048;
      if (node.length > limit)
        issue(path, `${field || "value"} must be at most ${limit} characters, got ${node.length}`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, [...path, index], undefined);
      });
      return;
    }
    if (node !== null && typeof node === "object") {
      const last = path[path.length - 1];
      for (const [key, value] of Object.entries(node)) {
        if (last === "configuration" && key.length > (MAX_FIELD_LENGTH.configurationKey ?? 256)) {
          issue(
            [...path, key],
            `configuration key must be at most ${MAX_FIELD_LENGTH.configurationKey} characters, got ${key.length}`,
            true,
          );
        }
        walk(value, [...path, key], typeof last === "string" ? last : undefined);
      }
    }
  };
  walk(raw, [], undefined);
}

function valueAt(root: unknown, path: readonly PathPart[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}
