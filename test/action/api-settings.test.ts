/**
 * Ona's names (ONA_API_KEY, ONA_BASE_URL) and the legacy Gitpod names, as users meet them: the CLI
 * (dist/cli.js) and the bundled action (dist/index.js) as processes against the emulator. Each works
 * with either set of names, says which it read, names that variable when the token is rejected, and
 * never follows a redirect to another origin with the token.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RawServer, startRawServer } from "../client/raw-server.js";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { runAction, runCli } from "../support/run-action.js";

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small Instance
        description: A small class
        configuration:
          instanceType: m6i.large
`;

let emu: Emulator;
let dir: string;
let file: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-api-settings-"));
  file = join(dir, "runner-config.yaml");
  await writeFile(file, CONFIG);
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => emu.state.reset());

const ONA = () => ({ ONA_API_KEY: emu.token, ONA_BASE_URL: emu.url });
const LEGACY = () => ({ GITPOD_API_KEY: emu.token, GITPOD_BASE_URL: emu.url });

describe("the CLI", () => {
  for (const [names, env, key, url] of [
    ["Ona's names", ONA, "ONA_API_KEY", "ONA_BASE_URL"],
    ["the legacy names", LEGACY, "GITPOD_API_KEY", "GITPOD_BASE_URL"],
  ] as const) {
    it(`works with only ${names} and says which it read`, async () => {
      const plan = await runCli(["plan", "--config", file], { env: env() });
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain("create environment class Small Instance");
      expect(plan.stderr).toBe("");

      const exported = await runCli(["export", "--runner", RUNNER_EU_ID, "--out", join(dir, "out.yaml")], {
        env: env(),
      });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).toContain(`read from ${emu.url} (${url}) with the token in ${key}.`);
    });

    it(`names ${key} when the API rejects the token`, async () => {
      const result = await runCli(["plan", "--config", file], {
        env: { ...env(), [key]: "canary-wrong-token-31f9" },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`unauthenticated`);
      expect(result.stderr).toContain(`(HTTP 401); check ${key}`);
      expect(result.stderr).not.toContain(key === "ONA_API_KEY" ? "GITPOD_API_KEY" : "ONA_API_KEY");
      expect(result.stderr).not.toMatch(/api-token|bot/);
      expect(`${result.stdout}${result.stderr}`).not.toContain("canary-wrong-token-31f9");
    });
  }

  it("reads each setting on its own, prefers ONA_* when both are set, and warns when they differ", async () => {
    const mixed = await runCli(["plan", "--config", file], {
      env: { ONA_API_KEY: emu.token, GITPOD_BASE_URL: emu.url },
    });
    expect(mixed.code, mixed.stderr).toBe(0);

    const both = await runCli(["plan", "--config", file], {
      env: { ...ONA(), GITPOD_API_KEY: "canary-stale-legacy-token", GITPOD_BASE_URL: "http://127.0.0.1:9" },
    });
    expect(both.code, both.stderr).toBe(0);
    expect(both.stderr).toContain(
      "warning: ONA_API_KEY and GITPOD_API_KEY are both set and differ: using ONA_API_KEY (unset GITPOD_API_KEY, the legacy name)",
    );
    expect(both.stderr).toContain("warning: ONA_BASE_URL and GITPOD_BASE_URL are both set and differ");
    expect(both.stderr).not.toContain("canary-stale-legacy-token");
  });

  it("names both token variables when neither is set", async () => {
    const result = await runCli(["plan", "--config", file], { env: { ONA_BASE_URL: emu.url } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ONA_API_KEY (or the legacy GITPOD_API_KEY) is not set");
  });

  describe("a redirect to another origin", () => {
    let other: RawServer;
    let hostile: RawServer;
    beforeAll(async () => {
      other = await startRawServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      });
      hostile = await startRawServer((request, response) => {
        response.writeHead(301, { location: `${other.url}${request.path}?session=canary-query` });
        response.end();
      });
    });
    afterAll(async () => {
      await other.close();
      await hostile.close();
    });

    it("is refused in words naming the new address and the variable, and the token never goes there", async () => {
      const result = await runCli(["plan", "--config", file], {
        env: { ONA_API_KEY: "canary-token-for-redirect", ONA_BASE_URL: `${hostile.url}/api` },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`redirect to ${other.url}/api/gitpod.v1.RunnerConfigurationService/`);
      expect(result.stderr).toContain("not followed, so the API token was not sent there");
      expect(result.stderr).toContain(`set ONA_BASE_URL to ${other.url}/api`);
      expect(result.stderr).not.toContain("canary-query");
      expect(hostile.requests.length).toBeGreaterThan(0);
      expect(other.requests).toHaveLength(0);

      const flag = await runCli(["plan", "--config", file, "--api-url", `${hostile.url}/api`], {
        env: { ONA_API_KEY: "canary-token-for-redirect" },
      });
      expect(flag.stderr).toContain(`set --api-url to ${other.url}/api`);
      expect(other.requests).toHaveLength(0);
    });
  });
});

describe("the bundled action", () => {
  for (const [names, env, key, url] of [
    ["Ona's names", ONA, "ONA_API_KEY", "ONA_BASE_URL"],
    ["the legacy names", LEGACY, "GITPOD_API_KEY", "GITPOD_BASE_URL"],
  ] as const) {
    it(`works with only ${names} in the step's env (no api-token input) and says which it read`, async () => {
      const result = await runAction({ configYaml: CONFIG, inputs: { mode: "plan" }, env: env() });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toContain(`Gitpod API: ${emu.url} (${url}), token from ${key}.`);
      expect(result.outputs.changed).toBe("true");
      // The token is masked like an input's.
      expect(result.stdout).toContain(`::add-mask::${emu.token}`);
    });
  }

  it("says the inputs when they are given, and names the api-token input when the token is rejected", async () => {
    const result = await runAction({
      configYaml: CONFIG,
      inputs: { mode: "plan", "api-token": "canary-wrong-input-token", "api-url": emu.url },
      env: { ONA_API_KEY: emu.token },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Gitpod API: ${emu.url} (the api-url input), token from the api-token input.`,
    );
    expect(result.stdout).toContain("check the api-token input");
    expect(result.stdout).not.toContain("check ONA_API_KEY");
  });

  it("without a token anywhere, names the input and both variables", async () => {
    const result = await runAction({
      configYaml: CONFIG,
      inputs: { mode: "plan" },
      env: { ONA_BASE_URL: emu.url },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::input api-token is required (a Gitpod API token, from a secret), or set ONA_API_KEY (or the legacy GITPOD_API_KEY) in the step's env",
    );
  });
});
