/**
 * The policy file for the action: from the workspace, or, on a pull request, from the base branch's
 * commit, so that a pull request cannot loosen or delete the rules it is checked against
 * (docs/policies.md). Read with `git show <base sha>:<path>` in the checkout: the workflow checks
 * out with `fetch-depth: 0` (or 2), which brings the base commit along.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import * as core from "@actions/core";
import { readConfigText } from "../shared/config/read.js";
import {
  DEFAULT_POLICY_FILE,
  loadPolicies,
  PolicyFileError,
  type PolicySet,
} from "../shared/policies/load.js";
import { plural } from "../shared/text/plural.js";
import { annotateIssues, workspaceRoot } from "./config-file.js";
import { logInfo } from "./log.js";

const run = promisify(execFile);
const COMMIT = /^[0-9a-f]{40}$/;
/** Larger policy files are refused (the config's limit is larger; rules are short). */
const MAX_POLICY_BYTES = 1024 * 1024;

/** The pull request's base commit from the event payload; undefined outside pull requests. */
async function baseCommit(env: Record<string, string | undefined>): Promise<string | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as {
      pull_request?: { base?: { sha?: unknown } };
    };
    const sha = event.pull_request?.base?.sha;
    return typeof sha === "string" && COMMIT.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

type Read = { text: string } | { absent: true } | { failed: string };

/** The file at the base commit, `absent` when the base has none. */
async function readAtCommit(file: string, sha: string, cwd: string): Promise<Read> {
  try {
    await run("git", ["cat-file", "-e", `${sha}^{commit}`], { cwd });
  } catch {
    return {
      failed: `the pull request's base commit ${sha} is not in the checkout, so the base branch's policy file ${file} cannot be read; check out with fetch-depth: 0 (actions/checkout)`,
    };
  }
  const path = `${sha}:./${file.replace(/^\.\//, "")}`;
  try {
    await run("git", ["cat-file", "-e", path], { cwd });
  } catch {
    return { absent: true };
  }
  try {
    const { stdout } = await run("git", ["show", path], {
      cwd,
      maxBuffer: MAX_POLICY_BYTES,
      encoding: "utf8",
    });
    return { text: stdout };
  } catch {
    return { failed: `${file} at the base commit ${sha} could not be read (larger than 1 MiB?)` };
  }
}

export type PolicyLoad = { ok: true; set?: PolicySet } | { ok: false };

/**
 * The rules the `policy` input names (default .gitpod/policies.yaml, none when that does not exist),
 * compiled; `ok: false` after failing the step with the file's errors at their lines.
 */
export async function readPolicySet(
  input: string | undefined,
  env: Record<string, string | undefined>,
): Promise<PolicyLoad> {
  const file = input ?? DEFAULT_POLICY_FILE;
  const fail = (message: string): PolicyLoad => {
    core.setFailed(`${message}; nothing was changed`);
    return { ok: false };
  };
  let text: string;
  const base = await baseCommit(env);
  if (base) {
    const read = await readAtCommit(file, base, workspaceRoot().dir);
    if ("failed" in read) {
      // A shallow checkout of a repository that has no rules must keep working; one that names or
      // holds a policy file must not be checked against nothing.
      if (input !== undefined || existsSync(file)) return fail(read.failed);
      core.warning(
        `${read.failed}. If the base branch has a policy file, this plan was not checked against it (apply still is).`,
      );
      return { ok: true };
    }
    if ("absent" in read) {
      logInfo(
        `The base branch (${base.slice(0, 12)}) has no policy file ${file}: no policy rules apply to this pull request.`,
      );
      return { ok: true };
    }
    logInfo(
      `Policy rules from the base branch: ${file} at ${base.slice(0, 12)} (the pull request's copy is not used).`,
    );
    text = read.text;
  } else {
    if (input === undefined && !existsSync(file)) return { ok: true };
    const read = await readConfigText(file, workspaceRoot());
    if (!read.ok) {
      if (read.issue) annotateIssues([read.issue]);
      return fail(
        read.issue
          ? `${file}:${read.issue.line}: ${read.issue.message}`
          : `policy file ${file} could not be read (input policy)`,
      );
    }
    text = read.text;
  }
  try {
    return { ok: true, set: loadPolicies(file, text) };
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    annotateIssues(error.issues);
    logInfo(error.message);
    return fail(`${plural(error.issues.length, "error")} in the policy file ${file}`);
  }
}
