/** Reads what the runners have now: schema, environment classes and SCM integrations (all pages). */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import type {
  EnvironmentClass,
  HostAuthenticationToken,
  RunnerConfigurationSchema,
  ScmIntegration,
} from "../api/schemas.js";
import { environmentClassSync } from "./environment-classes.js";
import { hostTokenSync } from "./host-tokens.js";
import { scmIntegrationSync } from "./scm-integrations.js";

export interface RunnerState {
  runnerId: string;
  /** Undefined when the runner reported none (the spec makes it optional). */
  schema: RunnerConfigurationSchema | undefined;
  environmentClasses: EnvironmentClass[];
  scmIntegrations: ScmIntegration[];
  /** Host tokens, read only for runners whose file entry declares service-account tokens. */
  hostAuthenticationTokens?: HostAuthenticationToken[];
  /** What the product could not read and how it degrades, in words (shown in the plan). */
  notes?: string[];
}

export interface CurrentState {
  runners: Map<string, RunnerState>;
  /** Runners the API does not know (their schema read answered not_found). */
  missing: string[];
}

/** One schema read per runner and, in parallel, each runner's pages of each list. */
export async function readCurrentState(
  client: GitpodClient,
  runnerIds: string[],
  tokenRunnerIds: readonly string[] = [],
): Promise<CurrentState> {
  const missing: string[] = [];
  const schemaOf = (runnerId: string) =>
    client.schema.get({ runnerId }).catch((error: unknown) => {
      if (error instanceof GitpodApiError && error.code === "not_found") {
        missing.push(runnerId);
        return undefined;
      }
      throw error;
    });
  const [schemas, classes, listed, tokens] = await Promise.all([
    Promise.all(runnerIds.map(schemaOf)),
    environmentClassSync.list(client, runnerIds),
    scmIntegrationSync.list(client, runnerIds),
    hostTokenSync.list(
      client,
      runnerIds.filter((id) => tokenRunnerIds.includes(id)),
    ),
  ]);
  const states = new Map<string, RunnerState>();
  runnerIds.forEach((runnerId, index) => {
    states.set(runnerId, {
      runnerId,
      schema: schemas[index],
      environmentClasses: [],
      scmIntegrations: [],
      ...(tokenRunnerIds.includes(runnerId) ? { hostAuthenticationTokens: [] } : {}),
    });
  });
  // An integration listed without its runner id cannot be placed: ask runner by runner, so the
  // client can fill it in from the one-runner filter.
  const integrations =
    runnerIds.length > 1 && listed.some((integration) => integration.runnerId === "")
      ? (await Promise.all(runnerIds.map((runnerId) => scmIntegrationSync.list(client, [runnerId])))).flat()
      : listed;
  for (const environmentClass of classes)
    states.get(environmentClass.runnerId)?.environmentClasses.push(environmentClass);
  for (const integration of integrations) states.get(integration.runnerId)?.scmIntegrations.push(integration);
  for (const token of tokens) states.get(token.runnerId ?? "")?.hostAuthenticationTokens?.push(token);
  return { runners: states, missing };
}

/** Host authentication tokens per runner, read only for runners where a plan would delete some. */
export async function readHostTokens(
  client: GitpodClient,
  runnerIds: string[],
): Promise<Map<string, HostAuthenticationToken[]>> {
  const entries = await Promise.all(
    runnerIds.map(
      async (runnerId) =>
        [runnerId, await client.hostAuthenticationTokens.list({ filter: { runnerId } }).toArray()] as const,
    ),
  );
  return new Map(entries);
}
