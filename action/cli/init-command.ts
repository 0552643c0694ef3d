/**
 * `init`: a repository ready for its first pull request. Exports the runners into
 * .gitpod/runner-config.yaml and writes the plan, apply and drift workflows (the examples, with one
 * `env:` line per secret variable the file references), then lists the repository secrets to add.
 * A file that exists is kept unless --force; a kept runner-config file is read instead of exported.
 */
import { join } from "node:path";
import { parse } from "yaml";
import applyTemplate from "../../examples/workflows/runner-config-apply.yml";
import driftTemplate from "../../examples/workflows/runner-config-drift.yml";
import planTemplate from "../../examples/workflows/runner-config-plan.yml";
import { countsText, type ExportResult } from "../../shared/export/export.js";
import { booleanFlag } from "./args.js";
import { apiUsed, CliFailure, type CommandContext } from "./context.js";
import { exportedConfig, runnerIds } from "./export-command.js";
import { exists, readTextFile, repositoryRoot, writeTextFile } from "./files.js";
import { referencedVariables, renderWorkflow } from "./workflow-template.js";

/** Where the workflows expect the file (their `paths:` filters and the action's default `config`). */
const CONFIG = ".gitpod/runner-config.yaml";

const WORKFLOWS = [
  { path: ".github/workflows/gitpod-plan.yml", template: planTemplate, source: "runner-config-plan.yml" },
  { path: ".github/workflows/gitpod-apply.yml", template: applyTemplate, source: "runner-config-apply.yml" },
  { path: ".github/workflows/gitpod-drift.yml", template: driftTemplate, source: "runner-config-drift.yml" },
] as const;

/** The repository secret that holds the API token in every workflow. */
const API_TOKEN_SECRET = "GITPOD_API_TOKEN";

interface SecretToAdd {
  name: string;
  holds: string;
}

/** The variables a kept runner-config file references, or why it cannot be read as YAML. */
function keptFileVariables(text: string): string[] {
  try {
    return referencedVariables(parse(text));
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new CliFailure(
      `${CONFIG}${line ? `:${line}` : ""}: not valid YAML, so init cannot tell which secrets it needs; fix it, or run init --force to export it again`,
      1,
    );
  }
}

export async function initCommand(context: CommandContext): Promise<number> {
  const { io, args, term } = context;
  const force = booleanFlag(args, "force");
  const ids = runnerIds(context, true);
  const root = await repositoryRoot();
  const at = (path: string) => join(root.dir, path);

  // Everything is worked out before the first write: a failed export writes nothing.
  const keepConfig = !force && (await exists(at(CONFIG)));
  let exported: ExportResult | undefined;
  let secrets: SecretToAdd[];
  let configText: string | undefined;
  if (keepConfig) {
    secrets = keptFileVariables(await readTextFile(at(CONFIG), "init")).map((name) => ({
      name,
      holds: `what ${CONFIG} names \${${name}}`,
    }));
  } else {
    exported = await exportedConfig(context, ids);
    configText = exported.text;
    secrets = exported.secrets
      .filter((secret, index, all) => all.findIndex((other) => other.variable === secret.variable) === index)
      .map((secret) => ({ name: secret.variable, holds: secret.describes }));
  }
  const variables = secrets.map((secret) => secret.name);
  const plans = [
    ...(configText === undefined ? [] : [{ path: CONFIG, text: configText }]),
    ...WORKFLOWS.map((workflow) => ({
      path: workflow.path,
      text: renderWorkflow(workflow.template, variables, `examples/workflows/${workflow.source}`),
    })),
  ];
  const written: string[] = [];
  const kept: string[] = keepConfig ? [CONFIG] : [];
  for (const file of plans) {
    if (!force && (await exists(at(file.path)))) {
      kept.push(file.path);
      continue;
    }
    await writeTextFile(at(file.path), file.text, "init");
    written.push(file.path);
  }
  const toAdd: SecretToAdd[] = [{ name: API_TOKEN_SECRET, holds: "an Ona (Gitpod) API token" }, ...secrets];

  if (booleanFlag(args, "json")) {
    io.out(
      JSON.stringify(
        {
          ok: true,
          root: root.dir,
          written,
          kept,
          ...(exported ? { counts: exported.counts, notes: exported.notes } : {}),
          secrets: toAdd,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const ok = term.paint("green", term.glyph("ok"));
  if (exported) io.out(`${ok} Exported ${countsText(exported.counts)}, read from ${apiUsed(context)}.`);
  for (const note of exported?.notes ?? []) io.out(`${term.paint("yellow", term.glyph("warn"))} ${note}`);
  if (written.length > 0) io.out(`Wrote, in ${root.dir}:\n${written.map((path) => `  ${path}`).join("\n")}`);
  if (kept.length > 0)
    io.out(`Kept (they exist; --force overwrites them):\n${kept.map((path) => `  ${path}`).join("\n")}`);
  const width = Math.max(...toAdd.map((secret) => secret.name.length));
  io.out(
    [
      "",
      "Add these repository secrets (each command asks for the value):",
      ...toAdd.map((secret) => `  gh secret set ${secret.name.padEnd(width)}  # ${secret.holds}`),
      "",
      "Then commit these files on a branch and open a pull request: the plan workflow comments the plan on it,",
      "and after the merge the apply workflow applies that plan.",
    ].join("\n"),
  );
  return 0;
}
