/** The CLI's process entry (bundled to dist/cli.js, the package's `bin`): run, then exit with its code. */
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
});
