/**
 * scripts/release as a maintainer runs it, in a clone of this repository with a bare repository as
 * the remote: it tags vX.Y.Z, moves vX, pushes both, and refuses (tagging nothing) when the
 * changelog, package.json, the version order or dist/ are not right.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
let dir: string;
let clone: string;
let remote: string;

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec("git", args, { cwd })).stdout.trim();
}

async function release(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec("bash", ["scripts/release", ...args, "--remote", "rel"], {
      cwd: clone,
      env: { ...process.env, PATH: `${resolve("node_modules/.bin")}:${process.env.PATH ?? ""}` },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

/** Sets package.json's version and adds a changelog section, then commits. */
async function prepare(version: string, changelog = true): Promise<void> {
  const pkg = JSON.parse(await readFile(join(clone, "package.json"), "utf8"));
  pkg.version = version;
  await writeFile(join(clone, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  if (changelog) {
    const text = await readFile(join(clone, "CHANGELOG.md"), "utf8");
    await writeFile(
      join(clone, "CHANGELOG.md"),
      text.replace("## [Unreleased]", `## [Unreleased]\n\n## [${version}] - 2026-11-24`),
    );
  }
  await git(clone, "commit", "-qam", `Release ${version}`);
}

async function remoteTags(): Promise<Record<string, string>> {
  const lines = (
    await git(remote, "for-each-ref", "--format=%(refname:short) %(*objectname)", "refs/tags")
  ).split("\n");
  return Object.fromEntries(lines.filter(Boolean).map((line) => line.split(" ") as [string, string]));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "runner-config-release-"));
  clone = join(dir, "clone");
  remote = join(dir, "remote.git");
  await exec("git", ["clone", "--quiet", "--no-tags", resolve("."), clone]);
  await exec("git", ["init", "--quiet", "--bare", remote]);
  await git(clone, "remote", "add", "rel", remote);
  await git(clone, "config", "user.email", "release-test@example.invalid");
  await git(clone, "config", "user.name", "release test");
  await symlink(resolve("node_modules"), join(clone, "node_modules"));
  await writeFile(join(clone, ".git", "info", "exclude"), "node_modules\n");
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("scripts/release", () => {
  it("refuses a version without a changelog section or with another package.json version", async () => {
    await prepare("0.7.0", false);
    const noChangelog = await release("0.7.0");
    expect(noChangelog.code).toBe(1);
    expect(noChangelog.out).toContain('CHANGELOG.md has no "## [0.7.0]" section');
    const mismatch = await release("0.8.0");
    expect(mismatch.out).toContain("package.json says 0.7.0");
    expect(await git(clone, "tag", "--list")).toBe("");
    expect(await remoteTags()).toEqual({});
  }, 60_000);

  it("tags v0.7.0 and v0, then v0.8.0 moves v0 and leaves v0.7.0 alone", async () => {
    await prepare("0.7.0");
    const first = await release("0.7.0");
    expect(first.out).toContain("Tagged v0.7.0 and moved v0");
    expect(first.code).toBe(0);
    const head1 = await git(clone, "rev-parse", "HEAD");
    expect(await remoteTags()).toEqual({ v0: head1, "v0.7.0": head1 });

    await prepare("0.8.0");
    expect((await release("v0.8.0")).code).toBe(0);
    const head2 = await git(clone, "rev-parse", "HEAD");
    expect(await remoteTags()).toEqual({ v0: head2, "v0.7.0": head1, "v0.8.0": head2 });
  }, 60_000);

  it("refuses an older version, a bad version, a dirty tree and a stale dist/", async () => {
    await prepare("0.7.5");
    expect((await release("0.7.5")).out).toContain("v0.7.5 is not newer than the latest release v0.8.0");
    expect((await release("1.2")).out).toContain('version must be X.Y.Z, got "1.2"');

    await prepare("0.9.0");
    await writeFile(join(clone, "stray.txt"), "x");
    expect((await release("0.9.0")).out).toContain("uncommitted changes");
    await rm(join(clone, "stray.txt"));

    await writeFile(join(clone, "dist", "index.js"), "// stale\n");
    await git(clone, "commit", "-qam", "stale dist");
    const stale = await release("0.9.0");
    expect(stale.code).toBe(1);
    expect(stale.out).toContain("dist/ is stale");
    expect(Object.keys(await remoteTags()).sort()).toEqual(["v0", "v0.7.0", "v0.8.0"]);
  }, 120_000);
});
