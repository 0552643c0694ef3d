/**
 * Two bot processes on one PostgreSQL database (a real server started here), rotations of the same
 * integration fired at both at once against a slow emulator: the lease in the shared store makes
 * them run one after the other, and each person is told "rotated" only for the secret they stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../bot/state/open.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import type { RequestLogEntry } from "../emulator/request-log.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import {
  type BotProcess,
  openRotateForm,
  outcomePosts,
  startBotProcess,
  submitRotateForm,
} from "./bot-process.js";
import { BOT_TOKEN } from "./harness.js";

const AUDIT = "C0AUDIT";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const SECRETS: Record<string, string> = {
  [ALICE]: "canary-alice-secret-1f2e3d",
  [BOB]: "canary-bob-secret-4c5b6a",
};

let pg: PostgresServer | undefined;
let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
const bots: BotProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const bot of bots) bot.child.kill("SIGKILL");
  await Promise.all(bots.map((bot) => bot.exited()));
  await emu?.close();
  await slack?.close();
  await pg?.stop();
});

/** Which rotation a request belongs to, by the secret it carries or (verify) follows. */
function rotationSteps(entries: readonly RequestLogEntry[]) {
  return entries
    .filter((entry) => entry.rpc === "UpdateSCMIntegration" || entry.rpc === "ValidateRunnerConfiguration")
    .map((entry) => {
      const body = entry.body as {
        oauthPlaintextClientSecret?: string;
        scmIntegration?: { oauthPlaintextClientSecret?: string };
      };
      const secret = body.oauthPlaintextClientSecret ?? body.scmIntegration?.oauthPlaintextClientSecret;
      const step = entry.rpc === "UpdateSCMIntegration" ? "update" : secret ? "test" : "verify";
      return { step, secret, start: entry.at, end: entry.at + entry.durationMs };
    });
}

describe("two bot processes on one PostgreSQL database", () => {
  it("never interleave rotations of one integration, and tell exactly one person 'rotated' per stored secret", async () => {
    const server = pg as PostgresServer;
    const databaseUrl = await server.createDatabase("replicas");
    emu = await startEmulator({ latencyMs: 150 });
    slack = await startFakeSlack();
    const integration = seedGitHubIntegration(emu.state);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [
      GITHUB_OAUTH_SECRET,
      ...Object.values(SECRETS),
    ]);
    const env = {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      GITPOD_RUNNER_IDS: RUNNER_EU_ID,
      SLACK_ROTATE_USER_IDS: `${ALICE},${BOB}`,
      SLACK_AUDIT_CHANNEL_ID: AUDIT,
      BOT_LEASE_WAIT_MS: "30000",
    };
    // Both start at once: their migrations race for the same empty database.
    bots.push(...(await Promise.all([startBotProcess(env), startBotProcess(env)])));
    const [one, two] = bots as [BotProcess, BotProcess];

    const alice = await openRotateForm(one, slack, integration.id, ALICE);
    const bob = await openRotateForm(two, slack, integration.id, BOB);
    emu.requests.clear();
    const acks = await Promise.all([
      submitRotateForm(one, alice.form, alice.viewId, ALICE, SECRETS[ALICE] ?? ""),
      submitRotateForm(two, bob.form, bob.viewId, BOB, SECRETS[BOB] ?? ""),
    ]);
    expect(acks.map((ack) => ack.status)).toEqual([200, 200]);
    await slack.waitFor(() => outcomePosts(slack as FakeSlack, AUDIT).length >= 2, 30_000);

    // The request log: one rotation's test → update → verify ends before the other's test begins.
    const steps = rotationSteps(emu.requests.all());
    expect(steps.map((step) => step.step)).toEqual(["test", "update", "verify", "test", "update", "verify"]);
    const [first, second] = [steps.slice(0, 3), steps.slice(3)];
    expect(first[1]?.secret).toBe(first[0]?.secret);
    expect(second[1]?.secret).toBe(second[0]?.secret);
    expect(new Set([first[0]?.secret, second[0]?.secret])).toEqual(new Set(Object.values(SECRETS)));
    expect(first[2]?.end ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(second[0]?.start ?? 0);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(second[0]?.secret);

    // Exactly one person told "Rotated" per stored secret: each of the two, once, for their own.
    const storedBy = Object.fromEntries(
      Object.entries(SECRETS).map(([user, secret]) => [
        user,
        steps.some((s) => s.step === "update" && s.secret === secret),
      ]),
    );
    expect(storedBy).toEqual({ [ALICE]: true, [BOB]: true });
    for (const person of [alice, bob]) {
      const told = await slack.waitFor(
        (call) => call.responseUrlId === person.responseUrlId && String(call.args.text).includes("Rotated"),
        10_000,
      );
      expect(told).toBeDefined();
      expect(
        slack.calls.filter(
          (call) => call.responseUrlId === person.responseUrlId && String(call.args.text).includes("Rotated"),
        ),
      ).toHaveLength(1);
    }
    const outcomes = outcomePosts(slack, AUDIT).map((call) => String(call.args.text));
    expect(outcomes.sort()).toEqual([
      `Audit: rotate by ${ALICE}: rotated (github.com (github))`,
      `Audit: rotate by ${BOB}: rotated (github.com (github))`,
    ]);
    // The one that came second was told who held the integration while it waited.
    expect(
      slack.calls.some(
        (call) =>
          call.method === "views.update" &&
          JSON.stringify(call.args).includes("is rotating github.com since"),
      ),
    ).toBe(true);
    // Each process ran one of them; the shared history has both, with no secret in it.
    const ran = () => bots.map((bot) => bot.events().filter((line) => line.event === "rotation").length);
    await waitUntil(() => ran().join() === "1,1", {
      what: "each process's rotation log line",
      timeoutMs: 5000,
    }).catch(() => undefined); // the assertion below says what was seen
    expect(ran()).toEqual([1, 1]);
    const { store } = await openStore({ kind: "postgres", url: databaseUrl });
    try {
      const history = await store.history({ integrationId: integration.id, limit: 10 });
      expect(history.filter((event) => event.outcome === "rotated")).toHaveLength(2);
      expect(history.filter((event) => event.outcome === "started")).toHaveLength(2);
      const text = JSON.stringify(history);
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
      expect(await store.abandonedRotations(Date.now() + 3_600_000)).toEqual([]);
    } finally {
      await store.close();
    }
    for (const secret of Object.values(SECRETS)) {
      expect(slack.everything()).not.toContain(secret);
      for (const bot of bots) expect(bot.stdout() + bot.stderr()).not.toContain(secret);
    }
  }, 90_000);
});
