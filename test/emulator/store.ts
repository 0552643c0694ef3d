/**
 * The emulator's in-memory state: runners, the four object kinds, the OAuth apps the SCM hosts know,
 * and helpers tests use to seed and inspect it directly (no HTTP). Maps keep insertion order, which
 * is creation order, so List RPCs page through them stably.
 */
import { randomUUID } from "node:crypto";
import { RunnerKeys } from "./crypto.js";
import {
  DEFAULT_RUNNERS,
  defaultOAuthApps,
  defaultRunnerSchema,
  type OAuthApp,
  type RunnerFixture,
} from "./fixtures.js";
import type {
  FieldValue,
  HostAuthenticationTokenSource,
  LlmIntegrationPhase,
  RunnerConfigurationSchema,
  Subject,
} from "./messages.js";
import { type IndexPage, OrderedIndex } from "./ordered-index.js";

export interface StoredRunner {
  id: string;
  name: string;
  kind: string;
  provider: string;
  schema: RunnerConfigurationSchema;
  /** An offline runner cannot answer what the service forwards to it (validation). */
  online: boolean;
}

interface Sequenced {
  /** Creation order; page tokens point at it. */
  seq: number;
  runnerId: string;
  /** When it was created (ms since the epoch): List shows it only `listLagMs` later. */
  createdAt: number;
}

export interface StoredEnvironmentClass extends Sequenced {
  id: string;
  runnerId: string;
  displayName: string;
  description: string;
  configuration: FieldValue[];
  enabled: boolean;
}

export interface StoredHostToken extends Sequenced {
  id: string;
  runnerId: string;
  host: string;
  /** Kept so tests can assert what was written; never returned by the API. */
  token: string;
  refreshToken: string;
  source: HostAuthenticationTokenSource;
  /** RFC 3339, normalised to UTC. */
  expiresAt: string;
  integrationId: string;
  scopes: string[];
  subject: Subject | undefined;
  userId: string;
}

export interface StoredOAuthConfig {
  clientId: string;
  /** base64 RSA-OAEP ciphertext under the runner's public key; the plaintext is never stored. */
  encryptedClientSecret: string;
  issuerUrl: string;
}

export interface StoredScmIntegration extends Sequenced {
  id: string;
  runnerId: string;
  scmId: string;
  host: string;
  oauth: StoredOAuthConfig | undefined;
  pat: boolean;
  virtualDirectory: string;
}

interface StoredLlmHeader {
  key: string;
  /** protojson bytes, base64, as sent. */
  value: string;
  headerType: string;
}

export interface StoredLlmIntegration extends Sequenced {
  id: string;
  runnerId: string;
  models: string[];
  endpoint: string;
  /** base64 RSA-OAEP ciphertext under the runner's public key; the plaintext key is never stored. */
  encryptedApiKey: string;
  /** uint64; 0 is the model's default. */
  maxTokens: bigint;
  phase: LlmIntegrationPhase;
  phaseReason: string;
  requestHeaders: StoredLlmHeader[];
  provider: string;
}

export interface SeedLlmIntegration {
  runnerId: string;
  /** Default: `["SUPPORTED_MODEL_SONNET_4"]`. */
  models?: string[];
  endpoint?: string;
  /** Plaintext; stored only encrypted with the runner's key. */
  apiKey?: string;
  maxTokens?: number | bigint;
  /** Default AVAILABLE. */
  phase?: LlmIntegrationPhase;
  phaseReason?: string;
  /** Header values in plain text (stored as the service does: bytes). */
  requestHeaders?: Array<{ key: string; value: string; headerType?: string }>;
}

/**
 * Assumption (docs/emulator.md): the provider family follows from the models: any OPENAI model
 * makes it OPENAI, Claude models (SONNET, OPUS, HAIKU) ANTHROPIC; none known, UNSPECIFIED.
 */
export function providerOf(models: readonly string[]): string {
  if (models.some((model) => model.startsWith("SUPPORTED_MODEL_OPENAI_"))) return "LLM_PROVIDER_OPENAI";
  if (models.some((model) => /^SUPPORTED_MODEL_(SONNET|OPUS|HAIKU)_/.test(model)))
    return "LLM_PROVIDER_ANTHROPIC";
  return "LLM_PROVIDER_UNSPECIFIED";
}

export interface StateFixtures {
  runners?: RunnerFixture[];
  oauthApps?: OAuthApp[];
}

/** Where the spec is silent: how the emulated service behaves (see docs/emulator.md). */
export interface StateRules {
  /** Assumption: a second SCM integration for the same (runner, host) is refused. Default true. */
  uniqueScmHostPerRunner: boolean;
  /** Assumption: hosts compare case-insensitively (GitHub.com is github.com). Default true. */
  caseInsensitiveHosts: boolean;
  /** Assumption: one host token per (runner, host, subject); a second Create is refused. Default true. */
  uniqueHostTokenPerSubject: boolean;
}

const DEFAULT_RULES: StateRules = {
  uniqueScmHostPerRunner: true,
  caseInsensitiveHosts: true,
  uniqueHostTokenPerSubject: true,
};

export interface SeedEnvironmentClass {
  runnerId: string;
  displayName: string;
  description?: string;
  configuration?: FieldValue[];
  enabled?: boolean;
}

export interface SeedScmIntegration {
  runnerId: string;
  scmId: string;
  host: string;
  oauthClientId?: string;
  /** Plaintext; stored only encrypted with the runner's key. */
  oauthClientSecret?: string;
  issuerUrl?: string;
  pat?: boolean;
  virtualDirectory?: string;
}

export interface SeedHostToken {
  runnerId: string;
  host: string;
  source?: HostAuthenticationTokenSource;
  expiresAt?: string | Date;
  integrationId?: string;
  /** A user's token (deprecated field; also becomes the subject). */
  userId?: string;
  /** Any principal, e.g. `{ id, principal: "PRINCIPAL_SERVICE_ACCOUNT" }`; wins over userId. */
  subject?: Subject;
  token?: string;
  refreshToken?: string;
  scopes?: string[];
}

/** Key of the (runnerId, host) uniqueness rule of SCM integrations. */
function scmKey(runnerId: string, host: string, caseInsensitive = true): string {
  return `${runnerId}\n${caseInsensitive ? host.toLowerCase() : host}`;
}

/** RFC 3339 in UTC as protobuf JSON writes it: no fraction when whole seconds, else milliseconds. */
export function formatTimestamp(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

export interface ListQuery<T> {
  runnerIds?: readonly string[];
  afterSeq: number;
  pageSize: number;
  /** Filters besides the runner. */
  accept?: (item: T) => boolean;
}

export class EmulatorState {
  readonly #fixtures: { runners: RunnerFixture[]; oauthApps: OAuthApp[] };
  readonly #keys = new RunnerKeys();
  readonly #runners = new Map<string, StoredRunner>();
  readonly #environmentClasses = new Map<string, StoredEnvironmentClass>();
  readonly #hostTokens = new Map<string, StoredHostToken>();
  readonly #scmIntegrations = new Map<string, StoredScmIntegration>();
  readonly #llmIntegrations = new Map<string, StoredLlmIntegration>();
  readonly #scmByRunnerHost = new Map<string, string>();
  readonly #classIndex = new OrderedIndex<StoredEnvironmentClass>();
  readonly #tokenIndex = new OrderedIndex<StoredHostToken>();
  readonly #scmIndex = new OrderedIndex<StoredScmIntegration>();
  readonly #llmIndex = new OrderedIndex<StoredLlmIntegration>();
  #oauthApps: OAuthApp[] = [];
  #seq = 0;
  /** Eventual consistency: a create shows up in List this many ms later (Get sees it at once). */
  listLagMs = 0;
  readonly rules: StateRules;

  constructor(fixtures: StateFixtures = {}, rules: Partial<StateRules> = {}) {
    this.#fixtures = {
      runners: (fixtures.runners ?? DEFAULT_RUNNERS).map((runner) => ({ ...runner })),
      oauthApps: fixtures.oauthApps ?? defaultOAuthApps(),
    };
    this.rules = { ...DEFAULT_RULES, ...rules };
    this.reset();
  }

  get runners(): ReadonlyMap<string, StoredRunner> {
    return this.#runners;
  }
  get environmentClasses(): ReadonlyMap<string, StoredEnvironmentClass> {
    return this.#environmentClasses;
  }
  get hostTokens(): ReadonlyMap<string, StoredHostToken> {
    return this.#hostTokens;
  }
  get scmIntegrations(): ReadonlyMap<string, StoredScmIntegration> {
    return this.#scmIntegrations;
  }
  get llmIntegrations(): ReadonlyMap<string, StoredLlmIntegration> {
    return this.#llmIntegrations;
  }
  get oauthApps(): readonly OAuthApp[] {
    return this.#oauthApps;
  }

  /** Stored objects the List RPCs looked at since the last reset (a page should cost its size). */
  get listScanned(): number {
    return (
      this.#classIndex.scanned + this.#tokenIndex.scanned + this.#scmIndex.scanned + this.#llmIndex.scanned
    );
  }

  /** Back to the fixtures: default runners and OAuth apps, no objects. Runner keys are kept. */
  reset(): void {
    this.#runners.clear();
    this.#environmentClasses.clear();
    this.#hostTokens.clear();
    this.#scmIntegrations.clear();
    this.#scmByRunnerHost.clear();
    this.#llmIntegrations.clear();
    for (const index of [this.#classIndex, this.#tokenIndex, this.#scmIndex, this.#llmIndex]) {
      index.clear();
      index.scanned = 0;
    }
    for (const runner of this.#fixtures.runners) this.addRunner(runner);
    this.#oauthApps = this.#fixtures.oauthApps.map((app) => ({ ...app, secrets: [...app.secrets] }));
  }

  addRunner(
    runner: { id?: string; name?: string; schema?: RunnerConfigurationSchema; online?: boolean } = {},
  ): string {
    const id = runner.id ?? randomUUID();
    this.#runners.set(id, {
      id,
      name: runner.name ?? `runner-${id.slice(0, 8)}`,
      kind: "RUNNER_KIND_REMOTE",
      provider: "RUNNER_PROVIDER_AWS_EC2",
      schema: runner.schema ?? defaultRunnerSchema(),
      online: runner.online ?? true,
    });
    return id;
  }

  /** Takes a runner offline or brings it back (what the service forwards to it then fails). */
  setRunnerOnline(runnerId: string, online: boolean): void {
    this.requireRunner(runnerId).online = online;
  }

  requireRunner(runnerId: string): StoredRunner {
    const runner = this.#runners.get(runnerId);
    if (!runner) throw new Error(`unknown runner ${runnerId}`);
    return runner;
  }

  addOAuthApp(app: OAuthApp): void {
    this.#oauthApps.push({ host: app.host, clientId: app.clientId, secrets: [...app.secrets] });
  }

  /** Rotate or revoke: the app accepts exactly these secrets from now on. */
  setOAuthAppSecrets(host: string, clientId: string, secrets: string[]): void {
    const app = this.findOAuthApp(host, clientId);
    if (!app) throw new Error(`no OAuth app ${clientId} at ${host}`);
    app.secrets = [...secrets];
  }

  findOAuthApp(host: string, clientId: string): OAuthApp | undefined {
    const wanted = host.toLowerCase();
    return this.#oauthApps.find((app) => app.host.toLowerCase() === wanted && app.clientId === clientId);
  }

  encryptForRunner(runnerId: string, plaintext: string): string {
    this.requireRunner(runnerId);
    return this.#keys.encrypt(runnerId, plaintext);
  }

  /** The plaintext, or undefined when the ciphertext was not made with this runner's public key. */
  decryptForRunner(runnerId: string, ciphertextBase64: string): string | undefined {
    this.requireRunner(runnerId);
    return this.#keys.decrypt(runnerId, ciphertextBase64);
  }

  runnerPublicKeyPem(runnerId: string): string {
    this.requireRunner(runnerId);
    return this.#keys.publicKeyPem(runnerId);
  }

  /** The stored OAuth client secret of an SCM integration, decrypted with its runner's private key. */
  decryptClientSecret(integrationId: string): string | undefined {
    const integration = this.#scmIntegrations.get(integrationId);
    if (!integration?.oauth) return undefined;
    return this.#keys.decrypt(integration.runnerId, integration.oauth.encryptedClientSecret);
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  #stamp(): { id: string; seq: number; createdAt: number } {
    return { id: randomUUID(), seq: this.nextSeq(), createdAt: Date.now() };
  }

  #page<T extends StoredEnvironmentClass | StoredHostToken | StoredScmIntegration | StoredLlmIntegration>(
    index: OrderedIndex<T>,
    query: ListQuery<T>,
  ): IndexPage<T> {
    const visibleBefore = Date.now() - this.listLagMs;
    const accept = query.accept;
    return index.page(query.runnerIds, query.afterSeq, query.pageSize, (item) =>
      this.listLagMs > 0 && item.createdAt > visibleBefore ? false : accept ? accept(item) : true,
    );
  }

  listEnvironmentClasses(query: ListQuery<StoredEnvironmentClass>): IndexPage<StoredEnvironmentClass> {
    return this.#page(this.#classIndex, query);
  }

  listHostTokens(query: ListQuery<StoredHostToken>): IndexPage<StoredHostToken> {
    return this.#page(this.#tokenIndex, query);
  }

  listScmIntegrations(query: ListQuery<StoredScmIntegration>): IndexPage<StoredScmIntegration> {
    return this.#page(this.#scmIndex, query);
  }

  listLlmIntegrations(query: ListQuery<StoredLlmIntegration>): IndexPage<StoredLlmIntegration> {
    return this.#page(this.#llmIndex, query);
  }

  /** The stored API key of an LLM integration, decrypted with its runner's private key. */
  decryptApiKey(integrationId: string): string | undefined {
    const integration = this.#llmIntegrations.get(integrationId);
    if (!integration) return undefined;
    return this.#keys.decrypt(integration.runnerId, integration.encryptedApiKey);
  }

  /** What the service reports on its own (e.g. UNAVAILABLE, "insufficient funds"), for tests. */
  setLlmIntegrationPhase(integrationId: string, phase: LlmIntegrationPhase, phaseReason = ""): void {
    const integration = this.#llmIntegrations.get(integrationId);
    if (!integration) throw new Error(`unknown LLM integration ${integrationId}`);
    integration.phase = phase;
    integration.phaseReason = phaseReason;
  }

  // --- writes used by the RPC handlers and the seed helpers -------------------------------------

  insertEnvironmentClass(
    value: Omit<StoredEnvironmentClass, "id" | "seq" | "createdAt">,
  ): StoredEnvironmentClass {
    const stored = { ...value, ...this.#stamp() };
    this.#environmentClasses.set(stored.id, stored);
    this.#classIndex.add(stored);
    return stored;
  }

  insertHostToken(value: Omit<StoredHostToken, "id" | "seq" | "createdAt">): StoredHostToken {
    const stored = { ...value, ...this.#stamp() };
    this.#hostTokens.set(stored.id, stored);
    this.#tokenIndex.add(stored);
    return stored;
  }

  deleteHostToken(id: string): boolean {
    const token = this.#hostTokens.get(id);
    if (!token) return false;
    this.#hostTokens.delete(id);
    this.#tokenIndex.remove(token);
    return true;
  }

  /** The runner's token for this host held by this subject (the uniqueness rule's key). */
  findHostTokenForSubject(runnerId: string, host: string, subjectId: string): StoredHostToken | undefined {
    for (const token of this.#hostTokens.values()) {
      if (
        token.runnerId === runnerId &&
        token.subject?.id === subjectId &&
        this.#sameHost(token.host, host)
      ) {
        return token;
      }
    }
    return undefined;
  }

  #sameHost(a: string, b: string): boolean {
    return this.rules.caseInsensitiveHosts ? a.toLowerCase() === b.toLowerCase() : a === b;
  }

  /** Deletes the runner's tokens for a host that came from the given source; returns how many. */
  deleteHostTokensBySource(runnerId: string, host: string, source: HostAuthenticationTokenSource): number {
    let deleted = 0;
    for (const token of [...this.#hostTokens.values()]) {
      if (token.runnerId === runnerId && this.#sameHost(token.host, host) && token.source === source) {
        this.deleteHostToken(token.id);
        deleted += 1;
      }
    }
    return deleted;
  }

  #scmKey(runnerId: string, host: string): string {
    return scmKey(runnerId, host, this.rules.caseInsensitiveHosts);
  }

  findScmIntegrationByHost(runnerId: string, host: string): StoredScmIntegration | undefined {
    const id = this.#scmByRunnerHost.get(this.#scmKey(runnerId, host));
    return id === undefined ? undefined : this.#scmIntegrations.get(id);
  }

  insertScmIntegration(value: Omit<StoredScmIntegration, "id" | "seq" | "createdAt">): StoredScmIntegration {
    const key = this.#scmKey(value.runnerId, value.host);
    if (this.rules.uniqueScmHostPerRunner && this.#scmByRunnerHost.has(key)) {
      throw new Error(`an SCM integration for ${value.host} already exists on runner ${value.runnerId}`);
    }
    const stored = { ...value, ...this.#stamp() };
    this.#scmIntegrations.set(stored.id, stored);
    this.#scmIndex.add(stored);
    // Without the uniqueness rule the first one stays the one found by host.
    if (!this.#scmByRunnerHost.has(key)) this.#scmByRunnerHost.set(key, stored.id);
    return stored;
  }

  deleteScmIntegration(id: string): boolean {
    const integration = this.#scmIntegrations.get(id);
    if (!integration) return false;
    this.#scmIntegrations.delete(id);
    this.#scmIndex.remove(integration);
    const key = this.#scmKey(integration.runnerId, integration.host);
    if (this.#scmByRunnerHost.get(key) === id) {
      this.#scmByRunnerHost.delete(key);
      const other = [...this.#scmIntegrations.values()].find(
        (candidate) => this.#scmKey(candidate.runnerId, candidate.host) === key,
      );
      if (other) this.#scmByRunnerHost.set(key, other.id);
    }
    return true;
  }

  insertLlmIntegration(value: Omit<StoredLlmIntegration, "id" | "seq" | "createdAt">): StoredLlmIntegration {
    const stored = { ...value, ...this.#stamp() };
    this.#llmIntegrations.set(stored.id, stored);
    this.#llmIndex.add(stored);
    return stored;
  }

  deleteLlmIntegration(id: string): boolean {
    const integration = this.#llmIntegrations.get(id);
    if (!integration) return false;
    this.#llmIntegrations.delete(id);
    this.#llmIndex.remove(integration);
    return true;
  }

  // --- seeding for tests (skips API validation on purpose: tests seed drifted states too) --------

  seedEnvironmentClass(seed: SeedEnvironmentClass): StoredEnvironmentClass {
    this.requireRunner(seed.runnerId);
    return this.insertEnvironmentClass({
      runnerId: seed.runnerId,
      displayName: seed.displayName,
      description: seed.description ?? "",
      configuration: (seed.configuration ?? []).map((field) => ({ ...field })),
      enabled: seed.enabled ?? true,
    });
  }

  seedScmIntegration(seed: SeedScmIntegration): StoredScmIntegration {
    this.requireRunner(seed.runnerId);
    const oauth =
      seed.oauthClientId === undefined || seed.oauthClientId === ""
        ? undefined
        : {
            clientId: seed.oauthClientId,
            encryptedClientSecret: this.encryptForRunner(seed.runnerId, seed.oauthClientSecret ?? ""),
            issuerUrl: seed.issuerUrl ?? "",
          };
    return this.insertScmIntegration({
      runnerId: seed.runnerId,
      scmId: seed.scmId,
      host: seed.host,
      oauth,
      pat: seed.pat ?? false,
      virtualDirectory: seed.virtualDirectory ?? "",
    });
  }

  seedLlmIntegration(seed: SeedLlmIntegration): StoredLlmIntegration {
    this.requireRunner(seed.runnerId);
    const models = [...(seed.models ?? ["SUPPORTED_MODEL_SONNET_4"])];
    return this.insertLlmIntegration({
      runnerId: seed.runnerId,
      models,
      endpoint: seed.endpoint ?? "",
      encryptedApiKey: this.encryptForRunner(seed.runnerId, seed.apiKey ?? `seeded-llm-key-${randomUUID()}`),
      maxTokens: BigInt(seed.maxTokens ?? 0),
      phase: seed.phase ?? "LLM_INTEGRATION_PHASE_AVAILABLE",
      phaseReason: seed.phaseReason ?? "",
      requestHeaders: (seed.requestHeaders ?? []).map((header) => ({
        key: header.key,
        value: Buffer.from(header.value, "utf8").toString("base64"),
        headerType: header.headerType ?? "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
      })),
      provider: providerOf(models),
    });
  }

  seedHostToken(seed: SeedHostToken): StoredHostToken {
    this.requireRunner(seed.runnerId);
    const expiresAt =
      seed.expiresAt === undefined
        ? ""
        : formatTimestamp(seed.expiresAt instanceof Date ? seed.expiresAt : new Date(seed.expiresAt));
    return this.insertHostToken({
      runnerId: seed.runnerId,
      host: seed.host,
      token: seed.token ?? `seeded-token-${randomUUID()}`,
      refreshToken: seed.refreshToken ?? "",
      source: seed.source ?? "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      expiresAt,
      integrationId: seed.integrationId ?? "",
      scopes: [...(seed.scopes ?? [])],
      subject: seed.subject
        ? { ...seed.subject }
        : seed.userId
          ? { id: seed.userId, principal: "PRINCIPAL_USER" }
          : undefined,
      userId: seed.userId ?? "",
    });
  }
}
