/**
 * SCM integrations: its part of the file format (file-format.ts: entries, loading, JSON Schema, export; no API
 * calls), its operation (operation.ts) and its read/plan/validate/apply (sync.ts). The registry
 * (../registry.ts) lists it.
 */
export type { ScmIntegrationOperation } from "./operation.js";
export { scmIntegrationKind } from "./sync.js";
