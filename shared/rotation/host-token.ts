/**
 * The rotation protocol for one service account's host authentication token:
 * 1. read the token (it exists, and whose it is); 2. test: the API has no call that tests a host
 * token, so this step is skipped and says so; 3. update the token (and refresh token, expiry);
 * 4. verify: read it back (still there, the expiry as sent). The value itself can never be read
 * back (Get omits it), and the result says so. The token never appears in the result.
 */

import { isServiceAccountToken } from "../api/matching.js";
import type {
  HostAuthenticationToken,
  UpdateHostAuthenticationTokenRequest,
} from "../api/resources/host-authentication-tokens.wire.js";
import { type CallOptions, signalOption } from "../api/transport.js";
import { notVerifiedSummary, type RotationClock, rotateInTurn, rotationResult } from "./in-turn.js";
import { RotationStepLog } from "./step-log.js";
import type { RotationOptions, RotationOutcome, RotationResult } from "./types.js";
import { updateThenReadBack } from "./update-read-back.js";

/** The part of GitpodClient this protocol needs; GitpodClient satisfies it. */
export interface HostTokenRotationApi {
  hostAuthenticationTokens: {
    get(request: { id: string }, options?: CallOptions): Promise<HostAuthenticationToken>;
    update(request: UpdateHostAuthenticationTokenRequest, options?: CallOptions): Promise<unknown>;
  };
}

export interface HostTokenRotationRequest {
  tokenId: string;
  /** The new token in clear text. Never logged, never in the result. */
  token: string;
  refreshToken?: string;
  /** RFC 3339; sent with the token when given (a new token usually has a new expiry). */
  expiresAt?: string;
}

const NOT_TESTABLE = "skipped: the API has no call that tests a host token before it is stored";

export function tokenOwnerText(token: Pick<HostAuthenticationToken, "subject" | "userId">): string {
  if (isServiceAccountToken(token)) return `service account ${token.subject?.id}`;
  const user = token.subject?.id || token.userId;
  return user ? `user ${user}` : "an unknown owner";
}

export async function rotateHostToken(
  api: HostTokenRotationApi,
  request: HostTokenRotationRequest,
  options: RotationOptions = {},
): Promise<RotationResult> {
  return rotateInTurn(`host-token:${request.tokenId}`, options, (clock) =>
    new HostTokenRotation(api, request, options, clock).execute(),
  );
}

class HostTokenRotation {
  readonly #steps: RotationStepLog;
  #token: HostAuthenticationToken | undefined;

  constructor(
    private readonly api: HostTokenRotationApi,
    private readonly request: HostTokenRotationRequest,
    private readonly options: RotationOptions,
    private readonly clock: RotationClock,
  ) {
    this.#steps = new RotationStepLog([request.token, request.refreshToken ?? ""]);
  }

  async execute(): Promise<RotationResult> {
    const call = signalOption(this.options.signal);
    const read = await this.#steps.run("read", async () => {
      this.#token = await this.api.hostAuthenticationTokens.get({ id: this.request.tokenId }, call);
      return { ok: true, detail: `read the token of ${tokenOwnerText(this.#token)} for ${this.#token.host}` };
    });
    if (!read) return this.#finish("failed", false, "Could not read the host token; nothing was changed.");
    if (!this.request.token.trim()) {
      this.#steps.record("test", "failed", "the new token is empty", 0);
      return this.#finish("failed", false, "The new token is empty; nothing was changed.");
    }
    this.#steps.record("test", "skipped", NOT_TESTABLE, 0);
    if (this.options.dryRun) {
      return this.#finish(
        "dry-run",
        false,
        "Dry run: the token exists in Gitpod; a host token cannot be tested before it is stored, so nothing was tested or changed.",
      );
    }

    const update: UpdateHostAuthenticationTokenRequest = {
      id: this.request.tokenId,
      token: this.request.token,
    };
    if (this.request.refreshToken) update.refreshToken = this.request.refreshToken;
    if (this.request.expiresAt) update.expiresAt = this.request.expiresAt;
    const outcome = await updateThenReadBack(this.#steps, {
      update: async () => {
        await this.api.hostAuthenticationTokens.update(update, call);
        return `stored the new token${this.request.expiresAt ? ` (expires ${this.request.expiresAt})` : ""}`;
      },
      readBack: async () => {
        const stored = await this.api.hostAuthenticationTokens.get({ id: this.request.tokenId }, call);
        if (
          this.request.expiresAt &&
          Date.parse(stored.expiresAt ?? "") !== Date.parse(this.request.expiresAt)
        ) {
          return {
            ok: false,
            detail: `the read-back shows expiry ${stored.expiresAt || "(none)"}, not ${this.request.expiresAt}`,
          };
        }
        return {
          ok: true,
          detail: "the token is still there with the expiry sent; its value cannot be read back to compare",
        };
      },
    });
    if (outcome === "refused")
      return this.#finish("failed", false, "The update was refused; the stored token is unchanged.");
    if (outcome === "no-answer") {
      return this.#finish(
        "unknown",
        "unknown",
        "The update got no answer and Gitpod never shows a token's value, so whether the new token is stored is unknown: run the rotation again (it is safe to repeat).",
      );
    }
    if (outcome === "not-verified") {
      return this.#finish("unverified", true, notVerifiedSummary(this.#steps, "token"));
    }
    return this.#finish("rotated", true, "Rotated: the new token is stored (its value cannot be read back).");
  }

  #finish(outcome: RotationOutcome, changed: boolean | "unknown", summary: string): RotationResult {
    const token = this.#token;
    const result = rotationResult(this.clock, this.#steps, token?.integrationId ?? "", {
      outcome,
      changed,
      summary,
    });
    result.tokenId = this.request.tokenId;
    if (token) result.tokenOwner = tokenOwnerText(token);
    if (token?.runnerId) result.runnerId = token.runnerId;
    if (token?.host) result.host = token.host;
    return result;
  }
}
