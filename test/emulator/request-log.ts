/**
 * Every request the emulator received, for tests to count and inspect. Bodies are kept as parsed
 * JSON, secrets included (tests compare exact bodies); the log is never printed.
 */
import type { FaultKind } from "./faults.js";

export interface RequestLogEntry {
  /** Method name (e.g. "CreateSCMIntegration"), or the request path when it named no method. */
  rpc: string;
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  body: unknown;
  query: Record<string, string>;
  /** HTTP status sent; 0 when the connection was reset or left hanging. */
  status: number;
  /** Connect error code of an error response. */
  code?: string;
  /** The injected fault that shaped the answer, if any. */
  fault?: FaultKind;
  /** Arrival time, milliseconds since the epoch. */
  at: number;
  durationMs: number;
}

const WRITE_RPC = /^(Create|Update|Delete)/;

export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  #answering = 0;

  /** Requests that arrived and are not logged yet (answered after a delay, or still being read). */
  get answering(): number {
    return this.#answering;
  }

  /** Called by the server around each request, so that `answering` counts it until it is logged. */
  arrived(): () => void {
    this.#answering += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#answering -= 1;
    };
  }

  get entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  record(entry: RequestLogEntry): void {
    this.#entries.push(entry);
  }

  /** Entries of one RPC, or all. */
  all(rpc?: string): RequestLogEntry[] {
    return rpc === undefined ? [...this.#entries] : this.#entries.filter((entry) => entry.rpc === rpc);
  }

  count(rpc?: string): number {
    if (rpc === undefined) return this.#entries.length;
    let count = 0;
    for (const entry of this.#entries) if (entry.rpc === rpc) count += 1;
    return count;
  }

  /** Create/Update/Delete calls, whatever their outcome. */
  writes(): RequestLogEntry[] {
    return this.#entries.filter((entry) => WRITE_RPC.test(entry.rpc));
  }

  last(rpc?: string): RequestLogEntry | undefined {
    for (let index = this.#entries.length - 1; index >= 0; index -= 1) {
      const entry = this.#entries[index];
      if (entry && (rpc === undefined || entry.rpc === rpc)) return entry;
    }
    return undefined;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

export function isWriteRpc(rpc: string): boolean {
  return WRITE_RPC.test(rpc);
}
