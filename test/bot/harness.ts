/**
 * End-to-end harness: the emulator, the fake Slack API and a real Bolt app on 127.0.0.1, driven
 * over HTTP with requests signed as Slack signs them (test/support/slack-signing.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bot, createBot } from "../../bot/app.js";
import { loadConfig } from "../../bot/config.js";
import { createJsonLogger } from "../../bot/logger.js";
import { openStore } from "../../bot/state/open.js";
import type { BotStore } from "../../bot/state/store.js";
import { CLIENT_ID_BLOCK, CLIENT_SECRET_BLOCK, INPUT_ACTION } from "../../bot/views.js";
import { GitpodClient } from "../../shared/api/index.js";
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
  url: string;
  logs: string[];
  /** Send a slash command; resolves with the ack and the response_url id it carries. */
  command(
    text: string,
    options?: { user?: string; channel?: string },
  ): Promise<HttpResult & { responseUrlId: string }>;
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
  /** Submit the rotate form last shown in this modal, with the prefilled client id unless given. */
  submitRotation(
    viewId: string,
    clientSecret: string,
    options?: { user?: string; clientId?: string },
  ): Promise<HttpResult>;
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

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emu = await startEmulator(options.emulator);
  const slack = await startFakeSlack({ usergroups: options.usergroups ?? {} });
  const logs: string[] = [];
  const logger = createJsonLogger({ write: (line) => logs.push(line), level: "debug" });
  const gitpod = new GitpodClient({
    baseUrl: emu.url,
    apiKey: emu.token,
    timeoutMs: options.gitpodTimeoutMs ?? 2000,
    maxRetries: options.gitpodMaxRetries ?? 1,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
  });
  const stateDir = mkdtempSync(join(tmpdir(), "bot-harness-"));
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(stateDir, "bot.sqlite")}`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: `aws-eu=${RUNNER_EU_ID},aws-us=${RUNNER_US_ID}`,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT_CHANNEL,
    PORT: "0",
    ...options.env,
  });
  const { store } = await openStore(config.state.database);
  const bot = createBot(config, {
    gitpod,
    store,
    logger,
    slackClientOptions: { retryConfig: { retries: 0 } },
  });
  const { port } = await bot.start({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${port}`;
  let triggers = 0;

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

  const interact = (payload: Record<string, unknown>) =>
    signedPost(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

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
    url,
    logs,
    async command(text, commandOptions = {}) {
      const responseUrlId = `r${++triggers}`;
      const body = new URLSearchParams({
        token: "legacy-verification-token",
        team_id: "T0TEST",
        team_domain: "test",
        channel_id: commandOptions.channel ?? CHANNEL,
        channel_name: "ops",
        user_id: commandOptions.user ?? ADMIN,
        user_name: "someone",
        command: COMMAND,
        text,
        api_app_id: "A0TEST",
        is_enterprise_install: "false",
        response_url: slack.responseUrl(responseUrlId),
        trigger_id: `trigger-${triggers}`,
      }).toString();
      const result = await signedPost(body);
      return { ...result, responseUrlId };
    },
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
    post,
    responses: (responseUrlId) =>
      slack.callsTo("response_url").filter((call) => call.responseUrlId === responseUrlId),
    waitForResponse: (responseUrlId, predicate = () => true, timeoutMs) =>
      slack.waitFor((call) => call.responseUrlId === responseUrlId && predicate(callText(call)), timeoutMs),
    async submitRotation(viewId, clientSecret, submitOptions = {}) {
      const view = lastView(viewId);
      const blocks = (view.blocks as Array<Record<string, unknown>>) ?? [];
      const clientIdBlock = blocks.find((block) => block.block_id === CLIENT_ID_BLOCK);
      const prefilled =
        (clientIdBlock?.element as { initial_value?: string } | undefined)?.initial_value ?? "";
      return interact({
        type: "view_submission",
        team: { id: "T0TEST", domain: "test" },
        user: { id: submitOptions.user ?? ADMIN, username: "someone", team_id: "T0TEST" },
        api_app_id: "A0TEST",
        token: "legacy-verification-token",
        trigger_id: `trigger-${++triggers}`,
        view: {
          ...view,
          id: viewId,
          team_id: "T0TEST",
          app_id: "A0TEST",
          bot_id: "BBOT",
          hash: "1.hash",
          state: {
            values: {
              [CLIENT_ID_BLOCK]: {
                [INPUT_ACTION]: { type: "plain_text_input", value: submitOptions.clientId ?? prefilled },
              },
              [CLIENT_SECRET_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: clientSecret } },
            },
          },
        },
        response_urls: [],
        is_enterprise_install: false,
      });
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
