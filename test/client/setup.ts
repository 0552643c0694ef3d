/** Shared set-up for the client tests: servers and clients that are closed after every test. */
import { afterEach } from "vitest";
import { GitpodClient, type GitpodClientOptions } from "../../shared/api/index.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../emulator/index.js";
import { type RawServer, type Script, startRawServer } from "./raw-server.js";

/** Retry delays small enough for tests, large enough to be measurable. */
const FAST_RETRIES = { retryBaseDelayMs: 1, retryMaxDelayMs: 20 } as const;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  onCleanup(() => emu.close());
  return emu;
}

export async function rawServer(script: Script): Promise<RawServer> {
  const server = await startRawServer(script);
  onCleanup(() => server.close());
  return server;
}

export function clientFor(baseUrl: string, apiKey: string, extra: GitpodClientOptions = {}): GitpodClient {
  const client = new GitpodClient({ baseUrl, apiKey, ...FAST_RETRIES, env: {}, ...extra });
  onCleanup(() => client.close());
  return client;
}

/** The settled rejection of a promise (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
