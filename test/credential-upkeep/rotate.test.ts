import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  RotateOnlyError,
  runScheduledRotation,
  type ScheduledRotationReport,
} from "../../shared/credential-upkeep/index.js";
import { GITHUB_OAUTH_SECRET, GITLAB_OAUTH_SECRET, RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import {
  expectNoCanary,
  NEW_GITHUB_SECRET,
  NEW_GITLAB_SECRET,
  type Seeded,
  seeded,
  storedCiphertext,
  WRONG_SECRET,
} from "./setup.js";

let s: Seeded;

beforeEach(async () => {
  s = await seeded();
});

afterEach(async () => {
  await s.close();
});

function statuses(report: ScheduledRotationReport): string[] {
  return report.items.map((item) => `${item.host}:${item.status}`);
}

describe("runScheduledRotation", () => {
  it("rotates every integration with a secret reference; the stored ciphertext decrypts to the new secret", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
    });
    expect(report.ok).toBe(true);
    expect(statuses(report)).toEqual(["github.com:rotated", "gitlab.com:rotated"]);
    expect(report.counts.rotated).toBe(2);
    expect(report.items[0]).toMatchObject({
      runnerId: RUNNER_EU_ID,
      runnerName: "aws-eu",
      integrationId: s.githubId,
      changed: true,
    });
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);
    expect(s.emu.state.decryptClientSecret(s.gitlabId)).toBe(NEW_GITLAB_SECRET);
    expectNoCanary(JSON.stringify(report));
  });

  it("a wrong new secret changes nothing for that integration and no update is sent", async () => {
    const before = storedCiphertext(s.emu, s.githubId);
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: WRONG_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
      rotateOnly: ["aws-eu/github.com"],
    });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(["github.com:refused"]);
    expect(report.items[0]?.reason).toMatch(
      /^The new credentials were refused: OAuth client id and secret: /,
    );
    expect(report.items[0]?.changed).toBe(false);
    expect(s.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(storedCiphertext(s.emu, s.githubId)).toBe(before);
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(GITHUB_OAUTH_SECRET);
    expectNoCanary(JSON.stringify(report));
  });

  it("partial failure across runners: one rotates, the other is refused, the report is not ok", async () => {
    const gitlabBefore = storedCiphertext(s.emu, s.gitlabId);
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: WRONG_SECRET },
    });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(["github.com:rotated", "gitlab.com:refused"]);
    expect(report.counts).toMatchObject({ rotated: 1, refused: 1, failed: 0 });
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);
    expect(storedCiphertext(s.emu, s.gitlabId)).toBe(gitlabBefore);
    expect(s.emu.state.decryptClientSecret(s.gitlabId)).toBe(GITLAB_OAUTH_SECRET);
    expect(
      s.emu.requests.all("UpdateSCMIntegration").map((entry) => (entry.body as { id: string }).id),
    ).toEqual([s.githubId]);
  });

  it("an unset variable is a refusal naming it; integrations not in Gitpod are refused; others still rotate", async () => {
    const integrations = [
      ...s.integrations,
      {
        runnerId: RUNNER_US_ID,
        scmId: "bitbucket",
        host: "bitbucket.org",
        oauth: { clientId: "bb-client", clientSecretEnv: "BB_SECRET" },
      },
    ];
    const report = await runScheduledRotation(s.client, {
      integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: "  ", BB_SECRET: "some-secret-value" },
    });
    expect(statuses(report)).toEqual(["github.com:rotated", "gitlab.com:refused", "bitbucket.org:refused"]);
    expect(report.items[1]?.reason).toBe(
      "The environment variable GL_OAUTH_SECRET is not set; nothing was changed.",
    );
    expect(report.items[2]?.reason).toMatch(
      /No such SCM integration in Gitpod: apply the runner-config file first/,
    );
    expect(report.ok).toBe(false);
    expect(s.emu.requests.count("UpdateSCMIntegration")).toBe(1);
  });

  it("skips integrations without an OAuth secret reference", async () => {
    const integrations = [
      { runnerId: RUNNER_EU_ID, scmId: "gitlab", host: "gitlab.com" },
      ...s.integrations.slice(0, 1),
    ];
    const report = await runScheduledRotation(s.client, {
      integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET },
    });
    expect(statuses(report)).toEqual(["github.com:rotated"]);
  });

  it("rotate-only narrows by runner name or id and host (case-insensitive)", async () => {
    const env = { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET };
    const byName = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env,
      rotateOnly: ["aws-us/GitLab.com"],
    });
    expect(statuses(byName)).toEqual(["gitlab.com:rotated"]);
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(GITHUB_OAUTH_SECRET);
    const byId = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env,
      rotateOnly: [`${RUNNER_EU_ID}/github.com`],
    });
    expect(statuses(byId)).toEqual(["github.com:rotated"]);
  });

  it("a rotate-only entry that matches nothing is an error naming it, before any API call", async () => {
    const run = runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET },
      rotateOnly: ["aws-eu/github.com", "aws-xx/github.com", "nohost"],
    });
    await expect(run).rejects.toBeInstanceOf(RotateOnlyError);
    await expect(run).rejects.toThrow(
      'rotate-only: "aws-xx/github.com" matches no SCM integration in the runner-config file; "nohost" is not of the form runner/host',
    );
    expect(s.emu.requests.count()).toBe(0);
  });

  it("rotate-only naming an integration without OAuth is an error", async () => {
    const integrations = [...s.integrations, { runnerId: RUNNER_EU_ID, scmId: "gitlab", host: "gitlab.com" }];
    await expect(
      runScheduledRotation(s.client, { integrations, env: {}, rotateOnly: ["aws-eu/gitlab.com"] }),
    ).rejects.toThrow('"aws-eu/gitlab.com" has no OAuth client secret reference');
  });

  it("dry run tests the new secrets and sends no update", async () => {
    const before = storedCiphertext(s.emu, s.githubId);
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
      dryRun: true,
    });
    expect(report.ok).toBe(true);
    expect(report.dryRun).toBe(true);
    expect(statuses(report)).toEqual(["github.com:dry-run", "gitlab.com:dry-run"]);
    expect(s.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(s.emu.requests.count("ValidateRunnerConfiguration")).toBe(2);
    expect(storedCiphertext(s.emu, s.githubId)).toBe(before);
  });

  it("a dry run with a wrong secret is not ok", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: WRONG_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
      dryRun: true,
    });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(["github.com:refused", "gitlab.com:dry-run"]);
  });

  it("when the integrations cannot be listed, every item fails and nothing is written", async () => {
    s.emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 5 });
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
    });
    expect(statuses(report)).toEqual(["github.com:failed", "gitlab.com:failed"]);
    expect(report.items[0]?.reason).toMatch(
      /^Could not list the SCM integrations: The Gitpod API is unavailable/,
    );
    expect(s.emu.requests.writes()).toHaveLength(0);
  });

  it("runs a few at a time and finds integrations past the first page", async () => {
    const integrations = [];
    for (let index = 0; index < 6; index += 1) {
      const runnerId = s.emu.state.addRunner({ name: `runner-${index}` });
      const host = `ghe${index}.example.com`;
      s.emu.state.addOAuthApp({
        host,
        clientId: `client-${index}`,
        secrets: ["old-secret", NEW_GITHUB_SECRET],
      });
      s.emu.state.seedScmIntegration({
        runnerId,
        scmId: "github",
        host,
        oauthClientId: `client-${index}`,
        oauthClientSecret: "old-secret",
      });
      integrations.push({
        runnerId,
        runnerName: `runner-${index}`,
        scmId: "github",
        host,
        oauth: { clientId: `client-${index}`, clientSecretEnv: "SHARED_SECRET" },
      });
    }
    // Fillers so the managed integrations span more than one page of 100.
    const filler = s.emu.state.addRunner({ name: "filler" });
    for (let index = 0; index < 105; index += 1) {
      s.emu.state.seedScmIntegration({ runnerId: filler, scmId: "github", host: `f${index}.example.com` });
    }
    integrations.push({
      runnerId: filler,
      scmId: "github",
      host: "f104.example.com",
      oauth: { clientId: "client-0", clientSecretEnv: "SHARED_SECRET" },
    });
    s.emu.faults.add({ kind: "latency", latencyMs: 15 });
    const report = await runScheduledRotation(
      s.client,
      { integrations, env: { SHARED_SECRET: NEW_GITHUB_SECRET } },
      { concurrency: 3 },
    );
    // Each rotation makes one call at a time, so in-flight calls = rotations running at once.
    const calls = s.emu.requests.entries.filter((entry) => entry.rpc !== "ListSCMIntegrations");
    // `at` has millisecond resolution, so a call that starts within a millisecond of the previous
    // one's end can look overlapping: trim 1 ms off each interval (calls last >= 15 ms here).
    const inFlight = (t: number) => calls.filter((c) => c.at <= t && t < c.at + c.durationMs - 1).length;
    const peak = Math.max(...calls.map((call) => inFlight(call.at)));
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
    // The filler has no OAuth in Gitpod: refused, found on the second page.
    expect(report.items.at(-1)?.reason).toMatch(/has no OAuth configured in Gitpod/);
    expect(report.counts.rotated).toBe(6);
    expect(s.emu.requests.count("ListSCMIntegrations")).toBe(2);
  });
});
