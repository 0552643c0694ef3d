/**
 * dist/ ships source maps: with debug logging on (RUNNER_DEBUG=1, as a GitHub re-run with debug
 * logging sets it) the stack trace of a failure names the TypeScript sources and their lines.
 */
import { describe, expect, it } from "vitest";
import { makeWorkspace, removeWorkspace, runAction } from "./run-action.js";

const CONFIG = `version: 1
runners:
  - id: d2c94c27-3b76-4a42-b88c-95a85e392c68
`;

async function failingRun(env: Record<string, string>) {
  const workspace = await makeWorkspace(CONFIG);
  try {
    // Port 9 (discard) is closed on 127.0.0.1: the first API call fails.
    return await runAction({
      workspace,
      inputs: { mode: "plan", "api-url": "http://127.0.0.1:9", "api-token": "source-map-token" },
      env: {
        GITPOD_CLIENT_TIMEOUT_MS: "500",
        GITPOD_CLIENT_RETRY_BASE_MS: "1",
        GITPOD_CLIENT_RETRY_MAX_MS: "2",
        ...env,
      },
    });
  } finally {
    await removeWorkspace(workspace);
  }
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
