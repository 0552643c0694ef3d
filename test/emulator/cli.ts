/**
 * `npm run emulator -- [options]`: starts the emulator and prints the two environment variables a
 * client needs. Stops on SIGINT/SIGTERM. Every behaviour option is off by default.
 */
import { parseArgs } from "node:util";
import { DEFAULT_RUNNERS } from "./fixtures.js";
import { type EmulatorOptions, startEmulator } from "./index.js";

const USAGE = `usage: npm run emulator -- [--help] [--port 8787] [--token T] [--latency-ms N]
  [--list-lag-ms N]            creates show up in List N ms later
  [--validate-latency-ms N]    extra delay of ValidateRunnerConfiguration
  [--offline-runner ID]        this runner is offline (repeatable)
  [--offline-code CODE]        failed_precondition (default) or unavailable
  [--page-token-ttl-s N]       page tokens older than N s are invalid_argument
  [--rate-limit-rps N]         per-token rate limit; 429 + Retry-After above it
  [--allow-duplicate-scm-hosts] [--case-sensitive-hosts] [--allow-duplicate-host-tokens]
  [--allow-issuer-url-without-oauth] [--allow-scheme-in-host]`;

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integerOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  port: { type: "string" },
  token: { type: "string" },
  "latency-ms": { type: "string" },
  "list-lag-ms": { type: "string" },
  "validate-latency-ms": { type: "string" },
  "offline-runner": { type: "string", multiple: true },
  "offline-code": { type: "string" },
  "page-token-ttl-s": { type: "string" },
  "rate-limit-rps": { type: "string" },
  "allow-duplicate-scm-hosts": { type: "boolean" },
  "allow-duplicate-host-tokens": { type: "boolean" },
  "case-sensitive-hosts": { type: "boolean" },
  "allow-issuer-url-without-oauth": { type: "boolean" },
  "allow-scheme-in-host": { type: "boolean" },
} as const;

async function main(): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>["values"];
  try {
    ({ values } = parseArgs({ options: OPTIONS, strict: true }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = integerOption("port", values.port, 8787);
  if (port > 65535) fail(`--port must be at most 65535, got ${port}`);
  const offline = new Set(values["offline-runner"] ?? []);
  for (const id of offline) {
    if (!DEFAULT_RUNNERS.some((runner) => runner.id === id))
      fail(`--offline-runner ${id} is not a fixture runner`);
  }
  const offlineCode = values["offline-code"];
  if (offlineCode !== undefined && offlineCode !== "failed_precondition" && offlineCode !== "unavailable") {
    fail(`--offline-code must be failed_precondition or unavailable, got "${offlineCode}"`);
  }
  const rps = integerOption("rate-limit-rps", values["rate-limit-rps"], 0);
  const options: EmulatorOptions = {
    port,
    latencyMs: integerOption("latency-ms", values["latency-ms"], 0),
    listLagMs: integerOption("list-lag-ms", values["list-lag-ms"], 0),
    validateLatencyMs: integerOption("validate-latency-ms", values["validate-latency-ms"], 0),
    pageTokenTtlSeconds: integerOption("page-token-ttl-s", values["page-token-ttl-s"], 0),
    ...(rps > 0 && { rateLimit: { rps } }),
    ...(offlineCode && { offlineRunnerCode: offlineCode }),
    ...(offline.size > 0 && {
      fixtures: {
        runners: DEFAULT_RUNNERS.map((runner) => ({ ...runner, online: !offline.has(runner.id) })),
      },
    }),
    ...(values["allow-duplicate-scm-hosts"] && { uniqueScmHostPerRunner: false }),
    ...(values["case-sensitive-hosts"] && { caseInsensitiveHosts: false }),
    ...(values["allow-duplicate-host-tokens"] && { uniqueHostTokenPerSubject: false }),
    ...(values["allow-issuer-url-without-oauth"] && { refuseIssuerUrlWithoutOAuth: false }),
    ...(values["allow-scheme-in-host"] && { refuseSchemeInHost: false }),
    ...(values.token && { token: values.token }),
  };
  const emulator = await startEmulator(options);
  process.stdout.write(
    `Gitpod API emulator (gitpod.v1.RunnerConfigurationService) listening\n` +
      `ONA_BASE_URL=${emulator.url}\nONA_API_KEY=${emulator.token}\n` +
      // The legacy names too, for clients that read only those (the same values: no warning).
      `GITPOD_BASE_URL=${emulator.url}\nGITPOD_API_KEY=${emulator.token}\n`,
  );
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
