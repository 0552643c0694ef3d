/**
 * The README's adoption path, run literally. Its commands are taken from README.md's code blocks (so
 * this fails when the README drifts from the product) and run in an empty git repository against the
 * emulator: lines that run the CLI run the built CLI (dist/cli.js: `npm run build` first), `export
 * NAME=…` lines stand for the emulator's values, and the output a line's comment promises ("No
 * changes.") must be printed. Then step 2's workflow step, as the README shows it, plans the exported
 * file through the bundled action, with the secrets step 3 says to add.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type Emulator,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { runAction, runCli } from "../support/run-action.js";

const README = await readFile("README.md", "utf8");

/** The part of the README between the adoption heading and the next `## ` heading. */
function adoptionSection(): string {
  const start = README.indexOf("## Adopt it");
  expect(start, "README has no adoption section").toBeGreaterThanOrEqual(0);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(section: string, languages: readonly string[]): string[] {
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)]
    .filter((match) => languages.includes(match[1] ?? ""))
    .map((match) => match[2] ?? "");
}

interface ReadmeLine {
  line: string;
  command: string;
  /** The output the line's comment promises in quotes, e.g. "No changes.". */
  promised: string | undefined;
}

/** The shell lines of the adoption steps, without their comments. */
function adoptionLines(): ReadmeLine[] {
  return codeBlocks(adoptionSection(), ["sh", "bash", "shell", "console"]).flatMap((block) =>
    block
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
      .map((line) => {
        const comment = /\s#\s?(.*)$/.exec(line);
        const command = (comment ? line.slice(0, comment.index) : line).trim();
        return { line, command, promised: comment?.[1] ? /"([^"]+)"/.exec(comment[1])?.[1] : undefined };
      }),
  );
}

/** A command's words: whitespace-separated, with '…' and "…" kept together. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

/** The CLI's arguments when the line runs the CLI (the package's bin under either name), else undefined. */
function cliArguments(command: string): string[] | undefined {
  const [first, ...rest] = words(command);
  if (first !== "npx") return undefined;
  while (rest[0] === "-y" || rest[0] === "--yes") rest.shift();
  const name = rest.shift() ?? "";
  return /^(gitpod-runner-config|@gitpod-runner-config\/cli)(@[^\s]+)?$/.test(name) ? rest : undefined;
}

/** What an `export NAME=…` line stands for here: the API's token or address is the emulator's. */
function emulatorValue(name: string, emu: Emulator): string {
  if (/_API_(KEY|TOKEN)$/.test(name)) return emu.token;
  if (/_BASE_URL$/.test(name)) return emu.url;
  throw new Error(`README exports ${name}: this test does not know which emulator value it stands for`);
}

let emu: Emulator;
let repo: string;

beforeAll(async () => {
  emu = await startEmulator();
  // Runners as a team has them before adopting: classes, and GitHub with OAuth (its secret cannot be read back).
  const configuration = [{ key: "instanceType", value: "m6i.large" }];
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Small", configuration });
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_US_ID, displayName: "Small", configuration });
  seedGitHubIntegration(emu.state);
  repo = await mkdtemp(join(tmpdir(), "runner-config-journey-"));
  await promisify(execFile)("git", ["init", "--quiet", repo]);
});
afterAll(async () => {
  await emu.close();
  await rm(repo, { recursive: true, force: true });
});

describe("the README's adoption path, in an empty git repository", () => {
  it("step 1: every command works as written, and prints what the README promises", async () => {
    const lines = adoptionLines();
    expect(lines.filter((line) => cliArguments(line.command)).length).toBeGreaterThanOrEqual(2);
    // The API's address: the real one is the default; here it is the emulator (under either variable name).
    const env: Record<string, string> = { GITPOD_BASE_URL: emu.url, ONA_BASE_URL: emu.url };
    for (const { line, command, promised } of lines) {
      if (/^npm ci\b/.test(command)) continue; // installs this package; the test runs its build
      const exported = /^export ([A-Za-z_][A-Za-z0-9_]*)=/.exec(command);
      if (exported?.[1]) {
        env[exported[1]] = emulatorValue(exported[1], emu);
        continue;
      }
      const args = cliArguments(command);
      if (!args) throw new Error(`README line not understood by the journey test: ${line}`);
      const result = await runCli(args, { cwd: repo, env });
      expect(result.code, `${command}\n${result.stdout}${result.stderr}`).toBe(0);
      if (promised) expect(`${result.stdout}${result.stderr}`, command).toContain(promised);
    }
    const file = await readFile(join(repo, ".gitpod/runner-config.yaml"), "utf8");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${VAR} syntax
    expect(file).toContain("clientSecret: ${OAUTH_SECRET_GITHUB_COM}");
    expect(file).not.toContain(GITHUB_OAUTH_SECRET);
  });

  it("steps 2 and 3: the workflow step as shown plans the exported file, with the secrets named as the file names them", async () => {
    const file = await readFile(join(repo, ".gitpod/runner-config.yaml"), "utf8");
    const referenced = [...file.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? "");
    expect(referenced).toEqual(["OAUTH_SECRET_GITHUB_COM"]);
    const [block] = codeBlocks(adoptionSection(), ["yaml", "yml"]);
    type Step = { uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
    const step = (parse(block ?? "") as Step[]).find((s) => s.uses?.includes("gitpod-runner-config@"));
    expect(step, "README shows no step that uses the action").toBeDefined();
    // The secrets step 3 says to add: the API token, and one per variable, under the variable's name.
    const secrets: Record<string, string> = {
      GITPOD_API_TOKEN: emu.token,
      OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET,
      GITHUB_TOKEN: "",
    };
    const secretOf = (value: unknown) => {
      const name = /^\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}$/.exec(String(value))?.[1];
      if (name === undefined) return String(value);
      const secret = secrets[name];
      if (secret === undefined) throw new Error(`README passes secrets.${name}, which step 3 does not add`);
      return secret;
    };
    const env = Object.fromEntries(Object.entries(step?.env ?? {}).map(([k, v]) => [k, secretOf(v)]));
    for (const variable of referenced) expect(Object.keys(env)).toContain(variable);
    const inputs = Object.fromEntries(
      Object.entries(step?.with ?? {}).map(([name, value]) => [name, secretOf(value)]),
    );
    expect(inputs.mode).toBe("plan");
    const result = await runAction({
      workspace: repo,
      inputs: { ...inputs, "api-url": emu.url },
      env,
    });
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.outputs.summary).toMatch(/^No changes\./);
    // Only in the `::add-mask::` command that tells the runner to hide it.
    expect(result.everything.replace(/^::add-mask::.*$/gm, "")).not.toContain(GITHUB_OAUTH_SECRET);
  });
});
