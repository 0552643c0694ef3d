/**
 * `rotate-llm` against the bot as a process (`npm run bot`), driven by signed Slack requests:
 * four-eyes approval through the reason modal, and a bot killed (SIGKILL) while its update of the
 * key is in flight, whose restarted self says the stored key is unknown. The new key is in no
 * Slack body, no line the processes wrote (stdout and stderr) and no row of the SQLite store.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDb } from "../../bot/state/sqlite-db.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import type { FakeSlack, RecordedCall } from "../fakes/slack-api.js";
import { waitUntil } from "../support/wait.js";
import {
  answerTo,
  auditPost,
  type BotProcess,
  type BotWithFakesOptions,
  clickButton,
  requestApproval,
  sendCommand,
  startBotWithFakes,
  submitView,
} from "./bot-process.js";
import { ADMIN, AUDIT_CHANNEL, buttonValue, openedViewId } from "./harness.js";

const BOB = "U0BOB";
const HOST = "api.anthropic.example";
const OLD_KEY = "llm-canary-process-old-4c1d9e";
const NEW_KEY = "llm-canary-process-new-7b3a2f";

const closers: Array<() => Promise<void>> = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The bot on a SQLite file (its rows are searched for the key), with an LLM integration on aws-eu. */
async function setUp(options: Omit<BotWithFakesOptions, "databaseUrl"> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bot-rotate-llm-"));
  dirs.push(dir);
  const sqlite = join(dir, "bot.sqlite");
  const fakes = await startBotWithFakes({ ...options, databaseUrl: `sqlite:${sqlite}` });
  closers.push(fakes.close);
  const integration = fakes.emu.state.seedLlmIntegration({
    runnerId: RUNNER_EU_ID,
    endpoint: `https://${HOST}/v1`,
    apiKey: OLD_KEY,
  });
  return { ...fakes, integration, sqlite };
}

/** The key form shown in the modal opened by `triggerId` (by the command, or by views.open itself). */
async function keyForm(
  fake: FakeSlack,
  triggerId: string,
): Promise<{ viewId: string; form: Record<string, unknown> }> {
  const open = await fake.waitFor(
    (call) => call.method === "views.open" && call.args.trigger_id === triggerId,
    15_000,
  );
  const viewId = openedViewId(open) ?? "";
  const isForm = (call: RecordedCall) =>
    (call.args.view as { callback_id?: string }).callback_id === "rotate_llm_submit";
  if (isForm(open)) return { viewId, form: open.args.view as Record<string, unknown> };
  const filled = await fake.waitFor(
    (call) => call.method === "views.update" && call.args.view_id === viewId && isForm(call),
    15_000,
  );
  return { viewId, form: filled.args.view as Record<string, unknown> };
}

/** Submits the key form as Slack would, signed. */
async function submitKey(bot: BotProcess, form: Record<string, unknown>, viewId: string, key: string) {
  const response = await submitView(bot, {
    view: form,
    viewId,
    user: ADMIN,
    values: { llm_api_key: { value: { type: "plain_text_input", value: key } } },
  });
  expect(response.status).toBe(200);
  await response.text();
}

/** Every row of every table of the SQLite store, as text. */
async function sqliteRows(file: string): Promise<string> {
  const db = openSqliteDb(file);
  try {
    const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    const dumps: string[] = [];
    for (const { name } of tables)
      dumps.push(`${name}: ${JSON.stringify(await db.all(`SELECT * FROM "${name}"`))}`);
    return dumps.join("\n");
  } finally {
    await db.close();
  }
}

function expectNoKey(fake: FakeSlack, processes: readonly BotProcess[], rows: string) {
  const written = processes.map((bot) => `${bot.stdout()}\n${bot.stderr()}`).join("\n");
  expect(rows).toContain("rotate-llm-key");
  for (const key of [OLD_KEY, NEW_KEY]) {
    expect(fake.everything()).not.toContain(key);
    expect(written).not.toContain(key);
    expect(rows).not.toContain(key);
  }
}

describe("rotate-llm, the bot as a process", () => {
  it("with four-eyes on: the reason modal, a second admin's approval, then the key form and the rotation", async () => {
    const { emu, slack, bot, integration, sqlite } = await setUp({ approvers: [BOB] });
    const asked = await requestApproval(
      bot,
      slack,
      `rotate-llm ${HOST}`,
      ADMIN,
      "the key was pasted in a ticket",
    );
    expect(asked.status).toBe(200);
    const request = await slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && JSON.stringify(call.args).includes("Approval needed"),
      15_000,
    );
    expect(JSON.stringify(request.args)).toContain(`the LLM API key of ${HOST}`);
    const approvalId = buttonValue(request, "approval_approve");
    expect(approvalId).not.toBe("");

    // The requester cannot open the form before a second admin approved.
    const early = await clickButton(bot, slack, {
      user: ADMIN,
      actionId: "approval_open_form",
      value: approvalId,
    });
    expect(await answerTo(slack, early.responseUrlId)).toContain("no longer valid");
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(0);

    await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: approvalId,
    });
    await auditPost(slack, `approval by ${BOB}: approved`);
    const opened = await clickButton(bot, slack, {
      user: ADMIN,
      actionId: "approval_open_form",
      value: approvalId,
    });
    const { viewId, form } = await keyForm(slack, opened.triggerId);
    await submitKey(bot, form, viewId, NEW_KEY);
    const done = JSON.parse(await auditPost(slack, `rotate-llm-key by ${ADMIN}: rotated`));
    expect(done.text).toBe(`Audit: rotate-llm-key by ${ADMIN}: rotated (${HOST} (LLM API key))`);
    expect(emu.state.decryptApiKey(integration.id)).toBe(NEW_KEY);
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(1);

    bot.child.kill("SIGTERM");
    await bot.exited();
    expectNoKey(slack, [bot], await sqliteRows(sqlite));
  }, 60_000);

  it("killed while the update is in flight: the restarted bot says the stored key is unknown", async () => {
    const {
      emu,
      slack,
      bot: first,
      integration,
      sqlite,
      startAnotherBot,
    } = await setUp({ env: { BOT_LEASE_TTL_MS: "1000", GITPOD_TIMEOUT_MS: "120000" } });
    const sent = await sendCommand(first, slack, `rotate-llm ${HOST}`, ADMIN);
    const { viewId, form } = await keyForm(slack, sent.triggerId);
    // The emulator stores the key, then holds its answer: the bot waits, journaled as "updating".
    emu.faults.add({ kind: "latency", rpc: "UpdateLLMIntegration", latencyMs: 60_000, after: true });
    await submitKey(first, form, viewId, NEW_KEY);
    const db = openSqliteDb(sqlite);
    try {
      await waitUntil(
        async () => {
          const rows = await db.all<{ phase: string }>(
            "SELECT phase FROM rotation_journal WHERE credential_kind = 'llm-key' AND outcome IS NULL",
          );
          return rows[0]?.phase === "updating" && emu.state.decryptApiKey(integration.id) === NEW_KEY;
        },
        { what: "the journaled update to be in flight", timeoutMs: 15_000 },
      );
    } finally {
      await db.close();
    }
    first.child.kill("SIGKILL");
    await first.exited();
    emu.faults.clear();
    // The emulator logs a request once answered: the held update may not be in the log.
    const updatesBefore = emu.requests.count("UpdateLLMIntegration");

    const second = await startAnotherBot();
    const post = await auditPost(slack, `rotate-llm-key by ${ADMIN}: interrupted`, 20_000);
    expect(JSON.parse(post).text).toBe(
      `Audit: rotate-llm-key by ${ADMIN}: interrupted (${HOST} (LLM API key))`,
    );
    expect(post).toContain(
      `while the update was in flight; whether the stored API key of ${HOST} is the new one is unknown`,
    );
    // The person's modal is told too; nothing was sent again.
    await slack.waitFor(
      (call) =>
        call.method === "views.update" &&
        call.args.view_id === viewId &&
        JSON.stringify(call.args).includes("did not finish"),
      15_000,
    );
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(updatesBefore);

    second.child.kill("SIGTERM");
    await second.exited();
    expectNoKey(slack, [first, second], await sqliteRows(sqlite));
  }, 60_000);
});
