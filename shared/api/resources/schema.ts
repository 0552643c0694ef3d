import type { GetRunnerConfigurationSchemaRequest, RunnerConfigurationSchema } from "../schemas.js";
import type { CallOptions, Transport } from "../transport.js";

/** The runner's configuration schema: environment-class fields and the SCM providers it supports. */
export class Schema {
  constructor(private readonly transport: Transport) {}

  async get(
    request: GetRunnerConfigurationSchemaRequest,
    options?: CallOptions,
  ): Promise<RunnerConfigurationSchema> {
    return (await this.transport.call("GetRunnerConfigurationSchema", request, options)).schema;
  }
}
