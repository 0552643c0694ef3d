/**
 * Turns what runners have now into a runner-config file that plans to "no changes". Pure: the
 * caller reads the state (see read-state.ts) and writes the text. Each resource kind writes its own
 * list (FileFormat.exportEntries). Secrets cannot be read back, so each becomes a `${VAR}`
 * reference named by its kind (docs/cli.md, "Export"). What the file format cannot express (two
 * classes with one display name in a runner, ...) is left out and said in `notes`.
 */
import { stringify } from "yaml";
import type { ExportedSecret } from "../config/file-format.js";
import { ALL_KINDS } from "../kinds/registry.js";
import type { LiveRunner } from "../sync/current-state.js";
import { oneLine } from "../text/untrusted.js";

/** A runner's objects as read for export: one list per kind (lists of kinds not read may be absent). */
export type ExportRunnerState = LiveRunner;

export interface ExportResult {
  text: string;
  secrets: ExportedSecret[];
  /** What could not be written as it is, one sentence each. */
  notes: string[];
  /** Runners, and entries written per kind in words: `[3, "environment class(es)"]`. */
  counts: { runners: number; entries: Array<[number, string]> };
  /** Each runner's entries per kind, in the file's order (for a summary that says what came from where). */
  runners: Array<{ runnerId: string; entries: Array<[number, string]> }>;
}

export interface ExportOptions {
  /** Where the data came from, for the header (an API URL; never a token). */
  source: string;
  now: Date;
  /** URL of the JSON Schema for the `yaml-language-server` line; omitted when undefined. */
  schemaUrl?: string;
}

/** "2 runner(s), 4 environment class(es), 3 SCM integration(s), 0 service-account host token(s)". */
export function countsText(counts: ExportResult["counts"]): string {
  return [`${counts.runners} runner(s)`, ...counts.entries.map(([count, what]) => `${count} ${what}`)].join(
    ", ",
  );
}

export function exportRunnerConfig(runners: ExportRunnerState[], options: ExportOptions): ExportResult {
  const notes: string[] = [];
  const secretsByKind = new Map<string, ExportedSecret[]>();
  // Two names can come out as one (`git.example.com`, `git-example.com`): later ones get `_2`, `_3`.
  const used = new Set<string>();
  const variable = (name: string): string => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name}_${n}`;
    used.add(candidate);
    return candidate;
  };
  const counted = new Map<string, number>(ALL_KINDS.map((kind) => [kind.kind, 0]));

  const perRunner: ExportResult["runners"] = [];
  const runnerEntries = runners.map((runner) => {
    const entry: Record<string, unknown> = { id: runner.runnerId };
    const written: Array<[number, string]> = [];
    for (const kind of ALL_KINDS) {
      const secrets = secretsByKind.get(kind.kind) ?? [];
      secretsByKind.set(kind.kind, secrets);
      const entries = kind.file.exportEntries(runner, {
        runners,
        variable,
        secret: (secret) => secrets.push(secret),
        note: (note) => notes.push(note),
      });
      counted.set(kind.kind, (counted.get(kind.kind) ?? 0) + entries.length);
      written.push([entries.length, kind.file.counted]);
      // An empty list says nothing a missing one does not.
      if (entries.length > 0) entry[kind.file.key] = entries;
    }
    perRunner.push({ runnerId: runner.runnerId, entries: written });
    return entry;
  });

  const counts: ExportResult["counts"] = {
    runners: runners.length,
    entries: ALL_KINDS.map((kind) => [counted.get(kind.kind) ?? 0, kind.file.counted]),
  };
  const header: string[] = [];
  if (options.schemaUrl) header.push(`# yaml-language-server: $schema=${options.schemaUrl}`);
  header.push(
    `# Exported by gitpod-runner-config on ${options.now.toISOString()} from ${oneLine(options.source)}.`,
    `# ${countsText(counts)}.`,
  );
  for (const kind of ALL_KINDS) {
    const secrets = secretsByKind.get(kind.kind) ?? [];
    if (secrets.length === 0) continue;
    header.push("#", ...(kind.file.exportedSecretsHeader ?? []).map((line) => `# ${line}`));
    for (const secret of secrets) header.push(`#   ${secret.variable}: ${secret.describes}`);
  }
  if (notes.length > 0) {
    header.push("#", "# Not exported as it is:");
    for (const note of notes) header.push(`#   ${oneLine(note)}`);
  }
  const body = stringify({ version: 1, runners: runnerEntries }, { lineWidth: 0 });
  const secrets = ALL_KINDS.flatMap((kind) => secretsByKind.get(kind.kind) ?? []);
  return { text: `${header.join("\n")}\n${body}`, secrets, notes, counts, runners: perRunner };
}
