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

/**
 * The proxy variables of an environment, upper case first; undefined when no proxy is set. A value
 * that is not a URL is refused here, by variable name only: the value may hold a password, and
 * undici's own error (ERR_INVALID_URL) would print it.
 */
export function proxySettingsOf(env: Env): ProxySettings | undefined {
  const httpsProxy = proxyVariable(env, "HTTPS_PROXY");
  const httpProxy = proxyVariable(env, "HTTP_PROXY");
  if (!httpsProxy && !httpProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: env.NO_PROXY ?? env.no_proxy ?? "" };
}

function proxyVariable(env: Env, name: "HTTPS_PROXY" | "HTTP_PROXY"): string {
  const lower = name.toLowerCase();
  const [used, value] = env[name] ? [name, env[name]] : [lower, env[lower] ?? ""];
  if (value && !isHttpUrl(value)) {
    throw new Error(
      `${used} is not a valid http(s) URL (expected e.g. http://user:password@proxy.example.com:3128); its value is not shown because it may contain a password`,
    );
  }
  return value;
}

/**
 * The secret parts of the proxy variables (passwords, and the whole values that hold them), so the
 * client can scrub them from everything a proxy or server sends back.
 */
export function proxySecrets(env: Env): string[] {
  const secrets: string[] = [];
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) {
    const value = env[name];
    if (!value || !URL.canParse(value)) continue;
    const { password } = new URL(value);
    if (!password) continue;
    secrets.push(value, password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // Not percent-encoded text: the raw form above is what a server could echo.
    }
  }
  return secrets;
}

/** `value` with any `user:password@` part of a URL hidden, for error messages. */
export function withoutCredentials(value: string): string {
  return value.replace(/[^\s/@]*@/g, "***@");
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "http:" || protocol === "https:";
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
