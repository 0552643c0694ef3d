import { GitpodApiError } from "../errors.js";
import { nextTokenOf, PageIterator } from "../pagination.js";
import type { RpcResponse } from "../rpcs.js";
import type { CallOptions, Transport } from "../transport.js";
import type {
  CreateScmIntegrationRequest,
  DeleteScmIntegrationRequest,
  GetScmIntegrationRequest,
  ListScmIntegrationsRequest,
  ScmIntegration,
  ScmIntegrationWire,
  UpdateScmIntegrationRequest,
} from "./scm-integrations.wire.js";

/** SCM integrations. OAuth client secrets go in as plaintext and come back only encrypted. */
export class ScmIntegrations {
  constructor(private readonly transport: Transport) {}

  /** `id` is optional in the spec's answer, so it may be undefined. */
  async create(
    request: CreateScmIntegrationRequest,
    options?: CallOptions,
  ): Promise<RpcResponse<"CreateSCMIntegration">> {
    return this.transport.call("CreateSCMIntegration", request, options);
  }

  list(request: Omit<ListScmIntegrationsRequest, "pagination"> = {}, options?: CallOptions) {
    const onlyRunner = request.filter?.runnerIds?.length === 1 ? request.filter.runnerIds[0] : undefined;
    return new PageIterator<ScmIntegration>("ListSCMIntegrations", async (pagination) => {
      const page = await this.transport.call("ListSCMIntegrations", { ...request, pagination }, options);
      return {
        items: (page.integrations ?? []).map((wire) => withIds(wire, onlyRunner)),
        nextToken: nextTokenOf(page.pagination),
      };
    });
  }

  async get(request: GetScmIntegrationRequest, options?: CallOptions): Promise<ScmIntegration> {
    const { integration } = await this.transport.call("GetSCMIntegration", request, options);
    if (!integration) {
      throw new GitpodApiError({
        code: "unknown",
        rpc: "GetSCMIntegration",
        status: 200,
        message: `the answer did not include SCM integration ${request.id} (the spec makes it optional), so nothing about it could be read`,
      });
    }
    return withIds({ id: request.id, ...integration }, undefined);
  }

  /** `oauthClientId: ""` removes OAuth and `pat: false` disables PATs: both delete users' host tokens. */
  async update(request: UpdateScmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateSCMIntegration", request, options);
  }

  async delete(request: DeleteScmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("DeleteSCMIntegration", request, options);
  }
}

/** The ids the rest of the product relies on: "" when the API left them out and nothing else knows. */
function withIds(wire: ScmIntegrationWire, runnerId: string | undefined): ScmIntegration {
  return { ...wire, id: wire.id ?? "", runnerId: wire.runnerId ?? runnerId ?? "" };
}
