import { GitpodApiError } from "../errors.js";
import { nextTokenOf, PageIterator } from "../pagination.js";
import type { RpcResponse } from "../rpcs.js";
import type { CallOptions, Transport } from "../transport.js";
import type {
  CreateEnvironmentClassRequest,
  EnvironmentClass,
  GetEnvironmentClassRequest,
  ListEnvironmentClassesRequest,
  UpdateEnvironmentClassRequest,
} from "./environment-classes.wire.js";

/** Environment classes: create, list, get, update. The API has no delete; disable instead. */
export class EnvironmentClasses {
  constructor(private readonly transport: Transport) {}

  /** `id` is optional in the spec's answer, so it may be undefined: re-read the runner's classes. */
  async create(
    request: CreateEnvironmentClassRequest,
    options?: CallOptions,
  ): Promise<RpcResponse<"CreateEnvironmentClass">> {
    return this.transport.call("CreateEnvironmentClass", request, options);
  }

  list(request: Omit<ListEnvironmentClassesRequest, "pagination"> = {}, options?: CallOptions) {
    return new PageIterator<EnvironmentClass>("ListEnvironmentClasses", async (pagination) => {
      const page = await this.transport.call("ListEnvironmentClasses", { ...request, pagination }, options);
      return { items: page.environmentClasses ?? [], nextToken: nextTokenOf(page.pagination) };
    });
  }

  async get(request: GetEnvironmentClassRequest, options?: CallOptions): Promise<EnvironmentClass> {
    const { environmentClass } = await this.transport.call("GetEnvironmentClass", request, options);
    if (!environmentClass) {
      throw new GitpodApiError({
        code: "unknown",
        rpc: "GetEnvironmentClass",
        status: 200,
        message: `the answer did not include environment class ${request.environmentClassId} (the spec makes it optional), so nothing about it could be read`,
      });
    }
    return environmentClass;
  }

  async update(request: UpdateEnvironmentClassRequest, options?: CallOptions): Promise<void> {
    await this.transport.call("UpdateEnvironmentClass", request, options);
  }
}
