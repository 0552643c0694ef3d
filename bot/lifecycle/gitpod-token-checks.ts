/**
 * Whether the Gitpod API accepts the bot's token, learned by asking: once at start and then now and
 * then while it is not known to be accepted (at start, after a 401/403). The answer reaches
 * GitpodTokenState through the client's logger, like every other call's.
 */
import type { BotContext } from "../context.js";
import type { GitpodTokenState } from "../gitpod/calls.js";
import type { BotGitpodApi } from "../gitpod/reads.js";

/** start() waits this long for the first check, so a bot that says "started" is usually ready. */
const FIRST_CHECK_WAIT_MS = 2000;

/** One cheap authenticated read: the first page of the managed runners' integrations. */
async function checkGitpodToken(gitpod: BotGitpodApi, runnerIds: readonly string[]): Promise<void> {
  try {
    for await (const _ of gitpod.scmIntegrations.list({ filter: { runnerIds: [...runnerIds] } })) break;
  } catch {
    // Seen by the observer: a 401/403 keeps the bot unready, an outage changes nothing.
  }
}

export class GitpodTokenChecks {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: Pick<BotContext, "gitpod" | "runnerIds" | "config">,
    private readonly token: GitpodTokenState,
  ) {}

  /** Starts the checks; resolves after the first one, or after FIRST_CHECK_WAIT_MS. */
  async start(): Promise<void> {
    const { gitpod, runnerIds, config } = this.context;
    this.#timer = setInterval(() => {
      if (!this.token.accepted) void checkGitpodToken(gitpod, runnerIds);
    }, config.gitpod.tokenCheckMs);
    this.#timer.unref();
    await Promise.race([
      checkGitpodToken(gitpod, runnerIds),
      new Promise((resolve) => setTimeout(resolve, FIRST_CHECK_WAIT_MS).unref()),
    ]);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
