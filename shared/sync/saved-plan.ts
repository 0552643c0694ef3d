/**
 * Terraform's flow, with the saved file trusted for nothing: `plan --out FILE` saves the plan with
 * each config file's path and SHA-256, the options it was made with and the fingerprint of the
 * runners it read. `apply FILE` plans again from the files on disk and the live runners (runSync's
 * `expected`), and applies only when the files, the runners and the operations are what was saved:
 * an edited plan (another object's id, a dropped `destructive`, another secret variable) no longer
 * matches and nothing is sent. Pure: reading files and calling the API are the callers' and the
 * engine's. The CLI uses it today; the action's apply of a pull request's plan builds on it.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ConfigSource } from "../config/load.js";
import { ALL_KINDS, operationLabel } from "../kinds/registry.js";
import { canonicalJson } from "./fingerprint.js";
import { ACTIONS, type PlanOptions } from "./plan-base.js";
import type { Operation, Plan } from "./plan-types.js";

export const SAVED_PLAN_FORMAT = "gitpod-runner-config-plan";
export const SAVED_PLAN_VERSION = 2;

/** A config file the plan was made from: its path as given, and the SHA-256 of its text. */
interface SavedPlanFile {
  path: string;
  sha256: string;
}

export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  version: typeof SAVED_PLAN_VERSION;
  createdAt: string;
  files: SavedPlanFile[];
  /** The options the plan was made with: apply takes the same flags, or refuses. */
  options: PlanOptions;
  /** stateFingerprint of the runners when the plan was made. */
  fingerprint: string;
  plan: Plan;
}

/** What apply compares a fresh plan with (the action may hold it from another job). */
export type ExpectedPlan = Pick<SavedPlan, "createdAt" | "files" | "fingerprint" | "plan">;

/** "sha256:<hex>" of a config file's text (as the reader decoded it). */
function fileSha256(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

export function savedPlan(
  plan: Plan,
  fingerprint: string,
  sources: readonly ConfigSource[],
  now: Date,
): SavedPlan {
  return {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    createdAt: now.toISOString(),
    files: sources.map((source) => ({ path: source.file, sha256: fileSha256(source.text) })),
    options: { ...plan.options },
    fingerprint,
    plan,
  };
}

export class SavedPlanError extends Error {}

const FLAGS: ReadonlyArray<[keyof PlanOptions, string]> = [
  ["prune", "--prune"],
  ["allowDestructive", "--allow-destructive"],
  ["rotateSecrets", "--rotate-secrets"],
];

/** The command that makes a saved plan of today's format from `config` with `options`. */
function planCommand(config: string, options: Partial<PlanOptions> | undefined, out: string): string {
  const flags = FLAGS.filter(([key]) => options?.[key] === true).map(([, flag]) => ` ${flag}`);
  return `gitpod-runner-config plan --config ${config}${flags.join("")} --out ${out}`;
}

const KNOWN_KINDS = ALL_KINDS.map((kind) => kind.kind);
const SHA256 = /^sha256:[0-9a-f]{64}$/;

const options = z.strictObject({
  prune: z.boolean(),
  allowDestructive: z.boolean(),
  rotateSecrets: z.boolean(),
});
const operation = z.looseObject({
  kind: z.string(),
  action: z.enum(ACTIONS),
  runnerId: z.string(),
  key: z.string(),
});
const savedPlanSchema = z.object({
  format: z.literal(SAVED_PLAN_FORMAT),
  version: z.literal(SAVED_PLAN_VERSION),
  createdAt: z.string(),
  files: z.array(z.strictObject({ path: z.string().min(1), sha256: z.string().regex(SHA256) })).min(1),
  options,
  fingerprint: z.string().regex(SHA256),
  plan: z.looseObject({
    version: z.literal(1),
    file: z.string(),
    options,
    runners: z.array(z.looseObject({ runnerId: z.string(), operations: z.array(operation) })),
  }),
});

/** Reads a saved plan, or says in words why the file is not one this version applies. */
export function parseSavedPlan(file: string, text: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SavedPlanError(
      `${file} is not a saved plan: it is not JSON (make one with "plan --out ${file}")`,
    );
  }
  const head = (data !== null && typeof data === "object" ? data : {}) as Record<string, unknown>;
  if (head.format !== SAVED_PLAN_FORMAT) {
    throw new SavedPlanError(`${file} is not a saved plan (make one with "plan --out ${file}")`);
  }
  if (head.version === 1) {
    const plan = head.plan as { file?: unknown; options?: Partial<PlanOptions> } | undefined;
    const config = typeof plan?.file === "string" && plan.file ? plan.file.replace(/, /g, ",") : "FILE";
    throw new SavedPlanError(
      `${file} is a saved plan of format 1, which holds neither its files' hashes nor a way to check its operations, so it is not applied; nothing was changed. Make a new one with: ${planCommand(config, plan?.options, file)}`,
    );
  }
  if (head.version !== SAVED_PLAN_VERSION) {
    throw new SavedPlanError(
      `${file}: saved plan format version ${JSON.stringify(head.version)} is not one this version reads (it reads ${SAVED_PLAN_VERSION}); nothing was changed`,
    );
  }
  const parsed = savedPlanSchema.safeParse(data);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const where = first?.path.length ? first.path.join(".") : "the plan";
    throw new SavedPlanError(
      `${file}: damaged saved plan: ${where}: ${first?.message ?? "invalid"}; nothing was changed (make a new one with "plan --out ${file}")`,
    );
  }
  parsed.data.plan.runners.forEach((runner, r) => {
    runner.operations.forEach((candidate, o) => {
      if (!KNOWN_KINDS.includes(candidate.kind as Operation["kind"])) {
        throw new SavedPlanError(
          `${file}: plan.runners[${r}].operations[${o}] has kind ${JSON.stringify(candidate.kind)}, which this version does not know (it knows ${KNOWN_KINDS.join(", ")}); nothing was changed`,
        );
      }
    });
  });
  // Checked enough to be read and compared; what it asks for is proven by planning again.
  return parsed.data as unknown as SavedPlan;
}

/** The flags, as given on the command line, that differ from the options the plan was made with. */
export function flagsDifferingFromSaved(saved: SavedPlan, given: PlanOptions): string[] {
  return FLAGS.filter(([key]) => saved.options[key] !== given[key]).map(([key, flag]) =>
    saved.options[key] ? `${flag} (the plan was made with it)` : `${flag} (the plan was made without it)`,
  );
}

/**
 * Why the saved plan no longer matches the files read now and the plan and fingerprint made from
 * them and the live runners; empty when it matches. Fingerprints are printed in full.
 */
export function planMismatches(
  expected: ExpectedPlan,
  now: { sources: readonly ConfigSource[]; plan?: Plan; fingerprint?: string },
): string[] {
  const reasons: string[] = [];
  const texts = new Map(now.sources.map((source) => [source.file, source.text]));
  const savedPaths = expected.files.map((saved) => saved.path);
  const readPaths = now.sources.map((source) => source.file);
  if (canonicalJson(savedPaths) !== canonicalJson(readPaths)) {
    reasons.push(`it was made from ${savedPaths.join(", ")}, and ${readPaths.join(", ")} was read`);
  }
  for (const saved of expected.files) {
    const text = texts.get(saved.path);
    if (text === undefined) continue;
    const sha256 = fileSha256(text);
    if (sha256 !== saved.sha256)
      reasons.push(
        `${saved.path} changed since the plan was made (${saved.sha256} in the plan, ${sha256} now)`,
      );
  }
  // A changed file plans differently by design: the file is the reason, not its operations.
  if (reasons.length > 0 || !now.plan || now.fingerprint === undefined) return reasons;
  if (now.fingerprint !== expected.fingerprint) {
    reasons.push(
      `the runners changed since the plan was made (${expected.createdAt}): fingerprint ${expected.fingerprint} in the plan, ${now.fingerprint} now`,
    );
  }
  if (canonicalJson(expected.plan) !== canonicalJson(now.plan)) {
    reasons.push(operationDifferences(expected.plan, now.plan));
  }
  return reasons;
}

/** `update environment class "Large" on runner …` */
function describe(operation: Operation): string {
  return `${operation.action} ${operationLabel(operation)} on runner ${operation.runnerId}`;
}

/** The operations only one of the two plans has, in words (at most three of each). */
function operationDifferences(saved: Plan, fresh: Plan): string {
  const all = (plan: Plan) => plan.runners.flatMap((runner) => runner.operations);
  const freshTexts = new Set(all(fresh).map(canonicalJson));
  const savedTexts = new Set(all(saved).map(canonicalJson));
  const onlySaved = all(saved).filter((operation) => !freshTexts.has(canonicalJson(operation)));
  const onlyFresh = all(fresh).filter((operation) => !savedTexts.has(canonicalJson(operation)));
  if (onlySaved.length === 0 && onlyFresh.length === 0)
    return "its operations are the same but the rest of the plan (options, runners, notes) differs from the plan made now";
  const list = (operations: Operation[]) =>
    `${operations.slice(0, 3).map(describe).join("; ")}${operations.length > 3 ? ` and ${operations.length - 3} more` : ""}`;
  const parts = [];
  if (onlySaved.length > 0) parts.push(`only in the saved plan: ${list(onlySaved)}`);
  if (onlyFresh.length > 0) parts.push(`only in the plan made now: ${list(onlyFresh)}`);
  return `its operations differ from what the files and the runners give now (${parts.join("; ")})`;
}

/** The one sentence a refused saved plan is reported with. */
export function mismatchMessage(reasons: readonly string[]): string {
  return `the plan no longer matches: ${reasons.join("; ")}; nothing was changed. Run plan again.`;
}
