/**
 * /readyz means ready: the bot process is unready until the Gitpod API has accepted its token once,
 * and again after a 401 until the token is accepted; Gitpod outages (5xx, dropped connections) do not
 * take it out of service. The answer says why in words and never holds the token.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { waitUntil } from "../support/wait.js";
import { type BotProcess, sendCommand, startBotProcess } from "./bot-process.js";
import { ADMIN, BOT_TOKEN } from "./harness.js";

const TOKEN = "canary-gitpod-token-readyz-7a8b9c";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;
const dirs: string[] = [];

afterEach(async () => {
  if (bot && bot.child.exitCode === null) bot.child.kill("SIGKILL");
  await bot?.exited();
  bot = undefined;
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Readiness {
  status: number;
  body: { ready: boolean; gitpodToken: string; reason?: string };
  text: string;
}

async function readyz(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/readyz`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Readiness["body"], text };
}

async function start(): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), "bot-readiness-"));
  dirs.push(dir);
  return startBotProcess({
    DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: (slack as FakeSlack).apiUrl,
    GITPOD_API_KEY: TOKEN,
    GITPOD_BASE_URL: (emu as Emulator).url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    GITPOD_TIMEOUT_MS: "1000",
    GITPOD_TOKEN_CHECK_MS: "200",
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
  });
}

describe("/readyz and the Gitpod token", () => {
  it("is unready until the token is accepted, stays ready through outages, and unready again after a 401", async () => {
    // Ona is down when the bot starts: nothing is known about the token yet.
    emu = await startEmulator({ token: TOKEN, faults: [{ kind: "status", status: 503 }] });
    slack = await startFakeSlack();
    bot = await start();
    const down = await readyz(bot.url);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, gitpodToken: "unchecked" });
    expect(down.body.reason).toContain("no call to the Gitpod API has succeeded yet");

    // The API comes back: the bot's own periodic check finds the token accepted.
    emu.faults.clear();
    const up = await waitUntil(
      async () => {
        const now = await readyz((bot as BotProcess).url);
        return now.status === 200 && now;
      },
      { what: "/readyz to turn ready" },
    );
    expect(up.body).toMatchObject({ ready: true, gitpodToken: "accepted" });

    // An outage after that (5xx, then dropped connections) keeps the bot in service.
    emu.faults.add({ kind: "status", status: 500 });
    const listed = await sendCommand(bot, slack, "list", ADMIN);
    await slack.waitFor((call) => call.responseUrlId === listed.responseUrlId, 15_000);
    emu.faults.clear();
    emu.faults.add({ kind: "reset" });
    const again = await sendCommand(bot, slack, "list", ADMIN);
    await slack.waitFor((call) => call.responseUrlId === again.responseUrlId, 15_000);
    expect(emu.requests.all().some((entry) => entry.status === 500)).toBe(true);
    expect((await readyz(bot.url)).status).toBe(200);
    emu.faults.clear();

    // The token is revoked: the next call's 401 takes the bot out of service, with the reason.
    emu.revokeToken(TOKEN);
    const refused = await sendCommand(bot, slack, "list", ADMIN);
    await slack.waitFor((call) => call.responseUrlId === refused.responseUrlId, 15_000);
    const unready = await readyz(bot.url);
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ ready: false, gitpodToken: "rejected" });
    expect(unready.body.reason).toContain("refused the bot's token (unauthenticated, HTTP 401");
    expect(unready.text).not.toContain(TOKEN);
    // /healthz is liveness: a refused token is no reason to restart the process.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    // Accepted again (e.g. the token was restored): ready again without a command.
    emu.acceptToken(TOKEN);
    await waitUntil(async () => (await readyz((bot as BotProcess).url)).status === 200, {
      what: "/readyz to turn ready again",
    });
    expect(bot.stdout() + bot.stderr()).not.toContain(TOKEN);
  }, 60_000);
});
