/**
 * Hostile or broken runner-config files, fed to the CLI as a process and to the bundled action: an
 * alias bomb, `${constructor}` / `${__proto__}` secret references, a `__proto__` key, oversized files
 * and fields, invalid UTF-8 and an unclosed quote far from the end. Each is a clear error at its file
 * and line, and nothing is written (the fatal ones send no request at all).
 */
import { describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { CONFIG_FILE, useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();

function billionLaughs(): string {
  const lines = ["version: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(",")}]`);
  }
  lines.push(`runners:\n  - id: ${RUNNER_EU_ID}`);
  return `${lines.join("\n")}\n`;
}

const OAUTH_WITH = (reference: string) => `      - scmId: github
        host: github.com
        oauth:
          clientId: client
          clientSecret: \${${reference}}
`;

async function cliPlan(config: string | Buffer) {
  return h.cli(config, ["plan"]);
}

describe("hostile config files, through the CLI", () => {
  it("an alias bomb (billion laughs) is refused at the first alias, with file and line", async () => {
    const result = await cliPlan(billionLaughs());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`${CONFIG_FILE}:3:\\d+: YAML: aliases expand to too many nodes`),
    );
    expect(h.emu.requests.count()).toBe(0);
  });

  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    it(`clientSecret: \${${name}} is an unset variable, not a crash`, async () => {
      const result = await cliPlan(sampleConfig(LARGE_INSTANCE, OAUTH_WITH(name)));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${CONFIG_FILE}:16:25:`);
      expect(result.stderr).toContain(`environment variable ${name} is not set (clientSecret)`);
      expect(result.stderr).not.toContain("Cannot read properties");
      expect(h.emu.requests.writes()).toHaveLength(0);
    });
  }

  it("a __proto__ key is an unknown key like any other, in configuration and at the top", async () => {
    const config = sampleConfig(`${LARGE_INSTANCE}          __proto__: m6i.large\n`).replace(
      "version: 1\n",
      "version: 1\n__proto__: {}\n",
    );
    const result = await cliPlan(config);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("2 errors");
    expect(result.stderr).toContain(`${CONFIG_FILE}:2:1: unknown key "__proto__"`);
    expect(result.stderr).toContain(`${CONFIG_FILE}:11:11: unknown key "__proto__"`);
    // The file parses: only the runner's schema is read (its errors come in the same run); nothing is sent.
    expect(h.emu.requests.all().map((entry) => entry.rpc)).toEqual(["GetRunnerConfigurationSchema"]);
  });

  it("a 50 MB file is refused before it is read, naming the limit", async () => {
    const big = sampleConfig(LARGE_INSTANCE.replace("8 CPU, 32 GiB RAM", "x".repeat(50 * 1024 * 1024)));
    const result = await cliPlan(big);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bytes; the limit is 16777216 bytes \(16 MiB\)/);
    expect(h.emu.requests.count()).toBe(0);
  });

  it("fields over the API's lengths are refused at their line before any upload", async () => {
    const config = sampleConfig(
      LARGE_INSTANCE.replace("8 CPU, 32 GiB RAM", "d".repeat(5000)).replace(
        "Large Instance",
        "N".repeat(128),
      ),
    );
    const result = await cliPlan(config);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${CONFIG_FILE}:6:`);
    expect(result.stderr).toContain("displayName must be at most 127 characters, got 128");
    expect(result.stderr).toContain(`${CONFIG_FILE}:7:`);
    expect(result.stderr).toContain("description must be at most 200 characters, got 5000");
    // The file parses: only the runner's schema is read (its errors come in the same run); nothing is sent.
    expect(h.emu.requests.all().map((entry) => entry.rpc)).toEqual(["GetRunnerConfigurationSchema"]);
  });

  it("invalid UTF-8 is refused at the line of the first bad byte, not stored as U+FFFD", async () => {
    const text = sampleConfig(LARGE_INSTANCE);
    const at = text.indexOf("8 CPU");
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text.slice(at)),
    ]);
    const result = await cliPlan(bytes);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${CONFIG_FILE}:7:22: the file is not valid UTF-8`);
    expect(h.emu.requests.count()).toBe(0);
  });

  it("an unclosed quote on line 5 of a 500-line file is reported at line 5", async () => {
    const lines = sampleConfig(LARGE_INSTANCE).split("\n");
    lines[4] = `    name: "aws-eu`;
    const filler = Array.from({ length: 500 - lines.length }, (_, i) => `# filler ${i}`);
    const result = await cliPlan([...lines, ...filler].join("\n"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `${CONFIG_FILE}:5:11: YAML: the double quote opened here is never closed \\(the parser gave up at line \\d+\\)`,
      ),
    );
    expect(h.emu.requests.count()).toBe(0);
  });
});

describe("hostile config files, through the bundled action", () => {
  it("annotates the invalid UTF-8 line and fails the step without calling the API", async () => {
    const text = sampleConfig(LARGE_INSTANCE);
    const at = text.indexOf("m6i");
    const config = `${text.slice(0, at)}\u00ff${text.slice(at)}`;
    // Written as latin1 so \u00ff becomes the single byte 0xff (invalid in UTF-8).
    const result = await h.action(Buffer.from(config, "latin1"), { mode: "plan" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error title=runner-config,file=\.gitpod\/runner-config\.yaml,line=9,/);
    expect(h.emu.requests.count()).toBe(0);
  });
});
