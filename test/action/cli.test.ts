/** The CLI (dist/cli.js, the package's bin) for a person at a terminal: validate, plan, apply, bad arguments. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";
import { runCli } from "../support/run-action.js";

const EXAMPLE = "examples/runner-config.yaml";
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-cli-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, {
    api: { token: emu.token },
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, ...env },
  });
}

describe("gitpod-runner-config CLI", () => {
  it("validates, plans, applies, and then plans no changes", async () => {
    const common = ["--config", EXAMPLE, "--api-url", emu.url];
    const validate = await cli(["validate", ...common]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain(`${EXAMPLE} is valid.`);

    const plan = await cli(["plan", ...common]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("create environment class Large Instance");
    expect(plan.stdout).toContain("Plan: 7 to create; 0 unchanged.");
    expect(emu.requests.writes()).toHaveLength(0);

    const apply = await cli(["apply", ...common]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("Apply complete: 7 change(s) made.");

    emu.requests.clear();
    const again = await cli(["plan", ...common, "--json"]);
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json.changed).toBe(false);
    expect(json.plan.version).toBe(1);
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("takes the API URL from GITPOD_BASE_URL too", async () => {
    const result = await cli(["validate", "--config", EXAMPLE], { GITPOD_BASE_URL: emu.url });
    expect(result.code).toBe(0);
  });

  it("prints errors with file and line and exits 1 for an invalid file", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      "version: 1\nrunners:\n  - id: d2c94c27-3b76-4a42-b88c-95a85e392c68\n    colour: blue\n",
    );
    const result = await cli(["validate", "--config", file, "--api-url", emu.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:4:5: runners[0].colour: unknown key "colour"`);
  });

  it("names the bad argument and exits 2", async () => {
    const unknown = await cli(["plan", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--bogus");
    const command = await cli(["destroy"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "destroy"');
    const missing = await cli([]);
    expect(missing.stderr).toContain("missing command");
    const concurrency = await cli(["plan", "--concurrency", "0"]);
    expect(concurrency.stderr).toContain("--concurrency must be an integer from 1 to 64");
    const config = await cli(["plan", "--config", join(dir, "absent.yaml"), "--api-url", emu.url]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("absent.yaml does not exist (ENOENT)");
    const token = await cli(["plan", "--config", EXAMPLE], { GITPOD_API_KEY: "" });
    expect(token.code).toBe(2);
    expect(token.stderr).toContain("ONA_API_KEY (or the legacy GITPOD_API_KEY) is not set");
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("usage: gitpod-runner-config");
  });
});
