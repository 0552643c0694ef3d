/** /healthz and /readyz report the store; with the store down, a rotation is not started. */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import { startPostgres } from "../state/postgres-server.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { AUDIT_CHANNEL, callText, type Harness, openedViewId, startHarness } from "./harness.js";

const CANARY = "canary-health-secret-3e4f5a";

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("health", () => {
  it("SQLite: 200 while the store answers, 503 once it does not", async () => {
    h = await startHarness();
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    await h.store.close();
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, store: "down", storeKind: "sqlite", slack: "ok" });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
  });

  it("PostgreSQL: the server stops, /healthz says so, and a rotation is refused with nothing changed", async () => {
    const pg = await startPostgres();
    cleanups.push(() => pg.stop());
    h = await startHarness({ databaseUrl: await pg.createDatabase("health") });
    const integration = seedGitHubIntegration(h.emu.state);
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
    const up = await fetch(`${h.url}/healthz`);
    expect(await up.json()).toEqual({ ok: true, store: "ok", storeKind: "postgres", slack: "ok" });

    await h.command(`rotate ${integration.id}`);
    const open = await h.slack.waitFor((call) => call.method === "views.open");
    const viewId = openedViewId(open) ?? "";
    await h.slack.waitFor((call) => call.method === "views.update" && call.args.view_id === viewId);
    await pg.stop();

    const down = await fetch(`${h.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, store: "down" });

    await h.submitRotation(viewId, CANARY);
    const shown = await h.slack.waitFor(
      (call) => call.method === "views.update" && callText(call).includes("state store is unreachable"),
      15_000,
    );
    expect(callText(shown)).toContain("Nothing was changed.");
    const audit = await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(": failed ("),
    );
    expect(callText(audit)).toContain("state store is unreachable");
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
    expect(h.slack.everything()).not.toContain(CANARY);
  }, 60_000);
});
