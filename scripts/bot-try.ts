/**
 * `npm run bot:try`: the Slack bot without Slack. Starts the Gitpod API emulator, a local stand-in for
 * the Slack Web API (test/fakes/slack-api.ts) and the bot itself (`npm run bot`, as its own process),
 * sends it `/gitpod-scm help`, `list` and `validate github.com` signed as Slack signs them, prints what
 * the bot would post in Slack, and stops everything. For an admin who wants to see the bot before
 * creating the Slack app.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { slashCommandBody } from "../test/bot/slack-payloads.js";
import { RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../test/emulator/index.js";
import { type RecordedCall, startFakeSlack } from "../test/fakes/slack-api.js";
import { seedGitHubIntegration } from "../test/support/fixtures.js";
import { signedHeaders } from "../test/support/slack-signing.js";
import { waitUntil } from "../test/support/wait.js";

const COMMAND = "/gitpod-scm";
const ADMIN = "U0ADMIN";
const CHANNEL = "C0OPS";
const AUDIT_CHANNEL = "C0AUDIT";
const TRIES = ["help", "list", "validate github.com"];

type Block = Record<string, unknown>;

const textOf = (value: unknown): string =>
  typeof value === "object" && value !== null && "text" in value ? String(value.text) : "";

/** A Block Kit block as the lines Slack would show (mrkdwn left as written). */
function blockLines(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [`== ${textOf(block.text)} ==`];
    case "section":
      return [
        textOf(block.text),
        ...((block.fields as unknown[] | undefined) ?? []).map(textOf),
        ...(block.accessory ? [`[${textOf((block.accessory as Block).text)}]`] : []),
      ].filter(Boolean);
    case "context":
      return [((block.elements as unknown[] | undefined) ?? []).map(textOf).filter(Boolean).join("  ")];
    case "actions":
      return [
        ((block.elements as Block[] | undefined) ?? [])
          .map((element) => `[${textOf(element.text)}]`)
          .join(" "),
      ];
    case "divider":
      return ["----"];
    default:
      return [`(${String(block.type)} block)`];
  }
}

/** One message the bot sent, as text: where it goes, then its blocks (or its text when it has none). */
function messageText(call: RecordedCall): string {
  const where =
    call.method === "response_url"
      ? call.args.response_type === "in_channel"
        ? `in #${CHANNEL}`
        : "only you see this"
      : `${call.method} to #${String(call.args.channel)}`;
  const blocks = (call.args.blocks as Block[] | undefined) ?? [];
  const lines = blocks.length > 0 ? blocks.flatMap(blockLines) : [String(call.args.text ?? "")];
  return [`  (${where})`, ...lines.flatMap((line) => line.split("\n")).map((line) => `  | ${line}`)].join(
    "\n",
  );
}

/** The bot's JSON log lines so far. */
function events(log: string): Array<Record<string, unknown>> {
  return log
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function main(): Promise<void> {
  const emu = await startEmulator();
  // Something to list: GitHub on aws-eu with a service account's host token, GitLab (PATs) on aws-us.
  const github = seedGitHubIntegration(emu.state);
  emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    integrationId: github.id,
    expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000),
  });
  emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "gitlab", host: "gitlab.com", pat: true });
  const slack = await startFakeSlack();
  const stateDir = await mkdtemp(join(tmpdir(), "gitpod-scm-bot-try-"));
  const signingSecret = randomBytes(16).toString("hex");
  let bot: ChildProcess | undefined;
  let log = "";
  try {
    bot = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: "xoxb-bot-try",
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: slack.apiUrl,
        GITPOD_API_KEY: emu.token,
        GITPOD_BASE_URL: emu.url,
        GITPOD_RUNNER_IDS: `aws-eu=${RUNNER_EU_ID},aws-us=${RUNNER_US_ID}`,
        SLACK_AUDIT_CHANNEL_ID: AUDIT_CHANNEL,
        SLACK_ROTATE_USER_IDS: ADMIN,
        DATABASE_URL: `sqlite:${join(stateDir, "bot.sqlite")}`,
        PORT: "0",
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const child = bot;
    child.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    const port = await waitUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${log}`);
        return events(log).find((event) => event.event === "started")?.port as number | undefined;
      },
      { what: "the bot to start", timeoutMs: 60_000, intervalMs: 50 },
    );
    process.stdout.write(
      `The bot is running on http://127.0.0.1:${port} against the Gitpod API emulator (${emu.url})\n` +
        `and a local stand-in for Slack. What it would post in Slack:\n`,
    );

    for (const [index, text] of TRIES.entries()) {
      const responseUrlId = `try-${index + 1}`;
      const sentAt = slack.calls.length;
      const commandsBefore = events(log).filter((event) => event.event === "command").length;
      const body = slashCommandBody({
        command: COMMAND,
        text,
        user: ADMIN,
        channel: CHANNEL,
        responseUrl: slack.responseUrl(responseUrlId),
        triggerId: `trigger-${index + 1}`,
      });
      const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: "POST",
        headers: signedHeaders(signingSecret, body),
        body,
      });
      const ackText = await ack.text();
      process.stdout.write(`\n$ ${COMMAND} ${text}\n`);
      if (ack.status !== 200) throw new Error(`the bot answered ${ack.status}: ${ackText}`);
      // The command's log line is written once its work is done: everything it posts has been sent.
      await waitUntil(
        () => events(log).filter((event) => event.event === "command").length > commandsBefore,
        {
          what: `the bot to finish "${text}"`,
          timeoutMs: 30_000,
        },
      );
      const posted = slack.calls
        .slice(sentAt)
        .filter((call) => call.responseUrlId === responseUrlId || call.method.startsWith("chat."));
      if (posted.length === 0) throw new Error(`the bot posted nothing for "${text}"`);
      for (const call of posted) process.stdout.write(`${messageText(call)}\n`);
    }
    process.stdout.write("\nTo run it for real, create the Slack app and configure the bot: docs/bot.md.\n");
  } catch (error) {
    process.stderr.write(`bot:try failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    if (bot && bot.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => bot?.once("exit", (code) => resolve(code)));
      bot.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) {
        process.stderr.write(`bot:try: the bot did not stop cleanly (exit ${code}):\n${log}\n`);
        process.exitCode = 1;
      }
    }
    await slack.close();
    await emu.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
