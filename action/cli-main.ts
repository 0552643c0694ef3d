/** The CLI's process entry (bundled to dist/cli-bundle.js, loaded by dist/cli.js): run, then exit with its code. */
import { createInterface } from "node:readline/promises";
import { escapeWorkflowCommands } from "../shared/text/untrusted.js";
import { runCli } from "./cli.js";
import { keepYoungGenerationSmall } from "./young-generation.js";

keepYoungGenerationSmall();

// The CLI may run in a workflow step too: its output must not forge workflow commands either.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${escapeWorkflowCommands(text)}\n`),
  err: (text) => process.stderr.write(`${escapeWorkflowCommands(text)}\n`),
  write: (text) => process.stdout.write(escapeWorkflowCommands(text)),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  ask: async (question) => {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
});
