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
import { type FileFormat, type LoadContext, type Located, loadList } from "./file-format.js";
import { structureMessage, unknownKeyMessage } from "./issue-words.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_SIZE_TEXT, MAX_FIELD_LENGTH } from "./limits.js";
import { formatPath, type PathPart } from "./locate.js";
import { maskedIssue } from "./mask.js";
import { LazyPositions, lazyLines } from "./positions.js";
import { runnerIssue } from "./runner-issue.js";
import { RunnerConfigFile, RunnerEntry } from "./structure.js";
import type { ConfigIssue } from "./types.js";
import { forbiddenKeyIssues, syntaxIssue, toPlainData } from "./yaml-guards.js";

export interface LoadedConfig {
  /** Undefined when the file has errors that leave no usable model. */
  desired: DesiredState | undefined;
  /**
   * With structure errors (`desired` undefined): the runners and entries that are well formed, for
   * the live-schema checks to report in the same run. Never planned.
   */
  checkable?: DesiredState;
  issues: ConfigIssue[];
  /** Secret values by environment variable name, for the references the file makes. */
  secrets: Map<string, string>;
  /**
   * Secret fields whose variable is not set. Not an error by itself: a run needs only the secrets it
   * sends or validates (shared/sync/needed-secrets.ts).
   */
  unsetSecrets: UnsetSecret[];
  /** What does not stop the file but is worth saying, with its place (absent when there is none). */
  warnings?: ConfigIssue[];
}

/** A secret field whose `${VARIABLE}` is not set (or empty). */
export interface UnsetSecret {
  variable: string;
  file: string;
  /** The entry the field belongs to: `runners[0].scmIntegrations[1]`. */
  itemPath: string;
  /** The error at the field, worked out when asked (a position costs the positioned parse). */
  issue(reason: string): ConfigIssue;
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
      unsetSecrets: [],
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
    if (issues.length > 0) return { desired: undefined, issues, secrets: new Map(), unsetSecrets: [] };
    const plain = toPlainData(file, doc, lineCounter);
    if (!plain.ok) return { desired: undefined, issues: [plain.issue], secrets: new Map(), unsetSecrets: [] };
    raw = plain.value;
    issues.push(...forbiddenKeyIssues(file, doc, lineCounter));
  }
  const parsed = RunnerConfigFile.safeParse(raw);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) reportStructureIssue(zodIssue, raw, issue);
  }
  reportTooLong(raw, issue);
  const secrets = new Map<string, string>();
  const unsetSecrets: UnsetSecret[] = [];
  // What does not stop the file but is worth saying (an unknown but well-formed model name).
  const warnings: ConfigIssue[] = [];
  const context: RunnersContext = {
    env,
    issue,
    positions,
    secrets,
    warn: (path, message) => {
      const { line, column } = positions.locate(path, { key: false });
      warnings.push({ file, line, column, path: formatPath(path), message });
    },
    unset: (variable, path, field) =>
      unsetSecrets.push({
        variable,
        file,
        // An entry is always `runners[r].<kind>[i]`; the field is inside it.
        itemPath: formatPath(path.slice(0, 4)),
        issue: (reason) => ({
          file,
          ...positions.locate(path),
          path: formatPath(path),
          message: `environment variable ${variable} is not set (${field})${reason ? `: ${reason}` : ""}`,
        }),
      }),
  };
  if (!parsed.success || issues.length > 0) {
    // The parts that are well formed are still read, so that their own problems and the live-schema
    // checks are reported in the same run as the structure errors (never planned: `desired` stays empty).
    const runners = loadRunners(file, wellFormedRunners(raw), context);
    return {
      desired: undefined,
      ...(runners.length > 0 ? { checkable: { file, runners } } : {}),
      issues: sortIssues(issues),
      secrets,
      unsetSecrets,
      ...(warnings.length > 0 ? { warnings: sortIssues(warnings) } : {}),
    };
  }
  const runners = loadRunners(file, parsed.data.runners, context);
  return {
    desired: { file, runners },
    issues: sortIssues(issues),
    secrets,
    unsetSecrets,
    ...(warnings.length > 0 ? { warnings: sortIssues(warnings) } : {}),
  };
}

interface RunnersContext {
  env: Record<string, string | undefined>;
  issue: (path: readonly PathPart[], message: string, key?: boolean) => void;
  positions: LazyPositions;
  secrets: Map<string, string>;
  unset: LoadContext["unset"];
  warn: LoadContext["warn"];
}

/** A runner entry as the structure reads it: its id and name, and one list per kind under the kind's key. */
type RunnerData = { id: string; name?: string | undefined } & Record<string, unknown>;

/**
 * Runners (and their kinds' entries) in file order. The arrays may be sparse: a hole (a part that is
 * not well formed) is skipped by forEach, so the others keep their index and thus their path.
 */
function loadRunners(file: string, entries: readonly RunnerData[], context: RunnersContext): DesiredRunner[] {
  const { issue, positions } = context;
  const runners: DesiredRunner[] = [];
  const seenRunners = new Set<string>();
  entries.forEach((runner, r) => {
    const runnerPath: PathPart[] = ["runners", r];
    if (seenRunners.has(runner.id)) issue([...runnerPath, "id"], `runner ${runner.id} is listed twice`);
    seenRunners.add(runner.id);

    // Each kind reads its own list, in the registry's order (a kind may refer to an earlier one's).
    const objects = new Map<string, readonly Located[]>();
    for (const format of FILE_FORMATS) {
      const list = runner[format.key];
      const entries = Array.isArray(list) ? (list as readonly unknown[]) : [];
      objects.set(
        format.key,
        loadList(format, entries, {
          ...context,
          listPath: [...runnerPath, format.key],
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
  return runners;
}

/**
 * The parts of a file with structure errors that are well formed on their own: runners with a valid
 * id, and of each the entries that pass their kind's entry schema. Sparse arrays keep the indexes.
 */
function wellFormedRunners(raw: unknown): RunnerData[] {
  const runners: RunnerData[] = [];
  const list = isRecord(raw) && Array.isArray(raw.runners) ? (raw.runners as unknown[]) : [];
  list.forEach((runner, r) => {
    if (!isRecord(runner)) return;
    const id = RunnerEntry.shape.id.safeParse(runner.id);
    if (!id.success) return;
    const data: RunnerData = { id: id.data, name: typeof runner.name === "string" ? runner.name : undefined };
    for (const format of FILE_FORMATS) {
      const entries = runner[format.key];
      if (!Array.isArray(entries)) continue;
      const kept: unknown[] = new Array(entries.length);
      entries.forEach((entry: unknown, index) => {
        const one = format.entry.safeParse(entry);
        if (one.success) kept[index] = one.data;
      });
      data[format.key] = kept;
    }
    runners[r] = data;
  });
  return runners;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
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
  const unsetSecrets: UnsetSecret[] = [];
  const runners: DesiredRunner[] = [];
  const firstPlace = new Map<string, DesiredRunner>();
  let complete = true;
  for (const source of sources) {
    const loaded = loadRunnerConfig(source.file, source.text, env);
    issues.push(...loaded.issues);
    warnings.push(...(loaded.warnings ?? []));
    for (const [name, value] of loaded.secrets) secrets.set(name, value);
    unsetSecrets.push(...loaded.unsetSecrets);
    if (!loaded.desired) complete = false;
    // A file with structure errors still gives its well-formed runners to the live-schema checks.
    for (const runner of (loaded.desired ?? loaded.checkable)?.runners ?? []) {
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
  const state = { file: sources.map((source) => source.file).join(", "), runners };
  return {
    desired: complete ? state : undefined,
    ...(!complete && runners.length > 0 ? { checkable: state } : {}),
    issues: sortIssues(issues),
    secrets,
    unsetSecrets,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * The field and the message as one phrase, saying the field once: `enabled: expected …` under
 * `…enabled` and `version must be 1` under `version` repeat the field the path ends with.
 */
export function issueText(issue: Pick<ConfigIssue, "path" | "message">): string {
  if (!issue.path) return issue.message;
  const field = issue.path
    .split(".")
    .pop()
    ?.replace(/\[\d+\]$/, "");
  if (field && issue.message.startsWith(`${field}: `))
    return `${issue.path}: ${issue.message.slice(field.length + 2)}`;
  if (field && issue.message.startsWith(`${field} `))
    return `${issue.path}${issue.message.slice(field.length)}`;
  return `${issue.path}: ${issue.message}`;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issueText(issue)}`;
}
