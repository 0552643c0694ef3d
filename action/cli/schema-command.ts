/** `schema [--runner ID...] [--out FILE]`: the file format as JSON Schema, with runners' keys if asked. */
import { GitpodApiError } from "../../shared/api/errors.js";
import { runnerConfigJsonSchema } from "../../shared/config/json-schema.js";
import { booleanFlag, listFlag, stringFlag } from "./args.js";
import { apiClient, CliFailure, type CommandContext, requireToken } from "./context.js";
import { writeTextFile } from "./files.js";

export async function schemaCommand(context: CommandContext): Promise<number> {
  const { io, args } = context;
  const ids = [...new Set(listFlag(args, "runner"))];
  let runners: Parameters<typeof runnerConfigJsonSchema>[0] = [];
  if (ids.length > 0) {
    const client = apiClient(context, requireToken(context));
    try {
      runners = await Promise.all(
        ids.map(async (runnerId) => {
          try {
            // A runner that reports no schema adds no keys (its configuration stays open).
            return { runnerId, schema: (await client.schema.get({ runnerId })) ?? {} };
          } catch (error) {
            if (error instanceof GitpodApiError && error.code === "not_found")
              throw new CliFailure(`runner ${runnerId} was not found (or this token cannot see it)`, 1);
            throw error;
          }
        }),
      );
    } finally {
      await client.close();
    }
  }
  const text = `${JSON.stringify(runnerConfigJsonSchema(runners), null, 2)}\n`;
  const out = stringFlag(args, "out");
  if (out) {
    await writeTextFile(out, text, "--out");
    // The schema is JSON already; with --out, --json says where it went.
    if (booleanFlag(args, "json")) {
      io.out(JSON.stringify({ ok: true, out, runners: ids }, null, 2));
      return 0;
    }
    io.err(
      `Wrote the JSON Schema${ids.length > 0 ? ` with ${ids.length} runner(s)' configuration keys` : ""} to ${out}.`,
    );
  } else io.out(text.trimEnd());
  return 0;
}
