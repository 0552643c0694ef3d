/**
 * The `rotate-only` selection: `runner/host` entries, where runner is a runner id or the name given
 * in the file and host compares case-insensitively, and `llm:runner/host` entries for the API keys
 * of LLM integrations (host: the endpoint's host). An entry that matches nothing is an error.
 */
import { sameHost } from "../api/matching.js";
import { listEntries } from "../text/list-entries.js";
import type { ManagedHostToken, ManagedLlmIntegration, ManagedScmIntegration } from "./types.js";

export class RotateOnlyError extends Error {
  constructor(readonly problems: string[]) {
    super(`rotate-only: ${problems.join("; ")}`);
    this.name = "RotateOnlyError";
  }
}

/** Split a multi-line or comma-separated input into entries (blank ones dropped). */
export function parseRotateOnly(text: string | undefined): string[] {
  return listEntries(text ?? "");
}

/** Runner names by id: any entry of a runner that carries its name names it. */
function runnerNames(
  integrations: readonly (ManagedScmIntegration | ManagedHostToken | ManagedLlmIntegration)[],
): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of integrations) if (item.runnerName) names.set(item.runnerId, item.runnerName);
  return names;
}

/**
 * The integrations to rotate: those with an OAuth secret reference, narrowed to `rotateOnly` when
 * it has entries. Throws RotateOnlyError naming every entry that is malformed, matches nothing, or
 * matches only integrations without OAuth.
 */
export function selectForRotation(
  integrations: readonly ManagedScmIntegration[],
  rotateOnly: readonly string[] | undefined,
  hostTokens: readonly ManagedHostToken[] = [],
  llmIntegrations: readonly ManagedLlmIntegration[] = [],
): {
  integrations: ManagedScmIntegration[];
  hostTokens: ManagedHostToken[];
  llmIntegrations: ManagedLlmIntegration[];
} {
  const withOAuth = integrations.filter((item) => item.oauth !== undefined);
  if (!rotateOnly || rotateOnly.length === 0)
    return { integrations: withOAuth, hostTokens: [...hostTokens], llmIntegrations: [...llmIntegrations] };
  const names = runnerNames([...integrations, ...hostTokens, ...llmIntegrations]);
  const problems: string[] = [];
  const chosen = new Set<ManagedScmIntegration>();
  const chosenTokens = new Set<ManagedHostToken>();
  const chosenLlm = new Set<ManagedLlmIntegration>();
  for (const raw of rotateOnly) {
    const isLlm = /^llm:/i.test(raw);
    const entry = isLlm ? raw.slice(4).trim() : raw;
    const slash = entry.indexOf("/");
    const runner = slash > 0 ? entry.slice(0, slash).trim() : "";
    const host = slash > 0 ? entry.slice(slash + 1).trim() : "";
    if (!runner || !host) {
      problems.push(
        isLlm
          ? `"${raw}" is not of the form llm:runner/host (runner id or name, then the endpoint's host)`
          : `"${raw}" is not of the form runner/host (runner id or name, then the host)`,
      );
      continue;
    }
    const matches = (item: { runnerId: string; host: string }) =>
      (item.runnerId === runner || names.get(item.runnerId) === runner) && sameHost(host, item.host);
    if (isLlm) {
      const llmHits = llmIntegrations.filter(matches);
      if (llmHits.length === 0)
        problems.push(`"${raw}" matches no LLM integration in the runner-config file`);
      for (const item of llmHits) chosenLlm.add(item);
      continue;
    }
    const hits = integrations.filter(matches);
    const tokenHits = hostTokens.filter(matches);
    if (hits.length === 0 && tokenHits.length === 0) {
      problems.push(
        `"${raw}" matches no SCM integration${hostTokens.length > 0 ? " or host token" : ""} in the runner-config file`,
      );
      continue;
    }
    const rotatable = hits.filter((item) => item.oauth !== undefined);
    if (rotatable.length === 0 && tokenHits.length === 0) {
      problems.push(`"${raw}" has no OAuth client secret reference in the runner-config file`);
      continue;
    }
    for (const item of rotatable) chosen.add(item);
    for (const item of tokenHits) chosenTokens.add(item);
  }
  if (problems.length > 0) throw new RotateOnlyError(problems);
  return {
    integrations: withOAuth.filter((item) => chosen.has(item)),
    hostTokens: hostTokens.filter((item) => chosenTokens.has(item)),
    llmIntegrations: llmIntegrations.filter((item) => chosenLlm.has(item)),
  };
}
