/**
 * PostgreSQL drops the bot's connection in the middle of a transaction (a failover, an admin's
 * pg_terminate_backend): during an approval vote the vote fails in words and the process stays up
 * and healthy; during start-up migrations the bot stops with one clear message, not a crash.
 * A real server; the bot as a process over signed HTTP; the connection is cut while its
 * transaction waits on a lock the test holds, so the moment is exact.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  askForApproval,
  type BotProcess,
  type BotWithFakes,
  clickButton,
  type SpawnedBot,
  startBotWithFakes,
} from "../bot/bot-process.js";
import { ADMIN, AUDIT_CHANNEL } from "../bot/harness.js";
import type { FakeSlack, RecordedCall } from "../fakes/slack-api.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";
import { waitUntil } from "../support/wait.js";

const BOB = "U0BOB";
/** bot/state/migrations.ts: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_212_012;

let server: PostgresServer | undefined;
const running: Array<BotWithFakes<SpawnedBot>> = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterEach(async () => {
  for (const started of running.splice(0)) await started.close();
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
});
afterAll(async () => {
  await server?.stop();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // The test's own connections see the terminations too; they must not fail the test run.
  client.on("error", () => {});
  await client.connect();
  clients.push(client);
  return client;
}

/** The backend of another session waiting on a lock, once there is one; resolves with its pid. */
async function waitingBackend(admin: pg.Client, queryLike: string): Promise<number> {
  return waitUntil(
    async () => {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND query LIKE $1 AND pid <> pg_backend_pid()`,
        [queryLike],
      );
      return rows[0]?.pid;
    },
    { what: `a backend waiting on a lock in ${queryLike}`, timeoutMs: 15_000 },
  );
}

/** Resolves with the first response to `responseUrlId`, or rejects as soon as the bot exits. */
async function answerOrExit(bot: BotProcess, slack: FakeSlack, responseUrlId: string): Promise<RecordedCall> {
  return Promise.race([
    slack.waitFor((call) => call.responseUrlId === responseUrlId, 20_000),
    bot.exited().then((code) => {
      throw new Error(`the bot exited (code ${code}): ${bot.stderr().slice(0, 2000)}`);
    }),
  ]);
}

describe("PostgreSQL drops the bot's connection inside a transaction", () => {
  it("during an approval vote: the vote fails in words, the bot stays up and healthy, a second vote counts", async () => {
    const databaseUrl = await (server as PostgresServer).createDatabase("dropped_vote");
    const started = await startBotWithFakes({ databaseUrl, approvers: [BOB], rotatableGitHub: true });
    running.push(started);
    const { bot, slack } = started;
    const approvalId = await askForApproval(bot, slack, "rotate github.com", ADMIN, "quarterly rotation");
    expect(approvalId).not.toBe("");

    // Hold the approval's row: the vote's transaction (SELECT … FOR UPDATE) waits on it.
    const locker = await connect(databaseUrl);
    await locker.query("BEGIN");
    await locker.query("SELECT 1 FROM approvals WHERE id = $1 FOR UPDATE", [approvalId]);
    const vote = await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: approvalId,
    });
    expect(vote.status).toBe(200);
    const admin = await connect(databaseUrl);
    const pid = await waitingBackend(admin, "%FOR UPDATE%");
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await locker.query("ROLLBACK");

    const answer = await answerOrExit(bot, slack, vote.responseUrlId);
    const text = JSON.stringify(answer.args);
    expect(text).toContain("not recorded");
    expect(text).toContain("state store");
    expect(text).toContain("press Approve again");

    // Still up, still healthy, and the next vote goes through the pool's fresh connection.
    expect(bot.child.exitCode).toBeNull();
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    const again = await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: approvalId,
    });
    const recorded = await answerOrExit(bot, slack, again.responseUrlId);
    expect(JSON.stringify(recorded.args)).toContain("Recorded, thank you.");
    await slack.waitFor((call) => call.method === "chat.postEphemeral" && call.args.user === ADMIN, 15_000);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.stderr()).not.toContain("Connection terminated unexpectedly");
  });

  it("during start-up migrations: the bot stops with one message naming the store, not an unhandled error", async () => {
    const databaseUrl = await (server as PostgresServer).createDatabase("dropped_migration");
    // Hold the migration lock: the bot's migration transaction waits on it.
    const locker = await connect(databaseUrl);
    await locker.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const started = await startBotWithFakes({ databaseUrl, approvers: [BOB], waitForStart: false });
    running.push(started);
    const { bot } = started;
    const admin = await connect(databaseUrl);
    const pid = await waitingBackend(admin, "%pg_advisory_xact_lock%");
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);

    const code = await bot.exited();
    expect(code).toBe(1);
    expect(bot.stderr()).toContain("The bot could not open its state store");
    expect(bot.stderr()).not.toContain("Unhandled 'error' event");
    expect(bot.stderr()).not.toMatch(/^\s+at /m);
  });
});
