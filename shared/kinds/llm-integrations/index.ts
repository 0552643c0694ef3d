/**
 * LLM integrations: its part of the file format (file-format.ts: entries, loading, JSON Schema,
 * export; no API calls), its operation (operation.ts) and its read/plan/apply (sync.ts). The
 * registry (../registry.ts) lists it.
 */
export type { LlmIntegrationOperation } from "./operation.js";
export { llmIntegrationKind } from "./sync.js";
