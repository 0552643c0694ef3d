/**
 * Workflow-command injection into the runner's log: an environment class created through the API
 * (or named in the file) as `legacy\n::error title=Approved::Security review passed`, with
 * `::add-mask::` and `::stop-commands::` lines and the old `##[` form. The bundled action and the CLI
 * print these names, but no printed line may parse as a command the text did not come from us.
 */
import { describe, expect, it } from "vitest";
import { GITHUB_OAUTH_SECRET, RUNNER_EU_ID } from "../emulator/index.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();

const FORGED = [
  "legacy\n::error title=Approved::Security review passed",
  "x\n  ::add-mask::Large Instance",
  "y\r\n::stop-commands::pwned",
  "z ##[error]old-style command",
  "::warning::at the very start",
];

/** Lines the runner would take as commands, other than the ones our own code issues. */
function forgedCommands(stdout: string): string[] {
  return (
    stdout
      .split("\n")
      .filter((line) => /^\s*::/.test(line) || line.includes("##["))
      // Our own: masks for the API token and the file's secret, and setFailed's error.
      .filter((line) => !/^::add-mask::emu_/.test(line) && line !== `::add-mask::${GITHUB_OAUTH_SECRET}`)
      .filter((line) => !/^::error::\d+ error\(s\)|^::error::drift/.test(line))
      .filter((line) => !/^::(error|warning) title=runner-config,file=/.test(line))
      .filter((line) => !/^::(debug|group|endgroup)/.test(line))
  );
}

describe("names that try to forge workflow commands", () => {
  it("class display names from the API print inertly (plan with prune)", async () => {
    for (const displayName of FORGED)
      h.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName });
    const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "plan", prune: "true" });
    expect(result.code, result.stdout).toBe(0);
    expect(forgedCommands(result.stdout)).toEqual([]);
    // They are still shown: one line each, newlines visible as \n.
    expect(result.stdout).toContain("disable environment class legacy\\n::error title=Approved");
    expect(result.stdout).toContain("#\u200b#[error]old-style command");
    expect(result.stdout).not.toContain("Large Instance\n::add-mask");
  });

  it("a display name with a newline in the file prints inertly", async () => {
    const config = sampleConfig(
      LARGE_INSTANCE.replace(
        "displayName: Large Instance",
        'displayName: "Large\\n::error title=Approved::Security review passed\\n::add-mask::Large"',
      ),
    );
    const result = await h.action(config, { mode: "plan" });
    expect(forgedCommands(result.stdout)).toEqual([]);
    expect(result.stdout).not.toMatch(/^::add-mask::Large$/m);
    expect(result.stdout).toContain("create environment class Large\\n::error title=Approved");
  });

  it("the CLI's output is inert too (it may run inside a workflow step)", async () => {
    for (const displayName of FORGED)
      h.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName });
    const result = await h.cli(sampleConfig(LARGE_INSTANCE), ["plan", "--prune"]);
    expect(forgedCommands(result.stdout + result.stderr)).toEqual([]);
    expect(result.stdout).toContain("legacy\\n::error title=Approved");
  });
});
