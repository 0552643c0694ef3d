/**
 * Service accounts' host authentication tokens: its part of the file format (file-format.ts: entries, loading, JSON Schema, export; no API
 * calls), its operation (operation.ts) and its read/plan/validate/apply (sync.ts). The registry
 * (../registry.ts) lists it.
 */
export type { HostAuthenticationTokenOperation } from "./operation.js";
export { hostAuthenticationTokenKind } from "./sync.js";
