/**
 * Whether the Gitpod API accepts the bot's token, learned by asking: once at start and then now and
 * then while it is not known to be accepted (at start, after a 401/403). The answer reaches
 * GitpodTokenState through the client's logger, like every other call's.
 */
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
    private readonly gitpod: BotGitpodApi,
    private readonly runnerIds: readonly string[],
    private readonly token: GitpodTokenState,
    private readonly everyMs: number,
  ) {}

  /** Starts the checks; resolves after the first one, or after FIRST_CHECK_WAIT_MS. */
  async start(): Promise<void> {
    this.#timer = setInterval(() => {
      if (!this.token.accepted) void checkGitpodToken(this.gitpod, this.runnerIds);
    }, this.everyMs);
    this.#timer.unref();
    await Promise.race([
      checkGitpodToken(this.gitpod, this.runnerIds),
      new Promise((resolve) => setTimeout(resolve, FIRST_CHECK_WAIT_MS).unref()),
    ]);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
