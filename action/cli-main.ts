/** The CLI's process entry (bundled to dist/cli.js, the package's `bin`): run, then exit with its code. */
import { escapeWorkflowCommands } from "../shared/text/untrusted.js";
import { runCli } from "./cli.js";

// The CLI may run in a workflow step too: its output must not forge workflow commands either.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${escapeWorkflowCommands(text)}\n`),
  err: (text) => process.stderr.write(`${escapeWorkflowCommands(text)}\n`),
  env: process.env,
});
