/**
 * dist/ ships source maps: with debug logging on (RUNNER_DEBUG=1, as a GitHub re-run with debug
 * logging sets it) the stack trace of a failure names the TypeScript sources and their lines.
 */
import { describe, expect, it } from "vitest";
import { runAction } from "../support/run-action.js";

const CONFIG = `version: 1
runners:
  - id: d2c94c27-3b76-4a42-b88c-95a85e392c68
`;

function failingRun(env: Record<string, string>) {
  // Port 9 (discard) is closed on 127.0.0.1: the first API call fails.
  return runAction({
    configYaml: CONFIG,
    api: { url: "http://127.0.0.1:9", token: "source-map-token" },
    inputs: { mode: "plan" },
    env: {
      GITPOD_CLIENT_TIMEOUT_MS: "500",
      GITPOD_CLIENT_RETRY_BASE_MS: "1",
      GITPOD_CLIENT_RETRY_MAX_MS: "2",
      ...env,
    },
  });
}

const stackOf = (stdout: string) =>
  stdout.split("\n").find((line) => line.startsWith("::debug::GitpodApiError")) ?? "";

describe("source maps for dist/", () => {
  it("map a failure's stack trace to the TypeScript sources when debug logging is on", async () => {
    const result = await failingRun({ RUNNER_DEBUG: "1" });
    expect(result.code).toBe(1);
    expect(stackOf(result.stdout)).toMatch(/shared\/api\/transport\.ts:\d+:\d+/);
    expect(stackOf(result.stdout)).not.toContain("dist/action.js");
  });

  it("are not read otherwise (they cost start-up time): the trace names the bundle", async () => {
    const result = await failingRun({});
    expect(result.code).toBe(1);
    expect(stackOf(result.stdout)).toContain("dist/action.js");
  });
});
