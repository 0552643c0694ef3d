/**
 * A bot process killed (SIGKILL) in the middle of a rotation; a restarted bot on the same store
 * finds the journal entry and posts what is now true to the audit channel.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../bot/state/open.js";
import type { BotStore, JournalEntry } from "../../bot/state/store.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import { type BotProcess, openRotateForm, startBotProcess, submitRotateForm } from "./bot-process.js";
import { ADMIN, BOT_TOKEN } from "./harness.js";

const AUDIT = "C0AUDIT";
const NEW_SECRET = "canary-crash-secret-8e7d6c";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let store: BotStore | undefined;
const bots: BotProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) {
    if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    await bot.exited();
  }
  await store?.close();
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a bot killed mid-rotation", () => {
  it.each([
    {
      when: "after the update and before the verify",
      // Gets: resolve the id, read, then the verify's read-back (the third) hangs.
      fault: { kind: "latency" as const, rpc: "GetSCMIntegration", nth: 3, latencyMs: 60_000 },
      phase: "updated",
      stored: NEW_SECRET,
      says: "the stored secret is the new one and valid.",
    },
    {
      when: "before the update was sent",
      // Validations: the test of the new secret hangs.
      fault: { kind: "latency" as const, rpc: "ValidateRunnerConfiguration", nth: 1, latencyMs: 60_000 },
      phase: "started",
      stored: GITHUB_OAUTH_SECRET,
      says: "the stored secret is unchanged (it validates).",
    },
  ])(
    "$when: the restarted bot posts the true outcome",
    async ({ fault, phase, stored, says }) => {
      const dir = mkdtempSync(join(tmpdir(), "bot-crash-"));
      dirs.push(dir);
      const databaseUrl = `sqlite:${join(dir, "bot.sqlite")}`;
      emu = await startEmulator();
      slack = await startFakeSlack();
      const integration = seedGitHubIntegration(emu.state);
      emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, NEW_SECRET]);
      const env = {
        DATABASE_URL: databaseUrl,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        GITPOD_API_KEY: emu.token,
        GITPOD_BASE_URL: emu.url,
        GITPOD_RUNNER_IDS: RUNNER_EU_ID,
        SLACK_ROTATE_USER_IDS: ADMIN,
        SLACK_AUDIT_CHANNEL_ID: AUDIT,
        BOT_LEASE_TTL_MS: "1000",
        GITPOD_TIMEOUT_MS: "120000",
      };
      const first = await startBotProcess(env);
      bots.push(first);
      const { viewId, form } = await openRotateForm(first, slack, integration.id, ADMIN);
      emu.faults.add(fault);
      await submitRotateForm(first, form, viewId, ADMIN, NEW_SECRET);

      store = (await openStore({ kind: "sqlite", path: join(dir, "bot.sqlite") })).store;
      const open = store;
      const entry = await waitUntil<JournalEntry>(async () => {
        const [unfinished] = await open.abandonedRotations(Date.now() + 3_600_000);
        if (unfinished?.phase !== phase) return undefined;
        // The "started" audit row follows the journal entry; killing before it is written would
        // test the race between the two writes, not recovery.
        const events = await open.history({ integrationId: integration.id, limit: 10 });
        return events.some((event) => event.outcome === "started") ? unfinished : undefined;
      });
      // Kill it without warning while it waits on the hanging request.
      first.child.kill("SIGKILL");
      expect(await first.exited()).toBe(null);
      emu.faults.clear();
      expect(emu.state.decryptClientSecret(integration.id)).toBe(stored);
      expect(slack.calls.filter((call) => String(call.args.text).includes("interrupted"))).toEqual([]);

      const second = await startBotProcess(env);
      bots.push(second);
      const post = await slack.waitFor(
        (call) =>
          call.method === "chat.postMessage" &&
          call.args.channel === AUDIT &&
          String(call.args.text).includes(": interrupted ("),
        20_000,
      );
      const text = JSON.stringify(post.args);
      expect(post.args.text).toBe(`Audit: rotate by ${ADMIN}: interrupted (github.com (github))`);
      expect(text).toContain(`*rotate* by <@${ADMIN}>: *interrupted*`);
      expect(text).toContain("The rotation was interrupted");
      expect(text).toContain(says);
      // The person's modal (still open on "Testing…") is told too.
      await slack.waitFor(
        (call) =>
          call.method === "views.update" &&
          call.args.view_id === viewId &&
          JSON.stringify(call.args).includes(says),
      );
      const resolved = await waitUntil(async () => {
        const row = await open.getRotation(entry.id);
        return row?.outcome ? row : undefined;
      });
      expect(resolved).toMatchObject({ outcome: "interrupted", actor: ADMIN, integrationId: integration.id });
      expect(resolved.resolvedBy).toContain("/");
      // Once, not once per sweep. A second abandoned rotation (of another integration, begun by a
      // process that is gone) can only be resolved by a sweep that starts after it: once it is,
      // such a sweep has passed over the first entry too (oldest first).
      const gitlab = emu.state.seedScmIntegration({
        runnerId: RUNNER_EU_ID,
        scmId: "gitlab",
        host: "gitlab.com",
        oauthClientId: GITLAB_OAUTH_CLIENT_ID,
        oauthClientSecret: GITLAB_OAUTH_SECRET,
      });
      const later = randomUUID();
      await open.beginRotation({
        id: later,
        integrationId: gitlab.id,
        host: "gitlab.com",
        runnerId: RUNNER_EU_ID,
        scmId: "gitlab",
        actor: ADMIN,
        source: "slack",
        owner: "a-bot-process-that-is-gone",
        startedAt: Date.now(),
      });
      await waitUntil(async () => (await open.getRotation(later))?.outcome, {
        what: "a later sweep to resolve the second abandoned rotation",
      });
      expect(
        slack.calls.filter(
          (call) =>
            call.args.channel === AUDIT && String(call.args.text).includes(": interrupted (github.com"),
        ),
      ).toHaveLength(1);
      expect(slack.everything()).not.toContain(NEW_SECRET);
      expect(first.stdout() + second.stdout()).not.toContain(NEW_SECRET);
      const history = await open.history({ integrationId: integration.id, limit: 10 });
      expect(history.map((event) => event.outcome)).toEqual(["interrupted", "started"]);
    },
    60_000,
  );
});
