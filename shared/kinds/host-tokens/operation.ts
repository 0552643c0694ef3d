import type { OperationBase } from "../../sync/plan-base.js";

/** What a plan does to one service account's host token; the token is named by its variable, never by value. */
export interface HostAuthenticationTokenOperation extends OperationBase {
  kind: "hostAuthenticationToken";
  desired?: {
    host: string;
    serviceAccount: string;
    tokenEnv: string;
    refreshTokenEnv?: string;
    expiresAt?: string;
    scopes?: string[];
    /** The live SCM integration's id the token links to, when the file names one. */
    integrationId?: string;
    /** Its scmId, when the integration does not exist yet (the same apply creates it). */
    integration?: string;
  };
  /** The token is sent (create, rotation, new expiry): it cannot be read back to compare. */
  sendToken?: boolean;
  /** Which non-secret fields an update sends. */
  updateFields?: Array<"expiresAt" | "scopes">;
}
