/** Reads what export needs: the runners' classes and integrations (all pages), or every runner's. */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import type { ExportRunnerState } from "./export.js";

export class UnknownRunnerError extends Error {}

/** `runnerIds` undefined: every runner that has at least one environment class or SCM integration. */
export async function readExportState(
  client: GitpodClient,
  runnerIds: string[] | undefined,
): Promise<ExportRunnerState[]> {
  if (runnerIds) {
    // The schema read is the one call that says whether a runner exists.
    await Promise.all(
      runnerIds.map((runnerId) =>
        client.schema.get({ runnerId }).catch((error: unknown) => {
          if (error instanceof GitpodApiError && error.code === "not_found") {
            throw new UnknownRunnerError(`runner ${runnerId} was not found (or this token cannot see it)`);
          }
          throw error;
        }),
      ),
    );
  }
  const filter = runnerIds ? { runnerIds } : {};
  const [classes, integrations] = await Promise.all([
    client.environmentClasses.list({ filter }).toArray(),
    client.scmIntegrations.list({ filter }).toArray(),
  ]);
  const ids = runnerIds ?? [
    ...new Set([...classes.map((c) => c.runnerId ?? ""), ...integrations.map((i) => i.runnerId ?? "")]),
  ];
  const states = new Map<string, ExportRunnerState>(
    ids.map((runnerId) => [runnerId, { runnerId, environmentClasses: [], scmIntegrations: [] }]),
  );
  for (const environmentClass of classes)
    states.get(environmentClass.runnerId ?? "")?.environmentClasses.push(environmentClass);
  for (const integration of integrations)
    states.get(integration.runnerId ?? "")?.scmIntegrations.push(integration);
  return [...states.values()];
}
