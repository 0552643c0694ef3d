/**
 * HTTPS_PROXY set to something with a password that is not a valid URL. Node's own error
 * (ERR_INVALID_URL) would print the whole value; the action and the CLI must instead fail with a
 * clear message that names the variable, through setFailed, without the password anywhere.
 */
import { describe, expect, it } from "vitest";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const PASSWORD = "pr0xy-Pa55word-canary";
const BAD_PROXIES = [`http://user:${PASSWORD}@proxy host:3128`, `user:${PASSWORD}@:::`];

describe("a proxy variable that is not a URL", () => {
  for (const value of BAD_PROXIES) {
    it(`the action fails cleanly for ${JSON.stringify(value.replace(PASSWORD, "…"))}`, async () => {
      const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "plan" }, { HTTPS_PROXY: value });
      expect(result.code).toBe(1);
      const everything = result.stdout + result.stderr + result.summary + JSON.stringify(result.outputs);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain("ERR_INVALID_URL");
      expect(result.stdout).toContain("::error::HTTPS_PROXY is not a valid http(s) URL");
      expect(h.emu.requests.count()).toBe(0);
    });
  }

  it("the CLI fails cleanly too, naming the variable (lower case http_proxy)", async () => {
    const result = await h.cli(sampleConfig(LARGE_INSTANCE), ["plan"], { http_proxy: BAD_PROXIES[0] ?? "" });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).toContain("http_proxy is not a valid http(s) URL");
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("an api-url input with a password that does not parse is named, not echoed", async () => {
    const result = await h.action(sampleConfig(LARGE_INSTANCE), {
      mode: "plan",
      "api-url": `https://ops:${PASSWORD}@api example.com`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::input api-url must be a URL");
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});
