/**
 * dist/ is committed (GitHub runs dist/index.js as is, and the npm package is packed from it): it must
 * match a fresh build of the sources byte for byte, stay small, and action.yml must point at it on
 * node24.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

describe("the committed bundle", () => {
  it("is not stale: a fresh build produces the same bytes", async () => {
    const out = await mkdtemp(join(tmpdir(), "runner-config-dist-"));
    try {
      await promisify(execFile)(process.execPath, ["scripts/build.mjs", "--outdir", out]);
      const migrations = (await readdir(join(out, "migrations"), { recursive: true }))
        .filter((file) => file.endsWith(".sql"))
        .map((file) => join("migrations", file));
      expect(migrations.length).toBeGreaterThan(0);
      for (const file of [
        "index.js",
        "cli.js",
        "action.js",
        "cli-bundle.js",
        "action.js.map",
        "cli-bundle.js.map",
        "bot.mjs",
        "bot-bundle.mjs",
        "bot-bundle.mjs.map",
        ...migrations,
      ]) {
        const fresh = await readFile(join(out, file));
        const committed = await readFile(join("dist", file)).catch(() => Buffer.alloc(0));
        expect(committed.equals(fresh), `dist/${file} is stale: run npm run build`).toBe(true);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("keeps dist/cli.js and dist/bot.mjs executable in git (the package's bins)", async () => {
    for (const bin of ["dist/cli.js", "dist/bot.mjs"]) {
      const { stdout } = await promisify(execFile)("git", ["ls-files", "-s", bin]);
      expect(stdout.split(" ")[0], `${bin} in git`).toBe("100755");
      expect((await stat(bin)).mode & 0o111).not.toBe(0);
    }
  });

  it("is small and holds neither the emulator, Slack nor vitest", async () => {
    const { size } = await stat("dist/action.js");
    expect(size).toBeLessThan(2 * 1024 * 1024);
    const text = await readFile("dist/action.js", "utf8");
    for (const forbidden of ["startEmulator", "@slack/", "vitest"]) expect(text).not.toContain(forbidden);
  });

  it("keeps the metrics library in the bot: the action and the CLI keep to logs and outputs", async () => {
    // prom-client's default metric names survive minification; the bot's own prefix marks its metrics.
    const markers = ["process_cpu_user_seconds_total", "gitpod_scm_bot_"];
    for (const bundle of ["dist/action.js", "dist/cli-bundle.js"]) {
      const text = await readFile(bundle, "utf8");
      for (const marker of markers) expect(text, `${bundle} holds ${marker}`).not.toContain(marker);
    }
    const bot = await readFile("dist/bot-bundle.mjs", "utf8");
    for (const marker of markers) expect(bot, `dist/bot-bundle.mjs holds ${marker}`).toContain(marker);
  });

  it("bundles the bot without test code, small enough for the npm package's 10 MB", async () => {
    const { size } = await stat("dist/bot-bundle.mjs");
    expect(size).toBeLessThan(4 * 1024 * 1024);
    const text = await readFile("dist/bot-bundle.mjs", "utf8");
    for (const forbidden of ["startEmulator", "startFakeSlack", "vitest"])
      expect(text).not.toContain(forbidden);
  });

  it("action.yml runs dist/index.js on node24 with the documented inputs and outputs", async () => {
    const action = parse(await readFile("action.yml", "utf8"));
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining([
        "config",
        "mode",
        "api-token",
        "api-url",
        "prune",
        "allow-destructive",
        "rotate-secrets",
        "concurrency",
        "fail-on-drift",
        "github-token",
        "comment-on-pr",
      ]),
    );
    // Every mode but validate needs it; readInputs says so when it is missing.
    expect(action.inputs["api-token"].required).toBe(false);
    // Every input the code reads and every output it sets is declared, and nothing else is.
    const sources = await Promise.all(
      [
        "action/inputs.ts",
        "action/modes/sync.ts",
        "action/report/plan-output.ts",
        "action/modes/mode-inputs.ts",
        "action/modes/rotate.ts",
        "action/modes/health-check.ts",
        "action/modes/publish-report.ts",
        "action/modes/export.ts",
      ].map((file) => readFile(file, "utf8")),
    );
    const code = sources.join("\n");
    const read = new Set(
      [...code.matchAll(/(?:getInput|booleanInput|optional)\("([a-z-]+)"/g)].map((m) => m[1]),
    );
    const set = new Set([...code.matchAll(/setOutput\("([a-z-]+)"/g)].map((m) => m[1]));
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...set].sort());
  });
});
