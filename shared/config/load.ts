/**
 * Reads a runner-config file into the desired state. Every problem is collected with its line:
 * YAML syntax, structure (strict), entries listed twice (by each kind's key: loadList), then each
 * resource kind's own checks of an entry (secret references, references between kinds: see
 * FileFormat.loadEntry). Nothing here talks
 * to the API; see schema-check.ts for checks against the runners' live schemas. A clean file is read
 * by the fast path (fast-parse.ts) and its lines are worked out only when asked for (positions.ts).
 */
import type { z } from "zod";
import { FILE_FORMATS } from "../kinds/registry.js";
import type { DesiredRunner, DesiredState } from "./desired-state.js";
import { fastPlainData } from "./fast-parse.js";
import { type FileFormat, type Located, loadList } from "./file-format.js";
import { structureMessage, unknownKeyMessage } from "./issue-words.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_SIZE_TEXT, MAX_FIELD_LENGTH } from "./limits.js";
import { formatPath, type PathPart } from "./locate.js";
import { maskedIssue } from "./mask.js";
import { LazyPositions, lazyLines } from "./positions.js";
import { runnerIssue } from "./runner-issue.js";
import { RunnerConfigFile } from "./structure.js";
import type { ConfigIssue } from "./types.js";
import { forbiddenKeyIssues, syntaxIssue, toPlainData } from "./yaml-guards.js";

export interface LoadedConfig {
  /** Undefined when the file has errors that leave no usable model. */
  desired: DesiredState | undefined;
  issues: ConfigIssue[];
  /** Secret values by environment variable name, for the references the file makes. */
  secrets: Map<string, string>;
  /** What does not stop the file but is worth saying, with its place (absent when there is none). */
  warnings?: ConfigIssue[];
}

/** One file read into a desired state; messages that quote the file have credentials masked. */
export function loadRunnerConfig(
  file: string,
  text: string,
  env: Record<string, string | undefined>,
): LoadedConfig {
  const loaded = loadFile(file, text, env);
  return {
    ...loaded,
    issues: loaded.issues.map(maskedIssue),
    ...(loaded.warnings ? { warnings: loaded.warnings.map(maskedIssue) } : {}),
  };
}

function loadFile(file: string, text: string, env: Record<string, string | undefined>): LoadedConfig {
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
          message: `the file is larger than the limit of ${MAX_CONFIG_BYTES} bytes (${MAX_CONFIG_SIZE_TEXT})`,
        },
      ],
      secrets: new Map(),
    };
  }
  // Positions (the costly positioned Document) are worked out only when a line is asked for.
  const positions = new LazyPositions(text);
  const issues: ConfigIssue[] = [];
  const issue = (path: readonly PathPart[], message: string, key = false) => {
    const { line, column } = positions.locate(path, { key });
    issues.push({ file, line, column, path: formatPath(path), message });
  };

  let raw: unknown;
  const fast = fastPlainData(text);
  if (fast) {
    raw = fast.value;
  } else {
    // The careful path: the positioned Document, for files with YAML problems or unusual features.
    const { doc, lineCounter } = positions.document();
    for (const error of doc.errors) issues.push(syntaxIssue(file, doc, lineCounter, error));
    if (issues.length > 0) return { desired: undefined, issues, secrets: new Map() };
    const plain = toPlainData(file, doc, lineCounter);
    if (!plain.ok) return { desired: undefined, issues: [plain.issue], secrets: new Map() };
    raw = plain.value;
    issues.push(...forbiddenKeyIssues(file, doc, lineCounter));
  }
  const parsed = RunnerConfigFile.safeParse(raw);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) reportStructureIssue(zodIssue, raw, issue);
  }
  reportTooLong(raw, issue);
  if (!parsed.success || issues.length > 0) {
    return { desired: undefined, issues: sortIssues(issues), secrets: new Map() };
  }

  const secrets = new Map<string, string>();
  const runners: DesiredRunner[] = [];
  const seenRunners = new Set<string>();
  const warnings: ConfigIssue[] = [];
  const warn = (path: readonly PathPart[], message: string) => {
    const { line, column } = positions.locate(path, { key: false });
    warnings.push({ file, line, column, path: formatPath(path), message });
  };

  parsed.data.runners.forEach((runner, r) => {
    const runnerPath: PathPart[] = ["runners", r];
    if (seenRunners.has(runner.id)) issue([...runnerPath, "id"], `runner ${runner.id} is listed twice`);
    seenRunners.add(runner.id);

    // Each kind reads its own list, in the registry's order (a kind may refer to an earlier one's).
    const objects = new Map<string, readonly Located[]>();
    for (const format of FILE_FORMATS) {
      const entries = (runner as unknown as Record<string, readonly unknown[]>)[format.key] ?? [];
      objects.set(
        format.key,
        loadList(format, entries, {
          listPath: [...runnerPath, format.key],
          env,
          issue,
          positions,
          secrets,
          warn,
          loaded: <D extends Located>(earlier: FileFormat<D>) => (objects.get(earlier.key) ?? []) as D[],
        }),
      );
    }

    runners.push(
      lazyLines(
        {
          file,
          id: runner.id,
          name: runner.name,
          ...Object.fromEntries(objects),
          path: formatPath(runnerPath),
        } as DesiredRunner,
        positions,
        runnerPath,
      ),
    );
  });

  return {
    desired: { file, runners },
    issues: sortIssues(issues),
    secrets,
    ...(warnings.length > 0 ? { warnings: sortIssues(warnings) } : {}),
  };
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

const OTHER_MAX = MAX_FIELD_LENGTH.other ?? 2048;

/** The kind whose entry `path` is inside (`runners[r].<key>[i]...`), and where inside the entry. */
function entryPlace(path: readonly PathPart[]): { format: FileFormat; at: PathPart[] } | undefined {
  const key = path[2];
  if (path.length < 5 || path[0] !== "runners" || typeof key !== "string") return undefined;
  const format = FILE_FORMATS.find((candidate) => candidate.key === key);
  return format ? { format, at: path.slice(4) } : undefined;
}

/**
 * Strings over their limit (see limits.ts; each kind says its own fields' limits), so nothing
 * oversized is ever uploaded.
 */
function reportTooLong(
  raw: unknown,
  issue: (path: readonly PathPart[], message: string, key?: boolean) => void,
): void {
  // One path stack for the whole walk (copied only for an issue): a 10,000-object file has ~100,000 nodes.
  const path: PathPart[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === "string") {
      const last = path[path.length - 1];
      const field = typeof last === "string" ? last : "";
      const place = entryPlace(path);
      const limit = place?.format.maxLength?.(place.at) ?? OTHER_MAX;
      if (node.length > limit)
        issue([...path], `${field || "value"} must be at most ${limit} characters, got ${node.length}`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        path.push(index);
        walk(item);
        path.pop();
      });
      return;
    }
    if (node !== null && typeof node === "object") {
      const place = entryPlace(path);
      const keyLimit = place?.format.maxKeyLength?.(place.at);
      for (const [key, value] of Object.entries(node)) {
        if (keyLimit !== undefined && key.length > keyLimit) {
          issue(
            [...path, key],
            `${String(path[path.length - 1])} key must be at most ${keyLimit} characters, got ${key.length}`,
            true,
          );
        }
        path.push(key);
        walk(value);
        path.pop();
      }
    }
  };
  walk(raw);
}

function valueAt(root: unknown, path: readonly PathPart[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** By file (in the order the files first appear), then line and column. */
export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const fileOrder = new Map<string, number>();
  for (const issue of issues) if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
  const order = (issue: ConfigIssue) => fileOrder.get(issue.file) ?? 0;
  return [...issues].sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column);
}

export interface ConfigSource {
  file: string;
  text: string;
}

/**
 * Several files (one per team or per runner) read into one desired state. A runner may be in one
 * file only: a second appearance is an error that names both places. Every file is read, so every
 * error of every file is reported in one go.
 */
export function loadRunnerConfigs(
  sources: readonly ConfigSource[],
  env: Record<string, string | undefined>,
): LoadedConfig {
  const [only] = sources;
  if (sources.length === 1 && only) return loadRunnerConfig(only.file, only.text, env);
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const secrets = new Map<string, string>();
  const runners: DesiredRunner[] = [];
  const firstPlace = new Map<string, DesiredRunner>();
  let complete = true;
  for (const source of sources) {
    const loaded = loadRunnerConfig(source.file, source.text, env);
    issues.push(...loaded.issues);
    warnings.push(...(loaded.warnings ?? []));
    for (const [name, value] of loaded.secrets) secrets.set(name, value);
    if (!loaded.desired) {
      complete = false;
      continue;
    }
    for (const runner of loaded.desired.runners) {
      const first = firstPlace.get(runner.id);
      if (!first) {
        firstPlace.set(runner.id, runner);
        runners.push(runner);
        continue;
      }
      if (first.file === runner.file) continue; // reported by the file's own load
      issues.push(
        runnerIssue(
          runner,
          `runner ${runner.id} is also configured in ${first.file}:${first.line} (${first.path}); a runner may be in one file only`,
        ),
      );
    }
  }
  return {
    desired: complete ? { file: sources.map((source) => source.file).join(", "), runners } : undefined,
    issues: sortIssues(issues),
    secrets,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}
