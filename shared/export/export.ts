/**
 * Turns what runners have now into a runner-config file that plans to "no changes". Pure: the
 * caller reads the state (see read-state.ts) and writes the text. Secrets cannot be read back, so
 * each OAuth client secret becomes a `${VAR}` reference (see secret-names.ts). What the file format
 * cannot express (two classes with one display name in a runner) is left out and said in `notes`.
 */
import { stringify } from "yaml";
import type { EnvironmentClass, ScmIntegration } from "../api/schemas.js";
import { oneLine } from "../text/untrusted.js";
import { secretVariableName } from "./secret-names.js";

export interface ExportRunnerState {
  runnerId: string;
  environmentClasses: EnvironmentClass[];
  scmIntegrations: ScmIntegration[];
}

export interface ExportedSecret {
  variable: string;
  runnerId: string;
  scmId: string;
  host: string;
  clientId: string;
}

export interface ExportResult {
  text: string;
  secrets: ExportedSecret[];
  /** What could not be written as it is, one sentence each. */
  notes: string[];
  counts: { runners: number; environmentClasses: number; scmIntegrations: number };
}

export interface ExportOptions {
  /** Where the data came from, for the header (an API URL; never a token). */
  source: string;
  now: Date;
  /** URL of the JSON Schema for the `yaml-language-server` line; omitted when undefined. */
  schemaUrl?: string;
}

/**
 * A configuration value as the file should hold it: numbers and booleans bare when they read back
 * as the same string, everything else a string (the YAML writer quotes it when it would not).
 */
function fileValue(value: string): string | number | boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^-?(0|[1-9][0-9]{0,14})$/.test(value) && String(Number(value)) === value) return Number(value);
  return value;
}

/** Among classes sharing a display name, the one the planner would match: first enabled, else first. */
function keptClass(candidates: EnvironmentClass[]): EnvironmentClass {
  const kept = candidates.find((c) => c.enabled) ?? candidates[0];
  if (!kept) throw new Error("internal: no candidates");
  return kept;
}

function environmentClassEntry(environmentClass: EnvironmentClass): Record<string, unknown> {
  const entry: Record<string, unknown> = { displayName: environmentClass.displayName ?? "" };
  if (environmentClass.description) entry.description = environmentClass.description;
  if (!environmentClass.enabled) entry.enabled = false;
  const configuration: Record<string, string | number | boolean> = {};
  for (const field of environmentClass.configuration ?? []) {
    configuration[field.key ?? ""] = fileValue(field.value ?? "");
  }
  if (Object.keys(configuration).length > 0) entry.configuration = configuration;
  return entry;
}

export function exportRunnerConfig(runners: ExportRunnerState[], options: ExportOptions): ExportResult {
  const notes: string[] = [];
  const secrets: ExportedSecret[] = [];
  const oauthHosts = new Map<string, number>();
  for (const runner of runners) {
    for (const host of new Set(
      runner.scmIntegrations.filter((i) => i.oauth?.clientId).map((i) => (i.host ?? "").toLowerCase()),
    )) {
      oauthHosts.set(host, (oauthHosts.get(host) ?? 0) + 1);
    }
  }
  const counts = { runners: runners.length, environmentClasses: 0, scmIntegrations: 0 };
  // Two hosts can map to one name (`git.example.com`, `git-example.com`): later ones get `_2`, `_3`.
  const used = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name}_${n}`;
    used.add(candidate);
    return candidate;
  };

  const runnerEntries = runners.map((runner) => {
    const byName = new Map<string, EnvironmentClass[]>();
    for (const environmentClass of runner.environmentClasses) {
      const name = environmentClass.displayName ?? "";
      byName.set(name, [...(byName.get(name) ?? []), environmentClass]);
    }
    const environmentClasses: Record<string, unknown>[] = [];
    for (const [name, candidates] of byName) {
      const kept = keptClass(candidates);
      environmentClasses.push(environmentClassEntry(kept));
      counts.environmentClasses++;
      const left = candidates.filter((c) => c !== kept);
      if (left.length > 0) {
        const leftEnabled = left.filter((c) => c.enabled).length;
        notes.push(
          `Runner ${runner.runnerId} has ${candidates.length} environment classes named ${JSON.stringify(name)}, ` +
            `and a file holds one per runner: the export keeps ${kept.id}${kept.enabled ? " (enabled)" : " (disabled)"} ` +
            `and leaves out ${left.map((c) => c.id).join(", ")}; plan and apply leave those alone` +
            (leftEnabled > 0
              ? `, except that --prune would disable the ${leftEnabled} enabled one(s).`
              : "."),
        );
      }
    }

    const scmIntegrations = runner.scmIntegrations.map((integration) => {
      counts.scmIntegrations++;
      const host = integration.host ?? "";
      const entry: Record<string, unknown> = {
        scmId: integration.scmId ?? "",
        host,
        pat: integration.pat ?? false,
      };
      if (integration.virtualDirectory) entry.virtualDirectory = integration.virtualDirectory;
      const clientId = integration.oauth?.clientId;
      if (clientId) {
        const variable = unique(
          secretVariableName(host, runner.runnerId, (oauthHosts.get(host.toLowerCase()) ?? 0) > 1),
        );
        secrets.push({ variable, runnerId: runner.runnerId, scmId: integration.scmId ?? "", host, clientId });
        const oauth: Record<string, string> = { clientId, clientSecret: `\${${variable}}` };
        if (integration.oauth?.issuerUrl) oauth.issuerUrl = integration.oauth.issuerUrl;
        entry.oauth = oauth;
      }
      return entry;
    });

    return { id: runner.runnerId, environmentClasses, scmIntegrations };
  });

  const header: string[] = [];
  if (options.schemaUrl) header.push(`# yaml-language-server: $schema=${options.schemaUrl}`);
  header.push(
    `# Exported by gitpod-runner-config on ${options.now.toISOString()} from ${oneLine(options.source)}.`,
    `# ${counts.runners} runner(s), ${counts.environmentClasses} environment class(es), ${counts.scmIntegrations} SCM integration(s).`,
  );
  if (secrets.length > 0) {
    header.push(
      "#",
      "# OAuth client secrets cannot be read back from the API. Set these variables before plan/apply",
      "# (plan and apply send a secret only when the client id changes or with --rotate-secrets):",
    );
    for (const secret of secrets) {
      header.push(
        `#   ${secret.variable}: ${oneLine(secret.scmId)} ${oneLine(secret.host)} on runner ${secret.runnerId} (client ${oneLine(secret.clientId)})`,
      );
    }
  }
  if (notes.length > 0) {
    header.push("#", "# Not exported as it is:");
    for (const note of notes) header.push(`#   ${oneLine(note)}`);
  }
  const body = stringify({ version: 1, runners: runnerEntries }, { lineWidth: 0 });
  return { text: `${header.join("\n")}\n${body}`, secrets, notes, counts };
}
