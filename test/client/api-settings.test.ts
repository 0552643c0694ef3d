/**
 * Ona's names first, then the legacy Gitpod names, each setting on its own: the shared resolver, and
 * the client reading the environment with it, naming the variable it read when the token is refused.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiKeyFromEnvironment, baseUrlFromEnvironment } from "../../shared/api/api-settings.js";
import { describeApiError, GitpodApiError, GitpodClient } from "../../shared/api/index.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { emulator, onCleanup, rejectionOf } from "./setup.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the resolver", () => {
  it("reads ONA_* first, then GITPOD_*, and says which variable it read", () => {
    expect(apiKeyFromEnvironment({ ONA_API_KEY: "a" })).toEqual({
      found: { value: "a", variable: "ONA_API_KEY" },
    });
    expect(apiKeyFromEnvironment({ GITPOD_API_KEY: "b" })).toEqual({
      found: { value: "b", variable: "GITPOD_API_KEY" },
    });
    expect(
      baseUrlFromEnvironment({ ONA_BASE_URL: "https://o/api", GITPOD_BASE_URL: "https://o/api" }),
    ).toEqual({
      found: { value: "https://o/api", variable: "ONA_BASE_URL" },
    });
    expect(apiKeyFromEnvironment({})).toEqual({ found: undefined });
  });

  it("resolves each setting on its own, and treats a blank value as unset", () => {
    const env = { ONA_API_KEY: "  ", GITPOD_API_KEY: "legacy", ONA_BASE_URL: "https://ona/api" };
    expect(apiKeyFromEnvironment(env).found?.variable).toBe("GITPOD_API_KEY");
    expect(baseUrlFromEnvironment(env).found?.variable).toBe("ONA_BASE_URL");
  });

  it("warns when both names are set and differ, naming the variables and never the values", () => {
    const { found, warning } = apiKeyFromEnvironment({
      ONA_API_KEY: "canary-ona-1",
      GITPOD_API_KEY: "canary-gitpod-2",
    });
    expect(found?.variable).toBe("ONA_API_KEY");
    expect(warning).toBe(
      "ONA_API_KEY and GITPOD_API_KEY are both set and differ: using ONA_API_KEY (unset GITPOD_API_KEY, the legacy name)",
    );
    expect(warning).not.toContain("canary");
  });
});

describe("the client, from the environment", () => {
  it("works with only ONA_API_KEY and ONA_BASE_URL, and with only the legacy names", async () => {
    const emu = await emulator();
    for (const env of [
      { ONA_API_KEY: emu.token, ONA_BASE_URL: emu.url },
      { GITPOD_API_KEY: emu.token, GITPOD_BASE_URL: emu.url },
      { ONA_API_KEY: emu.token, GITPOD_BASE_URL: emu.url },
    ]) {
      const client = new GitpodClient({ env });
      onCleanup(() => client.close());
      expect(client.baseUrl).toBe(emu.url);
      await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
    }
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(3);
  });

  it("names the variable it read when the API rejects the token", async () => {
    const emu = await emulator();
    for (const variable of ["ONA_API_KEY", "GITPOD_API_KEY"]) {
      const client = new GitpodClient({ env: { [variable]: "wrong-token", ONA_BASE_URL: emu.url } });
      onCleanup(() => client.close());
      const error = (await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }))) as GitpodApiError;
      expect(error).toBeInstanceOf(GitpodApiError);
      expect(error.message).toMatch(new RegExp(`\\(HTTP 401\\); check ${variable}$`));
      expect(describeApiError(error).text).toBe(
        `The Gitpod API rejected the API token (unauthenticated): check ${variable} (GetRunnerConfigurationSchema).`,
      );
    }
  });

  it("uses the caller's words for where the token is set, and has no face's words of its own", async () => {
    const emu = await emulator();
    const client = new GitpodClient({
      baseUrl: emu.url,
      apiKey: "wrong-token",
      settingNames: { apiKey: "the api-token input" },
    });
    onCleanup(() => client.close());
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));
    expect(describeApiError(error).text).toBe(
      "The Gitpod API rejected the API token (unauthenticated): check the api-token input (GetRunnerConfigurationSchema).",
    );
    // An error without advice (a plain one, or from elsewhere) names no face at all.
    const plain = describeApiError({ code: "unauthenticated" }).text;
    expect(plain).toBe("The Gitpod API rejected the API token (unauthenticated): check the API token.");
    expect(plain).not.toMatch(/input|bot|GITPOD_|ONA_/);
  });

  it("names the variable a bad address came from", () => {
    expect(
      () => new GitpodClient({ env: { ONA_API_KEY: "x", GITPOD_BASE_URL: "ftp://example.com" } }),
    ).toThrow('Invalid Gitpod API base URL "ftp://example.com" (GITPOD_BASE_URL): expected an http(s) URL.');
  });

  it("warns through the process when both token names are set and differ", () => {
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const client = new GitpodClient({ env: { ONA_API_KEY: "one-value", GITPOD_API_KEY: "another-value" } });
    onCleanup(() => client.close());
    expect(emitted).toHaveBeenCalledTimes(1);
    expect(String(emitted.mock.calls[0]?.[0])).toContain("using ONA_API_KEY");
    expect(String(emitted.mock.calls[0]?.[0])).not.toContain("value");
  });
});
