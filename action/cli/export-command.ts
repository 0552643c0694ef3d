/** `export --runner <ID|all> [--out FILE]`: what runners have now, as a runner-config file. */
import { PUBLISHED_SCHEMA_URL } from "../../shared/config/json-schema.js";
import { countsText, type ExportResult } from "../../shared/export/export.js";
import { exportRunners, NothingToExportError, runnerSelection } from "../../shared/export/export-runners.js";
import { UnknownRunnerError } from "../../shared/export/read-state.js";
import { booleanFlag, listFlag, stringFlag, UsageError } from "./args.js";
import { apiClient, apiSource, apiUsed, CliFailure, type CommandContext, requireToken } from "./context.js";
import { writeTextFile } from "./files.js";

/** The --runner flags: ids, or undefined for all (also when none is given and `all` is the default). */
export function runnerIds(context: CommandContext, allByDefault = false): string[] | undefined {
  const given = listFlag(context.args, "runner");
  if (given.length === 0 && allByDefault) return undefined;
  if (given.length === 0) throw new UsageError("export needs --runner ID (repeatable) or --runner all");
  const selection = runnerSelection(given, "--runner");
  if (!selection.ok) throw new UsageError(selection.error);
  return selection.ids;
}

/** The runners (`ids`, or all) as a runner-config file; `init` writes it too. */
export async function exportedConfig(
  context: CommandContext,
  ids: string[] | undefined,
): Promise<ExportResult> {
  const client = apiClient(context, requireToken(context));
  try {
    return await exportRunners(client, ids, {
      source: apiSource(context),
      now: new Date(),
      schemaUrl: stringFlag(context.args, "schema-url") ?? PUBLISHED_SCHEMA_URL,
    });
  } catch (error) {
    if (error instanceof UnknownRunnerError) throw new CliFailure(error.message, 1);
    if (error instanceof NothingToExportError)
      throw new CliFailure(`${error.message} (name runners with --runner ID)`, 1);
    throw error;
  } finally {
    await client.close();
  }
}

export async function exportCommand(context: CommandContext): Promise<number> {
  const { io, args, term } = context;
  const ids = runnerIds(context);
  const out = stringFlag(args, "out");
  const result = await exportedConfig(context, ids);
  if (out) await writeTextFile(out, result.text, "--out");
  if (booleanFlag(args, "json")) {
    // One document: the file itself only when it was not written to --out.
    io.out(
      JSON.stringify(
        {
          ok: true,
          ...(out ? { out } : { text: result.text }),
          counts: result.counts,
          secrets: result.secrets,
          notes: result.notes,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  if (!out) io.out(result.text.trimEnd());
  // What export did goes to standard error, so that standard output stays the file.
  io.err(
    `${term.paint("green", term.glyph("ok"))} Exported ${countsText(result.counts)}${out ? ` to ${out}` : ""}, read from ${apiUsed(context)}.`,
  );
  for (const note of result.notes) io.err(`${term.paint("yellow", term.glyph("warn"))} ${note}`);
  if (result.secrets.length > 0) {
    io.err(
      `Secrets cannot be read back: set ${result.secrets.map((secret) => secret.variable).join(", ")} where plan and apply run (they are sent only for a new client id or token, or a rotation; the plan says which it needs).`,
    );
  }
  return 0;
}
