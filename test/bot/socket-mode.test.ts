/**
 * Socket Mode end to end: the bot process with SLACK_APP_TOKEN opens its connection through the fake
 * Web API (SLACK_API_URL), gets hello on a real WebSocket, acks every envelope by its id, runs slash
 * commands and the rotate modal from envelopes, and reconnects when the server sends `disconnect`.
 * /healthz follows the connection.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ID_BLOCK, CLIENT_SECRET_BLOCK, INPUT_ACTION } from "../../bot/rotations/rotate-form.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type FakeSocketMode, startFakeSocketMode } from "../fakes/slack-socket-mode.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import { type SpawnedBot, spawnBot } from "./bot-process.js";
import { ADMIN, BOT_TOKEN, COMMAND, callText, openedViewId } from "./harness.js";
import { slashCommandBody, viewSubmission } from "./slack-payloads.js";

const APP_TOKEN = "xapp-1-A0TEST-canary-app-token-9f8e7d";
const NEW_SECRET = "canary-socket-secret-6a5b4c";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let bot: SpawnedBot | undefined;
const dirs: string[] = [];

afterEach(async () => {
  if (bot && bot.child.exitCode === null) bot.child.kill("SIGKILL");
  await bot?.exited();
  bot = undefined;
  await socket?.close();
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A port free right now on 127.0.0.1 (the Socket Mode bot serves /healthz on PORT). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let commands = 0;

/** A slash command as a slash_commands envelope; resolves with the ack and the response_url id. */
async function command(text: string) {
  const n = ++commands;
  const fields = Object.fromEntries(
    new URLSearchParams(
      slashCommandBody({
        command: COMMAND,
        text,
        user: ADMIN,
        channel: "C0OPS",
        responseUrl: (slack as FakeSlack).responseUrl(`s${n}`),
        triggerId: `strigger-${n}`,
      }),
    ),
  );
  const ack = await (socket as FakeSocketMode).send("slash_commands", fields);
  return { ack, responseUrlId: `s${n}`, triggerId: `strigger-${n}` };
}

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("Socket Mode", () => {
  it("runs commands and the rotate modal over the WebSocket, acks by envelope id, and reconnects on disconnect", async () => {
    emu = await startEmulator();
    slack = await startFakeSlack();
    socket = await startFakeSocketMode(slack, APP_TOKEN);
    const integration = seedGitHubIntegration(emu.state);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, NEW_SECRET]);
    const dir = mkdtempSync(join(tmpdir(), "bot-socket-"));
    dirs.push(dir);
    const port = await freePort();
    bot = spawnBot({
      DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      GITPOD_RUNNER_IDS: RUNNER_EU_ID,
      SLACK_ROTATE_USER_IDS: ADMIN,
      SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
      PORT: String(port),
    });
    const started = await waitUntil(
      () => {
        if (bot?.child.exitCode !== null) throw new Error(`the bot exited: ${bot?.stderr()}`);
        return bot.events().find((line) => line.event === "started");
      },
      { what: "the bot's started line", timeoutMs: 30_000 },
    );
    expect(started).toMatchObject({ mode: "socket", healthPort: port });
    await socket.waitForHello(1);
    // The connection was opened with the app-level token, at the configured Web API address.
    expect(slack.callsTo("apps.connections.open")[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    const url = `http://127.0.0.1:${port}`;
    expect(await health(url)).toEqual({
      status: 200,
      body: { ok: true, store: "ok", storeKind: "sqlite", slack: "ok", socket: "connected" },
    });

    // A slash command: acked by its envelope id, answered at its response_url.
    const help = await command("help");
    expect(help.ack.envelope_id).toBeTypeOf("string");
    const helped = await slack.waitFor((call) => call.responseUrlId === help.responseUrlId, 15_000);
    expect(String(helped.args.text)).toContain(COMMAND);

    // The rotate modal: the command opens it, the submission comes as an interactive envelope whose
    // ack carries the modal's next view, and the secret is rotated.
    const rotate = await command(`rotate ${integration.id}`);
    const open = await slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === rotate.triggerId,
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
    const form = filled.args.view as Record<string, unknown>;
    const clientId =
      (
        (form.blocks as Array<Record<string, unknown>>).find((block) => block.block_id === CLIENT_ID_BLOCK)
          ?.element as { initial_value?: string }
      )?.initial_value ?? "";
    const submitted = await socket.send(
      "interactive",
      viewSubmission({
        view: form,
        viewId,
        user: ADMIN,
        triggerId: "strigger-submit",
        values: {
          [CLIENT_ID_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: clientId } },
          [CLIENT_SECRET_BLOCK]: { [INPUT_ACTION]: { type: "plain_text_input", value: NEW_SECRET } },
        },
      }),
    );
    expect(submitted.payload).toMatchObject({ response_action: "update" });
    await slack.waitFor(
      (call) => call.responseUrlId === rotate.responseUrlId && String(call.args.text).includes("Rotated"),
      20_000,
    );
    expect(emu.state.decryptClientSecret(integration.id)).toBe(NEW_SECRET);

    // An Events API envelope is acked too (Slack redelivers what is not acked).
    const event = await socket.send("events_api", {
      token: "legacy-verification-token",
      team_id: "T0TEST",
      api_app_id: "A0TEST",
      type: "event_callback",
      event_id: "Ev0TEST",
      event_time: 1_700_000_000,
      event: { type: "app_home_opened", user: ADMIN, channel: "D0HOME", tab: "home", event_ts: "1.1" },
    });
    expect(event.envelope_id).toBeTypeOf("string");

    // Slack recycles the connection: /healthz says so until the bot has reconnected with a new URL.
    socket.disconnect();
    const down = await waitUntil(
      async () => {
        const now = await health(url);
        return now.status === 503 && now;
      },
      { what: "/healthz to report the dropped connection" },
    );
    expect(down.body).toMatchObject({ ok: false, socket: "disconnected" });
    await socket.waitForHello(2, 30_000);
    await waitUntil(async () => (await health(url)).status === 200, { what: "/healthz to recover" });
    expect(socket.opened()).toBe(2);
    expect(socket.connected()).toBe(1);

    // Commands keep working on the new connection.
    const list = await command("list");
    const listed = await slack.waitFor((call) => call.responseUrlId === list.responseUrlId, 15_000);
    expect(callText(listed)).toContain("github.com");

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^gitpod_scm_bot_socket_mode_connected 1$/m);
    expect(metrics).toMatch(/^gitpod_scm_bot_ack_seconds_count\{event="command"\} 3$/m);

    expect(socket.strays).toEqual([]);
    const output = bot.stdout() + bot.stderr();
    for (const secret of [APP_TOKEN, NEW_SECRET]) {
      expect(output).not.toContain(secret);
      expect(slack.everything()).not.toContain(secret);
    }
    bot.child.kill("SIGTERM");
    expect(await bot.exited()).toBe(0);
  }, 90_000);
});
