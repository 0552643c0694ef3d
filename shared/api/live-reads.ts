/**
 * Reading what runners have now, for every reader (the plan and apply, export, scheduled rotation,
 * the health check, the bot): every page of a list, one page walk per runner with all walks at
 * once, and only objects that belong to the runners asked for. The API filters by runner; an answer
 * holding another runner's object (a server bug, a proxy mixing answers) must not make any face act
 * on it, so the rule is here once rather than in each face.
 */
import type { GitpodClient } from "./client.js";
import { describeApiError } from "./error-in-words.js";
import { collectEveryPage } from "./pagination.js";
import type { EnvironmentClass } from "./resources/environment-classes.wire.js";
import type { HostAuthenticationToken } from "./resources/host-authentication-tokens.wire.js";
import type { LlmIntegration } from "./resources/llm-integrations.wire.js";
import type { ScmIntegration } from "./resources/scm-integrations.wire.js";
import type { CallOptions } from "./transport.js";

/** The list reads, as GitpodClient has them: a caller asks only for the ones it uses. */
export type IntegrationReads = { scmIntegrations: Pick<GitpodClient["scmIntegrations"], "list"> };
export type HostTokenReads = {
  hostAuthenticationTokens: Pick<GitpodClient["hostAuthenticationTokens"], "list">;
};
type LlmIntegrationReads = { llmIntegrations: Pick<GitpodClient["llmIntegrations"], "list"> };
type EnvironmentClassReads = {
  environmentClasses: Pick<GitpodClient["environmentClasses"], "list">;
};

/**
 * Whether an object read for `runnerIds` is one of theirs. An object without a runner id (a host
 * token's is optional) is the one the filter asked for; one naming any other runner, or an empty
 * id the client could not fill in, is not.
 */
export function belongsTo(object: { runnerId?: string | undefined }, runnerIds: readonly string[]): boolean {
  return object.runnerId === undefined || runnerIds.includes(object.runnerId);
}

/**
 * One page walk per runner, all at once. A single walk with every runner id in the filter needs one
 * round trip per page in series (10,000 objects = 100 pages one after another); per runner the
 * depth is that runner's own page count.
 */
export async function readEachRunner<T>(
  runnerIds: readonly string[],
  readRunner: (runnerId: string) => Promise<T[]>,
): Promise<T[]> {
  const perRunner = await Promise.all(runnerIds.map(readRunner));
  return perRunner.flat();
}

/**
 * Like readEachRunner, kept per runner: a runner whose read failed holds the failure in words, so
 * one runner's outage is reported on its own items while the others go on.
 */
export async function readEachRunnerOrError<T>(
  runnerIds: readonly string[],
  readRunner: (runnerId: string) => Promise<T[]>,
): Promise<Map<string, T[] | { error: string }>> {
  const perRunner = new Map<string, T[] | { error: string }>();
  await Promise.all(
    runnerIds.map(async (runnerId) => {
      try {
        perRunner.set(runnerId, await readRunner(runnerId));
      } catch (error) {
        perRunner.set(runnerId, { error: describeApiError(error).text });
      }
    }),
  );
  return perRunner;
}

/** Every page of a list that names one runner, keeping only that runner's objects. */
async function ofRunner<T extends { runnerId?: string | undefined }>(
  items: AsyncIterable<T>,
  runnerId: string,
): Promise<T[]> {
  return (await collectEveryPage(items)).filter((item) => belongsTo(item, [runnerId]));
}

/** A runner's environment classes (every page). */
export function environmentClassesOfRunner(
  api: EnvironmentClassReads,
  runnerId: string,
  options?: CallOptions,
): Promise<EnvironmentClass[]> {
  return ofRunner(api.environmentClasses.list({ filter: { runnerIds: [runnerId] } }, options), runnerId);
}

/** A runner's SCM integrations (every page; the client fills in a runner id the API left out). */
export function integrationsOfRunner(
  api: IntegrationReads,
  runnerId: string,
  options?: CallOptions,
): Promise<ScmIntegration[]> {
  return ofRunner(api.scmIntegrations.list({ filter: { runnerIds: [runnerId] } }, options), runnerId);
}

/** A runner's host authentication tokens, users' and service accounts' (every page). */
export function hostTokensOfRunner(
  api: HostTokenReads,
  runnerId: string,
  options?: CallOptions,
): Promise<HostAuthenticationToken[]> {
  return ofRunner(api.hostAuthenticationTokens.list({ filter: { runnerId } }, options), runnerId);
}

/** A runner's LLM integrations (every page; the client fills in a runner id the API left out). */
export function llmIntegrationsOfRunner(
  api: LlmIntegrationReads,
  runnerId: string,
  options?: CallOptions,
): Promise<LlmIntegration[]> {
  return ofRunner(api.llmIntegrations.list({ filter: { runnerIds: [runnerId] } }, options), runnerId);
}

/**
 * The SCM integrations of several runners in one walk (a runner has a handful, so one walk is one
 * page), keeping only theirs. None for no runners: an empty filter would list every runner's.
 */
export async function integrationsOfRunners(
  api: IntegrationReads,
  runnerIds: readonly string[],
  options?: CallOptions,
): Promise<ScmIntegration[]> {
  if (runnerIds.length === 0) return [];
  const together = await collectEveryPage(
    api.scmIntegrations.list({ filter: { runnerIds: [...runnerIds] } }, options),
  );
  // An integration listed without its runner id cannot be placed: ask runner by runner, so the
  // client fills it in from the one-runner filter.
  const integrations =
    runnerIds.length > 1 && together.some((integration) => integration.runnerId === "")
      ? await readEachRunner(runnerIds, (runnerId) => integrationsOfRunner(api, runnerId, options))
      : together;
  return integrations.filter((integration) => belongsTo(integration, runnerIds));
}

/** Every runner's environment classes, with no runner filter (export of every runner). */
export function everyEnvironmentClass(api: EnvironmentClassReads): Promise<EnvironmentClass[]> {
  return collectEveryPage(api.environmentClasses.list({ filter: {} }));
}

/** Every runner's SCM integrations, with no runner filter (export of every runner). */
export function everyIntegration(api: IntegrationReads): Promise<ScmIntegration[]> {
  return collectEveryPage(api.scmIntegrations.list({ filter: {} }));
}

/** Every runner's LLM integrations, with no runner filter (export of every runner). */
export function everyLlmIntegration(api: LlmIntegrationReads): Promise<LlmIntegration[]> {
  return collectEveryPage(api.llmIntegrations.list({ filter: {} }));
}
