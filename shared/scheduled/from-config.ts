/** The runner-config model (shared/config) narrowed to what the scheduled modes need. */
import type { DesiredState } from "../config/types.js";
import type { ManagedRunner, ManagedScmIntegration } from "./types.js";

export function managedFromDesiredState(state: DesiredState): {
  runners: ManagedRunner[];
  integrations: ManagedScmIntegration[];
} {
  const runners: ManagedRunner[] = [];
  const integrations: ManagedScmIntegration[] = [];
  for (const runner of state.runners) {
    runners.push(runner.name ? { id: runner.id, name: runner.name } : { id: runner.id });
    for (const scm of runner.scmIntegrations) {
      const item: ManagedScmIntegration = { runnerId: runner.id, scmId: scm.scmId, host: scm.host };
      if (runner.name) item.runnerName = runner.name;
      if (scm.oauth)
        item.oauth = { clientId: scm.oauth.clientId, clientSecretEnv: scm.oauth.clientSecretEnv };
      integrations.push(item);
    }
  }
  return { runners, integrations };
}
