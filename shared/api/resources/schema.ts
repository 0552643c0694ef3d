import type { CallOptions, Transport } from "../transport.js";
import type { GetRunnerConfigurationSchemaRequest, RunnerConfigurationSchema } from "./schema.wire.js";

/**
 * The runner's configuration schema: environment-class fields and the SCM providers it supports.
 * Undefined when the runner reported none (the spec makes `schema` optional).
 */
export class Schema {
  constructor(private readonly transport: Transport) {}

  async get(
    request: GetRunnerConfigurationSchemaRequest,
    options?: CallOptions,
  ): Promise<RunnerConfigurationSchema | undefined> {
    return (await this.transport.call("GetRunnerConfigurationSchema", request, options)).schema;
  }
}
