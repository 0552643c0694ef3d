/**
 * The bot as a process with Ona's names (ONA_API_KEY, ONA_BASE_URL) or the legacy Gitpod names: it
 * works with either, its startup log says which it read, and a rejected token is told to Slack users
 * as their operator's business, never as an action input.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type BotProcess, sendCommand, startBotProcess } from "./bot-process.js";
import { ADMIN, BOT_TOKEN } from "./harness.js";

const WRONG_TOKEN = "canary-wrong-gitpod-token-6b2e";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;
const dirs: string[] = [];

afterEach(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  bot = undefined;
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(gitpodEnv: (emu: Emulator) => Record<string, string>): Promise<BotProcess> {
  emu = await startEmulator();
  slack = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), "bot-api-names-"));
  dirs.push(dir);
  bot = await startBotProcess({
    DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_RUNNER_IDS: `aws-eu=${RUNNER_EU_ID}`,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
    GITPOD_TIMEOUT_MS: "5000",
    ...gitpodEnv(emu),
  });
  return bot;
}

/** What `list` answers on its response_url, as text. */
async function listAnswer(running: BotProcess): Promise<string> {
  if (!slack) throw new Error("no fake Slack");
  const sent = await sendCommand(running, slack, "list", ADMIN);
  expect(sent.status).toBe(200);
  const answer = await slack.waitFor(
    (call) => call.method === "response_url" && call.responseUrlId === sent.responseUrlId,
    15_000,
  );
  return JSON.stringify(answer.args);
}

describe("the bot's Gitpod names", () => {
  for (const [names, key, url] of [
    ["Ona's names", "ONA_API_KEY", "ONA_BASE_URL"],
    ["the legacy names", "GITPOD_API_KEY", "GITPOD_BASE_URL"],
  ] as const) {
    it(`works with only ${names} and logs which it read at startup`, async () => {
      const running = await start((e) => ({ [key]: e.token, [url]: e.url }));
      expect(running.events().find((line) => line.event === "gitpod_api")).toMatchObject({
        baseUrl: emu?.url,
        baseUrlFrom: url,
        apiKeyFrom: key,
      });
      const text = await listAnswer(running);
      expect(text).not.toContain("Could not");
      expect(emu?.requests.count("ListSCMIntegrations")).toBeGreaterThan(0);
    }, 60_000);
  }

  it("tells Slack users a rejected token is for whoever runs the bot, never the action's input", async () => {
    const running = await start((e) => ({ ONA_API_KEY: WRONG_TOKEN, ONA_BASE_URL: e.url }));
    const text = await listAnswer(running);
    expect(text).toContain("The Gitpod API rejected the API token (unauthenticated)");
    expect(text).toContain("check the bot's ONA_API_KEY, where the bot runs");
    expect(text).not.toMatch(/api-token|input|GITPOD_API_KEY/);
    expect(`${text}${running.stdout()}${running.stderr()}`).not.toContain(WRONG_TOKEN);
  }, 60_000);

  it("warns in its log when a setting is set under both names with different values", async () => {
    const running = await start((e) => ({
      ONA_API_KEY: e.token,
      GITPOD_API_KEY: WRONG_TOKEN,
      ONA_BASE_URL: e.url,
    }));
    expect(running.events().find((line) => line.event === "config_warning")).toMatchObject({
      message:
        "ONA_API_KEY and GITPOD_API_KEY are both set and differ: using ONA_API_KEY (unset GITPOD_API_KEY, the legacy name)",
    });
    expect(running.events().find((line) => line.event === "gitpod_api")).toMatchObject({
      apiKeyFrom: "ONA_API_KEY",
    });
    expect(running.stdout()).not.toContain(WRONG_TOKEN);
  }, 60_000);
});
