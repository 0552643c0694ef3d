/**
 * A per-key mutex: rotations of the same integration run one after the other, never interleaved
 * (two interleaved rotations could verify each other's secret). A second attempt waits for the
 * first to finish, then runs against the state the first left behind. In-process only: separate
 * processes (the bot and a scheduled workflow) do not share it.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #holders = new Map<string, number>();

  /** Run `task` once every earlier task for `key` has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release: () => void = () => {};
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    this.#holders.set(key, (this.#holders.get(key) ?? 0) + 1);
    try {
      await previous;
      return await task();
    } finally {
      release();
      const left = (this.#holders.get(key) ?? 1) - 1;
      if (left === 0) {
        this.#holders.delete(key);
        this.#tails.delete(key);
      } else {
        this.#holders.set(key, left);
      }
    }
  }

  /** How many tasks for `key` are running or waiting. */
  pending(key: string): number {
    return this.#holders.get(key) ?? 0;
  }
}

/** The lock every rotation in this process shares unless a caller passes its own. */
export const rotationLock = new KeyedLock();
