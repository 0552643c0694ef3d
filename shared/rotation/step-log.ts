/**
 * The steps of one rotation as they ran, shared by every credential's protocol: each timed, an
 * exception turned into words, and every detail scrubbed of the secrets in play before it is kept.
 */

import { describeApiError } from "../api/error-in-words.js";
import { scrub } from "../text/scrub.js";
import type { RotationStep, RotationStepName } from "./types.js";

const STEP_ORDER: readonly RotationStepName[] = ["read", "test", "update", "verify"];

export class RotationStepLog {
  readonly #steps = new Map<RotationStepName, RotationStep>();

  constructor(private readonly secrets: readonly string[]) {}

  /** Run one step, timing it; an exception becomes a failed step described in words. */
  async run(name: RotationStepName, body: () => Promise<{ ok: boolean; detail: string }>): Promise<boolean> {
    const started = performance.now();
    try {
      const { ok, detail } = await body();
      this.record(name, ok ? "ok" : "failed", detail, performance.now() - started);
      return ok;
    } catch (error) {
      this.record(name, "failed", describeApiError(error).text, performance.now() - started);
      return false;
    }
  }

  record(step: RotationStepName, status: RotationStep["status"], detail: string, durationMs = 0): void {
    this.#steps.set(step, { step, status, detail: this.scrub(detail), durationMs: Math.round(durationMs) });
  }

  detail(step: RotationStepName): string | undefined {
    return this.#steps.get(step)?.detail;
  }

  /** Every step in protocol order; one that never ran is "skipped". */
  inOrder(): RotationStep[] {
    return STEP_ORDER.map(
      (step) =>
        this.#steps.get(step) ?? { step, status: "skipped" as const, detail: "did not run", durationMs: 0 },
    );
  }

  scrub(text: string): string {
    return scrub(text, this.secrets);
  }
}
