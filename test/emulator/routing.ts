/**
 * Maps a request path to an RPC: `/gitpod.v1.RunnerConfigurationService/{Method}` under any prefix
 * (the public base URL is https://app.gitpod.io/api, so `/api/...` must work too).
 */
import { isRpcName, type RpcName, SERVICE } from "./messages.js";

export type Route = { rpc: RpcName; name: RpcName } | { rpc: undefined; name: string };

const SERVICE_SEGMENT = `/${SERVICE}/`;

export function routeRequest(pathname: string): Route {
  const index = pathname.lastIndexOf(SERVICE_SEGMENT);
  if (index === -1) return { rpc: undefined, name: pathname };
  const method = pathname.slice(index + SERVICE_SEGMENT.length);
  if (isRpcName(method)) return { rpc: method, name: method };
  return { rpc: undefined, name: method || pathname };
}
