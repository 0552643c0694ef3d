import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "../../shared/api/backoff.js";

const policy = { baseDelayMs: 200, maxDelayMs: 10_000 };

describe("backoffDelay", () => {
  it("grows exponentially from the base and is capped", () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(policy, attempt, undefined, top))).toEqual([
      200, 400, 800, 1600, 3200, 6400, 10_000, 10_000,
    ]);
  });

  it("draws the whole range (full jitter)", () => {
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, undefined, () => 0.5)).toBe(800);
    const seen = new Set(Array.from({ length: 200 }, () => backoffDelay(policy, 4, undefined)));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3200);
    expect(seen.size).toBeGreaterThan(50);
  });

  it("never waits less than Retry-After, up to a minute", () => {
    expect(backoffDelay(policy, 0, 5_000, () => 0)).toBe(5_000);
    expect(backoffDelay(policy, 0, 45_000, () => 0)).toBe(45_000);
    expect(backoffDelay(policy, 0, 3_600_000, () => 0)).toBe(60_000);
    expect(backoffDelay({ baseDelayMs: 1, maxDelayMs: 20 }, 0, 300, () => 0)).toBe(300);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("0.25", now)).toBe(250);
    expect(parseRetryAfter(["7", "9"], now)).toBe(7_000);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:12 GMT", now)).toBe(12_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
