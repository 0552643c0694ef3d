/**
 * An approved secret rotation that also swaps the OAuth app: ADMIN asks to rotate github.com, BOB
 * approves, and ADMIN submits the form with a second valid app's client id and secret. Under an
 * approval exactly what was approved runs (the approved client id, only the secret changes), the
 * refusal is in words and audited; without approvals a change of app is allowed and always named
 * in the audit post and the history. The bot runs as a process, driven by signed Slack requests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ID_BLOCK } from "../../bot/rotations/rotate-form.js";
import {
  type BotProcess,
  clickButton,
  openRotateForm,
  requestApproval,
  sendCommand,
  startBotProcess,
  submitRotateForm,
} from "../bot/bot-process.js";
import { ADMIN, BOT_TOKEN, callText, openedViewId } from "../bot/harness.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

const AUDIT = "C0AUDIT";
const OPS = "C0OPS";
const BOB = "U0BOB";
/** A second OAuth app at github.com that the attacker controls, with a secret that validates. */
const SECOND_APP = "Iv1.attacker0second0app";
const SECOND_SECRET = "canary-second-app-secret-5b4a39";
const NEW_SECRET = "canary-approved-new-secret-7c6b5a";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
const bots: BotProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) {
    if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    await bot.exited();
  }
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "abuse-approval-app-"));
  dirs.push(dir);
  emu = await startEmulator();
  slack = await startFakeSlack();
  const integration = seedGitHubIntegration(emu.state);
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, NEW_SECRET]);
  emu.state.addOAuthApp({ host: "github.com", clientId: SECOND_APP, secrets: [SECOND_SECRET] });
  const bot = await startBotProcess({
    DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
    ...env,
  });
  bots.push(bot);
  return { emu, slack, bot, integration };
}

function storedClientId(emulator: Emulator): string | undefined {
  return emulator.state.findScmIntegrationByHost(RUNNER_EU_ID, "github.com")?.oauth?.clientId;
}

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks =
    (call.args.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>) ?? [];
  const button = blocks.flatMap((block) => block.elements ?? []).find((b) => b.action_id === actionId);
  return button?.value ?? "";
}

/** The `history github.com` answer, as one string. */
async function historyText(bot: BotProcess, fake: FakeSlack): Promise<string> {
  const sent = await sendCommand(bot, fake, "history github.com", ADMIN);
  const answer = await fake.waitFor((call) => call.responseUrlId === sent.responseUrlId, 15_000);
  return callText(answer);
}

describe("a rotation's OAuth app", () => {
  it("under an approval, the form is locked to the approved client id and another one is refused, audited", async () => {
    const { emu, slack, bot, integration } = await start({
      SLACK_ROTATE_APPROVERS: BOB,
      SLACK_ROTATE_APPROVALS_REQUIRED: "1",
    });
    await requestApproval(bot, slack, "rotate github.com", ADMIN, "quarterly rotation");
    const request = await slack.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.channel === AUDIT &&
        callText(call).includes("Approval needed"),
      15_000,
    );
    // What the approvers see names the app: it is part of what they approve.
    expect(callText(request)).toContain(GITHUB_OAUTH_CLIENT_ID);
    const approvalId = buttonValue(request, "approval_approve");
    await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT,
      actionId: "approval_approve",
      value: approvalId,
    });
    await slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" &&
        call.args.user === ADMIN &&
        callText(call).includes("was approved"),
      15_000,
    );
    const opened = await clickButton(bot, slack, {
      user: ADMIN,
      channel: OPS,
      actionId: "approval_open_form",
      value: approvalId,
    });
    const formCall = await slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
      15_000,
    );
    const form = formCall.args.view as Record<string, unknown>;
    const blocks = form.blocks as Array<{ type: string; block_id?: string }>;
    // The approved client id is shown, not asked for.
    expect(
      blocks.find((block) => block.block_id === CLIENT_ID_BLOCK && block.type === "input"),
    ).toBeUndefined();
    expect(callText(formCall)).toContain(GITHUB_OAUTH_CLIENT_ID);

    // A submission that carries another app's client id anyway (typed into an older form, or crafted).
    await submitRotateForm(bot, form, openedViewId(formCall) ?? "", ADMIN, SECOND_SECRET, {
      clientId: SECOND_APP,
    });
    const refused = await slack.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.channel === AUDIT &&
        String(call.args.text).includes(`rotate by ${ADMIN}: refused`),
      15_000,
    );
    expect(callText(refused)).toContain(GITHUB_OAUTH_CLIENT_ID);
    expect(callText(refused)).toContain(SECOND_APP);
    expect(emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(storedClientId(emu)).toBe(GITHUB_OAUTH_CLIENT_ID);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
    const history = await historyText(bot, slack);
    expect(history).toContain(SECOND_APP);
    expect(history).toContain("refused");
    expect(slack.everything()).not.toContain(SECOND_SECRET);
    expect(bot.stdout() + bot.stderr()).not.toContain(SECOND_SECRET);
  }, 60_000);

  it("under an approval, the form as shown rotates the secret of the approved app", async () => {
    const { emu, slack, bot, integration } = await start({
      SLACK_ROTATE_APPROVERS: BOB,
      SLACK_ROTATE_APPROVALS_REQUIRED: "1",
    });
    await requestApproval(bot, slack, "rotate github.com", ADMIN, "quarterly rotation");
    const request = await slack.waitFor(
      (call) => call.args.channel === AUDIT && callText(call).includes("Approval needed"),
      15_000,
    );
    const approvalId = buttonValue(request, "approval_approve");
    await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT,
      actionId: "approval_approve",
      value: approvalId,
    });
    await slack.waitFor((call) => call.method === "chat.postEphemeral" && call.args.user === ADMIN, 15_000);
    const opened = await clickButton(bot, slack, {
      user: ADMIN,
      channel: OPS,
      actionId: "approval_open_form",
      value: approvalId,
    });
    const formCall = await slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
      15_000,
    );
    // As Slack sends it: the form has no client id field, so the submission carries none.
    await submitRotateForm(
      bot,
      formCall.args.view as Record<string, unknown>,
      openedViewId(formCall) ?? "",
      ADMIN,
      NEW_SECRET,
    );
    await slack.waitFor(
      (call) => call.args.channel === AUDIT && String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
      15_000,
    );
    expect(storedClientId(emu)).toBe(GITHUB_OAUTH_CLIENT_ID);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(NEW_SECRET);
  }, 60_000);

  it("without approvals, a change of app is named in the audit post and the history", async () => {
    const { emu, slack, bot, integration } = await start();
    const { viewId, form } = await openRotateForm(bot, slack, "github.com", ADMIN);
    await submitRotateForm(bot, form, viewId, ADMIN, SECOND_SECRET, { clientId: SECOND_APP });
    const done = await slack.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.channel === AUDIT &&
        String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
      15_000,
    );
    expect(storedClientId(emu)).toBe(SECOND_APP);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(SECOND_SECRET);
    const change = `changed the OAuth client id from ${GITHUB_OAUTH_CLIENT_ID} to ${SECOND_APP}`;
    expect(callText(done)).toContain(change);
    expect(await historyText(bot, slack)).toContain(change);
    expect(slack.everything()).not.toContain(SECOND_SECRET);
  }, 60_000);
});
