/**
 * What an export wrote, for people: one model (the file written and the export's result) and thin
 * renderers for the log and the job summary. Runner ids, hosts, client ids and display names come
 * from the API, so the markdown escapes them.
 */
import { codeSpan, markdownText } from "../markdown/escape.js";
import { markdownTable } from "../markdown/table.js";
import { countsText, type ExportResult } from "./export.js";

export interface ExportReport {
  /** The file written, as the user named it. */
  file: string;
  /** The API the runners were read from (no credentials). */
  source: string;
  result: ExportResult;
}

/** "3 environment class(es), 1 SCM integration(s)": the kinds with entries, or "nothing". */
function entriesText(entries: ReadonlyArray<[number, string]>): string {
  const written = entries.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return written.length > 0 ? written.join(", ") : "nothing";
}

/** Each variable once, in the order the file's header lists them. */
export function exportedVariables(report: ExportReport): string[] {
  return [...new Set(report.result.secrets.map((secret) => secret.variable))];
}

export function exportTitle(report: ExportReport): string {
  return `Exported ${countsText(report.result.counts)} to ${report.file}`;
}

function runnerVariables(report: ExportReport, runnerId: string): string[] {
  return [
    ...new Set(
      report.result.secrets.filter((secret) => secret.runnerId === runnerId).map((secret) => secret.variable),
    ),
  ];
}

export function exportText(report: ExportReport): string {
  const lines = [`${exportTitle(report)}, read from ${report.source}.`];
  for (const runner of report.result.runners) {
    const variables = runnerVariables(report, runner.runnerId);
    lines.push(
      `  runner ${runner.runnerId}: ${entriesText(runner.entries)}${variables.length > 0 ? `; secrets ${variables.join(", ")}` : ""}`,
    );
  }
  if (report.result.secrets.length > 0) {
    lines.push(
      "Secrets cannot be read back: pass each to the plan and apply steps as a variable of that name:",
    );
    for (const secret of report.result.secrets) lines.push(`  ${secret.variable}: ${secret.describes}`);
  }
  if (report.result.notes.length > 0) {
    lines.push("Not exported as it is:");
    for (const note of report.result.notes) lines.push(`  ${note}`);
  }
  return lines.join("\n");
}

export function exportMarkdown(report: ExportReport): string {
  const { result } = report;
  const lines = [
    `### Gitpod runner configuration: ${markdownText(exportTitle(report))}`,
    "",
    `Read from ${markdownText(report.source)}; written to ${codeSpan(report.file)}.`,
    "",
    ...markdownTable(
      ["Runner", "Exported", "Secrets the workflow must pass"],
      result.runners.map((runner) => {
        const variables = runnerVariables(report, runner.runnerId);
        return [
          codeSpan(runner.runnerId),
          markdownText(entriesText(runner.entries)),
          variables.length > 0 ? variables.map(codeSpan).join(", ") : "none",
        ];
      }),
    ),
  ];
  if (result.secrets.length > 0) {
    lines.push(
      "",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${VAR} syntax
      "Secrets cannot be read back, so the file names each as `${VARIABLE}`. Plan and apply send one only for a new client id or token, or a rotation; pass each as a step variable of the same name (from a repository secret) where the plan says it is needed:",
      "",
      ...result.secrets.map((secret) => `- ${codeSpan(secret.variable)}: ${markdownText(secret.describes)}`),
    );
  }
  if (result.notes.length > 0) {
    lines.push("", "Not exported as it is:", "", ...result.notes.map((note) => `- ${markdownText(note)}`));
  }
  return `${lines.join("\n")}\n`;
}
