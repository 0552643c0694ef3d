/**
 * `npm run bot` as a real process (bot/main.ts under tsx, or a built bot), driven over HTTP with signed Slack
 * requests: for tests of what only separate processes show (replicas, crashes, signals).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { REASON_ACTION, REASON_BLOCK, REQUEST_CALLBACK_ID } from "../../bot/approvals/views.js";
import { CLIENT_ID_BLOCK, CLIENT_SECRET_BLOCK, INPUT_ACTION } from "../../bot/rotations/rotate-form.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { signedHeaders } from "../support/slack-signing.js";
import { waitUntil } from "../support/wait.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  BOT_TOKEN,
  buttonValue,
  COMMAND,
  openedViewId,
  SIGNING_SECRET,
} from "./harness.js";
import { buttonClick, interactionBody, slashCommandBody, viewSubmission } from "./slack-payloads.js";

export interface SpawnedBot {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines so far. */
  events(): Array<Record<string, unknown>>;
  exited(): Promise<number | null>;
}

export interface BotProcess extends SpawnedBot {
  url: string;
}

/** How to start the bot: by default `npm run bot` (bot/main.ts under tsx) in the checkout. */
export interface BotLaunch {
  command: string;
  args: string[];
  cwd: string;
}

const FROM_SOURCE: BotLaunch = {
  command: process.execPath,
  args: ["--import", "tsx", "bot/main.ts"],
  cwd: process.cwd(),
};

/**
 * The bot with PATH and `env` only, not waited on: for tests of how it starts or refuses to. `launch`
 * starts a built one instead (the npm package's bin, the image's `node dist/bot.mjs`).
 */
export function spawnBot(env: Record<string, string>, launch: BotLaunch = FROM_SOURCE): SpawnedBot {
  const child = spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    events: () =>
      out
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited: () => exit,
  };
}

/** A bot on a free port of 127.0.0.1 with the harness's signing secret, once it says it has started. */
export async function startBotProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  launch: BotLaunch = FROM_SOURCE,
): Promise<BotProcess> {
  const bot = spawnBot(
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: "0", HOST: "127.0.0.1", ...env },
    launch,
  );
  let port: number;
  try {
    port = await waitUntil(
      () => {
        if (bot.child.exitCode !== null) throw new Error("it exited");
        return bot.events().find((line) => line.event === "started")?.port as number | undefined;
      },
      { what: "the bot's started line", timeoutMs, intervalMs: 50 },
    );
  } catch {
    bot.child.kill("SIGKILL");
    throw new Error(`the bot did not start: ${bot.stderr() || bot.stdout()}`);
  }
  return { ...bot, url: `http://127.0.0.1:${port}` };
}

export interface BotWithFakesOptions {
  /** The store: default an in-memory SQLite one; a PostgreSQL URL (test/state/postgres-server.ts) for that. */
  databaseUrl?: string;
  /** Who may rotate (SLACK_ROTATE_USER_IDS); default ADMIN. */
  rotators?: string[];
  /** Four-eyes approval: these approve (SLACK_ROTATE_APPROVERS) and one approval is required. */
  approvers?: string[];
  /** Seed github.com on aws-eu with its OAuth app's current secret, so `rotate github.com` can run. */
  rotatableGitHub?: boolean;
  /** Added to, or overriding, the bot's environment (e.g. BOT_MAX_IN_FLIGHT). */
  env?: Record<string, string>;
  /** false: spawn the bot without waiting for its started line (for tests of how it fails to start). */
  waitForStart?: boolean;
}

/** The emulator, the fake Slack API and a bot process between them; close() ends them all. */
export interface BotWithFakes<Process extends SpawnedBot = BotProcess> {
  emu: Emulator;
  slack: FakeSlack;
  bot: Process;
  /**
   * Another bot process with the same environment, once started: a replica, or the restart of a
   * killed `bot`. They share the store only when it is a file or PostgreSQL (not sqlite::memory:).
   */
  startAnotherBot(): Promise<BotProcess>;
  close(): Promise<void>;
}

/**
 * The bot from source as a process, managing aws-eu of a fresh emulator and posting to a fresh fake
 * Slack API, with ADMIN as rotator and AUDIT_CHANNEL as audit channel unless `options` say otherwise.
 */
export async function startBotWithFakes(
  options: BotWithFakesOptions & { waitForStart: false },
): Promise<BotWithFakes<SpawnedBot>>;
export async function startBotWithFakes(options?: BotWithFakesOptions): Promise<BotWithFakes>;
export async function startBotWithFakes(
  options: BotWithFakesOptions = {},
): Promise<BotWithFakes<SpawnedBot>> {
  const emu = await startEmulator();
  const slack = await startFakeSlack();
  if (options.rotatableGitHub) {
    seedGitHubIntegration(emu.state);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET]);
  }
  const approvers = options.approvers ?? [];
  const env = {
    DATABASE_URL: options.databaseUrl ?? "sqlite::memory:",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: (options.rotators ?? [ADMIN]).join(","),
    SLACK_AUDIT_CHANNEL_ID: AUDIT_CHANNEL,
    ...(approvers.length > 0
      ? { SLACK_ROTATE_APPROVERS: approvers.join(","), SLACK_ROTATE_APPROVALS_REQUIRED: "1" }
      : {}),
    ...options.env,
  };
  const closeFakes = async () => {
    await slack.close();
    await emu.close();
  };
  let bot: SpawnedBot;
  try {
    bot =
      options.waitForStart === false
        ? spawnBot({ PORT: "0", HOST: "127.0.0.1", ...env })
        : await startBotProcess(env);
  } catch (error) {
    await closeFakes();
    throw error;
  }
  const others: BotProcess[] = [];
  return {
    emu,
    slack,
    bot,
    async startAnotherBot() {
      const other = await startBotProcess(env);
      others.push(other);
      return other;
    },
    async close() {
      for (const each of [bot, ...others]) {
        if (each.child.exitCode === null) each.child.kill("SIGKILL");
        await each.exited();
      }
      await closeFakes();
    },
  };
}

/** What the bot answered through the response_url `responseUrlId`, as one searchable string. */
export async function answerTo(slack: FakeSlack, responseUrlId: string): Promise<string> {
  const call = await slack.waitFor((entry) => entry.responseUrlId === responseUrlId, 15_000);
  return JSON.stringify(call.args);
}

/** The first post to AUDIT_CHANNEL (past or future) whose text includes `containing`, as one string. */
export async function auditPost(slack: FakeSlack, containing: string, timeoutMs = 15_000): Promise<string> {
  const call = await slack.waitFor(
    (entry) =>
      entry.method === "chat.postMessage" &&
      entry.args.channel === AUDIT_CHANNEL &&
      JSON.stringify(entry.args).includes(containing),
    timeoutMs,
  );
  return JSON.stringify(call.args);
}

/**
 * `user` asks to run `command` with `reason` (requestApproval); resolves with the approval id the
 * request's Approve button carries in the audit channel.
 */
export async function askForApproval(
  bot: BotProcess,
  slack: FakeSlack,
  command: string,
  user: string,
  reason: string,
): Promise<string> {
  await requestApproval(bot, slack, command, user, reason);
  const request = await slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      JSON.stringify(call.args).includes("Approval needed"),
    15_000,
  );
  return buttonValue(request, "approval_approve");
}

/** POSTs `body` to the bot's events endpoint, signed with the harness's secret. */
async function signedPost(url: string, body: string): Promise<Response> {
  return fetch(`${url}/slack/events`, { method: "POST", headers: signedHeaders(SIGNING_SECRET, body), body });
}

let triggers = 0;

/** Sends `/gitpod-scm <text>` as `user`; resolves with the trigger and response_url ids. */
export async function sendCommand(
  bot: BotProcess,
  slack: FakeSlack,
  text: string,
  user: string,
  channel = "C0OPS",
): Promise<{ status: number; body: string; triggerId: string; responseUrlId: string }> {
  const n = ++triggers;
  const triggerId = `ptrigger-${n}`;
  const responseUrlId = `p${n}`;
  const response = await signedPost(
    bot.url,
    slashCommandBody({
      command: COMMAND,
      text,
      user,
      channel,
      responseUrl: slack.responseUrl(responseUrlId),
      triggerId,
    }),
  );
  return { status: response.status, body: await response.text(), triggerId, responseUrlId };
}

/** Opens the rotate form through `bot` and waits until the modal shows it; resolves with its view id. */
export async function openRotateForm(
  bot: BotProcess,
  slack: FakeSlack,
  target: string,
  user: string,
): Promise<{ viewId: string; responseUrlId: string; form: Record<string, unknown> }> {
  const sent = await sendCommand(bot, slack, `rotate ${target}`, user);
  const open = await slack.waitFor(
    (call) => call.method === "views.open" && call.args.trigger_id === sent.triggerId,
    15_000,
  );
  const viewId = openedViewId(open) ?? "";
  const filled = await slack.waitFor(
    (call) =>
      call.method === "views.update" &&
      call.args.view_id === viewId &&
      (call.args.view as { callback_id?: string }).callback_id === "rotate_submit",
    15_000,
  );
  return { viewId, responseUrlId: sent.responseUrlId, form: filled.args.view as Record<string, unknown> };
}

/**
 * Runs `rotate <target>` (or another command that asks for approval) and submits the reason modal
 * it opens, as Slack would; resolves once the submission was acked.
 */
export async function requestApproval(
  bot: BotProcess,
  slack: FakeSlack,
  command: string,
  user: string,
  reason: string,
): Promise<Response> {
  const sent = await sendCommand(bot, slack, command, user);
  const open = await slack.waitFor(
    (call) => call.method === "views.open" && call.args.trigger_id === sent.triggerId,
    15_000,
  );
  const viewId = openedViewId(open) ?? "";
  const filled = await slack.waitFor(
    (call) =>
      call.method === "views.update" &&
      call.args.view_id === viewId &&
      (call.args.view as { callback_id?: string }).callback_id === REQUEST_CALLBACK_ID,
    15_000,
  );
  return submitView(bot, {
    view: filled.args.view as Record<string, unknown>,
    viewId,
    user,
    values: { [REASON_BLOCK]: { [REASON_ACTION]: { type: "plain_text_input", value: reason } } },
  });
}

/** Submits a modal's `view` as `user` would with `values` (block id → action id → value), signed. */
export async function submitView(
  bot: BotProcess,
  submission: Omit<Parameters<typeof viewSubmission>[0], "username" | "triggerId">,
): Promise<Response> {
  const payload = viewSubmission({
    ...submission,
    username: submission.user,
    triggerId: `ptrigger-${++triggers}`,
  });
  return signedPost(bot.url, interactionBody(payload));
}

/**
 * Clicks a button (carrying `value`) as `user` in `channel` (default C0OPS); resolves with the ack
 * status and the trigger and response_url ids it carried.
 */
export async function clickButton(
  bot: BotProcess,
  slack: FakeSlack,
  click: { user: string; channel?: string; actionId: string; value: string },
): Promise<{ status: number; triggerId: string; responseUrlId: string }> {
  const n = ++triggers;
  const triggerId = `ptrigger-${n}`;
  const responseUrlId = `p${n}`;
  const response = await signedPost(
    bot.url,
    interactionBody(
      buttonClick({ channel: "C0OPS", ...click, responseUrl: slack.responseUrl(responseUrlId), triggerId }),
    ),
  );
  await response.text();
  return { status: response.status, triggerId, responseUrlId };
}

/**
 * Submits a rotate form (as Slack would) with `clientSecret` and the prefilled client id, or
 * `options.clientId` (what a person typed over it, or a crafted submission sends).
 */
export async function submitRotateForm(
  bot: BotProcess,
  form: Record<string, unknown>,
  viewId: string,
  user: string,
  clientSecret: string,
  options: { clientId?: string } = {},
): Promise<Response> {
  const blocks = (form.blocks as Array<Record<string, unknown>>) ?? [];
  const clientId =
    options.clientId ??
    (blocks.find((block) => block.block_id === CLIENT_ID_BLOCK)?.element as { initial_value?: string })
      ?.initial_value ??
    "";
  return submitView(bot, {
    view: form,
    viewId,
    user,
    values: {
      [CLIENT_ID_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: clientId } },
      [CLIENT_SECRET_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: clientSecret } },
    },
  });
}

/** Audit-channel posts of how attempts ended (not the write-ahead "started" posts). */
export function outcomePosts(slack: FakeSlack, channel: string): RecordedCall[] {
  return slack.calls.filter(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === channel &&
      !String(call.args.text).includes(": started ("),
  );
}
