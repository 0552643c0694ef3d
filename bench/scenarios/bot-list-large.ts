/**
 * Scenario 7, `list` in a large workspace: 5,000 users with a host token on each of the three hosts
 * of both managed runners (15,000 host tokens per runner), the Gitpod API at 20 ms per request. One
 * signed `/gitpod-scm list` to the real bot (a fresh process per run, so no cache is warm), timed
 * from sending it to the Slack stub receiving the answer on response_url.
 */

import { signedHeaders } from "../../test/support/slack-signing.js";
import { startChild } from "../lib/child.js";
import { loadNow, type Spread, spread } from "../lib/measure.js";
import { type Row, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import type { BackendInfo } from "../workers/backend.js";
import type { BotServerInfo } from "../workers/bot-server.js";
import type { ProcessStats } from "../workers/protocol.js";
import { commandBody, SIGNING_SECRET } from "./bot-ack.js";

export interface BotListLargeOptions {
  users: number;
  tokensPerRunner: number;
  latencyMs: number;
  runs: number;
  timeoutMs: number;
}

export const FULL_BOT_LIST_LARGE: BotListLargeOptions = {
  users: 5000,
  tokensPerRunner: 15_000,
  latencyMs: 20,
  runs: 5,
  timeoutMs: 30_000,
};

type BackendStats = ProcessStats & { responses: number; lastResponseAt: number; gitpodRequests: number };

export interface BotListLargeResult {
  report: ScenarioReport;
  answerMs: Spread;
  gitpodRequests: number;
}

export async function runBotListLarge(options: BotListLargeOptions): Promise<BotListLargeResult> {
  const backend = await startChild<BackendInfo>("backend", {
    BENCH_LATENCY_MS: String(options.latencyMs),
    BENCH_TOKENS_PER_RUNNER: String(options.tokensPerRunner),
    BENCH_USERS: String(options.users),
  });
  const answers: number[] = [];
  const warmAnswers: number[] = [];
  const load: number[] = [];
  let gitpodRequests = 0;
  let warmRequests = 0;
  try {
    for (let run = 0; run < Math.max(1, options.runs); run++) {
      const server = await startChild<BotServerInfo>("bot-server", {
        BENCH_BOT_MODE: "bot",
        BENCH_SIGNING_SECRET: SIGNING_SECRET,
        BENCH_GITPOD_URL: backend.info.gitpodUrl,
        BENCH_GITPOD_TOKEN: backend.info.gitpodToken,
        BENCH_SLACK_API_URL: backend.info.slackApiUrl,
        BENCH_RUNNER_IDS: backend.info.runnerIds.join(","),
      });
      try {
        if (!server.info.url.startsWith("http://127.0.0.1:")) throw new Error("refusing a non-local bot URL");
        // The first list of a fresh process (cold), then one right after it (what the cache saves).
        for (const series of [answers, warmAnswers]) {
          const before = await backend.stats<BackendStats>();
          const body = commandBody(backend.info.responseUrl, "list");
          if (series === answers) load.push(loadNow());
          const sentAt = Date.now();
          const ack = await fetch(server.info.url, {
            method: "POST",
            headers: signedHeaders(SIGNING_SECRET, body),
            body,
          });
          await ack.text();
          if (ack.status !== 200) throw new Error(`the bot answered ${ack.status} to list`);
          let stats = before;
          while (stats.responses === before.responses && Date.now() - sentAt < options.timeoutMs) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            stats = await backend.stats<BackendStats>();
          }
          if (stats.responses === before.responses) throw new Error("list got no answer on response_url");
          series.push(stats.lastResponseAt - sentAt);
          if (series === answers) gitpodRequests = stats.gitpodRequests - before.gitpodRequests;
          else warmRequests = stats.gitpodRequests - before.gitpodRequests;
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await backend.stop();
  }
  const answerMs = spread(answers);
  const warmMs = spread(warmAnswers);
  const pages = Math.ceil(options.tokensPerRunner / 100);
  const rows: Row[] = [
    {
      scenario: "7 bot list, large",
      measure: `list, ${options.users.toLocaleString("en-US")} users, ${options.tokensPerRunner.toLocaleString("en-US")} tokens/runner @ ${options.latencyMs} ms`,
      value: spreadText(answerMs),
      reference: `${gitpodRequests} Gitpod requests; ${pages} token pages/runner in series = ${pages * options.latencyMs} ms`,
      target: "< 3 s",
      verdict: verdict(answerMs.median < 3000),
    },
    {
      scenario: "7 bot list, large",
      measure: "  the next list, right after",
      value: spreadText(warmMs),
      reference: `${warmRequests} Gitpod requests (host tokens from the bot's short cache)`,
      target: "< 3 s",
      verdict: verdict(warmMs.median < 3000),
    },
  ];
  return {
    answerMs,
    gitpodRequests,
    report: {
      id: "bot-list-large",
      title: "Bot list, large workspace",
      rows,
      requests: [],
      data: { options, answerMs, warmMs, gitpodRequests, warmRequests, load },
      notes: [
        `a fresh bot process per run (cold cache), ${options.runs} runs; load average before each: ${load.map((l) => l.toFixed(2)).join(", ")}. The host-token list pages one after another (each page needs the previous page's token; the API has no filter that would split one runner's tokens into parallel walks), so ${pages} pages x ${options.latencyMs} ms = ${pages * options.latencyMs} ms is the floor for a cold list.`,
      ],
    },
  };
}
