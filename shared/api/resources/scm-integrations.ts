import { nextTokenOf, PageIterator } from "../pagination.js";
import type {
  CreateScmIntegrationRequest,
  DeleteScmIntegrationRequest,
  GetScmIntegrationRequest,
  ListScmIntegrationsRequest,
  ScmIntegration,
  UpdateScmIntegrationRequest,
} from "../schemas.js";
import type { CallOptions, Transport } from "../transport.js";

/** SCM integrations. OAuth client secrets go in as plaintext and come back only encrypted. */
export class ScmIntegrations {
  constructor(private readonly transport: Transport) {}

  async create(request: CreateScmIntegrationRequest, options?: CallOptions): Promise<{ id: string }> {
    return this.transport.call("CreateSCMIntegration", request, options);
  }

  list(request: Omit<ListScmIntegrationsRequest, "pagination"> = {}, options?: CallOptions) {
    return new PageIterator<ScmIntegration>("ListSCMIntegrations", async (pagination) => {
      const page = await this.transport.call("ListSCMIntegrations", { ...request, pagination }, options);
      return { items: page.integrations ?? [], nextToken: nextTokenOf(page.pagination) };
    });
  }

  async get(request: GetScmIntegrationRequest, options?: CallOptions): Promise<ScmIntegration> {
    return (await this.transport.call("GetSCMIntegration", request, options)).integration;
  }

  /** `oauthClientId: ""` removes OAuth and `pat: false` disables PATs: both delete users' host tokens. */
  async update(request: UpdateScmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateSCMIntegration", request, options);
  }

  async delete(request: DeleteScmIntegrationRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("DeleteSCMIntegration", request, options);
  }
}
