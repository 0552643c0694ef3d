/**
 * `npm run bench:flood`: the bot (`npm run bot` as a process, HTTP mode) under 3 waves of 60
 * unsigned or forged requests with 4 MiB bodies (test/support/unsigned-flood.ts), and a signed
 * `help` sent at the start of each wave. Targets (issue 20 item 5): the flood raises the bot's
 * resident memory by under 64 MB, and each help is acked in under 1 s. Prints one line per figure
 * with PASS/MISS, and the load average, since the acks are times on a shared machine.
 * BENCH_FLOOD_RUNS (default 3) repeats the whole flood against a fresh bot. The flood is sent by a
 * child process of its own, so writing 720 MiB does not delay the measuring client's help.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { startEmulator } from "../test/emulator/index.js";
import { startFakeSlack } from "../test/fakes/slack-api.js";
import { signedHeaders } from "../test/support/slack-signing.js";
import { floodWave, residentBytes } from "../test/support/unsigned-flood.js";

const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const WAVES = 3;
const PER_WAVE = 60;
const RSS_TARGET_BYTES = 64 * 1000 * 1000;
const ACK_TARGET_MS = 1000;

function helpBody(responseUrl: string): string {
  return new URLSearchParams({
    team_id: "T0BENCH",
    channel_id: "C0BENCH",
    user_id: "U0BENCH",
    command: "/gitpod-scm",
    text: "help",
    response_url: responseUrl,
    trigger_id: "trigger-bench",
  }).toString();
}

/** Sends a signed help; resolves with the time until its ack (the HTTP answer) in ms. */
async function ackMs(eventsUrl: string, responseUrl: string): Promise<number> {
  const body = helpBody(responseUrl);
  const started = performance.now();
  const response = await fetch(eventsUrl, {
    method: "POST",
    headers: signedHeaders(SIGNING_SECRET, body),
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`help was answered ${response.status}`);
  return performance.now() - started;
}

/** The flooder: a child process that sends one wave per line ("wave") on stdin and answers "done". */
function startFlooder(eventsUrl: string): { wave(): Promise<void>; stop(): void } {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "bench/bot-flood.ts", "--flood", eventsUrl],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> });
  const waiting: Array<() => void> = [];
  lines.on("line", () => waiting.shift()?.());
  return {
    wave: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin?.write("wave\n");
      }),
    stop: () => child.kill("SIGKILL"),
  };
}

async function oneRun(): Promise<{ rssBefore: number; rssPeak: number; acks: number[]; waves: number[] }> {
  const emu = await startEmulator();
  const slack = await startFakeSlack();
  const bot = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: slack.apiUrl,
      GITPOD_API_KEY: emu.token,
      GITPOD_BASE_URL: emu.url,
      GITPOD_RUNNER_IDS: "0198f4a1-0000-7000-8000-000000000001",
      SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
      DATABASE_URL: "sqlite::memory:",
      PORT: "0",
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stopFlooder = () => {};
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      bot.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const started = /"event":"started"[^\n]*"port":(\d+)/.exec(out);
        if (started?.[1]) resolve(Number(started[1]));
      });
      bot.once("exit", (code) => reject(new Error(`the bot exited (${code}) before it started`)));
    });
    const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    for (let index = 0; index < 5; index++) await ackMs(eventsUrl, slack.responseUrl());
    const flooder = startFlooder(eventsUrl);
    stopFlooder = flooder.stop;
    const pid = bot.pid ?? 0;
    const rssBefore = residentBytes(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, residentBytes(pid));
    }, 10);
    const acks: number[] = [];
    const waves: number[] = [];
    try {
      for (let wave = 0; wave < WAVES; wave++) {
        const waveStarted = performance.now();
        const flood = flooder.wave().then(() => waves.push(performance.now() - waveStarted));
        // The help goes out while the wave's requests arrive.
        await new Promise((resolve) => setTimeout(resolve, 20));
        acks.push(await ackMs(eventsUrl, slack.responseUrl()));
        await flood;
      }
    } finally {
      clearInterval(sampler);
    }
    return { rssBefore, rssPeak: Math.max(rssPeak, residentBytes(pid)), acks, waves };
  } finally {
    stopFlooder();
    bot.kill("SIGKILL");
    await slack.close();
    await emu.close();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_FLOOD_RUNS ?? 3);
  const loadBefore = loadavg()[0] ?? 0;
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await oneRun());
  const loadAfter = loadavg()[0] ?? 0;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const growth = Math.max(...results.map((result) => result.rssPeak - result.rssBefore));
  const slowest = Math.max(...results.flatMap((result) => result.acks));
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  process.stdout.write(
    [
      `bot flood: ${runs} run(s) of ${WAVES} waves x ${PER_WAVE} requests of 4 MiB, load ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)}`,
      ...results.map(
        (result, index) =>
          `  run ${index + 1}: RSS ${mb(result.rssBefore)} -> peak ${mb(result.rssPeak)} (+${mb(result.rssPeak - result.rssBefore)}); help acks ${result.acks.map((ack) => `${ack.toFixed(0)} ms`).join(", ")} (waves took ${result.waves.map((wave) => `${wave.toFixed(0)} ms`).join(", ")})`,
      ),
      `RSS growth (worst run)  ${mb(growth)}  target < ${mb(RSS_TARGET_BYTES)}  ${verdict(growth < RSS_TARGET_BYTES)}`,
      `help ack (slowest)      ${slowest.toFixed(0)} ms  target < ${ACK_TARGET_MS} ms  ${verdict(slowest < ACK_TARGET_MS)}`,
      "",
    ].join("\n"),
  );
}

if (process.argv[2] === "--flood") {
  // The flooder child: one wave per line on stdin.
  const eventsUrl = process.argv[3] ?? "";
  for await (const _line of createInterface({ input: process.stdin })) {
    await floodWave(eventsUrl, PER_WAVE);
    process.stdout.write("done\n");
  }
} else {
  await main();
}
