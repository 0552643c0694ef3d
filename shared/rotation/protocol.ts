/**
 * The credential-rotation protocol for one SCM integration's OAuth client secret:
 * 1. read the integration; 2. test the new credentials (ValidateRunnerConfiguration with the
 * plaintext secret), stopping with nothing changed when they are invalid; 3. update;
 * 4. verify: read back (the encrypted secret changed) and validate the stored encrypted secret.
 * Every step's outcome ends up in the result; the secret never does.
 */
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import { signalOption } from "../api/transport.js";
import { notVerifiedSummary, type RotationClock, rotateInTurn, rotationResult } from "./in-turn.js";
import { RotationStepLog } from "./step-log.js";
import type {
  RotationApi,
  RotationOptions,
  RotationOutcome,
  RotationRequest,
  RotationResult,
} from "./types.js";
import { scmValidationInput } from "./validate-stored.js";
import { describeScmValidation, type ScmValidationDescription } from "./validation-in-words.js";

/** Rotate (or, with dryRun, only test) an integration's OAuth credentials. Never throws for API errors. */
export async function rotateScmCredentials(
  api: RotationApi,
  request: RotationRequest,
  options: RotationOptions = {},
): Promise<RotationResult> {
  return rotateInTurn(request.integrationId, options, (clock) =>
    new RotationRun(api, request, options, clock).execute(),
  );
}

class RotationRun {
  readonly #steps: RotationStepLog;
  #integration: ScmIntegration | undefined;
  #newCredentials: ScmValidationDescription | undefined;
  #storedCredentials: ScmValidationDescription | undefined;

  constructor(
    private readonly api: RotationApi,
    private readonly request: RotationRequest,
    private readonly options: RotationOptions,
    private readonly clock: RotationClock,
  ) {
    this.#steps = new RotationStepLog([request.clientSecret]);
  }

  async execute(): Promise<RotationResult> {
    const call = signalOption(this.options.signal);
    const before = await this.#steps.run("read", async () => {
      const integration = await this.api.scmIntegrations.get({ id: this.request.integrationId }, call);
      this.#integration = integration;
      return {
        ok: true,
        detail: `read ${integration.host ?? "the integration"} (${integration.scmId ?? "scm"})`,
      };
    });
    if (!before) return this.#finish("failed", false, "Could not read the integration; nothing was changed.");
    const integration = this.#integration as ScmIntegration;

    const clientId = this.#clientId();
    if (!clientId) {
      this.#steps.record("test", "failed", "no OAuth client id: the integration has none and none was given");
      return this.#finish("failed", false, "No OAuth client id to rotate; nothing was changed.");
    }
    if (!this.request.clientSecret.trim()) {
      this.#steps.record("test", "failed", "the new client secret is empty");
      return this.#finish("failed", false, "The new client secret is empty; nothing was changed.");
    }

    let rejected = false;
    const tested = await this.#steps.run("test", async () => {
      const response = await this.api.validate(
        {
          runnerId: integration.runnerId,
          scmIntegration: {
            ...scmValidationInput(integration, clientId),
            oauthPlaintextClientSecret: this.request.clientSecret,
          },
        },
        call,
      );
      this.#newCredentials = describeScmValidation(response.scmIntegration);
      rejected = !this.#newCredentials.valid;
      return {
        ok: this.#newCredentials.valid,
        detail: this.#newCredentials.valid ? "the new credentials are valid" : this.#newCredentials.summary,
      };
    });
    if (!tested) {
      return rejected
        ? this.#finish(
            "rejected",
            false,
            `The new credentials were refused: ${this.#newCredentials?.summary}. Nothing was changed.`,
          )
        : this.#finish("failed", false, "Could not test the new credentials; nothing was changed.");
    }
    if (this.options.dryRun) {
      return this.#finish("dry-run", false, "Dry run: the new credentials are valid; nothing was changed.");
    }

    const previousSecret = integration.oauth?.encryptedClientSecret;
    const updated = await this.#steps.run("update", async () => {
      await this.api.scmIntegrations.update(
        {
          id: integration.id,
          oauthClientId: clientId,
          oauthPlaintextClientSecret: this.request.clientSecret,
        },
        call,
      );
      const app = this.#appChange();
      return {
        ok: true,
        detail: app ? `stored the new secret and changed ${appChangeWords(app)}` : "stored the new secret",
      };
    });
    let after: ScmIntegration | undefined;
    if (!updated) {
      // The update may have happened even though the call failed (e.g. a timeout): look before judging.
      after = await this.#readBackQuietly();
      if (after === undefined) {
        return this.#finish(
          "unknown",
          "unknown",
          "The update failed and its effect could not be checked: re-read the integration before retrying.",
        );
      }
      if (!this.#secretChanged(previousSecret, after)) {
        return this.#finish("failed", false, "The update failed; the stored secret is unchanged.");
      }
      this.#steps.record(
        "update",
        "ok",
        `${this.#steps.detail("update")}, yet the read-back shows the new secret stored`,
        0,
      );
    }

    const verified = await this.#steps.run("verify", async () => {
      const stored = after ?? (await this.api.scmIntegrations.get({ id: integration.id }, call));
      if (!this.#secretChanged(previousSecret, stored)) {
        return { ok: false, detail: "the read-back shows the stored secret did not change" };
      }
      if (stored.oauth?.clientId !== clientId) {
        return { ok: false, detail: "the read-back shows a different client id than the one stored" };
      }
      const response = await this.api.validate(
        {
          runnerId: stored.runnerId,
          scmIntegration: {
            ...scmValidationInput(stored, clientId),
            oauthEncryptedClientSecret: stored.oauth?.encryptedClientSecret,
          },
        },
        call,
      );
      this.#storedCredentials = describeScmValidation(response.scmIntegration);
      return {
        ok: this.#storedCredentials.valid,
        detail: this.#storedCredentials.valid
          ? "the stored secret changed and validates"
          : `the stored secret does not validate: ${this.#storedCredentials.summary}`,
      };
    });
    if (!verified) {
      return this.#finish("unverified", true, notVerifiedSummary(this.#steps, "integration"));
    }
    return this.#finish("rotated", true, "Rotated: the new secret is stored and validates.");
  }

  #clientId(): string | undefined {
    const given = this.request.clientId?.trim();
    return given || this.#integration?.oauth?.clientId || undefined;
  }

  /** The OAuth app this rotation stores, when it is not the one the integration had. */
  #appChange(): AppChange | undefined {
    const from = this.#integration?.oauth?.clientId;
    const to = this.#clientId();
    if (!to || to === from) return undefined;
    return from ? { from, to } : { to };
  }

  #secretChanged(previous: string | undefined, after: ScmIntegration): boolean {
    const current = after.oauth?.encryptedClientSecret;
    return Boolean(current) && current !== previous;
  }

  async #readBackQuietly(): Promise<ScmIntegration | undefined> {
    try {
      return await this.api.scmIntegrations.get(
        { id: this.request.integrationId },
        signalOption(this.options.signal),
      );
    } catch {
      return undefined;
    }
  }

  #finish(outcome: RotationOutcome, changed: boolean | "unknown", summary: string): RotationResult {
    const integration = this.#integration;
    const appChange = this.#appChange();
    const result = rotationResult(this.clock, this.#steps, this.request.integrationId, {
      outcome,
      changed,
      // A change of app is always named, never folded into "rotated the secret".
      summary: appChange
        ? `${summary} ${changed === true ? "It also changed" : changed === "unknown" ? "The update would also change" : "It would also have changed"} ${appChangeWords(appChange)}.`
        : summary,
    });
    if (integration?.runnerId) result.runnerId = integration.runnerId;
    if (integration?.scmId) result.scmId = integration.scmId;
    if (integration?.host) result.host = integration.host;
    const clientId = this.#clientId();
    if (clientId) result.clientId = clientId;
    if (integration?.oauth?.clientId) result.previousClientId = integration.oauth.clientId;
    if (this.#newCredentials) result.newCredentials = this.#newCredentials;
    if (this.#storedCredentials) result.storedCredentials = this.#storedCredentials;
    return result;
  }
}

interface AppChange {
  from?: string;
  to: string;
}

/** "the OAuth client id from a to b" ("from none" where the integration had none). */
function appChangeWords(change: AppChange): string {
  return `the OAuth client id from ${change.from ?? "none"} to ${change.to}`;
}
