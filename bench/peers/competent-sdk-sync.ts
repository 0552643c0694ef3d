/**
 * The competent peer for the sync benchmarks: what a careful team writes on the official
 * `@gitpod/sdk` without this tool. Every runner's lists are read at once, every missing item is
 * validated with ValidateRunnerConfiguration before anything is written (nothing is written if one
 * is invalid), then the creates run. Validations and writes use the same widths as our engine
 * (`validationWidth`, `writeConcurrency`), so a difference is the engine's work, not its concurrency.
 */
import { randomUUID } from "node:crypto";
import Gitpod from "@gitpod/sdk";
import type { NaiveDesiredState } from "./naive-sdk-sync.js";

export interface CompetentPeerOptions {
  writeConcurrency: number;
  validationWidth: number;
}

export interface CompetentSyncResult {
  created: number;
  validated: number;
}

/** At most `width` tasks in flight; results in input order. */
async function eachLimited<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return results;
}

type Runner = NaiveDesiredState["runners"][number];
type Missing =
  | { kind: "class"; runnerId: string; item: Runner["environmentClasses"][number] }
  | { kind: "scm"; runnerId: string; item: Runner["scmIntegrations"][number] };

export async function competentSdkSync(
  baseURL: string,
  bearerToken: string,
  desired: NaiveDesiredState,
  options: CompetentPeerOptions,
): Promise<CompetentSyncResult> {
  const client = new Gitpod({ baseURL, bearerToken, maxRetries: 2 });
  const configurations = client.runners.configurations;

  // Reads: every runner's two lists at once (each list walks its own pages).
  const perRunner = await Promise.all(
    desired.runners.map(async (runner) => {
      const [classes, integrations] = await Promise.all([
        (async () => {
          const names = new Set<string>();
          for await (const c of configurations.environmentClasses.list({
            filter: { runnerIds: [runner.id] },
            pageSize: 100,
          }))
            names.add(c.displayName ?? "");
          return names;
        })(),
        (async () => {
          const keys = new Set<string>();
          for await (const i of configurations.scmIntegrations.list({
            filter: { runnerIds: [runner.id] },
            pageSize: 100,
          }))
            keys.add(`${i.scmId}|${i.host}`);
          return keys;
        })(),
      ]);
      const missing: Missing[] = [
        ...runner.environmentClasses
          .filter((c) => !classes.has(c.displayName))
          .map((item) => ({ kind: "class" as const, runnerId: runner.id, item })),
        ...runner.scmIntegrations
          .filter((i) => !integrations.has(`${i.scmId}|${i.host}`))
          .map((item) => ({ kind: "scm" as const, runnerId: runner.id, item })),
      ];
      return missing;
    }),
  );
  const missing = perRunner.flat();

  // Validate everything first; write nothing if anything is invalid.
  const verdicts = await eachLimited(missing, options.validationWidth, async (entry) => {
    const response =
      entry.kind === "class"
        ? await configurations.validate({
            runnerId: entry.runnerId,
            environmentClass: {
              // The SDK's EnvironmentClass requires an id: a fresh one for a class not yet created.
              id: randomUUID(),
              runnerId: entry.runnerId,
              displayName: entry.item.displayName,
              description: entry.item.description,
              configuration: Object.entries(entry.item.configuration).map(([key, value]) => ({ key, value })),
            },
          })
        : await configurations.validate({
            runnerId: entry.runnerId,
            scmIntegration: {
              scmId: entry.item.scmId,
              host: entry.item.host,
              pat: entry.item.pat,
              ...(entry.item.oauth
                ? {
                    oauthClientId: entry.item.oauth.clientId,
                    oauthPlaintextClientSecret: entry.item.oauth.clientSecret,
                  }
                : {}),
            },
          });
    return (response.environmentClass ?? response.scmIntegration)?.valid === true;
  });
  const invalid = verdicts.filter((valid) => !valid).length;
  if (invalid > 0) throw new Error(`competent peer: ${invalid} item(s) invalid, nothing written`);

  await eachLimited(missing, options.writeConcurrency, async (entry) => {
    if (entry.kind === "class") {
      await configurations.environmentClasses.create({
        runnerId: entry.runnerId,
        displayName: entry.item.displayName,
        description: entry.item.description,
        configuration: Object.entries(entry.item.configuration).map(([key, value]) => ({ key, value })),
      });
    } else {
      await configurations.scmIntegrations.create({
        runnerId: entry.runnerId,
        scmId: entry.item.scmId,
        host: entry.item.host,
        pat: entry.item.pat,
        ...(entry.item.oauth
          ? {
              oauthClientId: entry.item.oauth.clientId,
              oauthPlaintextClientSecret: entry.item.oauth.clientSecret,
            }
          : {}),
      });
    }
  });
  return { created: missing.length, validated: missing.length };
}
