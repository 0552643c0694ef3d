/**
 * The scheduled modes' matching of live objects to the file's entries (the reads themselves are
 * shared/api/live-reads.ts).
 */
import { sameHost } from "../api/matching.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";

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
