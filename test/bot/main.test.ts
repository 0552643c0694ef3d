/** `npm run bot` as a process: configuration errors, start, health check, clean stop. */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";

const CANARY_TOKEN = "xoxb-canary-bot-token-93f1";

function runBot(env: Record<string, string>): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    cwd: process.cwd(),
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
  return { child, stdout: () => out, stderr: () => err };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

describe("npm run bot", () => {
  let emu: Emulator | undefined;
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await emu?.close();
    await slack?.close();
  });

  it("stops with one message naming every bad variable, and no secret", async () => {
    const bot = runBot({ SLACK_BOT_TOKEN: "not-a-bot-token-canary", GITPOD_RUNNER_IDS: "nope" });
    expect(await exited(bot.child)).toBe(2);
    const message = bot.stderr();
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "GITPOD_API_KEY",
      "GITPOD_RUNNER_IDS",
      "SLACK_AUDIT_CHANNEL_ID",
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain("canary");
    expect(message.match(/configuration is not usable/g)).toHaveLength(1);
  });

  it("starts, answers /healthz and stops cleanly on SIGTERM", async () => {
    emu = await startEmulator();
    slack = await startFakeSlack();
    const bot = runBot({
      SLACK_BOT_TOKEN: CANARY_TOKEN,
      SLACK_SIGNING_SECRET: "signing-secret-canary",
      SLACK_API_URL: slack.apiUrl,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      GITPOD_RUNNER_IDS: RUNNER_EU_ID,
      SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
      PORT: "0",
      HOST: "127.0.0.1",
    });
    const deadline = Date.now() + 15_000;
    let port: number | undefined;
    while (port === undefined && Date.now() < deadline && bot.child.exitCode === null) {
      const started = bot
        .stdout()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { event?: string; port?: number })
        .find((line) => line.event === "started");
      port = started?.port;
      if (port === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(port, bot.stderr()).toBeTypeOf("number");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    bot.child.kill("SIGTERM");
    expect(await exited(bot.child)).toBe(0);
    expect(bot.stdout()).not.toContain(CANARY_TOKEN);
    expect(slack.callsTo("auth.test")).toHaveLength(1);
  });
});
