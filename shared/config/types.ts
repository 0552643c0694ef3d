/** The desired state read from a runner-config file, with the file line of every field. */
import type { ResourceKinds } from "../kinds/registry.js";

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

/**
 * A runner's items, one list per resource kind under the kind's key in the file
 * (`environmentClasses: DesiredEnvironmentClass[]`, ...): derived from the registry (kinds/registry.ts).
 */
type DesiredObjects = {
  [K in keyof ResourceKinds as ResourceKinds[K]["file"]["key"]]: Array<
    NonNullable<ReturnType<ResourceKinds[K]["file"]["loadEntry"]>>
  >;
};

export type DesiredRunner = DesiredObjects & {
  /** The file this runner is configured in (several files may make up one desired state). */
  file: string;
  id: string;
  name: string | undefined;
  path: string;
  line: number;
};

export interface DesiredState {
  /** The file, or the files joined with ", " when several make up the state. */
  file: string;
  runners: DesiredRunner[];
}
