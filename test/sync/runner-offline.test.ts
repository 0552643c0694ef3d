/**
 * Validation goes through the runner. With a runner offline, plan, scheduled rotation and audit say
 * "runner … is offline" in words, whichever code the service uses for it (failed_precondition, the
 * emulator's default, or unavailable), and nothing is written.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import {
  healthCheckText,
  rotationText,
  runHealthCheck,
  runScheduledRotation,
} from "../../shared/credential-upkeep/index.js";
import { runSync } from "../../shared/sync/engine.js";
import { formatIssuesText } from "../../shared/sync/format.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_EU_NAME,
  startEmulator,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

const FILE = "examples/runner-config.yaml";
const TEXT = readFileSync(FILE, "utf8");

let emu: Emulator | undefined;
let client: GitpodClient | undefined;
afterEach(async () => {
  await client?.close();
  await emu?.close();
});

describe.each(["failed_precondition", "unavailable"] as const)(
  "a runner offline answered with %s",
  (code) => {
    async function start(): Promise<{ e: Emulator; c: GitpodClient }> {
      emu = await startEmulator({ offlineRunnerCode: code });
      emu.state.setRunnerOnline(RUNNER_EU_ID, false);
      client = new GitpodClient({
        baseUrl: emu.url,
        apiKey: emu.token,
        retryBaseDelayMs: 5,
        retryMaxDelayMs: 20,
      });
      return { e: emu, c: client };
    }

    it("plan says the runner is offline, at the runner's line, and writes nothing", async () => {
      const { e, c } = await start();
      for (const mode of ["plan", "apply"] as const) {
        const result = await runSync(c, {
          file: FILE,
          text: TEXT,
          env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
          mode,
          concurrency: 4,
          prune: false,
          allowDestructive: false,
          rotateSecrets: false,
        });
        expect(result.ok).toBe(false);
        expect(formatIssuesText(result.issues)).toContain(
          `examples/runner-config.yaml:5:1: runners[0].id: runner ${RUNNER_EU_NAME} (${RUNNER_EU_ID}) is offline: Gitpod validates through the runner, so nothing was checked or changed; run again when it is connected`,
        );
        expect(e.requests.writes()).toHaveLength(0);
      }
    });

    it("scheduled rotation and audit say the runner is offline", async () => {
      const { e, c } = await start();
      seedGitHubIntegration(e.state, { pat: false });
      const integrations = [
        {
          runnerId: RUNNER_EU_ID,
          runnerName: RUNNER_EU_NAME,
          scmId: "github",
          host: "github.com",
          oauth: { clientId: GITHUB_OAUTH_CLIENT_ID, clientSecretEnv: "GH_OAUTH_SECRET" },
        },
      ];
      const rotation = await runScheduledRotation(c, {
        integrations,
        env: { GH_OAUTH_SECRET: "new-secret-x1" },
      });
      expect(rotation.ok).toBe(false);
      expect(rotationText(rotation)).toContain("The runner is offline");
      expect(e.requests.writes()).toHaveLength(0);

      const audit = await runHealthCheck(c, {
        runners: [{ id: RUNNER_EU_ID, name: RUNNER_EU_NAME }],
        integrations,
      });
      expect(audit.healthy).toBe(false);
      expect(healthCheckText(audit)).toContain("The runner is offline");
    });
  },
);
