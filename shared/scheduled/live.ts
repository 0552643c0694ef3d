/** Reads of the live state the scheduled modes need: every page, for the managed runners only. */
import { sameHost } from "../api/matching.js";
import { collectEveryPage } from "../api/pagination.js";
import type { HostAuthenticationToken, ScmIntegration } from "../api/schemas.js";
import type { CallOptions } from "../api/transport.js";
import type { ScheduledApi } from "./types.js";

export async function listIntegrations(
  api: ScheduledApi,
  runnerIds: readonly string[],
  options: CallOptions = {},
): Promise<ScmIntegration[]> {
  if (runnerIds.length === 0) return [];
  return collectEveryPage(api.scmIntegrations.list({ filter: { runnerIds: [...runnerIds] } }, options));
}

export async function listRunnerTokens(
  api: ScheduledApi,
  runnerId: string,
  options: CallOptions = {},
): Promise<HostAuthenticationToken[]> {
  return collectEveryPage(api.hostAuthenticationTokens.list({ filter: { runnerId } }, options));
}

type FileEntry = { runnerId: string; scmId: string; host: string };

/** Whether a live integration is the one a file entry describes: same runner, scmId and host. */
export function describes(
  entry: FileEntry,
  integration: Pick<ScmIntegration, "runnerId" | "scmId" | "host">,
): boolean {
  return (
    integration.runnerId === entry.runnerId &&
    integration.scmId === entry.scmId &&
    sameHost(integration.host, entry.host)
  );
}

/** The live integration a file entry describes. */
export function findLive(live: readonly ScmIntegration[], wanted: FileEntry): ScmIntegration | undefined {
  return live.find((item) => describes(wanted, item));
}

/** Unique runner ids, in first-seen order. */
export function uniqueRunnerIds(items: readonly { runnerId: string }[]): string[] {
  return [...new Set(items.map((item) => item.runnerId))];
}
