import { nextTokenOf, PageIterator } from "../pagination.js";
import type { CallOptions, Transport } from "../transport.js";
import type {
  CreateHostAuthenticationTokenRequest,
  DeleteHostAuthenticationTokenRequest,
  GetHostAuthenticationTokenRequest,
  HostAuthenticationToken,
  ListHostAuthenticationTokensRequest,
  UpdateHostAuthenticationTokenRequest,
} from "./host-authentication-tokens.wire.js";

/** Host authentication tokens. Token values are write-only: the API never returns them. */
export class HostAuthenticationTokens {
  constructor(private readonly transport: Transport) {}

  async create(
    request: CreateHostAuthenticationTokenRequest,
    options?: CallOptions,
  ): Promise<HostAuthenticationToken> {
    return (await this.transport.call("CreateHostAuthenticationToken", request, options)).token;
  }

  list(request: Omit<ListHostAuthenticationTokensRequest, "pagination"> = {}, options?: CallOptions) {
    return new PageIterator<HostAuthenticationToken>("ListHostAuthenticationTokens", async (pagination) => {
      const page = await this.transport.call(
        "ListHostAuthenticationTokens",
        { ...request, pagination },
        options,
      );
      return { items: page.tokens ?? [], nextToken: nextTokenOf(page.pagination) };
    });
  }

  async get(
    request: GetHostAuthenticationTokenRequest,
    options?: CallOptions,
  ): Promise<HostAuthenticationToken> {
    return (await this.transport.call("GetHostAuthenticationToken", request, options)).token;
  }

  async update(request: UpdateHostAuthenticationTokenRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateHostAuthenticationToken", request, options);
  }

  async delete(request: DeleteHostAuthenticationTokenRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("DeleteHostAuthenticationToken", request, options);
  }
}
