/**
 * Environment classes: its part of the file format (file-format.ts: entries, loading, JSON Schema, export; no API
 * calls), its operation (operation.ts) and its read/plan/validate/apply (sync.ts). The registry
 * (../registry.ts) lists it.
 */
export type { EnvironmentClassOperation } from "./operation.js";
export { environmentClassKind } from "./sync.js";
