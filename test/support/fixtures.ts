/**
 * Fixtures many suites share: the seeded GitHub integration and the sample runner config. Built on
 * the emulator's own fixtures (test/emulator/fixtures.ts), so the ids and OAuth apps agree.
 */
import {
  type EmulatorState,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  type SeedScmIntegration,
  type StoredScmIntegration,
} from "../emulator/index.js";

/** github.com on aws-eu with the emulator's GitHub OAuth app (its current secret) and PATs on. */
const GITHUB_INTEGRATION: Readonly<SeedScmIntegration> = {
  runnerId: RUNNER_EU_ID,
  scmId: "github",
  host: "github.com",
  oauthClientId: GITHUB_OAUTH_CLIENT_ID,
  oauthClientSecret: GITHUB_OAUTH_SECRET,
  pat: true,
};

/** Seeds GITHUB_INTEGRATION, with `changes` (another runner, PATs off, …). */
export function seedGitHubIntegration(
  state: EmulatorState,
  changes: Partial<SeedScmIntegration> = {},
): StoredScmIntegration {
  return state.seedScmIntegration({ ...GITHUB_INTEGRATION, ...changes });
}

/** One environment class of the sample config, indented for `environmentClasses:` under a runner. */
export const LARGE_INSTANCE = `      - displayName: Large Instance
        description: 8 CPU, 32 GiB RAM
        configuration:
          instanceType: m6i.2xlarge
`;

/** The sample config's integration: GitHub with OAuth (secret from OAUTH_SECRET_GITHUB_COM) and PATs. */
const GITHUB_OAUTH_INTEGRATION = `      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${OAUTH_SECRET_GITHUB_COM}
`;

/**
 * The sample runner config: aws-eu with `classes` and `integrations` (GITHUB_OAUTH_INTEGRATION when
 * empty). Tests assert line numbers in it: change its layout only with theirs.
 */
export function sampleConfig(classes: string, integrations = ""): string {
  return `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    environmentClasses:
${classes}
    scmIntegrations:
${integrations || GITHUB_OAUTH_INTEGRATION}`;
}

/** A user's token for `host` (default github.com) on `runnerId`, valid until 2031. */
export function seedUserHostToken(
  state: EmulatorState,
  seed: { user: string; runnerId: string; token: string; host?: string },
) {
  return state.seedHostToken({
    runnerId: seed.runnerId,
    host: seed.host ?? "github.com",
    token: seed.token,
    subject: { id: seed.user, principal: "PRINCIPAL_USER" },
    expiresAt: "2031-01-01T00:00:00Z",
  });
}

/** A service account's token for github.com on `runnerId`, with no expiry. */
export function seedServiceAccountHostToken(
  state: EmulatorState,
  seed: { serviceAccount: string; runnerId: string; token: string },
) {
  return state.seedHostToken({
    runnerId: seed.runnerId,
    host: "github.com",
    token: seed.token,
    subject: { id: seed.serviceAccount, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
  });
}

/**
 * A config file whose one runner has github.com as its first SCM integration: these 6 lines, then
 * `rest` (the rest of that entry at 8 spaces, then any further sections), so `rest` starts on line 7.
 */
export function githubIntegrationConfig(runnerId: string, rest: string): string {
  return `version: 1
runners:
  - id: ${runnerId}
    scmIntegrations:
      - scmId: github
        host: github.com
${rest}`;
}
