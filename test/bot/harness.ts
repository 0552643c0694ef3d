/**
 * End-to-end harness: the emulator, the fake Slack API and a real Bolt app on 127.0.0.1, driven
 * over HTTP with requests signed as Slack signs them (test/support/slack-signing.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type Bot, createBot } from "../../bot/app.js";
import { loadConfig } from "../../bot/config.js";
import { GitpodCalls } from "../../bot/gitpod/calls.js";
import { botGitpodClient } from "../../bot/gitpod/client.js";
import { createJsonLogger } from "../../bot/logger.js";
import { CLIENT_ID_BLOCK, CLIENT_SECRET_BLOCK, INPUT_ACTION } from "../../bot/rotations/rotate-form.js";
import { openStore } from "../../bot/state/open.js";
import type { BotStore } from "../../bot/state/store.js";
import type { GitpodClient } from "../../shared/api/index.js";
import {
  type Emulator,
  type EmulatorOptions,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-api.js";
import { signedHeaders } from "../support/slack-signing.js";
import { waitUntil } from "../support/wait.js";
import {
  buttonClick,
  eventCallbackBody,
  interactionBody,
  slashCommandBody,
  viewSubmission,
} from "./slack-payloads.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token";
export const ADMIN = "U0ADMIN";
export const CHANNEL = "C0OPS";
export const AUDIT_CHANNEL = "C0AUDIT";
export const COMMAND = "/gitpod-scm";

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  env?: Record<string, string>;
  usergroups?: Record<string, string[]>;
  /** Users the fake Slack's users.info reports as guests. */
  guests?: string[];
  gitpodTimeoutMs?: number;
  gitpodMaxRetries?: number;
  /** DATABASE_URL; default a fresh SQLite file in a temporary directory. */
  databaseUrl?: string;
}

export interface HttpResult {
  status: number;
  text: string;
  json: unknown;
  /** Time from sending the request to the complete response (the ack). */
  ackMs: number;
}

export interface Harness {
  emu: Emulator;
  store: BotStore;
  slack: FakeSlack;
  bot: Bot;
  gitpod: GitpodClient;
  /** The Gitpod client's logger (the bot's readiness and metrics see calls through it). */
  gitpodCalls: GitpodCalls;
  url: string;
  logs: string[];
  /** Send a slash command; resolves with the ack and the response_url id it carries. */
  command(
    text: string,
    options?: { user?: string; channel?: string },
  ): Promise<HttpResult & { responseUrlId: string }>;
  /** The unsigned body of a slash command from ADMIN in CHANNEL, for requests signed by hand. */
  commandBody(text: string, responseUrlId: string): string;
  /** Send an Events API event (`event_callback`, JSON, signed), e.g. `app_home_opened`. */
  event(event: Record<string, unknown>): Promise<HttpResult>;
  /** Send an interactivity payload (block_actions, view_submission). */
  interact(payload: Record<string, unknown>): Promise<HttpResult>;
  /** POST a raw body with explicit signing headers. */
  post(body: string, headers: Record<string, string>, contentType?: string): Promise<HttpResult>;
  /** The response_url messages for one command. */
  responses(responseUrlId: string): RecordedCall[];
  waitForResponse(
    responseUrlId: string,
    predicate?: (text: string) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /**
   * Sends a signed `help` and waits for its answer and its log line; resolves with its response_url
   * id. The bot takes requests in the order they come, so whatever an earlier request started has
   * shown by then: the way to show that a refused request ran nothing, without sleeping. The help
   * itself logs one command and posts one response_url message.
   */
  afterNextCommand(): Promise<string>;
  /** The view a modal shows now (its last views.open or views.update). */
  lastView(viewId: string): Record<string, unknown>;
  /** Submit the rotate form last shown in this modal, with the prefilled client id unless given. */
  submitRotation(
    viewId: string,
    clientSecret: string,
    options?: { user?: string; clientId?: string },
  ): Promise<HttpResult>;
  /**
   * Submit the modal last shown as `viewId` with text typed into its inputs (block id → text),
   * e.g. an approval's reason: `{ reason: "…" }`.
   */
  submitText(viewId: string, texts: Record<string, string>, options?: { user?: string }): Promise<HttpResult>;
  /** Run a command that opens a modal; waits until the modal shows something other than "loading". */
  openModal(
    text: string,
    user?: string,
  ): Promise<{
    ack: HttpResult & { responseUrlId: string };
    open: RecordedCall;
    viewId: string;
    filled: RecordedCall;
  }>;
  /** Click a button as `user` in `channel` (the ack must be 200); resolves with its response_url and trigger ids. */
  click(options: {
    user: string;
    channel: string;
    actionId: string;
    value: string;
  }): Promise<{ responseUrlId: string; triggerId: string }>;
  close(): Promise<void>;
}

/** The id the fake gave a modal opened with views.open. */
export function openedViewId(call: RecordedCall): string | undefined {
  return (call.result?.view as { id?: string } | undefined)?.id;
}

/** Everything a message says, including block texts, as one searchable string. */
export function callText(call: RecordedCall): string {
  return JSON.stringify(call.args);
}

/** The value of the button `actionId` in a message's actions blocks ("" when it has none). */
export function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<Record<string, string>> }>) ?? [];
  const button = blocks
    .flatMap((block) => (block.type === "actions" ? (block.elements ?? []) : []))
    .find((element) => element.action_id === actionId);
  return button?.value ?? "";
}

/** The first post to AUDIT_CHANNEL (past or future) whose text includes `fragment`. */
export function waitForAudit(harness: Harness, fragment: string): Promise<RecordedCall> {
  return harness.slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      String(call.args.text).includes(fragment),
  );
}

/**
 * A harness for the enclosing describe block: started before each test and closed after it, or with
 * `perSuite` once for the whole block. The object it returns stands for the running harness.
 */
export function useHarness(options: HarnessOptions & { perSuite?: boolean } = {}): Harness {
  const { perSuite, ...harnessOptions } = options;
  let running: Harness | undefined;
  (perSuite ? beforeAll : beforeEach)(async () => {
    running = await startHarness(harnessOptions);
  });
  (perSuite ? afterAll : afterEach)(async () => {
    await running?.close();
    running = undefined;
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!running) throw new Error("the harness runs only inside a test");
      return Reflect.get(running, key);
    },
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emu = await startEmulator(options.emulator);
  const slack = await startFakeSlack({ usergroups: options.usergroups ?? {}, guests: options.guests ?? [] });
  const logs: string[] = [];
  const logger = createJsonLogger({ write: (line) => logs.push(line), level: "debug" });
  const stateDir = mkdtempSync(join(tmpdir(), "bot-harness-"));
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(stateDir, "bot.sqlite")}`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    ONA_API_KEY: emu.token,
    ONA_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: `aws-eu=${RUNNER_EU_ID},aws-us=${RUNNER_US_ID}`,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT_CHANNEL,
    PORT: "0",
    ...options.env,
  });
  // The bot's own client (its words for a rejected token), with timeouts and retries for tests.
  const gitpodCalls = new GitpodCalls();
  const gitpod = botGitpodClient(config, {
    logger: gitpodCalls,
    timeoutMs: options.gitpodTimeoutMs ?? 2000,
    maxRetries: options.gitpodMaxRetries ?? 1,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
  });
  const { store } = await openStore(config.state.database);
  const bot = createBot(config, {
    gitpod,
    gitpodCalls,
    store,
    logger,
    slackClientOptions: { retryConfig: { retries: 0 } },
  });
  const { port } = await bot.start({ host: "127.0.0.1", port: 0 });
  // start() checked the Gitpod token with one read (for /readyz): tests count requests from here on.
  emu.requests.clear();
  const url = `http://127.0.0.1:${port}`;
  let triggers = 0;
  let clicks = 0;

  const post = async (
    body: string,
    headers: Record<string, string>,
    contentType = "application/x-www-form-urlencoded",
  ) => {
    const started = performance.now();
    const response = await fetch(`${url}/slack/events`, {
      method: "POST",
      headers: { "content-type": contentType, ...headers },
      body,
    });
    const text = await response.text();
    const ackMs = performance.now() - started;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, ackMs };
  };

  const signedPost = (body: string) => post(body, signedHeaders(SIGNING_SECRET, body));

  const interact = (payload: Record<string, unknown>) => signedPost(interactionBody(payload));

  const lastView = (viewId: string): Record<string, unknown> => {
    const call = [...slack.calls]
      .reverse()
      .find(
        (candidate) =>
          (candidate.method === "views.update" && candidate.args.view_id === viewId) ||
          (candidate.method === "views.open" && viewId === openedViewId(candidate)),
      );
    if (!call) throw new Error(`no view ${viewId}`);
    return call.args.view as Record<string, unknown>;
  };

  const harness: Harness = {
    emu,
    store,
    slack,
    bot,
    gitpod,
    gitpodCalls,
    url,
    logs,
    async command(text, commandOptions = {}) {
      const responseUrlId = `r${++triggers}`;
      const body = slashCommandBody({
        command: COMMAND,
        text,
        user: commandOptions.user ?? ADMIN,
        channel: commandOptions.channel ?? CHANNEL,
        responseUrl: slack.responseUrl(responseUrlId),
        triggerId: `trigger-${triggers}`,
      });
      const result = await signedPost(body);
      return { ...result, responseUrlId };
    },
    commandBody: (text, responseUrlId) =>
      slashCommandBody({
        command: COMMAND,
        text,
        user: ADMIN,
        channel: CHANNEL,
        responseUrl: slack.responseUrl(responseUrlId),
        triggerId: `trigger-${responseUrlId}`,
      }),
    async afterNextCommand() {
      const commandsLogged = () => logs.filter((line) => line.includes('"event":"command"')).length;
      const before = commandsLogged();
      const ack = await harness.command("help");
      await harness.waitForResponse(ack.responseUrlId);
      // The request's log line is written once its listener has finished, after the answer.
      await waitUntil(() => commandsLogged() > before, { what: "the help command's log line" });
      return ack.responseUrlId;
    },
    interact,
    event(event) {
      const body = eventCallbackBody(event);
      return post(body, { ...signedHeaders(SIGNING_SECRET, body), "content-type": "application/json" });
    },
    post,
    responses: (responseUrlId) =>
      slack.callsTo("response_url").filter((call) => call.responseUrlId === responseUrlId),
    lastView,
    waitForResponse: (responseUrlId, predicate = () => true, timeoutMs) =>
      slack.waitFor((call) => call.responseUrlId === responseUrlId && predicate(callText(call)), timeoutMs),
    async submitRotation(viewId, clientSecret, submitOptions = {}) {
      const view = lastView(viewId);
      const blocks = (view.blocks as Array<Record<string, unknown>>) ?? [];
      const clientIdBlock = blocks.find((block) => block.block_id === CLIENT_ID_BLOCK);
      const prefilled =
        (clientIdBlock?.element as { initial_value?: string } | undefined)?.initial_value ?? "";
      return interact(
        viewSubmission({
          view,
          viewId,
          user: submitOptions.user ?? ADMIN,
          triggerId: `trigger-${++triggers}`,
          values: {
            [CLIENT_ID_BLOCK]: {
              [INPUT_ACTION]: { type: "plain_text_input", value: submitOptions.clientId ?? prefilled },
            },
            [CLIENT_SECRET_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: clientSecret } },
          },
        }),
      );
    },
    submitText(viewId, texts, submitOptions = {}) {
      const values = Object.fromEntries(
        Object.entries(texts).map(([blockId, value]) => [
          blockId,
          { [INPUT_ACTION]: { type: "plain_text_input", value } },
        ]),
      );
      return interact(
        viewSubmission({
          view: lastView(viewId),
          viewId,
          user: submitOptions.user ?? ADMIN,
          triggerId: `trigger-${++triggers}`,
          values,
        }),
      );
    },
    async openModal(text, user = ADMIN) {
      const ack = await harness.command(text, { user });
      expect(ack.status).toBe(200);
      const open = await slack.waitFor(
        (call) =>
          call.method === "views.open" && call.args.trigger_id === `trigger-${ack.responseUrlId.slice(1)}`,
      );
      const viewId = openedViewId(open) ?? "";
      const filled = await slack.waitFor(
        (call) => call.method === "views.update" && call.args.view_id === viewId,
      );
      return { ack, open, viewId, filled };
    },
    async click(clickOptions) {
      const triggerId = `trigger-click-${++clicks}`;
      const responseUrlId = `click${clicks}`;
      const result = await interact(
        buttonClick({ ...clickOptions, responseUrl: slack.responseUrl(responseUrlId), triggerId }),
      );
      expect(result.status).toBe(200);
      return { responseUrlId, triggerId };
    },
    async close() {
      await bot.stop();
      rmSync(stateDir, { recursive: true, force: true });
      await gitpod.close();
      await slack.close();
      await emu.close();
    },
  };
  return harness;
}
