/** Counts work in flight and refuses more than a limit, so a burst cannot queue without bound. */
export class InFlightLimit {
  #inFlight = 0;
  #refused = 0;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  /** How many were refused since start. */
  get refused(): number {
    return this.#refused;
  }

  tryEnter(): boolean {
    if (this.#inFlight >= this.limit) {
      this.#refused++;
      return false;
    }
    this.#inFlight++;
    return true;
  }

  leave(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }
}

export const BUSY_TEXT = "The bot is busy with other requests right now; please try again in a moment.";
