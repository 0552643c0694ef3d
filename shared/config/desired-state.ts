/**
 * The desired state read from runner-config files: each runner's entry with one list per resource
 * kind, derived from the registry (kinds/registry.ts). The kinds see only their own list
 * (ResourceKind's KindRunner), so nothing a kind imports depends on this file.
 */
import type { ResourceKinds } from "../kinds/registry.js";
import type { RunnerEntry } from "./types.js";

/**
 * A runner's items, one list per resource kind under the kind's key in the file
 * (`environmentClasses: DesiredEnvironmentClass[]`, ...).
 */
type DesiredObjects = {
  [K in keyof ResourceKinds as ResourceKinds[K]["file"]["key"]]: Array<
    NonNullable<ReturnType<ResourceKinds[K]["file"]["loadEntry"]>>
  >;
};

export type DesiredRunner = DesiredObjects & RunnerEntry;

export interface DesiredState {
  /** The file, or the files joined with ", " when several make up the state. */
  file: string;
  runners: DesiredRunner[];
}
