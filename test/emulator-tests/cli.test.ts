import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * One process, Node with tsx's loader: the tsx command would run the emulator in a child of its own,
 * which a SIGKILL of the command leaves running after the test.
 */
function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "test/emulator/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function readUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  let output = "";
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    if (pattern.test(output)) return output;
  }
  return output;
}

describe("npm run emulator", () => {
  it("prints the base URL and token, serves, and stops on SIGTERM", async () => {
    const child = startCli(["--port", "0", "--token", "cli-token"]);
    try {
      const output = await readUntil(child, /GITPOD_API_KEY=.*\n/);
      const baseUrl = /GITPOD_BASE_URL=(\S+)/.exec(output)?.[1];
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output).toContain("GITPOD_API_KEY=cli-token");
      expect(output).toContain(`ONA_BASE_URL=${baseUrl}\nONA_API_KEY=cli-token\n`);
      const response = await fetch(
        `${baseUrl}/gitpod.v1.RunnerConfigurationService/GetRunnerConfigurationSchema`,
        {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer cli-token" },
          body: JSON.stringify({ runnerId: RUNNER_EU_ID }),
        },
      );
      expect(response.status).toBe(200);
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("prints its usage on --help and -h, and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const child = startCli([flag]);
      const stdout = await readUntil(child, /--allow-scheme-in-host\]\n/);
      const [code] = await once(child, "exit");
      expect(stdout).toMatch(/^usage: npm run emulator -- \[--help\] \[--port 8787\]/);
      expect(code).toBe(0);
    }
  });

  it("rejects a bad --port with a usage message", async () => {
    const child = startCli(["--port", "eighty"]);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toContain("--port");
  });

  it("takes the behaviour options as flags: an offline runner and a rate limit", async () => {
    const child = startCli([
      "--port",
      "0",
      "--token",
      "cli-token",
      "--offline-runner",
      RUNNER_EU_ID,
      "--rate-limit-rps",
      "1",
      "--list-lag-ms",
      "10",
      "--validate-latency-ms",
      "1",
      "--page-token-ttl-s",
      "60",
    ]);
    try {
      const output = await readUntil(child, /GITPOD_API_KEY=.*\n/);
      const baseUrl = /GITPOD_BASE_URL=(\S+)/.exec(output)?.[1];
      const validate = () =>
        fetch(`${baseUrl}/gitpod.v1.RunnerConfigurationService/ValidateRunnerConfiguration`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer cli-token" },
          body: JSON.stringify({
            runnerId: RUNNER_EU_ID,
            environmentClass: { id: crypto.randomUUID(), runnerId: RUNNER_EU_ID, displayName: "abc" },
          }),
        });
      const offline = await validate();
      expect(offline.status).toBe(400);
      expect(((await offline.json()) as { code: string }).code).toBe("failed_precondition");
      const limited = await validate();
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("1");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("rejects an --offline-runner that is not a fixture runner", async () => {
    const child = startCli(["--offline-runner", "nope"]);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toContain("--offline-runner nope");
  });
});
