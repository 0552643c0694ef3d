/** `validate`, `plan` and `apply`: the sync engine for a terminal, plus saved plans and --offline. */

import type { ConfigRoot } from "../../shared/config/confine.js";
import { type ConfigSource, formatIssue } from "../../shared/config/load.js";
import { validateOffline } from "../../shared/config/offline.js";
import { expandConfigPaths, literalConfigPaths } from "../../shared/config/paths.js";
import type { PolicyReport } from "../../shared/policies/evaluate.js";
import {
  DEFAULT_POLICY_FILE,
  loadPolicies,
  PolicyFileError,
  type PolicySet,
} from "../../shared/policies/load.js";
import { policyTextLines } from "../../shared/policies/report.js";
import { runSync, type SyncMode } from "../../shared/sync/engine.js";
import { formatApplyText } from "../../shared/sync/format.js";
import type { PlanOptions } from "../../shared/sync/plan-base.js";
import { summaryLine } from "../../shared/sync/plan-report.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import {
  hasDrift,
  type Plan,
  pendingOperations,
  refusedOperations,
  unmanagedObjects,
} from "../../shared/sync/plan-types.js";
import {
  flagsDifferingFromSaved,
  mismatchMessage,
  parseSavedPlan,
  type SavedPlan,
  SavedPlanError,
  savedPlan,
} from "../../shared/sync/saved-plan.js";
import { DRIFT_SCOPES, type DriftScope } from "../../shared/sync/unmanaged.js";
import { plural } from "../../shared/text/plural.js";
import { booleanFlag, stringFlag, UsageError } from "./args.js";
import { apiClient, CliFailure, type CommandContext, requireToken } from "./context.js";
import { FileError, readConfigFile, readTextFile, repositoryRoot, writeTextFile } from "./files.js";
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
  printPlan: (plan: Plan, policies?: PolicyReport) => void,
): { confirm?: (plan: Plan, policies?: PolicyReport) => Promise<boolean> } {
  const { io } = context;
  if (approved(context)) return {};
  if (!io.stdinIsTTY || !io.ask) return {};
  const ask = io.ask;
  const confirm = async (plan: Plan, policies?: PolicyReport) => {
    printPlan(plan, policies);
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
  printPlan: (plan: Plan, policies?: PolicyReport) => void,
): (plan: Plan, policies?: PolicyReport) => Promise<boolean> {
  return (
    confirmOption(context, printPlan).confirm ??
    (async (plan, policies) => {
      printPlan(plan, policies);
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
      formatIssuesWithSource(
        result.issues,
        new Map([[file, text]]),
        `${plural(result.issues.length, "error")}:`,
      ),
    );
    return 1;
  }
  for (const warning of result.warnings) {
    io.err(`${term.paint("yellow", term.glyph("warn"))} warning: ${formatIssue(warning)}`);
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

/** What a sync runs on: the files, the plan options, and for a saved plan what it must match. */
interface SyncInput {
  sources: ConfigSource[];
  options: PlanOptions;
  saved?: { file: string; plan: SavedPlan };
}

/**
 * `apply PLAN.json`: the files the plan was made from (or `--config`, which must name the same
 * ones) and its options, which the flags must repeat. runSync plans again and applies only if the
 * result equals the saved plan.
 */
async function savedPlanInput(context: CommandContext, planFile: string): Promise<SyncInput> {
  let saved: SavedPlan;
  try {
    saved = parseSavedPlan(planFile, await readTextFile(planFile, "apply"));
  } catch (error) {
    if (error instanceof SavedPlanError) throw new CliFailure(error.message, context.usageCode);
    throw error;
  }
  const differing = flagsDifferingFromSaved(saved, planOptionsOf(context));
  if (differing.length > 0) {
    throw new UsageError(
      `${planFile} was made with other options; apply it with the same flags: ${differing.join(", ")} (or plan again)`,
    );
  }
  const savedPaths = saved.files.map((entry) => entry.path);
  const setting = configGiven(context) ? stringFlag(context.args, "config") : undefined;
  if (setting !== undefined) {
    const given = await expandConfigPaths(setting);
    if (!given.ok) throw new UsageError(`--config: ${given.error}`);
    if (given.files.join("\n") !== savedPaths.join("\n"))
      throw new UsageError(
        `--config names ${given.files.join(", ")}, and ${planFile} was made from ${savedPaths.join(", ")}: drop --config (or plan again)`,
      );
  }
  // The plan file chose these paths: unless --config names them, they must be in the repository.
  const root = setting === undefined ? await repositoryRoot() : undefined;
  const sources: ConfigSource[] = [];
  for (const file of savedPaths) sources.push({ file, text: await configText(file, root) });
  return { sources, options: saved.options, saved: { file: planFile, plan: saved } };
}

function planOptionsOf(context: CommandContext): PlanOptions {
  return {
    prune: booleanFlag(context.args, "prune"),
    allowDestructive: booleanFlag(context.args, "allow-destructive"),
    rotateSecrets: booleanFlag(context.args, "rotate-secrets"),
  };
}

function finalLine(apply: Parameters<typeof formatApplyText>[0]): string {
  return formatApplyText(apply).split("\n").pop() ?? "";
}

/** The config file's text; a file the reader refuses (too large, not UTF-8) is an error at its line. */
async function configText(file: string, root: ConfigRoot | undefined): Promise<string> {
  const read = await readConfigFile(file, "--config", root);
  if ("text" in read) return read.text;
  throw new CliFailure(formatIssuesWithSource([read.issue], new Map(), "1 error; nothing was changed:"), 1);
}

/** The files `--config` names (one, a comma-separated list, or globs), each read: planned as one. */
async function configSources(context: CommandContext, setting: string): Promise<ConfigSource[]> {
  const paths = await expandConfigPaths(setting);
  if (!paths.ok) throw new UsageError(`--config: ${paths.error}`);
  const sources: ConfigSource[] = [];
  for (const file of paths.files)
    sources.push({ file, text: await configText(file, await rootFor(context, file)) });
  return sources;
}

/**
 * Where `file` must be: nowhere in particular when the command line names it literally; inside the
 * current repository when it is the default path or a glob's match (a symlink among them could
 * lead anywhere, and errors quote the file).
 */
async function rootFor(context: CommandContext, file: string): Promise<ConfigRoot | undefined> {
  const setting = stringFlag(context.args, "config");
  const named = configGiven(context) && setting !== undefined && literalConfigPaths(setting).includes(file);
  return named ? undefined : repositoryRoot();
}

/** Whether --config was on the command line (its value may be the default). */
function configGiven(context: CommandContext): boolean {
  return context.argv.some((arg) => arg === "--config" || arg === "-c" || arg.startsWith("--config="));
}

/**
 * The policy rules: `--policy FILE`, else .gitpod/policies.yaml when it exists (none otherwise).
 * Read and compiled before anything is planned: a rule that does not compile is an error at its line.
 */
async function policySetOf(context: CommandContext): Promise<PolicySet | undefined> {
  const named = stringFlag(context.args, "policy");
  const file = named ?? DEFAULT_POLICY_FILE;
  let text: string;
  try {
    text = await readTextFile(file, "--policy");
  } catch (error) {
    if (named === undefined && error instanceof FileError && /ENOENT/.test(error.message)) return undefined;
    throw error;
  }
  try {
    return loadPolicies(file, text);
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    throw new CliFailure(
      formatIssuesWithSource(
        error.issues,
        new Map([[file, text]]),
        `${plural(error.issues.length, "error")} in the policy file; nothing was planned:`,
      ),
      1,
    );
  }
}

/** `validate FILE...` (as pre-commit calls it): each file in turn; fails if any fails. */
async function validateEach(context: CommandContext, files: string[]): Promise<number> {
  if (configGiven(context)) {
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
    // Named on the command line, as if with --config.
    code = Math.max(code, await syncCommand("validate")({ ...context, io, args, argv: ["--config", file] }));
  }
  if (json) context.io.out(JSON.stringify({ ok: code === 0, files: documents }, null, 2));
  return code;
}

/** `--drift managed|all` (plan only): whether --detailed-exitcode counts unmanaged objects. */
function driftScopeOf(context: CommandContext): DriftScope {
  const text = stringFlag(context.args, "drift") ?? "managed";
  const scope = DRIFT_SCOPES.find((candidate) => candidate === text);
  if (!scope) throw new UsageError(`--drift must be one of ${DRIFT_SCOPES.join(", ")}, got "${text}"`);
  return scope;
}

export function syncCommand(mode: SyncMode) {
  return async (context: CommandContext): Promise<number> => {
    const { io, args, term } = context;
    const extra = context.args.positionals;
    const planFile = mode === "apply" && extra.length === 1 ? extra[0] : undefined;
    if (mode === "validate" && extra.length > 0) return validateEach(context, extra);
    if (extra.length > 0 && planFile === undefined)
      throw new UsageError(`unexpected argument "${extra[mode === "apply" ? 1 : 0] ?? extra[0]}"`);
    const json = booleanFlag(args, "json");
    if (mode === "apply" && json && !approved(context)) {
      throw new UsageError("apply --json needs --yes: it cannot ask before applying while it prints JSON");
    }
    const file = stringFlag(args, "config") ?? ".gitpod/runner-config.yaml";
    const concurrency = concurrencyOf(context);
    const drift = driftScopeOf(context);
    if (mode === "validate" && booleanFlag(args, "offline")) {
      return validateFileOffline(context, file, await configText(file, await rootFor(context, file)));
    }
    const token = requireToken(context);
    const input: SyncInput = planFile
      ? await savedPlanInput(context, planFile)
      : { sources: await configSources(context, file), options: planOptionsOf(context) };
    const { sources } = input;
    // validate compiles the rules too (a broken rule is found before plan); plan and apply evaluate them.
    const policySet = await policySetOf(context);
    const override = mode === "apply" ? stringFlag(args, "policy-override")?.trim() : undefined;
    if (override === "") throw new UsageError("--policy-override needs a reason");
    const ascii = !term.unicode;
    let planShown = false;
    const printPlan = (plan: Plan, policies?: PolicyReport) => {
      io.out(formatPlanText(plan, { ascii, paint: term.paint }));
      if (policies) io.out(`\n${policyTextLines(policies).join("\n")}`);
      planShown = true;
    };
    const progress = applyProgress(term, io);
    const client = apiClient(context, token, concurrency);
    try {
      const result = await runSync(client, {
        sources,
        env: io.env,
        mode,
        ...input.options,
        ...(input.saved ? { expected: input.saved.plan } : {}),
        concurrency,
        ...(policySet && mode !== "validate"
          ? { policies: { set: policySet, ...(override === undefined ? {} : { override }) } }
          : {}),
        ...(json ? {} : { onOutcome: progress.onOutcome, confirm: showPlanBeforeWrites(context, printPlan) }),
      });
      progress.end();
      const out = stringFlag(args, "out");
      if (mode === "plan" && out && result.ok && result.plan && result.fingerprint) {
        await writeTextFile(
          out,
          `${JSON.stringify(savedPlan(result.plan, result.fingerprint, sources, new Date()), null, 2)}\n`,
          "--out",
        );
      }
      const detailed = booleanFlag(args, "detailed-exitcode");
      // A plan that a rule of severity error fails cannot be applied as it is: the plan step fails.
      const policyFailed = (result.policies?.failures ?? 0) > 0;
      const planCode = () =>
        policyFailed ? (detailed ? 3 : 1) : detailed && result.plan && hasDrift(result.plan, drift) ? 2 : 0;
      if (json) {
        const { ok, changed, issues, plan, apply, fingerprint, policies } = result;
        const unmanaged = plan ? unmanagedObjects(plan).length : 0;
        io.out(
          JSON.stringify({ ok, changed, unmanaged, issues, plan, apply, fingerprint, policies }, null, 2),
        );
        return !ok ? 1 : mode === "plan" ? planCode() : 0;
      }
      if (result.mismatch) {
        io.err(`${input.saved?.file ?? file}: ${mismatchMessage(result.mismatch)}`);
        return 1;
      }
      if (result.issues.length > 0) {
        io.err(
          formatIssuesWithSource(
            result.issues,
            new Map(sources.map((source) => [source.file, source.text])),
            `${plural(result.issues.length, "error")}; nothing was changed:`,
          ),
        );
        return 1;
      }
      if (mode === "validate") {
        io.out(`${file} is valid.`);
        return 0;
      }
      if (result.plan && !planShown) printPlan(result.plan, result.policies);
      if (mode === "plan") {
        if (out) io.err(`Saved the plan to ${out}; apply it with: gitpod-runner-config apply ${out}`);
        return planCode();
      }
      if (result.declined) return 1;
      if (result.policyBlocked) {
        io.err(
          `${result.policies?.failures ?? 0} policy rule(s) failed; nothing was changed. Change the file (or, in an emergency, apply with --policy-override "<reason>").`,
        );
        return 1;
      }
      if (result.plan && refusedOperations(result.plan).length > 0) {
        io.err(
          input.saved
            ? "Destructive operations refused; nothing was changed. Plan again with --allow-destructive to apply them."
            : "Destructive operations refused; nothing was changed. Pass --allow-destructive to apply them.",
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
