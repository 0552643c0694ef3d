/**
 * `npm run emulator -- [--port 8787] [--token T] [--latency-ms N]`: starts the emulator and prints the
 * two environment variables a client needs. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./index.js";

function fail(message: string): never {
  process.stderr.write(
    `emulator: ${message}\nusage: npm run emulator -- [--port 8787] [--token T] [--latency-ms N]\n`,
  );
  process.exit(2);
}

function integerOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  let values: { port?: string | undefined; token?: string | undefined; "latency-ms"?: string | undefined };
  try {
    ({ values } = parseArgs({
      options: { port: { type: "string" }, token: { type: "string" }, "latency-ms": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const port = integerOption("port", values.port, 8787);
  if (port > 65535) fail(`--port must be at most 65535, got ${port}`);
  const emulator = await startEmulator({
    port,
    latencyMs: integerOption("latency-ms", values["latency-ms"], 0),
    ...(values.token && { token: values.token }),
  });
  process.stdout.write(
    `Gitpod API emulator (gitpod.v1.RunnerConfigurationService) listening\n` +
      `GITPOD_BASE_URL=${emulator.url}\nGITPOD_API_KEY=${emulator.token}\n`,
  );
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
