/**
 * The CLI's command table: every command with its flags, its help and its handler, in the order help
 * lists them. Parsing, `help <command>`, "did you mean" and dispatch come from it, and a command
 * without a handler does not compile. Adding a command: one entry here (CONTRIBUTING.md).
 */
import type { FlagSpec } from "./args.js";
import type { CommandContext } from "./context.js";
import { exportCommand } from "./export-command.js";
import { initCommand } from "./init-command.js";
import { schemaCommand } from "./schema-command.js";
import { syncCommand } from "./sync-commands.js";

/** What help says about a command, and the flags its parser accepts. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
  /** Extra help text after the flags. */
  notes?: string;
}

/** A command the CLI runs: its spec and the handler that gets its parsed flags and returns the exit code. */
interface CliCommand extends CommandSpec {
  run: (context: CommandContext) => Promise<number>;
}

const config: FlagSpec = {
  type: "string",
  value: "FILE",
  description: "the runner-config file",
  default: ".gitpod/runner-config.yaml",
  short: "c",
};
const apiUrl: FlagSpec = {
  type: "string",
  value: "URL",
  description:
    "Gitpod API base URL (default: $ONA_BASE_URL, else $GITPOD_BASE_URL, else https://app.ona.com/api)",
};
const json: FlagSpec = { type: "boolean", description: "print the result as JSON" };
const policy: FlagSpec = {
  type: "string",
  value: "FILE",
  description: "policy rules every plan must pass (default: .gitpod/policies.yaml when it exists)",
};
const syncFlags: Record<string, FlagSpec> = {
  config,
  policy,
  prune: {
    type: "boolean",
    description: "disable environment classes and delete SCM integrations not in the file",
  },
  "allow-destructive": {
    type: "boolean",
    description: "allow operations that delete users' host tokens (removing OAuth, PAT off, deleting)",
  },
  "rotate-secrets": { type: "boolean", description: "send every OAuth client secret again" },
  concurrency: { type: "string", value: "N", description: "parallel API writes, 1 to 64", default: "8" },
  json,
  "api-url": apiUrl,
};

const COMMANDS: readonly CliCommand[] = [
  {
    name: "init",
    run: initCommand,
    summary: "set up a repository: export the runners and write the plan, apply and drift workflows",
    usage: "gitpod-runner-config init [--runner ID|all ...] [--force]",
    flags: {
      runner: {
        type: "string",
        value: "ID|all",
        description: "runner to export (repeatable), or all (the default)",
        multiple: true,
      },
      force: { type: "boolean", description: "overwrite files that exist" },
      json,
      "api-url": apiUrl,
    },
    notes:
      "Writes .gitpod/runner-config.yaml and .github/workflows/gitpod-{plan,apply,drift}.yml at the root of the\n" +
      "git repository (else the current directory), keeps each file that exists unless --force, and lists the\n" +
      "repository secrets the workflows read. A kept runner-config file is read instead of exported (no token needed).",
  },
  {
    name: "validate",
    run: syncCommand("validate"),
    summary: "check a runner-config file (against the runners' live schemas, or --offline)",
    usage: "gitpod-runner-config validate [--config FILE] [--offline]",
    flags: {
      config,
      offline: {
        type: "boolean",
        description: "no network and no token: syntax, structure and secret reference names only",
      },
      json,
      "api-url": apiUrl,
      policy,
    },
    notes:
      "Offline, an unset secret variable is a warning; online it is an error. Online, the policy file is compiled too.",
  },
  {
    name: "plan",
    run: syncCommand("plan"),
    summary: "show what apply would change",
    usage:
      "gitpod-runner-config plan [--config FILE] [--out PLAN.json] [--detailed-exitcode] [--drift managed|all]",
    flags: {
      ...syncFlags,
      out: { type: "string", value: "FILE", description: "save the plan for `apply FILE`" },
      "detailed-exitcode": {
        type: "boolean",
        description:
          "exit 0 when there are no changes, 2 when changes are pending, 3 when a policy rule fails, 1 on any other error",
      },
      drift: {
        type: "string",
        value: "managed|all",
        description:
          "what --detailed-exitcode counts: changes to the file's objects (managed, the default), or also objects in Gitpod the file does not hold (all)",
      },
    },
  },
  {
    name: "apply",
    run: syncCommand("apply"),
    summary: "make the runners match the file (or apply a saved plan)",
    usage: "gitpod-runner-config apply [PLAN.json] [--config FILE] [--yes]",
    flags: {
      ...syncFlags,
      yes: { type: "boolean", description: "do not ask for confirmation", short: "y" },
      "auto-approve": { type: "boolean", description: "the same as --yes" },
      "policy-override": {
        type: "string",
        value: "REASON",
        description: "emergency: apply despite failing policy rules; the reason is printed with the result",
      },
    },
    notes:
      "With PLAN.json (from `plan --out`), plans again from the same files with the same flags and applies only if\n" +
      "the files, the runners and the operations are still those of the saved plan.\n" +
      "On a terminal, apply shows the plan and asks before changing anything, unless --yes.",
  },
  {
    name: "export",
    run: exportCommand,
    summary: "write a runner-config file of what runners have now",
    usage: "gitpod-runner-config export --runner <ID|all> [--runner ID...] [--out FILE]",
    flags: {
      runner: {
        type: "string",
        value: "ID|all",
        description: "runner to export (repeatable), or all",
        multiple: true,
      },
      out: { type: "string", value: "FILE", description: "write to FILE instead of standard output" },
      "schema-url": {
        type: "string",
        value: "URL",
        description: "JSON Schema for the yaml-language-server line (default: the published one)",
      },
      json,
      "api-url": apiUrl,
    },
    notes:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${VAR} syntax
      "OAuth client secrets cannot be read back: each becomes ${OAUTH_SECRET_<HOST>} (see docs/cli.md).\n" +
      "`all` finds runners through their environment classes and SCM integrations: a runner with neither is not listed.",
  },
  {
    name: "schema",
    run: schemaCommand,
    summary: "write the JSON Schema (draft 2020-12) of the file format",
    usage: "gitpod-runner-config schema [--runner ID...] [--out FILE]",
    flags: {
      runner: {
        type: "string",
        value: "ID",
        description: "add this runner's configuration keys from its live schema (repeatable; needs a token)",
        multiple: true,
      },
      out: { type: "string", value: "FILE", description: "write to FILE instead of standard output" },
      json,
      "api-url": apiUrl,
    },
  },
];

/**
 * `help` answers for any word (an unknown one gets "did you mean") and knows the version, so
 * runCli answers it before the table's dispatch; it is listed after the commands.
 */
const HELP: CommandSpec = {
  name: "help",
  summary: "show help for a command",
  usage: "gitpod-runner-config help [COMMAND]",
  flags: {},
};

/** Every command help lists, in its order. */
export const LISTED: readonly CommandSpec[] = [...COMMANDS, HELP];

/** The command to run for a name (not `help`, which runCli answers itself). */
export function commandNamed(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

/** The spec `help <name>` shows, `help` itself included. */
export function helpNamed(name: string): CommandSpec | undefined {
  return LISTED.find((command) => command.name === name);
}

export function generalHelp(version: string): string {
  const width = Math.max(...LISTED.map((command) => command.name.length));
  return [
    `gitpod-runner-config ${version}: Gitpod runner configuration as code`,
    "",
    "usage: gitpod-runner-config <command> [flags]",
    "",
    "commands:",
    ...LISTED.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "global flags: --help (-h), --version (-v), --no-color",
    "environment: ONA_API_KEY (the API token; legacy GITPOD_API_KEY), ONA_BASE_URL (legacy GITPOD_BASE_URL), NO_COLOR, FORCE_COLOR",
    'Run "gitpod-runner-config help <command>" for a command\'s flags.',
  ].join("\n");
}

export function commandHelp(command: CommandSpec): string {
  const rows = Object.entries(command.flags).map(([name, flag]) => {
    const left = `${flag.short ? `-${flag.short}, ` : "    "}--${name}${flag.value ? ` ${flag.value}` : ""}`;
    return [left, `${flag.description}${flag.default ? ` (default: ${flag.default})` : ""}`] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return [
    `usage: ${command.usage}`,
    "",
    command.summary,
    ...(rows.length > 0
      ? ["", "flags:", ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)]
      : []),
    ...(command.notes ? ["", command.notes] : []),
  ].join("\n");
}
