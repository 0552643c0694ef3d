/**
 * The npm package as `npm publish` would send it, installed as a team installs it: for tests that run
 * it from outside the checkout (test/release/npm-package.test.ts; a README journey can run its
 * `npx @gitpod-runner-config/cli …` lines in the prefix, which is then the team's project).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export const PACKAGE = "@gitpod-runner-config/cli";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a shell outside the checkout: no npm_* variables from `npm test`, `node` from `nodeDir`. */
export function outsideEnv(nodeDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.toLowerCase().startsWith("npm_")) env[name] = value;
  }
  const path = (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => dir && !dir.includes("node_modules"))
    .join(":");
  return { ...env, PATH: `${nodeDir}:${path}`, ...extra };
}

/** A process to its end: its exit code and output (a non-zero exit is a result, not a throw). */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? failed.message };
  }
}

/**
 * Node `major` from the npm registry's `node` package, installed once into a folder under the
 * system's temporary directory and reused by later runs (it is about 30 MB to fetch).
 */
export async function nodeFromRegistry(major: number): Promise<string> {
  const home = join(tmpdir(), `gitpod-runner-config-node${major}`);
  const binary = join(home, "node_modules", "node", "bin", "node");
  const installed = await run(binary, ["--version"], tmpdir(), {}).catch(() => undefined);
  if (installed?.code === 0 && installed.stdout.startsWith(`v${major}.`)) return dirname(binary);
  // Installed beside it, then moved into place: two runs at once never see half an install.
  const fresh = await mkdtemp(`${home}-installing-`);
  const result = await run(
    "npm",
    ["install", "--prefix", fresh, `node@${major}`, "--no-audit", "--no-fund", "--no-save"],
    fresh,
    outsideEnv(dirname(process.execPath)),
  );
  if (result.code !== 0) {
    await rm(fresh, { recursive: true, force: true });
    throw new Error(
      `Could not fetch Node ${major} from the npm registry (npm install --prefix ${fresh} node@${major}) ` +
        `to test the package on it: ${result.stderr.trim()}`,
    );
  }
  await rm(home, { recursive: true, force: true });
  await rename(fresh, home).catch(async () => rm(fresh, { recursive: true, force: true }));
  return dirname(binary);
}

export interface PackResult {
  filename: string;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

/**
 * `npm pack` of this checkout into `work`, then `npm install --prefix <work>/prefix <tarball>` with
 * an empty npm cache and no registry: it works only while the package has no dependencies.
 */
export async function installPackedPackage(work: string): Promise<{ prefix: string; packed: PackResult }> {
  const node24 = dirname(process.execPath);
  const pack = await run(
    "npm",
    ["pack", "--json", "--pack-destination", work],
    process.cwd(),
    outsideEnv(node24),
  );
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const [packed] = JSON.parse(pack.stdout) as PackResult[];
  if (!packed) throw new Error(`npm pack said nothing about the tarball: ${pack.stdout}`);
  const prefix = join(work, "prefix");
  await mkdir(prefix);
  const install = await run(
    "npm",
    ["install", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", join(work, packed.filename)],
    prefix,
    outsideEnv(node24, { npm_config_cache: join(work, "empty-npm-cache") }),
  );
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  return { prefix, packed };
}
