/**
 * Service accounts' host tokens in the file, through the bundled action: created on apply, zero
 * writes on a second apply, the token sent again on rotate-secrets or a new expiresAt, users' tokens
 * never touched, and no token value in any output, log or summary.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type ActionResult, makeWorkspace, removeWorkspace, runAction } from "../support/run-action.js";

const SERVICE_ACCOUNT = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const USER = "f53d2330-3795-4c5d-a1f3-453121af9c60";
const TOKEN = "canary-sa-token-3e9f51a7";
const REFRESH = "canary-sa-refresh-0b44d2";
const ROTATED = "canary-sa-token-rotated-9d1c";

const config = (expiresAt: string, extra = "") => `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: true
    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: ${SERVICE_ACCOUNT}
        token: \${CI_BOT_TOKEN}
        refreshToken: \${CI_BOT_REFRESH}
        expiresAt: "${expiresAt}"
        scopes: [repo, read:org]
        integration: github
${extra}`;

let emu: Emulator;
let workspace: string;
const runs: ActionResult[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  workspace = await makeWorkspace(config("2027-01-31T00:00:00Z"));
});
afterAll(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

async function run(mode: string, token: string, extraInputs: Record<string, string> = {}) {
  const result = await runAction({
    workspace,
    api: emu,
    inputs: { mode, ...extraInputs },
    env: { CI_BOT_TOKEN: token, CI_BOT_REFRESH: REFRESH },
  });
  runs.push(result);
  return result;
}

function serviceAccountTokens() {
  return [...emu.state.hostTokens.values()].filter(
    (t) => t.subject?.principal === "PRINCIPAL_SERVICE_ACCOUNT",
  );
}

describe("service-account host tokens in the file", () => {
  it("creates the token, linked to the integration the same apply creates, then re-applies with zero writes", async () => {
    const user = emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", userId: USER });
    const first = await run("apply", TOKEN);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [stored] = serviceAccountTokens();
    const integration = [...emu.state.scmIntegrations.values()][0];
    expect(stored).toMatchObject({
      host: "github.com",
      token: TOKEN,
      refreshToken: REFRESH,
      expiresAt: "2027-01-31T00:00:00Z",
      scopes: ["repo", "read:org"],
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      integrationId: integration?.id,
      subject: { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    });
    expect(first.stdout).toContain("service-account host token");

    emu.requests.clear();
    const second = await run("apply", TOKEN);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(emu.requests.writes()).toEqual([]);
    expect(second.outputs.changed).toBe("false");
    // The user's token is not the file's business.
    expect(emu.state.hostTokens.get(user.id)).toBeDefined();
  });

  it("sends the token again on rotate-secrets, and with a new expiresAt", async () => {
    emu.requests.clear();
    const rotated = await run("apply", ROTATED, { "rotate-secrets": "true" });
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    expect(emu.requests.all("UpdateHostAuthenticationToken")).toHaveLength(1);
    expect(serviceAccountTokens()[0]?.token).toBe(ROTATED);

    const { writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    await writeFile(join(workspace, ".gitpod", "runner-config.yaml"), config("2027-06-30T00:00:00Z"));
    emu.requests.clear();
    const renewed = await run("apply", TOKEN);
    expect(renewed.code, renewed.stdout + renewed.stderr).toBe(0);
    expect(emu.requests.last("UpdateHostAuthenticationToken")?.body).toMatchObject({
      expiresAt: "2027-06-30T00:00:00Z",
      token: TOKEN,
      refreshToken: REFRESH,
    });
    expect(serviceAccountTokens()[0]).toMatchObject({ token: TOKEN, expiresAt: "2027-06-30T00:00:00Z" });
  });

  it("prunes only service accounts' tokens, and only as a destructive operation", async () => {
    const stray = emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "gitlab.com",
      subject: { id: "0b7c1c9e-3c1d-4a5e-9f00-333333333333", principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    });
    const refused = await run("apply", TOKEN, { prune: "true" });
    expect(refused.code).not.toBe(0);
    expect(emu.state.hostTokens.get(stray.id)).toBeDefined();
    const pruned = await run("apply", TOKEN, { prune: "true", "allow-destructive": "true" });
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
    expect(emu.state.hostTokens.get(stray.id)).toBeUndefined();
    expect([...emu.state.hostTokens.values()].some((t) => t.userId === USER)).toBe(true);
  });

  it("never shows a token value in stdout, stderr, outputs or the job summary", () => {
    expect(runs.length).toBeGreaterThan(4);
    for (const result of runs) {
      const visible = [
        result.stdout.replace(/^::add-mask::.*$/gm, ""),
        result.stderr,
        result.summary,
        JSON.stringify(result.outputs),
      ].join("\n");
      for (const canary of [TOKEN, REFRESH, ROTATED]) expect(visible).not.toContain(canary);
    }
  });
});
