/**
 * The same engine outside GitHub: `gitpod-runner-config validate|plan|apply` for a person at a
 * terminal. The token comes from GITPOD_API_KEY, the API URL from --api-url or GITPOD_BASE_URL.
 */
import { parseArgs } from "node:util";
import { readConfigText } from "../shared/config/read.js";
import { runSync, type SyncMode } from "../shared/sync/engine.js";
import { formatApplyText, formatIssuesText, formatPlanText } from "../shared/sync/format.js";
import { refusedOperations } from "../shared/sync/plan-types.js";
import { clientFor } from "./client.js";

const USAGE = `usage: gitpod-runner-config <validate|plan|apply> [--config FILE] [--prune] [--allow-destructive]
                            [--rotate-secrets] [--concurrency N] [--json] [--api-url URL]
environment: GITPOD_API_KEY (required), GITPOD_BASE_URL`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 failed or (plan) nothing else, 2 bad usage. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { command, values } = parsed;
  const token = io.env.GITPOD_API_KEY;
  if (!token) {
    io.err("GITPOD_API_KEY is not set: export a Gitpod API token first");
    return 2;
  }
  const read = await readConfigText(values.config);
  if (!read.ok) {
    if (read.issue) {
      io.err(formatIssuesText([read.issue]));
      return 1;
    }
    io.err(`--config: cannot read ${values.config}`);
    return 2;
  }
  const text = read.text;
  let client: ReturnType<typeof clientFor>;
  try {
    client = clientFor(token, values["api-url"], io.env, values.concurrency);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  try {
    const result = await runSync(client, {
      file: values.config,
      text,
      env: io.env,
      mode: command,
      prune: values.prune,
      allowDestructive: values["allow-destructive"],
      rotateSecrets: values["rotate-secrets"],
      concurrency: values.concurrency,
    });
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            ok: result.ok,
            changed: result.changed,
            issues: result.issues,
            plan: result.plan,
            apply: result.apply,
          },
          null,
          2,
        ),
      );
      return result.ok ? 0 : 1;
    }
    if (result.issues.length > 0) {
      io.err(formatIssuesText(result.issues));
      return 1;
    }
    if (command === "validate") {
      io.out(`${values.config} is valid.`);
      return 0;
    }
    if (result.plan) io.out(formatPlanText(result.plan));
    if (command === "apply" && result.plan && refusedOperations(result.plan).length > 0) {
      io.err("Destructive operations refused; nothing was changed. Pass --allow-destructive to apply them.");
      return 1;
    }
    if (result.apply) io.out(formatApplyText(result.apply));
    return result.ok ? 0 : 1;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await client.close();
  }
}

function parse(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", default: ".gitpod/runner-config.yaml" },
      prune: { type: "boolean", default: false },
      "allow-destructive": { type: "boolean", default: false },
      "rotate-secrets": { type: "boolean", default: false },
      concurrency: { type: "string", default: "8" },
      json: { type: "boolean", default: false },
      "api-url": { type: "string" },
    },
  });
  const command = positionals[0];
  if (command !== "validate" && command !== "plan" && command !== "apply") {
    throw new Error(command ? `unknown command "${command}"` : "missing command");
  }
  if (positionals.length > 1) throw new Error(`unexpected argument "${positionals[1]}"`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error(`--concurrency must be an integer from 1 to 64, got "${values.concurrency}"`);
  }
  return { command: command as SyncMode, values: { ...values, concurrency } };
}
