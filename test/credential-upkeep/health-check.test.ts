import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CheckedIntegration,
  type HealthCheckReport,
  runHealthCheck,
} from "../../shared/credential-upkeep/index.js";
import { GITLAB_OAUTH_CLIENT_ID, RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { expectNoCanary, NEW_GITLAB_SECRET, type Seeded, seeded } from "./setup.js";

const NOW = new Date("2025-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString().replace(".000Z", "Z");

let s: Seeded;

beforeEach(async () => {
  s = await seeded();
});

afterEach(async () => {
  await s.close();
});

function byHost(report: HealthCheckReport, host: string): CheckedIntegration {
  const found = report.integrations.find((item) => item.integration.host === host);
  if (!found) throw new Error(`no ${host} in the report`);
  return found;
}

const check = (days?: number) =>
  runHealthCheck(
    s.client,
    {
      runners: s.runners,
      integrations: s.integrations,
      ...(days !== undefined && { expiryWarningDays: days }),
    },
    { now: () => NOW },
  );

describe("runHealthCheck", () => {
  it("reports every integration healthy when secrets validate and no token expires soon", async () => {
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", expiresAt: inDays(60) });
    const report = await check();
    expect(report.healthy).toBe(true);
    expect(report.integrations.map((item) => `${item.integration.host}:${item.status}`)).toEqual([
      "github.com:healthy",
      "gitlab.com:healthy",
    ]);
    expect(byHost(report, "github.com").tokens).toEqual({ count: 1, expiring: [] });
    expect(report.expiryWarningDays).toBe(14);
    expect(s.emu.requests.writes()).toHaveLength(0);
  });

  it("finds a revoked secret and tokens expiring within the window or already expired", async () => {
    // GitLab revoked every secret the integration knows: only a new one is current.
    s.emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, [NEW_GITLAB_SECRET]);
    const soon = s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      integrationId: s.githubId,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      userId: "user-1",
      expiresAt: inDays(3),
    });
    // No integrationId: matched by runner and host.
    const expired = s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "GitHub.com",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      expiresAt: inDays(-2),
    });
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", expiresAt: inDays(30) });
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com" });
    // Another runner's token at the same host does not count.
    s.emu.state.seedHostToken({ runnerId: RUNNER_US_ID, host: "github.com", expiresAt: inDays(1) });

    const report = await check();
    expect(report.healthy).toBe(false);
    const github = byHost(report, "github.com");
    expect(github.status).toBe("expiring");
    expect(github.tokens).toEqual({
      count: 4,
      expiring: [
        {
          id: expired.id,
          expiresAt: inDays(-2),
          expired: true,
          source: "PAT",
          remedy: "whoever holds it must sign in to GitHub.com again (the API names no owner)",
        },
        {
          id: soon.id,
          expiresAt: inDays(3),
          expired: false,
          source: "OAUTH",
          owner: "user-1",
          principal: "user",
          remedy: "user user-1 must sign in to github.com again",
        },
      ],
    });
    expect(github.findings).toEqual(["1 host token expired", "1 host token expiring within 14 days"]);
    const gitlab = byHost(report, "gitlab.com");
    expect(gitlab.status).toBe("invalid");
    expect(gitlab.validation).toMatchObject({ valid: false, problems: [{ field: "oauthError" }] });
    expect(gitlab.findings[0]).toMatch(/^stored credentials are not valid: OAuth client id and secret: /);
    expect(report.counts).toMatchObject({ healthy: 0, invalid: 1, expiring: 1, error: 0 });
    expectNoCanary(JSON.stringify(report));
  });

  it("honours expiryWarningDays", async () => {
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", expiresAt: inDays(30) });
    expect((await check()).healthy).toBe(true);
    const wide = await check(45);
    expect(wide.healthy).toBe(false);
    expect(byHost(wide, "github.com").findings).toEqual(["1 host token expiring within 45 days"]);
  });

  it("reports integrations only in Gitpod (checked, not unhealthy by themselves) and ones missing in Gitpod", async () => {
    s.emu.state.seedScmIntegration({
      runnerId: RUNNER_US_ID,
      scmId: "bitbucket",
      host: "bitbucket.org",
      pat: true,
    });
    const integrations = [
      ...s.integrations,
      { runnerId: RUNNER_EU_ID, runnerName: "aws-eu", scmId: "azure-devops-server", host: "ado.example.com" },
    ];
    const report = await runHealthCheck(s.client, { runners: s.runners, integrations }, { now: () => NOW });
    const bitbucket = byHost(report, "bitbucket.org");
    expect(bitbucket).toMatchObject({ managed: false, status: "healthy", runnerName: "aws-us" });
    expect(report.counts.unmanaged).toBe(1);
    expect(report.missing).toEqual([
      { runnerId: RUNNER_EU_ID, runnerName: "aws-eu", scmId: "azure-devops-server", host: "ado.example.com" },
    ]);
    expect(report.healthy).toBe(false);

    const withoutMissing = await runHealthCheck(s.client, {
      runners: s.runners,
      integrations: s.integrations,
    });
    expect(withoutMissing.counts.unmanaged).toBe(1);
    expect(withoutMissing.healthy).toBe(true);
  });

  it("counts tokens over every page", async () => {
    for (let index = 0; index < 130; index += 1) {
      s.emu.state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host: "github.com",
        integrationId: s.githubId,
        expiresAt: inDays(index === 129 ? 1 : 90),
      });
    }
    const report = await check();
    const github = byHost(report, "github.com");
    expect("error" in github.tokens ? -1 : github.tokens.count).toBe(130);
    expect(github.status).toBe("expiring");
    expect(s.emu.requests.count("ListHostAuthenticationTokens")).toBe(3); // 2 pages for EU, 1 for US
  });

  it("a failed token listing or validation is an error finding, not a crash", async () => {
    s.emu.faults.add({ kind: "status", status: 503, rpc: "ListHostAuthenticationTokens", times: 5 });
    s.emu.faults.add({ kind: "status", status: 500, rpc: "ValidateRunnerConfiguration", times: 1 });
    const report = await check();
    expect(report.healthy).toBe(false);
    expect(report.counts.error).toBe(2);
    const findings = report.integrations.flatMap((item) => item.findings);
    expect(findings).toContain(
      "could not list host tokens: The Gitpod API is unavailable right now: try again in a minute (ListHostAuthenticationTokens).",
    );
    expect(
      findings.some((finding) =>
        finding.startsWith("could not validate: The Gitpod API had an internal error"),
      ),
    ).toBe(true);
  });

  it("throws when the integrations cannot be listed", async () => {
    s.emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 5 });
    await expect(check()).rejects.toMatchObject({ code: "unavailable" });
  });
});
