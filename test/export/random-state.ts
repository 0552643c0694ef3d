/**
 * Randomised runner states for the export round trip, seeded straight into the emulator: classes
 * (disabled ones, display names shared across runners and within one runner, YAML-awkward text),
 * SCM integrations (with and without OAuth, Azure DevOps with a virtual directory, mixed-case hosts),
 * and host tokens: service accounts' (linked to an integration or not, with and without expiry and
 * scopes, the same account on several runners) and users' (which export must never write), and
 * LLM integrations (endpoints shared across runners and spelled twice within one, literal and CEL
 * headers, every phase, an endpoint the file cannot hold).
 */
import type { EmulatorState } from "../emulator/index.js";

/** mulberry32: small, fast and reproducible from a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Few names, so duplicates within a runner and across runners are frequent; some read as other
// YAML types or need quoting.
const NAMES = [
  "Small Instance",
  "Large Instance",
  "GPU Instance",
  "yes",
  "123",
  "null",
  "a: b",
  "#tag",
  "Ünïcode ☃",
];
const DESCRIPTIONS = [
  "",
  "2 CPU, 8 GiB RAM",
  "line one\nline two",
  "quotes \" and ' and \\",
  "true",
  "  padded  ",
  "- dash",
];
const INSTANCE_TYPES = ["m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge", "g5.xlarge"];
const HOSTS = [
  { scmId: "github", host: "github.com", clientId: "Iv1.8a61f9b3a7aba766" },
  { scmId: "gitlab", host: "gitlab.com", clientId: "gl-demo-client" },
  { scmId: "gitlab", host: "GitLab.Example.com", clientId: "self-managed" },
  { scmId: "bitbucket", host: "bitbucket.org", clientId: "bb-123" },
  { scmId: "azure-devops-server", host: "ado.example.com", clientId: "ado-app" },
  { scmId: "azure-devops-server", host: "tfs.corp.example:8443", clientId: "tfs" },
];
const VIRTUAL_DIRECTORIES = ["", "/tfs", "/DefaultCollection", "/tfs/Team Project"];
/** Few accounts, so the same account often has tokens on several runners. */
const SERVICE_ACCOUNTS = [
  "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
  "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
  "3c2b1a09-8f7e-4d6c-8b5a-493827160504",
];
export const USERS = ["5b4a3928-1706-4f5e-8d3c-2b1a09f8e7d6", "6c5b4a39-2817-4e6f-9a4d-3c2b1a0f9e8d"];
const SCOPES = ["repo", "read:org", "workflow", "api", "read_repository"];
const EXPIRIES = ["2027-01-31T00:00:00Z", "2030-06-15T12:30:45.250Z", "2026-12-01T08:00:00+02:00"];

/** Few endpoints, so hosts repeat across runners; two spell one endpoint differently; one is no URL. */
const LLM_ENDPOINTS = [
  "https://api.anthropic.com",
  "https://llm.example.com/v1",
  "https://LLM.example.com/v1/",
  "https://api.openai.com/v1",
  "https://gateway.example.com:8443/anthropic",
  "llm-proxy.internal",
];
const LLM_MODELS = [
  "SUPPORTED_MODEL_SONNET_4",
  "SUPPORTED_MODEL_OPUS_4",
  "SUPPORTED_MODEL_SONNET_4_5",
  "SUPPORTED_MODEL_HAIKU_4_5",
  "SUPPORTED_MODEL_OPENAI_4O",
];
const LLM_PHASES = [
  "LLM_INTEGRATION_PHASE_AVAILABLE",
  "LLM_INTEGRATION_PHASE_UNAVAILABLE",
  "LLM_INTEGRATION_PHASE_DISABLED",
] as const;

export interface SeededState {
  runnerIds: string[];
  /** Runners with two or more classes of one display name. */
  duplicateNames: number;
  /** Service accounts' host tokens seeded (export writes each one). */
  serviceAccountTokens: number;
  /** Users' host tokens seeded (export writes none). */
  userTokens: number;
  /** LLM integrations seeded (export writes those with a URL endpoint, one per endpoint). */
  llmIntegrations: number;
}

export function seedRandomState(state: EmulatorState, seed: number): SeededState {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  state.reset();
  const runnerIds = [...state.runners.keys()];
  for (let extra = Math.floor(next() * 3); extra > 0; extra--) runnerIds.push(state.addRunner());
  let duplicateNames = 0;
  let serviceAccountTokens = 0;
  let userTokens = 0;
  for (const runnerId of runnerIds) {
    const names = new Map<string, number>();
    for (let count = Math.floor(next() * 7); count > 0; count--) {
      const displayName = pick(NAMES);
      names.set(displayName, (names.get(displayName) ?? 0) + 1);
      const configuration = [{ key: "instanceType", value: pick(INSTANCE_TYPES) }];
      if (next() < 0.6)
        configuration.push({ key: "diskSize", value: String(20 + Math.floor(next() * 1981)) });
      if (next() < 0.4) configuration.push({ key: "spot", value: next() < 0.5 ? "true" : "false" });
      if (next() < 0.2)
        configuration.push({
          key: "imageId",
          value: `ami-${Math.floor(next() * 0xffffffff)
            .toString(16)
            .padStart(8, "0")}`,
        });
      state.seedEnvironmentClass({
        runnerId,
        displayName,
        description: pick(DESCRIPTIONS),
        enabled: next() < 0.7,
        configuration: configuration.sort(() => next() - 0.5),
      });
    }
    if ([...names.values()].some((n) => n > 1)) duplicateNames++;
    for (const host of HOSTS) {
      if (next() < 0.5) continue;
      const oauth = next() < 0.5;
      const integration = state.seedScmIntegration({
        runnerId,
        scmId: host.scmId,
        host: host.host,
        pat: next() < 0.5,
        ...(oauth
          ? {
              oauthClientId: host.clientId,
              oauthClientSecret: `canary-secret-${seed}-${host.host}`,
              ...(next() < 0.3 ? { issuerUrl: `https://${host.host.split(":")[0]}/oauth` } : {}),
            }
          : {}),
        ...(host.scmId === "azure-devops-server" ? { virtualDirectory: pick(VIRTUAL_DIRECTORIES) } : {}),
      });
      // One token per (runner, host, account): the emulator's default rule.
      for (const serviceAccount of SERVICE_ACCOUNTS) {
        if (next() < 0.7) continue;
        serviceAccountTokens++;
        const scopes = SCOPES.filter(() => next() < 0.4);
        state.seedHostToken({
          runnerId,
          host: host.host,
          subject: { id: serviceAccount, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
          source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
          token: `canary-token-${seed}-${serviceAccount}`,
          ...(next() < 0.5 ? { refreshToken: `canary-refresh-${seed}` } : {}),
          ...(next() < 0.6 ? { integrationId: integration.id } : {}),
          ...(next() < 0.6 ? { expiresAt: pick(EXPIRIES) } : {}),
          ...(scopes.length > 0 ? { scopes } : {}),
        });
      }
      for (const userId of USERS) {
        if (next() < 0.6) continue;
        userTokens++;
        state.seedHostToken({
          runnerId,
          host: host.host,
          userId,
          token: `canary-user-token-${seed}`,
          ...(next() < 0.5 ? { integrationId: integration.id } : {}),
        });
      }
    }
    // A service account's token for a host the runner has no integration for.
    if (next() < 0.3) {
      serviceAccountTokens++;
      state.seedHostToken({
        runnerId,
        host: "git.internal.example",
        subject: { id: pick(SERVICE_ACCOUNTS), principal: "PRINCIPAL_SERVICE_ACCOUNT" },
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
        token: `canary-token-${seed}-internal`,
      });
    }
  }
  // After every other kind, so their draws (and the cases they cover) stay as they were.
  let llmIntegrations = 0;
  for (const runnerId of runnerIds) {
    for (let count = Math.floor(next() * 4); count > 0; count--) {
      llmIntegrations++;
      const models = LLM_MODELS.filter(() => next() < 0.4);
      const headers: Array<{ key: string; value: string; headerType: string }> = [];
      if (next() < 0.4)
        headers.push({
          key: "X-Org",
          value: `canary-llm-header-${seed}`,
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
        });
      if (next() < 0.4)
        headers.push({
          key: "X-User",
          value: "request.user.email",
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        });
      state.seedLlmIntegration({
        runnerId,
        endpoint: pick(LLM_ENDPOINTS),
        models: models.length > 0 ? models : [pick(LLM_MODELS)],
        apiKey: `canary-llm-key-${seed}`,
        maxTokens: next() < 0.5 ? 0 : Math.floor(next() * 100_000),
        phase: pick(LLM_PHASES),
        ...(next() < 0.5 ? { phaseReason: "insufficient funds" } : {}),
        requestHeaders: headers,
      });
    }
  }
  return { runnerIds, duplicateNames, serviceAccountTokens, userTokens, llmIntegrations };
}
