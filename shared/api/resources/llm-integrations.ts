import { GitpodApiError } from "../errors.js";
import { nextTokenOf, PageIterator } from "../pagination.js";
import type { RpcResponse } from "../rpcs.js";
import type { CallOptions, Transport } from "../transport.js";
import type {
  CreateLlmIntegrationRequest,
  DeleteLlmIntegrationRequest,
  GetLlmIntegrationRequest,
  ListLlmIntegrationsRequest,
  LlmIntegration,
  LlmIntegrationWire,
  UpdateLlmIntegrationRequest,
} from "./llm-integrations.wire.js";

/**
 * LLM integrations: a runner's access to an LLM provider. The provider's API key goes in as
 * plaintext (on create, and on update to rotate it) and comes back only encrypted; literal request
 * header values are treated like the key and never handed out.
 */
export class LlmIntegrations {
  constructor(private readonly transport: Transport) {}

  /** `id` may be missing from the answer, so it may be undefined. */
  async create(
    request: CreateLlmIntegrationRequest,
    options?: CallOptions,
  ): Promise<RpcResponse<"CreateLLMIntegration">> {
    return this.transport.call("CreateLLMIntegration", request, options);
  }

  list(request: Omit<ListLlmIntegrationsRequest, "pagination"> = {}, options?: CallOptions) {
    const onlyRunner = request.filter?.runnerIds?.length === 1 ? request.filter.runnerIds[0] : undefined;
    return new PageIterator<LlmIntegration>("ListLLMIntegrations", async (pagination) => {
      const page = await this.transport.call("ListLLMIntegrations", { ...request, pagination }, options);
      return {
        items: (page.integrations ?? []).map((wire) => normalised(wire, onlyRunner)),
        nextToken: nextTokenOf(page.pagination),
      };
    });
  }

  async get(request: GetLlmIntegrationRequest, options?: CallOptions): Promise<LlmIntegration> {
    const { integration } = await this.transport.call("GetLLMIntegration", request, options);
    if (!integration) {
      throw new GitpodApiError({
        code: "unknown",
        rpc: "GetLLMIntegration",
        status: 200,
        message: `the answer did not include LLM integration ${request.id}, so nothing about it could be read`,
      });
    }
    return normalised({ id: request.id, ...integration }, undefined);
  }

  /**
   * Leave out what stays as it is. `apiKey` rotates the key; `models` and `requestHeaders` replace
   * the lists and must not be empty (an empty list would read as "unchanged" on the wire).
   */
  async update(request: UpdateLlmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateLLMIntegration", request, options);
  }

  async delete(request: DeleteLlmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("DeleteLLMIntegration", request, options);
  }
}

/** Ids as strings ("" when the API left one out and nothing else knows), lists as lists, 0 tokens. */
function normalised(wire: LlmIntegrationWire, runnerId: string | undefined): LlmIntegration {
  return {
    ...wire,
    id: wire.id ?? "",
    runnerId: wire.runnerId ?? runnerId ?? "",
    models: wire.models ?? [],
    requestHeaders: wire.requestHeaders ?? [],
    maxTokens: wire.maxTokens ?? 0,
  };
}
