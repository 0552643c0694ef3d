/**
 * Fault injection for chaos tests. A rule matches requests (optionally of one RPC) and fires:
 * - from its `nth` matching request on (1-based), and then `times` times (default 1 when `nth` is set);
 * - with probability `rate` per matching request, drawn from a seeded generator (deterministic for a
 *   given request order);
 * - otherwise on every matching request, `times` times (default: unlimited).
 * Latency rules add up; of the other rules the first that fires decides the answer. With
 * `after: true` the RPC runs and commits first and only its answer is replaced (or delayed).
 */
import type { ConnectCode } from "./connect-errors.js";

export type FaultKind = "latency" | "status" | "reset" | "hang";
export type FaultStatus = 429 | 500 | 503;

export interface FaultRule {
  kind: FaultKind;
  /** Method name(s) the rule applies to; all RPCs when absent. */
  rpc?: string | string[];
  nth?: number;
  rate?: number;
  times?: number;
  /** For kind "status"; default 503. */
  status?: FaultStatus;
  /** Sent as the Retry-After header with a status fault. */
  retryAfterSeconds?: number;
  /** For kind "latency". */
  latencyMs?: number;
  after?: boolean;
}

export interface FaultDecision {
  delayBeforeMs: number;
  delayAfterMs: number;
  /** The status/reset/hang rule that fired, if any. */
  action?: FaultRule;
}

const STATUS_CODE: Record<FaultStatus, ConnectCode> = {
  429: "resource_exhausted",
  500: "internal",
  503: "unavailable",
};

export function faultStatus(rule: FaultRule): { status: number; code: ConnectCode } {
  const status = rule.status ?? 503;
  return { status, code: STATUS_CODE[status] };
}

/** mulberry32: small, fast, good enough to make `rate` reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  rpcs: Set<string> | undefined;
  seen: number;
  fired: number;
  limit: number;
}

function checkRule(rule: FaultRule): void {
  const kinds: FaultKind[] = ["latency", "status", "reset", "hang"];
  if (!kinds.includes(rule.kind)) throw new Error(`fault rule: unknown kind ${String(rule.kind)}`);
  if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) {
    throw new Error("fault rule: nth must be an integer >= 1");
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new Error("fault rule: rate must be between 0 and 1");
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new Error("fault rule: times must be an integer >= 0");
  }
  if (rule.status !== undefined && !(rule.status in STATUS_CODE)) {
    throw new Error("fault rule: status must be 429, 500 or 503");
  }
  if (rule.kind === "latency" && !(typeof rule.latencyMs === "number" && rule.latencyMs >= 0)) {
    throw new Error("fault rule: a latency rule needs latencyMs >= 0");
  }
}

export class Faults {
  #rules: ActiveRule[] = [];
  readonly #random: () => number;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.#random = seededRandom(seed);
    for (const rule of rules) this.add(rule);
  }

  get rules(): readonly FaultRule[] {
    return this.#rules.map((active) => active.rule);
  }

  add(rule: FaultRule): void {
    checkRule(rule);
    const rpcs =
      rule.rpc === undefined ? undefined : new Set(Array.isArray(rule.rpc) ? rule.rpc : [rule.rpc]);
    const limit = rule.times ?? (rule.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
    this.#rules.push({ rule: { ...rule }, rpcs, seen: 0, fired: 0, limit });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Advances every matching rule's counters by one request and says what to do with it. */
  decide(rpc: string): FaultDecision {
    const decision: FaultDecision = { delayBeforeMs: 0, delayAfterMs: 0 };
    for (const active of this.#rules) {
      if (active.rpcs && !active.rpcs.has(rpc)) continue;
      active.seen += 1;
      if (!this.#fires(active)) continue;
      const { rule } = active;
      if (rule.kind === "latency") {
        active.fired += 1;
        if (rule.after) decision.delayAfterMs += rule.latencyMs ?? 0;
        else decision.delayBeforeMs += rule.latencyMs ?? 0;
      } else if (!decision.action) {
        active.fired += 1;
        decision.action = rule;
      }
    }
    return decision;
  }

  #fires(active: ActiveRule): boolean {
    if (active.fired >= active.limit) return false;
    if (active.rule.nth !== undefined && active.seen < active.rule.nth) return false;
    if (active.rule.rate !== undefined) return this.#random() < active.rule.rate;
    return true;
  }
}
