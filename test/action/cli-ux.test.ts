/**
 * The CLI as a new user meets it, run as a process against the emulator: version and help, "did you
 * mean", readable errors with a caret, file errors that say why, offline validation, terraform's
 * saved-plan flow with its fingerprint, --detailed-exitcode, progress and colour, the TTY prompt,
 * and the Node.js version guard.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, GITHUB_OAUTH_SECRET, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { ACTION_ENTRY, CLI_ENTRY, FAST_CLIENT_ENV, runCli } from "../support/run-action.js";

const EXAMPLE = resolve("examples/runner-config.yaml");
const VERSION = JSON.parse(execFileSync("cat", ["package.json"], { encoding: "utf8" })).version as string;
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-cli-ux-"));
  await chmod(dir, 0o755);
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => emu.state.reset());

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, {
    cwd: dir,
    api: emu,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, ...env },
  });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const ONE_CLASS = (extra: string) => `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small Instance
${extra}        configuration:
          instanceType: m6i.large
`;

describe("version, help and did you mean", () => {
  it("prints the version and each command's flags", async () => {
    const version = await cli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`gitpod-runner-config ${VERSION} (Node.js ${process.versions.node})\n`);
    for (const flag of ["-v", "-V", "version"]) expect((await cli([flag])).stdout).toBe(version.stdout);
    const general = await cli(["--help"]);
    expect(general.stdout).toMatch(
      /commands:\n {2}init {6}.*\n {2}validate .*\n {2}plan .*\n {2}apply .*\n {2}export .*\n {2}schema /,
    );
    expect((await cli(["help", "init"])).stdout).toContain("--force");
    const help = await cli(["help", "plan"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--detailed-exitcode");
    expect(help.stdout).toContain("--out FILE");
    const same = await cli(["plan", "--help"]);
    expect(same.stdout).toBe(help.stdout);
    expect((await cli(["help", "export"])).stdout).toContain("--runner ID|all");
  });

  it("suggests the command, the flag and the file key that was meant", async () => {
    const command = await cli(["paln"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "paln" (did you mean "plan"?)');
    const helpFor = await cli(["help", "exprot"]);
    expect(helpFor.stderr).toContain('(did you mean "export"?)');
    const flag = await cli(["plan", "--prnue"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --prnue for "plan" (did you mean --prune?)');
    expect(flag.stderr).toContain('Run "gitpod-runner-config help plan" for its flags.');
    const key = await file("typo.yaml", ONE_CLASS("        descripton: 2 CPU\n"));
    const result = await cli(["validate", "--offline", "--config", key]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${key}:6:9: runners[0].environmentClasses[0].descripton: unknown key "descripton" (did you mean "description"?)`,
    );
  });
});

describe("errors", () => {
  it("words a wrong type without zod's phrasing and points at the value's column", async () => {
    const path = await file("maybe.yaml", ONE_CLASS("        enabled: maybe\n"));
    const result = await cli(["validate", "--offline", "--config", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path}:6:18: runners[0].environmentClasses[0].enabled: expected true or false, got "maybe"`,
    );
    expect(result.stderr).toContain("    6 |         enabled: maybe\n      |                  ^");
    expect(result.stderr).not.toMatch(/Invalid input|received/);
  });

  it("points at the value for errors found against the live schema too", async () => {
    const path = await file("huge.yaml", ONE_CLASS("").replace("m6i.large", "m6i.huge"));
    const result = await cli(["validate", "--config", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path}:7:25: runners[0].environmentClasses[0].configuration.instanceType must be one of`,
    );
    expect(result.stderr).toContain(
      "    7 |           instanceType: m6i.huge\n      |                         ^",
    );
  });

  it("says why a file cannot be read: missing, a directory, or no permission", async () => {
    const missing = await cli(["validate", "--offline", "--config", "nope.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("--config: nope.yaml does not exist (ENOENT)\n");
    await mkdir(join(dir, "a-directory"), { recursive: true });
    const directory = await cli(["validate", "--offline", "--config", "a-directory"]);
    expect(directory.stderr).toBe("--config: a-directory is a directory, not a file (EISDIR)\n");
    // Root reads everything, so run the CLI as an unprivileged user for the permission case.
    const secret = await file("private.yaml", ONE_CLASS(""));
    await chmod(secret, 0o600);
    const asRoot = process.getuid?.() === 0;
    // That user may not reach this checkout (a clone inside a 0700 directory), so it runs copies of
    // Node and the CLI from a directory everyone can read.
    const [node, entry] = asRoot ? await copyCliForEveryone() : [process.execPath, CLI_ENTRY];
    const denied = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(node, [entry, "validate", "--offline", "--config", secret], {
        env: { PATH: process.env.PATH ?? "" },
        cwd: dir,
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", fail);
      child.on("close", (code) => done({ code, stderr }));
    });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toBe(`--config: ${secret} cannot be read: permission denied (EACCES)\n`);
  });
});

describe("validate --offline", () => {
  it("needs no token and no network; an unset secret variable is a warning", async () => {
    emu.requests.clear();
    const result = await cli(["validate", "--offline", "--config", EXAMPLE], {
      GITPOD_API_KEY: "",
      OAUTH_SECRET_GITHUB_COM: "",
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning: environment variable OAUTH_SECRET_GITHUB_COM is not set");
    expect(result.stdout).toContain("is valid (offline");
    expect(emu.requests.count()).toBe(0);
    // Online, the same unset variable is an error.
    const online = await cli(["validate", "--config", EXAMPLE], { OAUTH_SECRET_GITHUB_COM: "" });
    expect(online.code).toBe(1);
    expect(online.stderr).toContain("environment variable OAUTH_SECRET_GITHUB_COM is not set");
  });

  it("still rejects a literal secret offline", async () => {
    const path = await file(
      "literal.yaml",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
      (await readFile(EXAMPLE, "utf8")).replace("${OAUTH_SECRET_GITHUB_COM}", "hunter2"),
    );
    const result = await cli(["validate", "--offline", "--config", path], { GITPOD_API_KEY: "" });
    expect(result.code).toBe(1);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
    expect(result.stderr).toContain("clientSecret must be a ${ENV_VAR} reference");
  });
});

describe("the pre-commit hook", () => {
  it("runs the package's bin offline on the files pre-commit passes", async () => {
    const [hook] = parse(await readFile(".pre-commit-hooks.yaml", "utf8")) as Array<Record<string, unknown>>;
    const bin = Object.keys(JSON.parse(await readFile("package.json", "utf8")).bin)[0];
    const [command, ...args] = String(hook?.entry).split(" ");
    expect(command).toBe(bin);
    expect(hook?.pass_filenames).toBe(true);
    expect(new RegExp(String(hook?.files)).test("infra/.gitpod/runner-config.yaml")).toBe(true);
    const good = await file("good.yaml", ONE_CLASS(""));
    const bad = await file("bad.yaml", ONE_CLASS("        enabled: maybe\n"));
    const offline = { GITPOD_API_KEY: "", GITPOD_BASE_URL: "http://127.0.0.1:9" };
    const ok = await cli([...args, good, good], offline);
    expect(ok.code, ok.stderr).toBe(0);
    const failed = await cli([...args, good, bad], offline);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}:6:18:`);
    expect(failed.stdout).toContain(`${good} is valid`);
  });
});

describe("plan and apply", () => {
  it("--detailed-exitcode: 2 with changes pending, 0 without, 1 on an error", async () => {
    const pending = await cli(["plan", "--config", EXAMPLE, "--detailed-exitcode"]);
    expect(pending.code).toBe(2);
    expect(pending.stdout).toContain("pat: true\n");
    expect(pending.stdout).toContain("configuration.diskSize: 50\n");
    expect(pending.stdout).toContain('configuration.instanceType: "m6i.large"');
    await cli(["apply", "--config", EXAMPLE]);
    expect((await cli(["plan", "--config", EXAMPLE, "--detailed-exitcode"])).code).toBe(0);
    expect((await cli(["plan", "--config", "missing.yaml", "--detailed-exitcode"])).code).toBe(1);
    expect((await cli(["plan", "--bogus", "--detailed-exitcode"])).code).toBe(1);
  });

  it("applies exactly a saved plan, and refuses one made against a state that changed since", async () => {
    const saved = join(dir, "plan.json");
    // In the directory the CLI runs in: a saved plan's files must be inside it (or its repository).
    const config = "runner-config.yaml";
    await copyFile(EXAMPLE, join(dir, config));
    const plan = await cli(["plan", "--config", config, "--out", saved]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(`apply it with: gitpod-runner-config apply ${saved}`);
    const json = await readFile(saved, "utf8");
    expect(JSON.parse(json)).toMatchObject({
      format: "gitpod-runner-config-plan",
      version: 2,
      files: [{ path: config, sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }],
      options: { prune: false, allowDestructive: false, rotateSecrets: false },
      fingerprint: expect.stringMatching(/^sha256:/),
    });
    expect(json).not.toContain(GITHUB_OAUTH_SECRET);

    // Someone changes the runner in between: the saved plan no longer applies.
    emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Made by hand",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    emu.requests.clear();
    const stale = await cli(["apply", saved]);
    expect(stale.code, stale.stderr).toBe(1);
    expect(stale.stderr).toContain("the plan no longer matches: the runners changed since the plan was made");
    expect(stale.stderr).toContain("nothing was changed");
    expect(emu.requests.writes()).toHaveLength(0);

    emu.state.reset();
    const fresh = await cli(["plan", "--config", config, "--out", saved]);
    expect(fresh.code).toBe(0);
    // The secret comes from the environment at apply time; without it nothing is sent.
    const noSecret = await cli(["apply", saved], { OAUTH_SECRET_GITHUB_COM: "" });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain(
      "environment variable OAUTH_SECRET_GITHUB_COM is not set (clientSecret): apply sends this secret",
    );
    const applied = await cli(["apply", saved]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Apply complete: 7 change(s) made.");
    expect(emu.state.environmentClasses.size).toBe(3 + 1);
    const again = await cli(["apply", saved]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("the plan no longer matches");

    const withFlags = await cli(["apply", saved, "--prune", "--config", EXAMPLE]);
    expect(withFlags.code).toBe(2);
    expect(withFlags.stderr).toContain(
      "apply it with the same flags: --prune (the plan was made without it)",
    );

    const notPlan = await cli(["apply", EXAMPLE]);
    expect(notPlan.code).toBe(2);
    expect(notPlan.stderr).toContain("is not a saved plan");
  });

  it("streams each operation with a counter; plain without a TTY, colour with FORCE_COLOR, ASCII in a C locale", async () => {
    const plain = await cli(["apply", "--config", EXAMPLE, "--concurrency", "1"]);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.split("\n").filter((line) => /^ {2}✓ \[/.test(line));
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^ {2}✓ \[1\/7\] create environment class Small Instance$/);
    expect(lines[6]).toMatch(/^ {2}✓ \[7\/7\] create SCM integration/);
    expect(plain.stdout).not.toContain("\u001b[");

    emu.state.reset();
    const coloured = await cli(["apply", "--config", EXAMPLE], { FORCE_COLOR: "1" });
    expect(coloured.stdout).toContain("\u001b[32m✓\u001b[39m [1/7]");
    // The plan's lines are coloured by their action too, not only the progress glyphs.
    expect(coloured.stdout).toContain("\u001b[32m+   create environment class Small Instance\u001b[39m");
    emu.state.reset();
    const noColour = await cli(["apply", "--config", EXAMPLE], { FORCE_COLOR: "0", NO_COLOR: "1" });
    expect(noColour.stdout).not.toContain("\u001b[");
    emu.state.reset();
    // --no-color, anywhere on the line, wins over FORCE_COLOR.
    const flag = await cli(["apply", "--no-color", "--config", EXAMPLE], { FORCE_COLOR: "1" });
    expect(flag.code, flag.stderr).toBe(0);
    expect(flag.stdout).not.toContain("\u001b[");
    emu.state.reset();
    const ascii = await cli(["apply", "--config", EXAMPLE, "--prune"], { LANG: "C" });
    expect(ascii.stdout).toMatch(/^ {2}\+ \[1\/7\] create/m);
    expect(ascii.stdout).not.toMatch(/[✓✗⊘⚠]/);
  });

  it("prints the destructive note as one sentence", async () => {
    await cli(["apply", "--config", EXAMPLE]);
    for (const user of ["u1", "u2", "u3"]) {
      emu.state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host: "github.com",
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
        userId: user,
      });
    }
    const text = (await readFile(EXAMPLE, "utf8")).replace("pat: true", "pat: false");
    const result = await cli(["plan", "--config", await file("no-pat.yaml", text)]);
    expect(result.stdout).toContain(
      "⚠ turns PAT support off; 3 users' PAT tokens for github.com are deleted with it and those users must sign in again",
    );
  });

  it("asks before applying on a terminal, and --yes skips the question", async () => {
    const env = {
      ...process.env,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET,
      ...FAST_CLIENT_ENV,
    };
    // `script` gives the CLI a pseudo-terminal; the answer is typed once the question shows.
    const ttyRun = (answer: string, extra = "") =>
      new Promise<{ code: number | null; output: string }>((done) => {
        const child = spawn(
          "script",
          ["-qec", `${process.execPath} ${CLI_ENTRY} apply --config ${EXAMPLE} ${extra}`, "/dev/null"],
          { env, cwd: dir },
        );
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("[y/N]") && answer) {
            child.stdin.write(`${answer}\n`);
            answer = "";
          }
        });
        child.on("close", (code) => done({ code, output }));
      });
    const declined = await ttyRun("n");
    expect(declined.output).toContain("Apply these 7 changes? [y/N]");
    expect(declined.output).toContain("Not applied: nothing was changed.");
    expect(declined.code).toBe(1);
    expect(emu.state.environmentClasses.size).toBe(0);
    const accepted = await ttyRun("y", "--concurrency 1");
    expect(accepted.code).toBe(0);
    // On a terminal: colour, and a status line redrawn in place under the finished lines.
    expect(accepted.output).toContain("\u001b[32m✓\u001b[39m [1/7] create environment class Small Instance");
    expect(accepted.output).toContain("Applying 1/7…");
    expect(accepted.output).toContain("\r\u001b[K");
    expect(accepted.output).toContain("Apply complete: 7 change(s) made.");
    emu.state.reset();
    const yes = await ttyRun("", "--yes");
    expect(yes.output).not.toContain("[y/N]");
    expect(yes.code).toBe(0);
  });
});

describe("Node.js version guard", () => {
  const old = execFileSync("which", ["-a", "node"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .find(
      (path) =>
        Number(execFileSync(path, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" })) < 22,
    );

  it.runIf(old)(
    "the CLI and the action say so on Node < 22, with how to get a newer Node, and exit 1",
    async () => {
      if (!old) return;
      const major = execFileSync(old, ["-p", "process.versions.node.split('.')[0]"], {
        encoding: "utf8",
      }).trim();
      for (const entry of [CLI_ENTRY, ACTION_ENTRY]) {
        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
          execFile(old, [entry, "--version"], (error, stdout, stderr) =>
            done({ code: error ? (error.code as number) : 0, stdout, stderr }),
          );
        });
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        const [first, ...remedy] = result.stderr.trimEnd().split("\n");
        expect(first).toBe(`gitpod-runner-config needs Node.js 22 or later; this is ${major}.x`);
        expect(remedy.join(" ")).toContain("https://nodejs.org/en/download");
        expect(remedy.join(" ")).toContain(
          "npx -p node@24 -p @gitpod-runner-config/cli gitpod-runner-config",
        );
      }
    },
  );
});

/** Node and dist/cli.js (with the bundle it loads) copied into a new directory anyone can read. */
async function copyCliForEveryone(): Promise<[node: string, entry: string]> {
  const shared = await mkdtemp(join(dir, "everyone-"));
  await chmod(dir, 0o755);
  await chmod(shared, 0o755);
  const node = join(shared, "node");
  await copyFile(process.execPath, node);
  await chmod(node, 0o755);
  for (const name of ["cli.js", "cli-bundle.js"]) {
    await copyFile(join(dirname(CLI_ENTRY), name), join(shared, name));
    await chmod(join(shared, name), 0o644);
  }
  return [node, join(shared, "cli.js")];
}
