/**
 * GET /metrics of the bot process, in the Prometheus text format: after commands, a rotation, a Gitpod
 * outage and Slack trouble driven through the process, the counters have moved by what happened.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import {
  type BotProcess,
  openRotateForm,
  outcomePosts,
  sendCommand,
  startBotProcess,
  submitRotateForm,
} from "./bot-process.js";
import { ADMIN, BOT_TOKEN } from "./harness.js";

const AUDIT = "C0AUDIT";
const NEW_SECRET = "canary-metrics-secret-5d6e7f";

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

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ""] = pair[2] ?? "";
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `labels` (0 when there is none). */
function sumOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

async function scrape(url: string): Promise<{ text: string; samples: Sample[]; contentType: string }> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parseMetrics(text), contentType: response.headers.get("content-type") ?? "" };
}

describe("/metrics", () => {
  it("counts commands, acks, rotations, Gitpod calls by code and Slack errors and rate limits", async () => {
    emu = await startEmulator();
    slack = await startFakeSlack();
    const integration = seedGitHubIntegration(emu.state);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, NEW_SECRET]);
    const dir = mkdtempSync(join(tmpdir(), "bot-metrics-"));
    dirs.push(dir);
    bot = await startBotProcess({
      DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      GITPOD_RUNNER_IDS: RUNNER_EU_ID,
      SLACK_ROTATE_USER_IDS: ADMIN,
      SLACK_AUDIT_CHANNEL_ID: AUDIT,
    });

    const before = await scrape(bot.url);
    expect(before.contentType).toContain("text/plain");
    expect(sumOf(before.samples, "gitpod_scm_bot_requests_total")).toBe(0);
    expect(sumOf(before.samples, "gitpod_scm_bot_store_up")).toBe(1);
    expect(sumOf(before.samples, "gitpod_scm_bot_gitpod_token_accepted")).toBe(1);
    expect(sumOf(before.samples, "gitpod_scm_bot_process_resident_memory_bytes")).toBeGreaterThan(0);

    // Commands: help, a list through a Gitpod outage (one 503, retried), a rotation.
    const help = await sendCommand(bot, slack, "help", ADMIN);
    await slack.waitFor((call) => call.responseUrlId === help.responseUrlId, 15_000);
    emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 1 });
    const list = await sendCommand(bot, slack, "list", ADMIN);
    await slack.waitFor((call) => call.responseUrlId === list.responseUrlId, 15_000);

    // Slack: the first audit post is rate-limited (retried after 1 s), the second refused.
    let audits = 0;
    slack.on("chat.postMessage", (args) => {
      audits += 1;
      if (audits === 1) return { rateLimited: true };
      if (audits === 2) return { ok: false, error: "not_in_channel" };
      return { ok: true, channel: args.channel, ts: `1700000001.${String(audits).padStart(6, "0")}` };
    });
    const form = await openRotateForm(bot, slack, integration.id, ADMIN);
    const ack = await submitRotateForm(bot, form.form, form.viewId, ADMIN, NEW_SECRET);
    expect(ack.status).toBe(200);
    await slack.waitFor(
      (call) => call.responseUrlId === form.responseUrlId && String(call.args.text).includes("Rotated"),
      20_000,
    );
    await slack.waitFor(() => outcomePosts(slack as FakeSlack, AUDIT).length >= 1, 15_000);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(NEW_SECRET);

    // The submission's request line is counted when its handler returns, after the rotation's last
    // follow-up (the App Home redraw): wait for it rather than race it.
    const botUrl = bot.url;
    const after = await waitUntil(
      async () => {
        const scraped = await scrape(botUrl);
        return sumOf(scraped.samples, "gitpod_scm_bot_requests_total", { event: "submission" }) > 0
          ? scraped
          : undefined;
      },
      { what: "the submission in /metrics", timeoutMs: 15_000 },
    );
    const { samples } = after;
    const requests = (labels: Record<string, string>) =>
      sumOf(samples, "gitpod_scm_bot_requests_total", labels);
    expect(requests({ event: "command", kind: "help" })).toBe(1);
    expect(requests({ event: "command", kind: "list" })).toBe(1);
    expect(requests({ event: "command", kind: "rotate" })).toBe(1);
    expect(requests({ event: "submission" })).toBe(1);
    expect(sumOf(samples, "gitpod_scm_bot_ack_seconds_count", { event: "command" })).toBe(3);
    expect(sumOf(samples, "gitpod_scm_bot_ack_seconds_count", { event: "view_submission" })).toBe(1);
    expect(sumOf(samples, "gitpod_scm_bot_ack_seconds_bucket", { event: "command", le: "+Inf" })).toBe(3);
    expect(sumOf(samples, "gitpod_scm_bot_rotations_total", { action: "rotate", outcome: "rotated" })).toBe(
      1,
    );
    expect(sumOf(samples, "gitpod_scm_bot_rotations_total", { outcome: "started" })).toBe(0);
    const gitpod = (labels: Record<string, string>) =>
      sumOf(samples, "gitpod_scm_bot_gitpod_calls_total", labels);
    expect(gitpod({ rpc: "ListSCMIntegrations", code: "unavailable" })).toBe(1);
    expect(gitpod({ rpc: "ListSCMIntegrations", code: "ok" })).toBeGreaterThanOrEqual(2);
    expect(gitpod({ rpc: "UpdateSCMIntegration", code: "ok" })).toBe(1);
    expect(sumOf(samples, "gitpod_scm_bot_slack_rate_limited_total", { method: "chat.postMessage" })).toBe(1);
    expect(
      sumOf(samples, "gitpod_scm_bot_slack_api_errors_total", {
        method: "chat.postMessage",
        error: "not_in_channel",
      }),
    ).toBe(1);
    expect(sumOf(samples, "gitpod_scm_bot_commands_in_flight")).toBe(0);
    expect(sumOf(samples, "gitpod_scm_bot_rotations_running")).toBe(0);
    for (const secret of [NEW_SECRET, emu.token, BOT_TOKEN]) expect(after.text).not.toContain(secret);
  }, 60_000);
});
