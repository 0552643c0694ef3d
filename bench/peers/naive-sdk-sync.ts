/**
 * The naive peer for the sync benchmarks: what a team writes without this tool. A straightforward
 * sequential script on the official `@gitpod/sdk`: for each runner, list its objects (every page,
 * the SDK's default page size), then create the missing ones one at a time.
 */
import Gitpod from "@gitpod/sdk";

export interface NaiveDesiredState {
  runners: Array<{
    id: string;
    environmentClasses: Array<{
      displayName: string;
      description: string;
      configuration: Record<string, string>;
    }>;
    scmIntegrations: Array<{
      scmId: string;
      host: string;
      pat: boolean;
      oauth?: { clientId: string; clientSecret: string };
    }>;
  }>;
}

export interface NaiveSyncResult {
  created: number;
}

export async function naiveSdkSync(
  baseURL: string,
  bearerToken: string,
  desired: NaiveDesiredState,
): Promise<NaiveSyncResult> {
  const client = new Gitpod({ baseURL, bearerToken, maxRetries: 2 });
  const configurations = client.runners.configurations;
  let created = 0;
  for (const runner of desired.runners) {
    const existingClasses = new Set<string>();
    for await (const environmentClass of configurations.environmentClasses.list({
      filter: { runnerIds: [runner.id] },
    })) {
      existingClasses.add(environmentClass.displayName ?? "");
    }
    const existingIntegrations = new Set<string>();
    for await (const integration of configurations.scmIntegrations.list({
      filter: { runnerIds: [runner.id] },
    })) {
      existingIntegrations.add(`${integration.scmId}|${integration.host}`);
    }
    for (const environmentClass of runner.environmentClasses) {
      if (existingClasses.has(environmentClass.displayName)) continue;
      await configurations.environmentClasses.create({
        runnerId: runner.id,
        displayName: environmentClass.displayName,
        description: environmentClass.description,
        configuration: Object.entries(environmentClass.configuration).map(([key, value]) => ({ key, value })),
      });
      created++;
    }
    for (const integration of runner.scmIntegrations) {
      if (existingIntegrations.has(`${integration.scmId}|${integration.host}`)) continue;
      await configurations.scmIntegrations.create({
        runnerId: runner.id,
        scmId: integration.scmId,
        host: integration.host,
        pat: integration.pat,
        ...(integration.oauth
          ? {
              oauthClientId: integration.oauth.clientId,
              oauthPlaintextClientSecret: integration.oauth.clientSecret,
            }
          : {}),
      });
      created++;
    }
  }
  return { created };
}
