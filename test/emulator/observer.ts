/**
 * Exchange observers: a way for test set-up code to see every request the emulator answers and
 * the answer it gave, without the emulator knowing who looks. The test suite's witness of the
 * official descriptors (test/witness/setup.ts) registers one; the emulator itself stays free of
 * any protobuf library. Observers live on globalThis so that every copy of this module (vitest
 * may load one per test file) reaches the same list.
 */

export interface Exchange {
  /** Method name, e.g. "CreateLLMIntegration" (only RPCs the emulator serves are observed). */
  rpc: string;
  /** The request body as it arrived. */
  requestText: string;
  /** The User-Agent header, which tells which client sent it. */
  userAgent: string | undefined;
  /** HTTP status of the answer. */
  status: number;
  /** The answer body (a message on 200, a Connect error otherwise). */
  responseText: string;
  /** Set when an injected fault shaped the answer. */
  fault?: string;
}

export type ExchangeObserver = (exchange: Exchange) => void;

const OBSERVERS = Symbol.for("gitpod-runner-config.emulator.exchange-observers");

function observers(): Set<ExchangeObserver> {
  const holder = globalThis as { [OBSERVERS]?: Set<ExchangeObserver> };
  holder[OBSERVERS] ??= new Set();
  return holder[OBSERVERS];
}

/** Registers an observer of every answered request; returns the function that removes it. */
export function observeExchanges(observer: ExchangeObserver): () => void {
  const set = observers();
  set.add(observer);
  return () => set.delete(observer);
}

/** Tells every observer; an observer that throws never changes what the client got. */
export function notifyExchange(exchange: Exchange): void {
  for (const observer of observers()) {
    try {
      observer(exchange);
    } catch {
      // observers record problems themselves; the answer has already been sent
    }
  }
}
