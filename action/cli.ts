/**
 * The same engine outside GitHub, for a person at a terminal: validate, plan, apply, export, schema,
 * help. The token comes from ONA_API_KEY (legacy GITPOD_API_KEY), the API URL from --api-url or
 * ONA_BASE_URL (legacy GITPOD_BASE_URL). Exit
 * codes: 0 ok, 1 failed, 2 bad usage (with `plan --detailed-exitcode`: 0 no changes, 2 changes
 * pending, 1 any error).
 */

import { readFileSync } from "node:fs";
import { didYouMean } from "../shared/text/did-you-mean.js";
import { parseCommandArgs, UsageError } from "./cli/args.js";
import {
  type CommandSpec,
  commandHelp,
  commandNamed,
  generalHelp,
  helpNamed,
  LISTED,
} from "./cli/commands.js";
import { CliFailure, type CliIo } from "./cli/context.js";
import { FileError } from "./cli/files.js";
import { detectTerminal } from "./cli/terminal.js";

/**
 * The package's version, read when asked from the package.json next to dist/ (and action/): read at
 * run time rather than built in, so that a release's version bump does not change the bundle.
 */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

export type { CliIo } from "./cli/context.js";

export async function runCli(argvGiven: string[], io: CliIo): Promise<number> {
  // --no-color is global, anywhere on the line: the same as NO_COLOR (and stronger than FORCE_COLOR).
  const noColor = argvGiven.includes("--no-color");
  const argv = noColor ? argvGiven.filter((arg) => arg !== "--no-color") : argvGiven;
  const usageCode = argv.includes("--detailed-exitcode") ? 1 : 2;
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-V" || first === "-v" || first === "version") {
    io.out(`gitpod-runner-config ${packageVersion()} (Node.js ${process.versions.node})`);
    return 0;
  }
  if (first === undefined) {
    io.err(`missing command\n\n${generalHelp(packageVersion())}`);
    return usageCode;
  }
  if (first === "--help" || first === "-h") {
    io.out(generalHelp(packageVersion()));
    return 0;
  }
  if (first === "help") {
    if (!rest[0]) {
      io.out(generalHelp(packageVersion()));
      return 0;
    }
    const command = helpNamed(rest[0]);
    if (!command) return unknownCommand(rest[0], io, usageCode);
    io.out(commandHelp(command));
    return 0;
  }
  const command = commandNamed(first);
  if (!command) {
    if (first.startsWith("-")) {
      io.err(`missing command before ${first}\n\n${generalHelp(packageVersion())}`);
      return usageCode;
    }
    return unknownCommand(first, io, usageCode);
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const args = parseCommandArgs(command, rest);
    const env = noColor ? { ...io.env, FORCE_COLOR: undefined, NO_COLOR: "1" } : io.env;
    const term = detectTerminal(env, io.stdoutIsTTY ?? false);
    return await command.run({ io, args, argv: rest, term, usageCode });
  } catch (error) {
    const code = reportFailure(error, command, io, usageCode);
    // With --json, standard output holds one JSON document even when the command fails.
    if (rest.includes("--json")) io.out(JSON.stringify({ ok: false, error: failureText(error) }, null, 2));
    return code;
  }
}

function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unknownCommand(name: string, io: CliIo, usageCode: number): number {
  const names = LISTED.map((command) => command.name);
  io.err(
    `unknown command "${name}"${didYouMean(name, names)}\nRun "gitpod-runner-config --help" for the commands.`,
  );
  return usageCode;
}

function reportFailure(error: unknown, command: CommandSpec, io: CliIo, usageCode: number): number {
  if (error instanceof UsageError) {
    io.err(`${error.message}\nRun "gitpod-runner-config help ${command.name}" for its flags.`);
    return usageCode;
  }
  if (error instanceof FileError) {
    io.err(error.message);
    return usageCode;
  }
  if (error instanceof CliFailure) {
    io.err(error.message);
    return error.code;
  }
  io.err(failureText(error));
  return 1;
}
