import type { OperationBase } from "../../sync/plan-base.js";

/**
 * What a plan does to one LLM integration. The API key and literal header values are named by their
 * variables, never by value.
 */
export interface LlmIntegrationOperation extends OperationBase {
  kind: "llmIntegration";
  desired?: {
    endpoint: string;
    models: string[];
    apiKeyEnv: string;
    maxTokens: number;
    /** The full list an update sends when `requestHeaders` is among its fields. */
    requestHeaders?: Array<{ name: string; valueEnv?: string; celExpression?: string }>;
    enabled: boolean;
  };
  /**
   * The key is sent: on create (it is stored encrypted and cannot be compared). An update with it
   * set sends the key too, so a rotation path (`rotate-secrets`) only has to set it.
   */
  sendApiKey?: boolean;
  /** Which fields an update sends (a create sends what CreateLLMIntegration takes, then these). */
  updateFields?: Array<"endpoint" | "models" | "maxTokens" | "requestHeaders" | "phase">;
}
