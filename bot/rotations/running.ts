/** The rotations this process is running, so a shutdown can wait for them (bounded) or journal them. */
export class RunningRotations {
  readonly #running = new Map<string, Promise<unknown>>();

  get size(): number {
    return this.#running.size;
  }

  track<T>(journalId: string, work: Promise<T>): Promise<T> {
    this.#running.set(journalId, work);
    const forget = () => this.#running.delete(journalId);
    work.then(forget, forget);
    return work;
  }

  /** Waits until all settle or `timeoutMs` passes; resolves with the ids still running. */
  async settle(timeoutMs: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#running.values()]), timeout]);
    clearTimeout(timer);
    return [...this.#running.keys()];
  }
}
