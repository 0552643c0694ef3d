import { EnvironmentClasses } from "./resources/environment-classes.js";
import { HostAuthenticationTokens } from "./resources/host-authentication-tokens.js";
import { LlmIntegrations } from "./resources/llm-integrations.js";
import { Schema } from "./resources/schema.js";
import { ScmIntegrations } from "./resources/scm-integrations.js";
import type {
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "./resources/validate.wire.js";
import { type CallOptions, Transport, type TransportOptions } from "./transport.js";

export type GitpodClientOptions = TransportOptions;

/** Typed client for gitpod.v1.RunnerConfigurationService: one resource object per API group. */
export class GitpodClient {
  readonly environmentClasses: EnvironmentClasses;
  readonly hostAuthenticationTokens: HostAuthenticationTokens;
  readonly llmIntegrations: LlmIntegrations;
  readonly schema: Schema;
  readonly scmIntegrations: ScmIntegrations;
  readonly #transport: Transport;

  constructor(options: GitpodClientOptions = {}) {
    this.#transport = new Transport(options);
    this.environmentClasses = new EnvironmentClasses(this.#transport);
    this.hostAuthenticationTokens = new HostAuthenticationTokens(this.#transport);
    this.llmIntegrations = new LlmIntegrations(this.#transport);
    this.schema = new Schema(this.#transport);
    this.scmIntegrations = new ScmIntegrations(this.#transport);
  }

  get baseUrl(): string {
    return this.#transport.baseUrl;
  }

  /** Checks an environment class or an SCM integration (exactly one) without storing anything. */
  async validate(
    request: ValidateRunnerConfigurationRequest,
    options?: CallOptions,
  ): Promise<ValidateRunnerConfigurationResponse> {
    return this.#transport.call("ValidateRunnerConfiguration", request, options);
  }

  /** Secret values the caller holds (e.g. from the config's environment): scrubbed from every answer. */
  addSecrets(values: Iterable<string>): void {
    this.#transport.addSecrets(values);
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }
}
