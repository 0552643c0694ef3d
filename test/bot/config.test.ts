import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.js";

const EU = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const US = "5f7a1c3e-8b2d-4e6f-9a1b-2c3d4e5f6a7b";

const VALID = {
  SLACK_SIGNING_SECRET: "signing-canary-secret",
  SLACK_BOT_TOKEN: "xoxb-canary-bot-token",
  GITPOD_API_KEY: "gitpod-canary-key",
  GITPOD_RUNNER_IDS: `aws-eu=${EU}, ${US}`,
  SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
  SLACK_ROTATE_USER_IDS: "U0ADMIN,U0OTHER",
  SLACK_ROTATE_USERGROUP_ID: "S0ADMINS",
  SLACK_VIEW_CHANNEL_IDS: "C0OPS",
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("reads a complete environment with defaults", () => {
    const config = loadConfig(VALID);
    expect(config.runners).toEqual([{ id: EU, label: "aws-eu" }, { id: US }]);
    expect(config.command).toBe("/gitpod-scm");
    expect(config.port).toBe(3000);
    expect(config.gitpod.timeoutMs).toBe(10_000);
    expect(config.authorization).toEqual({
      rotateUserIds: ["U0ADMIN", "U0OTHER"],
      rotateUsergroupId: "S0ADMINS",
      viewChannelIds: ["C0OPS"],
    });
    expect(config.slack.appToken).toBeUndefined();
    expect(config.workflowSteps).toBe(false);
  });

  it("turns the Workflow Builder steps on only with SLACK_WORKFLOW_STEPS=true", () => {
    expect(loadConfig({ ...VALID, SLACK_WORKFLOW_STEPS: "true" }).workflowSteps).toBe(true);
    expect(loadConfig({ ...VALID, SLACK_WORKFLOW_STEPS: "false" }).workflowSteps).toBe(false);
    expect(problemsOf({ ...VALID, SLACK_WORKFLOW_STEPS: "yes" })).toEqual([
      "SLACK_WORKFLOW_STEPS must be true or false",
    ]);
  });

  it("names every problem at once, without echoing secret values", () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: "xoxp-canary-user-token",
      SLACK_APP_TOKEN: "not-an-app-token-canary",
      GITPOD_RUNNER_IDS: "aws-eu=not-a-uuid",
      SLACK_AUDIT_CHANNEL_ID: "#audit",
      SLACK_COMMAND: "gitpod",
      PORT: "http",
      SLACK_ROTATE_USER_IDS: "alice",
    });
    const text = problems.join("\n");
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
      "GITPOD_API_KEY",
      "GITPOD_RUNNER_IDS",
      "SLACK_AUDIT_CHANNEL_ID",
      "SLACK_COMMAND",
      "PORT",
      "SLACK_ROTATE_USER_IDS",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain("canary");
  });

  it("requires the signing secret only in HTTP mode", () => {
    const { SLACK_SIGNING_SECRET: _, ...withoutSecret } = VALID;
    expect(problemsOf(withoutSecret)).toEqual([
      "SLACK_SIGNING_SECRET is required in HTTP mode (when SLACK_APP_TOKEN is not set)",
    ]);
    expect(loadConfig({ ...withoutSecret, SLACK_APP_TOKEN: "xapp-1-socket" }).slack.appToken).toBe(
      "xapp-1-socket",
    );
  });

  it("treats blank variables as missing", () => {
    expect(problemsOf({ ...VALID, GITPOD_API_KEY: "  " })).toEqual([
      "ONA_API_KEY (or the legacy GITPOD_API_KEY) is required",
    ]);
  });

  it("says the whole message in one error", () => {
    expect(() => loadConfig({})).toThrow(/configuration is not usable:\n- /);
  });
});

describe("loadConfig: Ona's names and the legacy ones", () => {
  const { GITPOD_API_KEY: _, ...withoutKey } = VALID;

  it("reads ONA_API_KEY and ONA_BASE_URL alone, and says which variable each came from", () => {
    const config = loadConfig({
      ...withoutKey,
      ONA_API_KEY: "ona-key",
      ONA_BASE_URL: "https://ona.example/api",
    });
    expect(config.gitpod).toMatchObject({
      apiKey: "ona-key",
      apiKeyVariable: "ONA_API_KEY",
      baseUrl: "https://ona.example/api",
      baseUrlVariable: "ONA_BASE_URL",
    });
    expect(config.warnings).toEqual([]);
  });

  it("reads the legacy names alone, each setting on its own", () => {
    const config = loadConfig({ ...VALID, ONA_BASE_URL: "https://ona.example/api" });
    expect(config.gitpod).toMatchObject({
      apiKey: "gitpod-canary-key",
      apiKeyVariable: "GITPOD_API_KEY",
      baseUrlVariable: "ONA_BASE_URL",
    });
    expect(loadConfig(VALID).gitpod.baseUrl).toBeUndefined();
  });

  it("prefers ONA_API_KEY and warns, without either value, when both are set and differ", () => {
    const config = loadConfig({ ...VALID, ONA_API_KEY: "ona-canary-key" });
    expect(config.gitpod.apiKey).toBe("ona-canary-key");
    expect(config.warnings).toEqual([
      "ONA_API_KEY and GITPOD_API_KEY are both set and differ: using ONA_API_KEY (unset GITPOD_API_KEY, the legacy name)",
    ]);
    expect(loadConfig({ ...VALID, ONA_API_KEY: VALID.GITPOD_API_KEY }).warnings).toEqual([]);
  });

  it("names the variable whose URL is bad", () => {
    expect(problemsOf({ ...VALID, ONA_BASE_URL: "not a url" })).toEqual(["ONA_BASE_URL must be a URL"]);
    expect(problemsOf({ ...VALID, GITPOD_BASE_URL: "nope" })).toEqual(["GITPOD_BASE_URL must be a URL"]);
  });
});

describe("loadConfig: state and approvals", () => {
  it("defaults to SQLite at ./data/bot.sqlite, approvals off, and the documented timings", () => {
    const config = loadConfig(VALID);
    expect(config.state).toEqual({
      database: { kind: "sqlite", path: "./data/bot.sqlite" },
      leaseTtlMs: 60_000,
      leaseWaitMs: 30_000,
      shutdownGraceMs: 25_000,
    });
    expect(config.approvals).toEqual({ approverIds: [], required: 0, ttlMs: 1_800_000 });
  });

  it("takes a postgres:// URL and approvers; never echoes the database password", () => {
    const config = loadConfig({
      ...VALID,
      DATABASE_URL: "postgres://bot:pw-canary@db.internal:5432/bot",
      SLACK_ROTATE_APPROVERS: "U0BOB, S0APPROVERS",
      SLACK_ROTATE_APPROVALS_REQUIRED: "2",
    });
    expect(config.state.database).toEqual({
      kind: "postgres",
      url: "postgres://bot:pw-canary@db.internal:5432/bot",
    });
    expect(config.approvals).toMatchObject({ approverIds: ["U0BOB", "S0APPROVERS"], required: 2 });
    const problems = problemsOf({ ...VALID, DATABASE_URL: "mysql://bot:pw-canary@db/bot" });
    expect(problems.join("\n")).toContain("DATABASE_URL must start with sqlite: or postgres://");
    expect(problems.join("\n")).not.toContain("pw-canary");
  });

  it("names approval settings that cannot work", () => {
    const problems = problemsOf({
      ...VALID,
      SLACK_ROTATE_APPROVALS_REQUIRED: "1",
      SLACK_ROTATE_APPROVAL_TTL_MS: "10",
      BOT_LEASE_TTL_MS: "abc",
    });
    expect(problems).toContain(
      "SLACK_ROTATE_APPROVALS_REQUIRED is set, so SLACK_ROTATE_APPROVERS must name who may approve",
    );
    expect(problems).toContain("SLACK_ROTATE_APPROVAL_TTL_MS must be at least 1000");
    expect(problems).toContain("BOT_LEASE_TTL_MS must be a number of milliseconds");
    expect(problemsOf({ ...VALID, SLACK_ROTATE_APPROVERS: "#admins" }).join("\n")).toContain(
      'SLACK_ROTATE_APPROVERS: "#admins" is not a user id',
    );
  });
});
