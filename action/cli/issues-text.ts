/**
 * Config errors for a terminal: `file:line:column: path: message` (the field said once, see
 * issueText), then the line of the file with a caret under the value. An issue that knows only its
 * line (column 1: a runner, a server answer) gets the caret at the value after the field's key.
 * Secret values in the quoted line are masked.
 */
import { formatIssue } from "../../shared/config/load.js";
import { maskSourceLine } from "../../shared/config/mask.js";
import type { ConfigIssue } from "../../shared/config/types.js";

function valueColumn(issue: ConfigIssue, line: string): number {
  if (issue.column > 1) return issue.column;
  const key = issue.path
    .split(".")
    .pop()
    ?.replace(/\[\d+\]$/, "");
  if (!key) return issue.column;
  const match = new RegExp(`(^|[\\s{,-])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:\\s*`).exec(line);
  return match ? match.index + match[0].length + 1 : issue.column;
}

export function formatIssuesWithSource(
  issues: ConfigIssue[],
  sources: ReadonlyMap<string, string>,
  header: string,
): string {
  const out = [header];
  for (const issue of issues) {
    const line = sources.get(issue.file)?.split(/\r?\n/)[issue.line - 1];
    if (line === undefined) {
      out.push(`  ${formatIssue(issue)}`);
      continue;
    }
    const column = valueColumn(issue, line);
    out.push(`  ${formatIssue({ ...issue, column })}`);
    const number = String(issue.line);
    // Secret values and credential-shaped text are shown as ***; the caret follows them.
    const shown = maskSourceLine(line);
    // Tabs would shift the caret: show them as one space, the same width as the caret's count.
    out.push(`    ${number} | ${shown.text.replace(/\t/g, " ")}`);
    out.push(`    ${" ".repeat(number.length)} | ${" ".repeat(Math.max(0, shown.column(column) - 1))}^`);
  }
  return out.join("\n");
}
