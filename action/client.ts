/** The API client the action and the CLI use, with optional tuning from the environment. */
import { baseUrlFromEnvironment } from "../shared/api/api-settings.js";
import { GitpodClient } from "../shared/api/index.js";
import type { SettingNames } from "../shared/api/transport.js";
import { connectionsFor } from "../shared/sync/engine.js";

function numberFromEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return number;
}

/**
 * `apiUrl` undefined: ONA_BASE_URL, else GITPOD_BASE_URL, else the default. `settingNames`: how the
 * face names where the token and the address are set, for errors a person fixes by changing one.
 */
export function clientFor(
  apiToken: string,
  apiUrl: string | undefined,
  env: Record<string, string | undefined> = process.env,
  concurrency?: number,
  settingNames?: SettingNames,
): GitpodClient {
  const fromEnv = apiUrl === undefined ? baseUrlFromEnvironment(env).found : undefined;
  const baseUrl = apiUrl ?? fromEnv?.value;
  // Tuning knobs for slow networks (and fast tests): per-attempt timeout and retry backoff base.
  const timeoutMs = numberFromEnv(env, "GITPOD_CLIENT_TIMEOUT_MS");
  const retryBaseDelayMs = numberFromEnv(env, "GITPOD_CLIENT_RETRY_BASE_MS");
  const retryMaxDelayMs = numberFromEnv(env, "GITPOD_CLIENT_RETRY_MAX_MS");
  return new GitpodClient({
    apiKey: apiToken,
    // As wide as the sync's validation rounds, so none of them waits for a free connection.
    ...(concurrency === undefined ? {} : { connections: connectionsFor(concurrency) }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    settingNames: { ...(fromEnv ? { baseUrl: fromEnv.variable } : {}), ...settingNames },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retryBaseDelayMs === undefined ? {} : { retryBaseDelayMs }),
    ...(retryMaxDelayMs === undefined ? {} : { retryMaxDelayMs }),
  });
}
