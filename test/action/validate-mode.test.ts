/**
 * The action's validate mode, run as the GitHub runner runs it: with no api-token (a pull request
 * from a fork) it checks the file offline, without a single request; with a token, against the API.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";
import { FAST_CLIENT_ENV, runAction } from "../support/run-action.js";

const CONFIG = readFileSync("examples/runner-config.yaml", "utf8");
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

function validate(config: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    configYaml: config,
    inputs: { mode: "validate", ...inputs },
    env: { ...FAST_CLIENT_ENV, ...env },
  });
}

describe("mode: validate", () => {
  it("runs offline without a token: no request, an unset variable is a warning", async () => {
    emu.requests.clear();
    const result = await validate(CONFIG, { "api-url": emu.url });
    expect(result.code, result.stdout).toBe(0);
    expect(emu.requests.count()).toBe(0);
    expect(result.stdout).toContain(
      "::warning title=runner-config,file=.gitpod/runner-config.yaml::environment variable OAUTH_SECRET_GITHUB_COM is not set",
    );
    expect(result.outputs.summary).toContain("is valid (validated offline");
    expect(result.summary).toContain("is valid");
  });

  it("fails offline on a structure error, annotated at its line", async () => {
    const bad = CONFIG.replace("pat: true", "pat: maybe");
    const result = await validate(bad, {});
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error title=runner-config,file=\.gitpod\/runner-config\.yaml,line=28,col=\d+::.*pat: expected true or false, got "maybe"/,
    );
  });

  it("with a token, checks against the runners' live schemas and writes nothing", async () => {
    emu.requests.clear();
    const huge = CONFIG.replace("m6i.large", "m6i.huge");
    const result = await validate(
      huge,
      { "api-token": emu.token, "api-url": emu.url },
      { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("instanceType must be one of");
    expect(emu.requests.count()).toBeGreaterThan(0);
    expect(emu.requests.writes()).toHaveLength(0);
    // Offline the same file passes: the live schema is what catches it.
    expect((await validate(huge, {})).code).toBe(0);
  });

  it("other modes still need the token", async () => {
    const result = await validate(CONFIG, { mode: "plan" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("input api-token is required");
  });
});
