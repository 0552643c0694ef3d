/** `validate`, `plan` and `apply`: the sync engine for a terminal, plus saved plans and --offline. */
import type { ConfigSource } from "../../shared/config/load.js";
import { validateOffline } from "../../shared/config/offline.js";
import { expandConfigPaths } from "../../shared/config/paths.js";
import { runSync, type SyncMode } from "../../shared/sync/engine.js";
import { formatApplyText } from "../../shared/sync/format.js";
import { summaryLine } from "../../shared/sync/plan-report.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import { type Plan, pendingOperations, refusedOperations } from "../../shared/sync/plan-types.js";
import { applySavedPlan, parseSavedPlan, SavedPlanError, savedPlan } from "../../shared/sync/saved-plan.js";
import { booleanFlag, stringFlag, UsageError } from "./args.js";
import { apiClient, CliFailure, type CommandContext, requireToken } from "./context.js";
import { readConfigFile, readTextFile, writeTextFile } from "./files.js";
import { formatIssuesWithSource } from "./issues-text.js";
import { applyProgress } from "./progress.js";

function concurrencyOf(context: CommandContext): number {
  const text = stringFlag(context.args, "concurrency") ?? "8";
  const concurrency = Number(text);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(`--concurrency must be an integer from 1 to 64, got "${text}"`);
  }
  return concurrency;
}

/** Asks on a terminal unless --yes; elsewhere (CI, pipes) goes ahead, as before. */
/** `{ confirm }` when the user is asked before applying; `{}` with --yes or without a terminal. */
function confirmOption(
  context: CommandContext,
  printPlan: (plan: Plan) => void,
): { confirm?: (plan: Plan) => Promise<boolean> } {
  const { io } = context;
  if (approved(context)) return {};
  if (!io.stdinIsTTY || !io.ask) return {};
  const ask = io.ask;
  const confirm = async (plan: Plan) => {
    printPlan(plan);
    const count = pendingOperations(plan).length;
    const answer = await ask(`Apply ${count === 1 ? "this change" : `these ${count} changes`}? [y/N] `);
    const yes = /^y(es)?$/i.test(answer.trim());
    if (!yes) io.err("Not applied: nothing was changed.");
    return yes;
  };
  return { confirm };
}

/**
 * What apply does before its first write: show the plan (so it comes before any progress line, in
 * every mode) and, on a terminal without --yes, ask.
 */
function showPlanBeforeWrites(
  context: CommandContext,
  printPlan: (plan: Plan) => void,
): (plan: Plan) => Promise<boolean> {
  return (
    confirmOption(context, printPlan).confirm ??
    (async (plan) => {
      printPlan(plan);
      return true;
    })
  );
}

/** Whether apply may go ahead without asking (--yes or --auto-approve). */
function approved(context: CommandContext): boolean {
  return booleanFlag(context.args, "yes") || booleanFlag(context.args, "auto-approve");
}

async function validateFileOffline(context: CommandContext, file: string, text: string): Promise<number> {
  const { io, term } = context;
  const result = validateOffline(file, text, io.env);
  if (booleanFlag(context.args, "json")) {
    const ok = result.issues.length === 0;
    io.out(
      JSON.stringify(
        { ok, offline: true, file, issues: result.issues, unsetVariables: result.unsetVariables },
        null,
        2,
      ),
    );
    return ok ? 0 : 1;
  }
  if (result.issues.length > 0) {
    io.err(
      formatIssuesWithSource(result.issues, new Map([[file, text]]), `${result.issues.length} error(s):`),
    );
    return 1;
  }
  for (const name of result.unsetVariables) {
    io.err(
      `${term.paint("yellow", term.glyph("warn"))} warning: environment variable ${name} is not set (needed by plan and apply)`,
    );
  }
  io.out(
    `${file} is valid (offline: syntax, structure and secret references; the runners' live schemas were not checked).`,
  );
  return 0;
}

async function applySaved(context: CommandContext, planFile: string): Promise<number> {
  const { io, term } = context;
  let saved: ReturnType<typeof parseSavedPlan>;
  try {
    saved = parseSavedPlan(planFile, await readTextFile(planFile, "apply"));
  } catch (error) {
    if (error instanceof SavedPlanError) throw new CliFailure(error.message, context.usageCode);
    throw error;
  }
  if (booleanFlag(context.args, "json")) return applySavedJson(context, planFile, saved);
  const printPlan = (plan: Plan) => io.out(formatPlanText(plan, { ascii: !term.unicode }));
  const client = apiClient(context, requireToken(context));
  const progress = applyProgress(term, io);
  try {
    const confirming = confirmOption(context, printPlan);
    if (!confirming.confirm) printPlan(saved.plan);
    const result = await applySavedPlan(client, saved, io.env, {
      concurrency: concurrencyOf(context),
      onOutcome: progress.onOutcome,
      ...confirming,
    });
    progress.end();
    switch (result.status) {
      case "applied":
        io.out(finalLine(result.apply));
        return result.apply.ok ? 0 : 1;
      case "declined":
        return 1;
      default:
        io.err(`${planFile}: ${result.message}`);
        return 1;
    }
  } finally {
    await client.close();
  }
}

/** `apply PLAN.json --json --yes`: the outcome as one JSON document, no progress. */
async function applySavedJson(
  context: CommandContext,
  planFile: string,
  saved: ReturnType<typeof parseSavedPlan>,
): Promise<number> {
  if (!approved(context)) {
    throw new UsageError("apply --json needs --yes: it cannot ask before applying while it prints JSON");
  }
  const client = apiClient(context, requireToken(context));
  try {
    const result = await applySavedPlan(client, saved, context.io.env, {
      concurrency: concurrencyOf(context),
    });
    const ok = result.status === "applied" && result.apply.ok;
    context.io.out(
      JSON.stringify(
        {
          ok,
          status: result.status,
          ...("message" in result ? { message: `${planFile}: ${result.message}` } : {}),
          plan: saved.plan,
          ...(result.status === "applied" ? { apply: result.apply } : {}),
          fingerprint: saved.fingerprint,
        },
        null,
        2,
      ),
    );
    return ok ? 0 : 1;
  } finally {
    await client.close();
  }
}

function finalLine(apply: Parameters<typeof formatApplyText>[0]): string {
  return formatApplyText(apply).split("\n").pop() ?? "";
}

/** The config file's text; a file the reader refuses (too large, not UTF-8) is an error at its line. */
async function configText(file: string): Promise<string> {
  const read = await readConfigFile(file, "--config");
  if ("text" in read) return read.text;
  throw new CliFailure(
    formatIssuesWithSource([read.issue], new Map(), "1 error(s); nothing was changed:"),
    1,
  );
}

/** The files `--config` names (one, a comma-separated list, or globs), each read: planned as one. */
async function configSources(setting: string): Promise<ConfigSource[]> {
  const paths = await expandConfigPaths(setting);
  if (!paths.ok) throw new UsageError(`--config: ${paths.error}`);
  const sources: ConfigSource[] = [];
  for (const file of paths.files) sources.push({ file, text: await configText(file) });
  return sources;
}

/** `validate FILE...` (as pre-commit calls it): each file in turn; fails if any fails. */
async function validateEach(context: CommandContext, files: string[]): Promise<number> {
  if (context.argv.some((arg) => arg === "--config" || arg === "-c" || arg.startsWith("--config="))) {
    throw new UsageError("give the files either with --config or as arguments, not both");
  }
  const json = booleanFlag(context.args, "json");
  // With --json each file's document is collected, and one document lists them all.
  const documents: unknown[] = [];
  const io = json
    ? { ...context.io, out: (text: string) => documents.push(JSON.parse(text) as unknown) }
    : context.io;
  let code = 0;
  for (const file of files) {
    const args = { ...context.args, positionals: [], values: { ...context.args.values, config: file } };
    code = Math.max(code, await syncCommand("validate")({ ...context, io, args, argv: [] }));
  }
  if (json) context.io.out(JSON.stringify({ ok: code === 0, files: documents }, null, 2));
  return code;
}

export function syncCommand(mode: SyncMode) {
  return async (context: CommandContext): Promise<number> => {
    const { io, args, term } = context;
    const extra = context.args.positionals;
    if (mode === "apply" && extra.length === 1 && extra[0]) {
      // A saved plan carries its file and options: flags that would change them are a mistake.
      const conflicting = ["config", "prune", "allow-destructive", "rotate-secrets"].filter((name) =>
        context.argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`)),
      );
      if (conflicting.length > 0) {
        throw new UsageError(
          `a saved plan carries its file and options: drop ${conflicting.map((name) => `--${name}`).join(", ")} (or plan again with them)`,
        );
      }
      return applySaved(context, extra[0]);
    }
    if (mode === "validate" && extra.length > 0) return validateEach(context, extra);
    if (extra.length > 0)
      throw new UsageError(`unexpected argument "${extra[mode === "apply" ? 1 : 0] ?? extra[0]}"`);
    const json = booleanFlag(args, "json");
    if (mode === "apply" && json && !approved(context)) {
      throw new UsageError("apply --json needs --yes: it cannot ask before applying while it prints JSON");
    }
    const file = stringFlag(args, "config") ?? ".gitpod/runner-config.yaml";
    const concurrency = concurrencyOf(context);
    if (mode === "validate" && booleanFlag(args, "offline")) {
      return validateFileOffline(context, file, await configText(file));
    }
    const token = requireToken(context);
    const sources = await configSources(file);
    const ascii = !term.unicode;
    let planShown = false;
    const printPlan = (plan: Plan) => {
      io.out(formatPlanText(plan, { ascii }));
      planShown = true;
    };
    const progress = applyProgress(term, io);
    const client = apiClient(context, token, concurrency);
    try {
      const result = await runSync(client, {
        sources,
        env: io.env,
        mode,
        prune: booleanFlag(args, "prune"),
        allowDestructive: booleanFlag(args, "allow-destructive"),
        rotateSecrets: booleanFlag(args, "rotate-secrets"),
        concurrency,
        ...(json ? {} : { onOutcome: progress.onOutcome, confirm: showPlanBeforeWrites(context, printPlan) }),
      });
      progress.end();
      const out = stringFlag(args, "out");
      if (mode === "plan" && out && result.ok && result.plan && result.fingerprint) {
        await writeTextFile(
          out,
          `${JSON.stringify(savedPlan(result.plan, result.fingerprint, new Date()), null, 2)}\n`,
          "--out",
        );
      }
      const detailed = booleanFlag(args, "detailed-exitcode");
      const planCode = () => (detailed && result.changed ? 2 : 0);
      if (json) {
        const { ok, changed, issues, plan, apply, fingerprint } = result;
        io.out(JSON.stringify({ ok, changed, issues, plan, apply, fingerprint }, null, 2));
        return !ok ? 1 : mode === "plan" ? planCode() : 0;
      }
      if (result.issues.length > 0) {
        io.err(
          formatIssuesWithSource(
            result.issues,
            new Map(sources.map((source) => [source.file, source.text])),
            `${result.issues.length} error(s); nothing was changed:`,
          ),
        );
        return 1;
      }
      if (mode === "validate") {
        io.out(`${file} is valid.`);
        return 0;
      }
      if (result.plan && !planShown) printPlan(result.plan);
      if (mode === "plan") {
        if (out) io.err(`Saved the plan to ${out}; apply it with: gitpod-runner-config apply ${out}`);
        return planCode();
      }
      if (result.declined) return 1;
      if (result.plan && refusedOperations(result.plan).length > 0) {
        io.err(
          "Destructive operations refused; nothing was changed. Pass --allow-destructive to apply them.",
        );
        return 1;
      }
      if (result.apply)
        io.out(result.apply.outcomes.length === 0 ? formatApplyText(result.apply) : finalLine(result.apply));
      else if (result.plan) io.out(summaryLine(result.plan));
      return result.ok ? 0 : 1;
    } finally {
      await client.close();
    }
  };
}
