/**
 * `rotate-llm <endpoint-host | llm-integration-id> [runner]`: an LLM integration's API key rotated
 * from Slack with the same lease, journal, four-eyes approval and audit as OAuth secrets, driven by
 * signed Slack requests against the bot and the emulator. The new key reaches Gitpod only: no
 * Slack body, response_url post, log line or row of any table of the bot's store (SQLite and
 * PostgreSQL: every test runs on both).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SqlDb } from "../../bot/state/db.js";
import { openPostgresDb } from "../../bot/state/postgres-db.js";
import { openSqliteDb } from "../../bot/state/sqlite-db.js";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  buttonValue,
  CHANNEL,
  callText,
  type Harness,
  type HarnessOptions,
  openedViewId,
  startHarness,
  waitForAudit,
} from "./harness.js";
import { viewSubmission } from "./slack-payloads.js";

const OLD_KEY = "llm-canary-old-key-5b0c1e";
const NEW_KEY = "llm-canary-new-key-8d2f4a";
const OTHER_KEY = "llm-canary-other-key-3e7a90";
const US_KEY = "llm-canary-us-key-1f6b2d";
const CANARIES = [OLD_KEY, NEW_KEY, OTHER_KEY, US_KEY];
const BOB = "U0BOB";
const HOST = "api.anthropic.example";

let h: Harness | undefined;
let postgres: PostgresServer | undefined;
/** How to open the store's database raw, to read every row after the run. */
let openRaw: () => SqlDb = () => {
  throw new Error("no store");
};
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A fresh database of each kind the bot runs on, and how to list its tables. */
const STORES = [
  {
    name: "sqlite",
    async fresh(): Promise<string> {
      const file = join(mkdtempSync(join(tmpdir(), "rotate-llm-")), "bot.sqlite");
      openRaw = () => openSqliteDb(file);
      return `sqlite:${file}`;
    },
    tables: "SELECT name FROM sqlite_master WHERE type = 'table'",
  },
  {
    name: "postgres",
    async fresh(): Promise<string> {
      const url = await (postgres as PostgresServer).createDatabase();
      openRaw = () => openPostgresDb(url);
      return url;
    },
    tables: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
  },
] as const;

/** Submit the key form last shown in this modal, or `view` (a form already answered, sent again). */
function submitKey(harness: Harness, viewId: string, key: string, view?: Record<string, unknown>) {
  if (!view) return harness.submitText(viewId, { llm_api_key: key });
  return harness.interact(
    viewSubmission({
      view,
      viewId,
      user: ADMIN,
      triggerId: `trigger-replay-${viewId}`,
      values: { llm_api_key: { value: { type: "plain_text_input", value: key } } },
    }),
  );
}

/** The newest history row of an LLM key rotation (approval rows may be written after it). */
async function rotationEvent(harness: Harness) {
  const events = await harness.store.history({ host: HOST, limit: 20 });
  return events.find((event) => event.action === "rotate-llm-key" && event.outcome !== "started");
}

/** Every row of every table of the bot's database, as text. */
async function storeDump(tablesQuery: string): Promise<string> {
  const db = openRaw();
  try {
    const tables = (await db.all<{ name: string }>(tablesQuery)).map((row) => String(row.name));
    expect(tables).toEqual(expect.arrayContaining(["rotation_journal", "approvals", "leases"]));
    const dumps: string[] = [];
    for (const table of tables)
      dumps.push(
        `${table}: ${JSON.stringify(await db.all(`SELECT * FROM "${table}"`), (_key, value: unknown) =>
          typeof value === "bigint" ? String(value) : value,
        )}`,
      );
    return dumps.join("\n");
  } finally {
    await db.close();
  }
}

describe.each(STORES)("rotate-llm on $name", (store) => {
  async function setUp(options: HarnessOptions = {}) {
    h = await startHarness({ databaseUrl: await store.fresh(), ...options });
    const integration = h.emu.state.seedLlmIntegration({
      runnerId: RUNNER_EU_ID,
      endpoint: `https://${HOST}/v1`,
      models: ["SUPPORTED_MODEL_SONNET_4"],
      apiKey: OLD_KEY,
    });
    // Another runner's integration: never touched by a rotation of the first.
    const us = h.emu.state.seedLlmIntegration({
      runnerId: RUNNER_US_ID,
      endpoint: "https://llm.other.example",
      apiKey: US_KEY,
    });
    return { h, integration, us };
  }

  /** No canary key in Slack, the logs or any row of any table of the store (read after the bot closed it). */
  async function expectNoCanary(harness: Harness, extra: readonly string[] = []) {
    const outside = [harness.slack.everything(), harness.logs.join("\n"), ...extra].join("\n");
    await harness.close();
    h = undefined;
    const rows = await storeDump(store.tables);
    expect(rows).toContain("llm-key");
    for (const canary of CANARIES) {
      expect(outside).not.toContain(canary);
      expect(rows).not.toContain(canary);
    }
  }

  it("rotates an LLM key end to end: form, update, phase read back, reports, journal, history", async () => {
    const { h, integration, us } = await setUp();
    const { ack, open, viewId, filled } = await h.openModal(`rotate-llm ${HOST}`);
    expect(ack.ackMs).toBeLessThan(1000);
    expect(callText(open)).toContain("Rotate LLM API key");
    expect(callText(open)).toContain("Looking up the LLM integration");
    const form = filled.args.view as {
      callback_id?: string;
      blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>;
    };
    expect(form.callback_id).toBe("rotate_llm_submit");
    const keyBlock = form.blocks.find((block) => block.block_id === "llm_api_key");
    expect(keyBlock?.element).toMatchObject({ type: "plain_text_input" });
    // The form never pre-fills a key.
    expect(keyBlock?.element).not.toHaveProperty("initial_value");
    expect(callText(filled)).toContain(integration.id);
    expect(callText(filled)).toContain("aws-eu");

    // An empty key is a field error; nothing is sent to Gitpod.
    h.emu.requests.clear();
    const empty = await submitKey(h, viewId, "");
    expect(empty.json).toMatchObject({
      response_action: "errors",
      errors: { llm_api_key: expect.any(String) },
    });
    expect(h.emu.requests.count("UpdateLLMIntegration")).toBe(0);

    const submitted = await submitKey(h, viewId, NEW_KEY);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    const done = await waitForAudit(h, `rotate-llm-key by ${ADMIN}: rotated`);
    expect(done.args.text).toBe(`Audit: rotate-llm-key by ${ADMIN}: rotated (${HOST} (LLM API key))`);
    expect(callText(done)).toContain("• test: skipped");
    expect(callText(done)).toContain("• verify: ok");
    // In Gitpod: the new key is stored (decrypted with the runner's key); the other runner's is not touched.
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    expect(h.emu.state.decryptApiKey(us.id)).toBe(US_KEY);
    // Read fresh at submission, then the protocol: read, update (the key only), read back.
    expect(h.emu.requests.entries.map((entry) => entry.rpc)).toEqual([
      "GetLLMIntegration",
      "GetLLMIntegration",
      "UpdateLLMIntegration",
      "GetLLMIntegration",
    ]);
    expect(Object.keys(h.emu.requests.all("UpdateLLMIntegration")[0]?.body as object).sort()).toEqual([
      "apiKey",
      "id",
    ]);

    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("Rotated"));
    expect(callText(report)).toContain(`LLM API key of ${HOST}`);
    expect(callText(report)).toContain("Phase after the update: *AVAILABLE*");
    expect(callText(report)).toContain(":heavy_minus_sign: 2. Test the new API key: skipped");
    const shown = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" && call.args.view_id === viewId && callText(call).includes("Rotated"),
    );
    expect(callText(shown)).toContain("Phase after the update");

    const event = await rotationEvent(h);
    expect(event).toMatchObject({
      action: "rotate-llm-key",
      outcome: "rotated",
      actor: ADMIN,
      integrationId: integration.id,
    });
    expect(await h.store.getRotation(event?.journalId ?? "")).toMatchObject({
      credential: "llm-key",
      integrationId: integration.id,
      host: HOST,
      outcome: "rotated",
      phase: "updated",
    });
    const asked = await h.command(`history ${HOST}`);
    const page = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("History"));
    expect(callText(page)).toContain(`*rotate-llm-key* by <@${ADMIN}>: *rotated* · ${HOST} · LLM API key`);
    // The lease is released: a second rotation may start at once.
    expect(await h.store.getLease(`rotation:llm-key:${integration.id}`)).toBeUndefined();
    await expectNoCanary(h, [empty.text, submitted.text]);
  });

  it("reports an integration UNAVAILABLE after the update with its reason, escaped", async () => {
    const { h, integration } = await setUp();
    h.emu.state.setLlmIntegrationPhase(
      integration.id,
      "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      "invalid x-api-key <!channel>",
    );
    const { ack, viewId } = await h.openModal(`rotate-llm ${integration.id}`);
    await submitKey(h, viewId, NEW_KEY);
    await waitForAudit(h, `rotate-llm-key by ${ADMIN}: unverified`);
    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("NOT VERIFIED"));
    expect(callText(report)).toContain(
      "Phase after the update: *UNAVAILABLE (invalid x-api-key &lt;!channel&gt;)*",
    );
    expect(callText(report)).not.toContain("<!channel>");
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    await expectNoCanary(h);
  });

  it("an update whose answer is lost: reported UNKNOWN in words, sent exactly once, journaled, in the history", async () => {
    // The client would retry a lost answer once (gitpodMaxRetries); the LLM key's update never is.
    const { h, integration } = await setUp({ gitpodMaxRetries: 2 });
    const { ack, viewId } = await h.openModal(`rotate-llm ${HOST} aws-eu`);
    h.emu.requests.clear();
    // The emulator stores the key, then drops the connection before answering.
    h.emu.faults.add({ kind: "reset", rpc: "UpdateLLMIntegration", nth: 1, after: true });
    await submitKey(h, viewId, NEW_KEY);
    const audit = await waitForAudit(h, `rotate-llm-key by ${ADMIN}: unknown`);
    expect(callText(audit)).toContain("whether the new API key is stored is unknown");
    expect(h.emu.requests.count("UpdateLLMIntegration")).toBe(1);
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);

    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("may or may not"));
    expect(callText(report)).toContain("It was not retried");
    expect(callText(report)).toContain("Phase after the update: *unknown (the update's answer was lost)*");
    const event = await rotationEvent(h);
    expect(event).toMatchObject({ action: "rotate-llm-key", outcome: "unknown" });
    // The journal says the update was sent and never confirmed: a crash here would also say unknown.
    expect(await h.store.getRotation(event?.journalId ?? "")).toMatchObject({
      credential: "llm-key",
      phase: "updating",
      outcome: "unknown",
    });
    const asked = await h.command(`history ${integration.id}`);
    const page = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("History"));
    expect(callText(page)).toContain(`*rotate-llm-key* by <@${ADMIN}>: *unknown*`);
    await expectNoCanary(h);
  });

  it("with four-eyes on: a second admin approves, the requester rotates once; the approval is locked to the endpoint", async () => {
    const { h, integration } = await setUp({
      env: { SLACK_ROTATE_APPROVERS: BOB, SLACK_ROTATE_APPROVALS_REQUIRED: "1" },
    });
    const approve = async () => {
      const from = h.slack.calls.length;
      const { filled, viewId } = await h.openModal(`rotate-llm ${HOST}`);
      expect((filled.args.view as { callback_id?: string }).callback_id).toBe("approval_request_submit");
      expect(callText(filled)).toContain(integration.id);
      await h.submitText(viewId, { reason: "the provider key leaked in a log" });
      const request = await h.slack.waitFor(
        (call) =>
          call.args.channel === AUDIT_CHANNEL &&
          callText(call).includes("Approval needed") &&
          h.slack.calls.indexOf(call) >= from,
      );
      expect(callText(request)).toContain(`wants to rotate *the LLM API key of ${HOST}*`);
      const approvalId = buttonValue(request, "approval_approve");
      expect(await h.store.getApproval(approvalId)).toMatchObject({
        credential: "llm-key",
        integrationId: integration.id,
        host: HOST,
        status: "pending",
      });
      await h.click({ user: BOB, channel: AUDIT_CHANNEL, actionId: "approval_approve", value: approvalId });
      await h.slack.waitFor(
        (call) =>
          call.args.channel === AUDIT_CHANNEL &&
          String(call.args.text).includes(`approval by ${BOB}: approved`) &&
          h.slack.calls.indexOf(call) >= from,
      );
      const opened = await h.click({
        user: ADMIN,
        channel: CHANNEL,
        actionId: "approval_open_form",
        value: approvalId,
      });
      const form = await h.slack.waitFor(
        (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
      );
      expect((form.args.view as { callback_id?: string }).callback_id).toBe("rotate_llm_submit");
      return {
        approvalId,
        viewId: openedViewId(form) ?? "",
        form: form.args.view as Record<string, unknown>,
      };
    };

    const first = await approve();
    expect(h.emu.requests.count("UpdateLLMIntegration")).toBe(0);
    await submitKey(h, first.viewId, NEW_KEY);
    await waitForAudit(h, `rotate-llm-key by ${ADMIN}: rotated`);
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    expect((await h.store.getApproval(first.approvalId))?.status).toBe("used");
    const event = await rotationEvent(h);
    expect(event).toMatchObject({
      action: "rotate-llm-key",
      outcome: "rotated",
      approvalId: first.approvalId,
    });

    // The approval is used up: the same form submitted again is refused.
    await submitKey(h, first.viewId, OTHER_KEY, first.form);
    expect(callText(await waitForAudit(h, `rotate-llm-key by ${ADMIN}: refused`))).toContain("already used");

    // Approved for one endpoint; the integration is pointed elsewhere before the key is entered.
    const second = await approve();
    await h.gitpod.llmIntegrations.update({ id: integration.id, endpoint: "https://elsewhere.example/v1" });
    h.emu.requests.clear();
    await submitKey(h, second.viewId, OTHER_KEY);
    const locked = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" &&
        call.args.view_id === second.viewId &&
        callText(call).includes("the approval is for the LLM endpoint"),
    );
    expect(callText(locked)).toContain("now points at `elsewhere.example`");
    expect(h.emu.requests.count("UpdateLLMIntegration")).toBe(0);
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    expect((await h.store.getApproval(second.approvalId))?.status).toBe("used");
    await expectNoCanary(h);
  });

  it("resolves a dead replica's unfinished LLM key rotation before taking its lease, reading the phase", async () => {
    const { h, integration } = await setUp({ env: { BOT_LEASE_WAIT_MS: "10000" } });
    const { viewId } = await h.openModal(`rotate-llm ${HOST}`);
    // A replica died while its update was in flight: its lease lapsed, its entry is open.
    const past = Date.now() - 120_000;
    await h.store.acquireLease({
      key: `rotation:llm-key:${integration.id}`,
      owner: "dead-replica:j7",
      holder: BOB,
      journalId: "j7",
      ttlMs: 60_000,
      now: past,
    });
    await h.store.beginRotation({
      id: "j7",
      credential: "llm-key",
      integrationId: integration.id,
      host: HOST,
      runnerId: RUNNER_EU_ID,
      actor: BOB,
      source: "slack",
      owner: "dead-replica",
      startedAt: past,
    });
    await h.store.setRotationPhase("j7", "updating", past + 1000);

    await submitKey(h, viewId, NEW_KEY);
    const done = await waitForAudit(h, `rotate-llm-key by ${ADMIN}: rotated`);
    const interrupted = await waitForAudit(h, `rotate-llm-key by ${BOB}: interrupted`);
    expect(h.slack.calls.indexOf(interrupted)).toBeLessThan(h.slack.calls.indexOf(done));
    expect(callText(interrupted)).toContain(
      `whether the stored API key of ${HOST} is the new one is unknown`,
    );
    expect(await h.store.getRotation("j7")).toMatchObject({ outcome: "interrupted" });
    expect(h.emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    await expectNoCanary(h);
  });

  it("answers usage, unknown hosts, several matches and a key typed into the command without echoing it", async () => {
    const { h } = await setUp();
    h.emu.state.seedLlmIntegration({
      runnerId: RUNNER_US_ID,
      endpoint: `https://${HOST}/v2`,
      apiKey: OTHER_KEY,
    });

    const typo = await h.command(`rotate-lm ${HOST}`);
    expect(callText(await h.waitForResponse(typo.responseUrlId))).toContain(
      'unknown command \\"rotate-lm\\" (did you mean \\"rotate-llm\\"?)',
    );
    const bare = await h.command("rotate-llm");
    expect(callText(await h.waitForResponse(bare.responseUrlId))).toContain("which LLM integration?");

    const typed = await h.command(`rotate-llm ${HOST} ${NEW_KEY}`);
    const refusal = callText(await h.waitForResponse(typed.responseUrlId));
    expect(refusal).toContain("Revoke it");
    expect(h.slack.callsTo("views.open")).toHaveLength(0);

    const nowhere = await h.openModal("rotate-llm nowhere.example");
    expect(callText(nowhere.filled)).toContain(
      "no LLM integration of the bot's runners has an endpoint on that host",
    );

    const many = await h.openModal(`rotate-llm ${HOST}`);
    expect(callText(many.filled)).toContain("2 LLM integrations have an endpoint on");
    const named = await h.openModal(`rotate-llm ${HOST} aws-us`);
    expect((named.filled.args.view as { callback_id?: string }).callback_id).toBe("rotate_llm_submit");
    expect(callText(named.filled)).toContain(RUNNER_US_ID);

    const stranger = await h.openModal(`rotate-llm ${HOST} aws-eu`, "U0STRANGER");
    expect(callText(stranger.filled)).toContain("not allowed to rotate credentials");
    await waitForAudit(h, "rotate-llm-key by U0STRANGER: unauthorized");
    expect(h.emu.requests.count("UpdateLLMIntegration")).toBe(0);
    await expectNoCanary(h, [refusal]);
  });
});
