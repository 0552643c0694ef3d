/**
 * Child process for the bot benchmark: the Gitpod emulator (with the managed runners' integrations
 * seeded) and the Slack stub, kept out of the bot's and the load generator's processes.
 * Config: BENCH_LATENCY_MS, BENCH_TOKENS_PER_RUNNER and BENCH_USERS (a large workspace). Answers "stats" with request counts; exits on "stop".
 */
import { RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../../test/emulator/index.js";
import { startSlackStub } from "../stubs/slack-stub.js";
import { ownStats, type ParentMessage, send } from "./protocol.js";

export interface BackendInfo {
  gitpodUrl: string;
  gitpodToken: string;
  slackApiUrl: string;
  responseUrl: string;
  runnerIds: string[];
}

async function main(): Promise<void> {
  const emu = await startEmulator({ latencyMs: Number(process.env.BENCH_LATENCY_MS ?? "0") });
  for (const [index, runnerId] of [RUNNER_EU_ID, RUNNER_US_ID].entries()) {
    for (const host of ["github.com", "gitlab.com", `git-${index}.bench.example`]) {
      const integration = emu.state.seedScmIntegration({
        runnerId,
        scmId: host.startsWith("gitlab") ? "gitlab" : "github",
        host,
        pat: true,
        oauthClientId: "bench-client",
        oauthClientSecret: "bench-secret",
      });
      emu.state.seedHostToken({ runnerId, host, integrationId: integration.id, userId: `user-${index}` });
    }
  }
  // A large workspace: BENCH_TOKENS_PER_RUNNER host tokens per runner, over BENCH_USERS users.
  const tokensPerRunner = Number(process.env.BENCH_TOKENS_PER_RUNNER ?? "0");
  const users = Math.max(1, Number(process.env.BENCH_USERS ?? "1"));
  for (const runnerId of [RUNNER_EU_ID, RUNNER_US_ID]) {
    const integrations = [...emu.state.scmIntegrations.values()].filter((i) => i.runnerId === runnerId);
    for (let n = 0; n < tokensPerRunner; n++) {
      const integration = integrations[n % integrations.length];
      if (!integration) break;
      emu.state.seedHostToken({
        runnerId,
        host: integration.host,
        integrationId: integration.id,
        userId: `user-${n % users}`,
        token: `bench-token-${n}`,
      });
    }
  }
  const slack = await startSlackStub();
  process.on("message", (message: ParentMessage) => {
    if (message.type === "stats") {
      send({
        type: "stats",
        stats: { ...ownStats(), gitpodRequests: emu.requests.count(), ...slack.counts() },
      });
    } else if (message.type === "stop") {
      void Promise.all([emu.close(), slack.close()]).then(() => process.exit(0));
    }
  });
  send<BackendInfo>({
    type: "ready",
    info: {
      gitpodUrl: emu.url,
      gitpodToken: emu.token,
      slackApiUrl: slack.apiUrl,
      responseUrl: slack.responseUrl,
      runnerIds: [RUNNER_EU_ID, RUNNER_US_ID],
    },
  });
}

main().catch((error: unknown) => {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
