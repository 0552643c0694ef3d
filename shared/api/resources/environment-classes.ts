import { nextTokenOf, PageIterator } from "../pagination.js";
import type {
  CreateEnvironmentClassRequest,
  EnvironmentClass,
  GetEnvironmentClassRequest,
  ListEnvironmentClassesRequest,
  UpdateEnvironmentClassRequest,
} from "../schemas.js";
import type { CallOptions, Transport } from "../transport.js";

/** Environment classes: create, list, get, update. The API has no delete; disable instead. */
export class EnvironmentClasses {
  constructor(private readonly transport: Transport) {}

  async create(request: CreateEnvironmentClassRequest, options?: CallOptions): Promise<{ id: string }> {
    return this.transport.call("CreateEnvironmentClass", request, options);
  }

  list(request: Omit<ListEnvironmentClassesRequest, "pagination"> = {}, options?: CallOptions) {
    return new PageIterator<EnvironmentClass>("ListEnvironmentClasses", async (pagination) => {
      const page = await this.transport.call("ListEnvironmentClasses", { ...request, pagination }, options);
      return { items: page.environmentClasses ?? [], nextToken: nextTokenOf(page.pagination) };
    });
  }

  async get(request: GetEnvironmentClassRequest, options?: CallOptions): Promise<EnvironmentClass> {
    return (await this.transport.call("GetEnvironmentClass", request, options)).environmentClass;
  }

  async update(request: UpdateEnvironmentClassRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateEnvironmentClass", request, options);
  }
}
