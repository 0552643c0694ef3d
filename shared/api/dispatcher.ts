/**
 * The connection pool behind a client. Self-hosted runners often sit behind a proxy, so the usual
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables (either case) decide between a proxy-aware agent and
 * a plain keep-alive pool.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici";

type Env = Readonly<Record<string, string | undefined>>;

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** The proxy variables of an environment, upper case first; undefined when no proxy is set. */
export function proxySettingsOf(env: Env): ProxySettings | undefined {
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || "";
  const httpProxy = env.HTTP_PROXY || env.http_proxy || "";
  if (!httpsProxy && !httpProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: env.NO_PROXY ?? env.no_proxy ?? "" };
}

/** A keep-alive pool of `connections` sockets per origin, routed through a proxy when one is set. */
export function createDispatcher(env: Env, connections: number): Dispatcher {
  const proxy = proxySettingsOf(env);
  if (proxy) {
    // Empty strings (not undefined) so undici never falls back to process.env behind our back:
    // the caller's `env` is the only source of truth.
    return new EnvHttpProxyAgent({ ...proxy, connections, keepAliveTimeout: 30_000 });
  }
  return new Agent({ connections, keepAliveTimeout: 30_000 });
}
