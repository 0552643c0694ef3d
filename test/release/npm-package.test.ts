/**
 * The npm package as a team gets it: `npm pack` of this checkout (what `npm publish` sends),
 * installed from the tarball into an empty prefix with no registry (it has no dependencies), then
 * run from outside the checkout on the pinned Node 24 and on Node 22 fetched from the npm registry:
 * `--version` (also through `npx @gitpod-runner-config/cli`, the README's form), `validate
 * --offline`, a `plan` against the emulator, and the bot's bin up to `/healthz`.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import {
  installPackedPackage,
  nodeFromRegistry,
  outsideEnv,
  PACKAGE,
  type PackResult,
  run,
} from "./installed-package.js";
import { MIGRATIONS, runBuiltBot } from "./run-built-bot.js";

const exec = promisify(execFile);
const VERSION = JSON.parse(await readFile("package.json", "utf8")).version as string;

let work: string;
let prefix: string;
let project: string;
let packed: PackResult;
let emu: Emulator;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "runner-config-package-"));
  ({ prefix, packed } = await installPackedPackage(work));

  project = join(work, "project");
  await mkdir(project);
  await writeFile(
    join(project, "runner-config.yaml"),
    [
      "version: 1",
      "runners:",
      `  - id: ${RUNNER_EU_ID}`,
      "    environmentClasses:",
      "      - displayName: Packaged Class",
      "        description: 2 CPU, 8 GiB RAM",
      "        configuration:",
      "          instanceType: m6i.large",
      "          diskSize: 50",
      "",
    ].join("\n"),
  );
  emu = await startEmulator();
}, 300_000);

afterAll(async () => {
  await emu?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("is publishable, small, and holds the CLI, the bot and its migrations but no sources or tests", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    expect(pkg.name).toBe(PACKAGE);
    expect(pkg.private).toBeUndefined();
    expect(pkg.publishConfig).toEqual({ access: "public", provenance: true });
    expect(pkg.engines.node).toBe(">=22");
    expect(pkg.dependencies ?? {}).toEqual({});
    // No lifecycle script at pack time: pre-commit reads the tarball's name from `npm pack`'s output.
    expect(
      Object.keys(pkg.scripts).filter((name) => /^(pre|post)?(pack|prepare|publish)$/.test(name)),
    ).toEqual([]);
    expect(packed.unpackedSize).toBeLessThan(10 * 1024 * 1024);
    const files = packed.files.map((file) => file.path);
    for (const needed of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/cli.js",
      "dist/cli-bundle.js",
      "dist/bot.mjs",
      "dist/bot-bundle.mjs",
      "dist/migrations/sqlite/001_initial.sql",
      "dist/migrations/postgres/001_initial.sql",
      "bot.env.example",
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.filter((file) => /^(test|shared|action|bot|bench)\//.test(file))).toEqual([]);
    expect(files).not.toContain("dist/action.js");
  }, 120_000);

  it("installs without fetching a single dependency", async () => {
    const { stdout } = await exec("find", [
      join(prefix, "node_modules"),
      "-name",
      "package.json",
      "-not",
      "-path",
      "*/dist/*",
    ]);
    expect(stdout.trim().split("\n")).toEqual([join(prefix, "node_modules", PACKAGE, "package.json")]);
  }, 120_000);

  describe.each([
    { node: "the pinned Node 24", major: 24, nodeDir: async () => dirname(process.execPath) },
    { node: "Node 22 from the npm registry", major: 22, nodeDir: () => nodeFromRegistry(22) },
  ])("on $node", ({ major, nodeDir }) => {
    let env: Record<string, string>;
    const bin = (name: string) => join(prefix, "node_modules", ".bin", name);

    beforeAll(async () => {
      env = outsideEnv(await nodeDir(), {
        GITPOD_BASE_URL: emu.url,
        GITPOD_API_KEY: emu.token,
      });
      const node = await run("node", ["--version"], project, env);
      expect(node.stdout).toMatch(new RegExp(`^v${major}\\.`));
    }, 300_000);

    it("--version, directly and through npx with the scoped name", async () => {
      const direct = await run(bin("gitpod-runner-config"), ["--version"], project, env);
      expect(direct.code, direct.stderr).toBe(0);
      expect(direct.stdout).toContain(VERSION);
      const npx = await run("npx", ["--offline", PACKAGE, "--version"], prefix, env);
      expect(npx.code, npx.stderr).toBe(0);
      expect(npx.stdout).toContain(VERSION);
    }, 120_000);

    it("validate --offline, then a plan against the emulator", async () => {
      const offline = await run(
        bin("gitpod-runner-config"),
        ["validate", "--offline", "--config", "runner-config.yaml"],
        project,
        { ...env, GITPOD_API_KEY: "" },
      );
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stdout).toContain("runner-config.yaml");
      const plan = await run(
        bin("gitpod-runner-config"),
        ["plan", "--config", "runner-config.yaml", "--detailed-exitcode"],
        project,
        env,
      );
      expect(plan.code, plan.stderr).toBe(2);
      expect(plan.stdout).toContain("Packaged Class");
    }, 120_000);

    it("the bot's bin starts, migrates its store and answers /healthz", async () => {
      const bot = await runBuiltBot(
        { command: bin("gitpod-runner-config-bot"), args: [], cwd: project },
        env.PATH ?? "",
      );
      expect(bot.health, bot.stderr).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
      expect(bot.exitCode).toBe(0);
      expect(bot.stdout).toContain(`"migrationsApplied":[${MIGRATIONS.join(",")}]`);
    }, 120_000);
  });
});
