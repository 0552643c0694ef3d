/**
 * What the file's reading speaks of, whatever the kinds: problems with their place, field lines, and
 * a runner's entry. The desired state, with one list per kind, is built from the registry in
 * desired-state.ts.
 */

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `runners[0].scmIntegrations[1].host`. */
  path: string;
  message: string;
}

/** Line numbers by field name (`displayName`, `configuration.diskSize`, `oauth.clientSecret`, ...). */
export type FieldLines = Record<string, number>;

/** A runner's entry in the file without its lists (desired-state.ts adds one per kind). */
export interface RunnerEntry {
  /** The file this runner is configured in (several files may make up one desired state). */
  file: string;
  id: string;
  name: string | undefined;
  path: string;
  line: number;
}
