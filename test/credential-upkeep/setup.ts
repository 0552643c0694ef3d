/** A seeded emulator for the scheduled-mode tests: two runners, a GitHub and a GitLab integration. */
import { GitpodClient } from "../../shared/api/index.js";
import type { ManagedRunner, ManagedScmIntegration } from "../../shared/credential-upkeep/index.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_EU_NAME,
  RUNNER_US_ID,
  RUNNER_US_NAME,
  startEmulator,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

/** New secrets the OAuth apps accept; canaries: they must never show up in any output. */
export const NEW_GITHUB_SECRET = "canary-gh-new-secret-7d1f0a9e";
export const NEW_GITLAB_SECRET = "canary-gl-new-secret-b22c4e81";
export const WRONG_SECRET = "canary-wrong-secret-5e03aa71";
export const CANARIES = [NEW_GITHUB_SECRET, NEW_GITLAB_SECRET, WRONG_SECRET];

export interface Seeded {
  emu: Emulator;
  client: GitpodClient;
  githubId: string;
  gitlabId: string;
  runners: ManagedRunner[];
  integrations: ManagedScmIntegration[];
  close(): Promise<void>;
}

/** GitHub on aws-eu and GitLab on aws-us, both with OAuth; the apps accept old and new secrets. */
export async function seeded(): Promise<Seeded> {
  const emu = await startEmulator();
  const client = new GitpodClient({
    baseUrl: emu.url,
    apiKey: emu.token,
    maxRetries: 0,
    timeoutMs: 3000,
  });
  const githubId = seedGitHubIntegration(emu.state).id;
  const gitlabId = emu.state.seedScmIntegration({
    runnerId: RUNNER_US_ID,
    scmId: "gitlab",
    host: "gitlab.com",
    oauthClientId: GITLAB_OAUTH_CLIENT_ID,
    oauthClientSecret: GITLAB_OAUTH_SECRET,
  }).id;
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [
    GITHUB_OAUTH_SECRET,
    NEW_GITHUB_SECRET,
  ]);
  emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, [
    GITLAB_OAUTH_SECRET,
    NEW_GITLAB_SECRET,
  ]);
  return {
    emu,
    client,
    githubId,
    gitlabId,
    runners: [
      { id: RUNNER_EU_ID, name: RUNNER_EU_NAME },
      { id: RUNNER_US_ID, name: RUNNER_US_NAME },
    ],
    integrations: [
      {
        runnerId: RUNNER_EU_ID,
        runnerName: RUNNER_EU_NAME,
        scmId: "github",
        host: "github.com",
        oauth: { clientId: GITHUB_OAUTH_CLIENT_ID, clientSecretEnv: "GH_OAUTH_SECRET" },
      },
      {
        runnerId: RUNNER_US_ID,
        runnerName: RUNNER_US_NAME,
        scmId: "gitlab",
        host: "gitlab.com",
        oauth: { clientId: GITLAB_OAUTH_CLIENT_ID, clientSecretEnv: "GL_OAUTH_SECRET" },
      },
    ],
    close: async () => {
      await client.close();
      await emu.close();
    },
  };
}

export function storedCiphertext(emu: Emulator, integrationId: string): string | undefined {
  return emu.state.scmIntegrations.get(integrationId)?.oauth?.encryptedClientSecret;
}

export function expectNoCanary(text: string): void {
  for (const canary of CANARIES) {
    if (text.includes(canary)) throw new Error(`a secret canary leaked: ${canary.slice(0, 12)}…`);
  }
}
