/** The runner-config model (shared/config) narrowed to what the scheduled modes need. */
import type { DesiredState } from "../config/desired-state.js";
import { endpointHost } from "../rotation/llm-key.js";
import type {
  ManagedHostToken,
  ManagedLlmIntegration,
  ManagedRunner,
  ManagedScmIntegration,
} from "./types.js";

export function managedFromDesiredState(state: DesiredState): {
  runners: ManagedRunner[];
  integrations: ManagedScmIntegration[];
  hostTokens: ManagedHostToken[];
  llmIntegrations: ManagedLlmIntegration[];
} {
  const runners: ManagedRunner[] = [];
  const integrations: ManagedScmIntegration[] = [];
  const hostTokens: ManagedHostToken[] = [];
  const llmIntegrations: ManagedLlmIntegration[] = [];
  for (const runner of state.runners) {
    runners.push(runner.name ? { id: runner.id, name: runner.name } : { id: runner.id });
    for (const scm of runner.scmIntegrations) {
      const item: ManagedScmIntegration = { runnerId: runner.id, scmId: scm.scmId, host: scm.host };
      if (runner.name) item.runnerName = runner.name;
      if (scm.oauth)
        item.oauth = { clientId: scm.oauth.clientId, clientSecretEnv: scm.oauth.clientSecretEnv };
      integrations.push(item);
    }
    for (const token of runner.hostAuthenticationTokens) {
      const item: ManagedHostToken = {
        runnerId: runner.id,
        host: token.host,
        serviceAccount: token.serviceAccount,
        tokenEnv: token.tokenEnv,
      };
      if (runner.name) item.runnerName = runner.name;
      if (token.refreshTokenEnv) item.refreshTokenEnv = token.refreshTokenEnv;
      if (token.expiresAt) item.expiresAt = token.expiresAt;
      hostTokens.push(item);
    }
    for (const llm of runner.llmIntegrations) {
      const item: ManagedLlmIntegration = {
        runnerId: runner.id,
        endpoint: llm.endpoint,
        host: endpointHost(llm.endpoint),
        apiKeyEnv: llm.apiKeyEnv,
        headerEnvs: (llm.requestHeaders ?? []).flatMap((header) =>
          header.valueEnv ? [header.valueEnv] : [],
        ),
      };
      if (runner.name) item.runnerName = runner.name;
      llmIntegrations.push(item);
    }
  }
  return { runners, integrations, hostTokens, llmIntegrations };
}
