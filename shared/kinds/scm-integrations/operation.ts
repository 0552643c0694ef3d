import type { OperationBase } from "../../sync/plan-base.js";

/** What a plan does to one SCM integration; the OAuth secret is named by its variable, never by value. */
export interface ScmIntegrationOperation extends OperationBase {
  kind: "scmIntegration";
  desired?: {
    scmId: string;
    host: string;
    pat: boolean;
    virtualDirectory?: string;
    oauth?: { clientId: string; clientSecretEnv: string; issuerUrl?: string };
  };
  /** The OAuth secret is sent (create, new client id, rotation): it cannot be read back to compare. */
  sendSecret?: boolean;
  /** Removes the OAuth configuration (sends an empty client id). */
  clearOAuth?: boolean;
  /** Which fields an update sends. */
  updateFields?: Array<"pat" | "virtualDirectory" | "issuerUrl" | "oauth">;
}
