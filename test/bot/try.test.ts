/**
 * `npm run bot:try` as an admin runs it before creating the Slack app: the emulator, the Slack
 * stand-in and the bot start, help, list and validate are sent signed, what the bot would post is
 * printed, and everything stops (exit 0, no process left behind).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { GITHUB_OAUTH_SECRET } from "../emulator/index.js";

describe("npm run bot:try", () => {
  it("prints the bot's answers to help, list and validate, then exits cleanly", async () => {
    const { stdout, stderr } = await promisify(execFile)("npm", ["run", "--silent", "bot:try"], {
      timeout: 120_000,
    });
    expect(stderr).toBe("");
    const sections = stdout.split(/^\$ /m).slice(1);
    expect(sections.map((section) => section.split("\n")[0])).toEqual([
      "/gitpod-scm help",
      "/gitpod-scm list",
      "/gitpod-scm validate github.com",
    ]);
    const [help = "", list = "", validate = ""] = sections;
    expect(help).toContain("(only you see this)");
    expect(help).toContain("`/gitpod-scm rotate &lt;integration-id | host&gt;`");
    expect(list).toContain("*github.com* · github");
    expect(list).toContain("*gitlab.com* · gitlab");
    expect(list).toContain("Runner *aws-us");
    expect(validate).toContain("*github.com (github)*: the stored credentials are valid.");
    // The stored OAuth secret is never shown, even by the stand-in.
    expect(stdout).not.toContain(GITHUB_OAUTH_SECRET);
  }, 120_000);
});
