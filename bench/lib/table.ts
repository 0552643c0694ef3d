/**
 * Renders the report as the text table printed by `npm run bench` and as Markdown for the docs.
 * Pure: report in, string out.
 */
import { type BenchReport, loadText, type Row } from "./report.js";
import { formatRpcCounts } from "./rpc-counts.js";

type LoadedRow = Row & { load: string };

const COLUMNS: Array<{ title: string; cell: (row: LoadedRow) => string }> = [
  { title: "Scenario", cell: (row) => row.scenario },
  { title: "Measure", cell: (row) => row.measure },
  { title: "Value", cell: (row) => row.value },
  { title: "Reference", cell: (row) => row.reference ?? "" },
  { title: "Ratio", cell: (row) => row.ratio ?? "" },
  { title: "Target", cell: (row) => row.target ?? "" },
  { title: "Result", cell: (row) => row.verdict },
  { title: "Load", cell: (row) => row.load },
];

/** Every row, with the load average of its scenario (the machine is shared). */
function allRows(report: BenchReport): LoadedRow[] {
  return report.scenarios.flatMap((scenario) =>
    scenario.rows.map((row) => ({ ...row, load: loadText(scenario.load) })),
  );
}

/** A plain text grid; the scenario name is printed only on its first row. */
export function renderTextTable(report: BenchReport): string {
  const rows = allRows(report);
  const cells = rows.map((row, index) =>
    COLUMNS.map((column, columnIndex) =>
      columnIndex === 0 && index > 0 && rows[index - 1]?.scenario === row.scenario ? "" : column.cell(row),
    ),
  );
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => (line[index] ?? "").length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join(" | ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("-+-");
  return [line(COLUMNS.map((column) => column.title)), rule, ...cells.map(line)].join("\n");
}

function escapeMarkdown(value: string): string {
  return value.replaceAll("|", "\\|");
}

export function renderMarkdownTable(report: BenchReport): string {
  const header = `| ${COLUMNS.map((column) => column.title).join(" | ")} |`;
  const rule = `| ${COLUMNS.map(() => "---").join(" | ")} |`;
  const body = allRows(report).map(
    (row) => `| ${COLUMNS.map((column) => escapeMarkdown(column.cell(row))).join(" | ")} |`,
  );
  return [header, rule, ...body].join("\n");
}

export function renderRequestCounts(report: BenchReport): string {
  const lines = report.scenarios.flatMap((scenario) =>
    scenario.requests.map((entry) => ({ run: entry.run, counts: formatRpcCounts(entry.counts) })),
  );
  const width = Math.max(0, ...lines.map((entry) => entry.run.length));
  return lines.map((entry) => `${entry.run.padEnd(width)}  ${entry.counts}`).join("\n");
}

export function renderNotes(report: BenchReport): string {
  return report.scenarios
    .flatMap((scenario) => scenario.notes.map((note) => `- ${scenario.title}: ${note}`))
    .join("\n");
}

/** Everything printed at the end of a run. */
export function renderReport(report: BenchReport): string {
  const machine = report.machine;
  const sections = [
    `Benchmark ${report.startedAt} on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}; ` +
      `load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(" ")}`,
    "",
    renderTextTable(report),
    "",
    "Requests by RPC",
    renderRequestCounts(report),
  ];
  const notes = renderNotes(report);
  if (notes) sections.push("", "Notes", notes);
  sections.push("", `Total ${(report.durationMs / 1000).toFixed(1)} s`);
  return sections.join("\n");
}
