/**
 * A corpus of bad runner-config files (test/action/bad-configs/). Each one must be rejected with
 * its message at its line, and none may make a single write call at the API.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { runSync } from "../../shared/sync/engine.js";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";

const DIR = join(import.meta.dirname, "bad-configs");

/** file -> [line, a part of the message] of the error it must produce. */
const EXPECTED: Record<string, [number, string | RegExp]> = {
  "01-syntax-unclosed-flow.yaml": [3, /YAML: the flow collection .* opened here is never closed/],
  "02-syntax-bad-indentation.yaml": [7, "YAML: Sequence item without - indicator"],
  "03-duplicate-yaml-key.yaml": [8, "YAML: duplicate key"],
  "04-wrong-version.yaml": [1, "version must be 1"],
  "05-missing-runners.yaml": [1, "runners is required"],
  "06-unknown-top-level-key.yaml": [2, 'unknown key "organisation"'],
  "07-unknown-class-key.yaml": [6, 'unknown key "disk"'],
  "08-enabled-wrong-type.yaml": [6, 'enabled: expected true or false, got "yes"'],
  "09-runner-id-not-uuid.yaml": [3, "id must be a runner id (a UUID)"],
  "10-duplicate-environment-class.yaml": [8, 'duplicate environment class "Large Instance"'],
  "11-duplicate-scm-integration.yaml": [9, "duplicate SCM integration gitlab for host GitLab.example.com"],
  "12-literal-client-secret.yaml": [9, "a literal secret in this file would be committed to git"],
  "13-unset-secret-variable.yaml": [9, "environment variable NOT_SET_ANYWHERE_OAUTH_SECRET is not set"],
  "14-unknown-scm-id.yaml": [5, 'unknown scmId "subversion"'],
  "15-unknown-configuration-key.yaml": [8, 'unknown configuration key "gpuCount"'],
  "16-missing-required-configuration.yaml": [7, 'missing required configuration key "instanceType"'],
  "17-disk-size-out-of-range.yaml": [8, "diskSize must be at most 2000, got 5000"],
  "18-disk-size-not-an-integer.yaml": [8, 'diskSize must be an integer, got "100.5"'],
  "19-image-id-pattern.yaml": [8, "imageId must match ^ami-[0-9a-f]{8,17}$"],
  "20-instance-type-not-offered.yaml": [7, "instanceType must be one of m6i.large"],
  "21-spot-not-a-boolean.yaml": [8, 'spot must be true or false, got "sometimes"'],
  "22-server-display-name-too-short.yaml": [5, "display name must be at least 3 characters"],
  "50-new-class-without-description.yaml": [5, "the API refuses a new class without a description"],
  "23-server-description-too-long.yaml": [6, "description must be at most 200 characters"],
  "24-server-wrong-oauth-secret.yaml": [10, "rejected the OAuth client secret"],
  "25-server-malformed-host.yaml": [6, "is not a valid hostname[:port]"],
  "26-server-virtual-directory-on-github.yaml": [
    7,
    "virtualDirectory is only supported for azure-devops-server",
  ],
  "27-runner-not-found.yaml": [3, "was not found (or this token cannot see it)"],
  "28-oauth-without-secret.yaml": [8, "clientSecret is required"],
  "29-environment-classes-not-a-list.yaml": [5, "environmentClasses: expected a list, got a map"],
  "30-configuration-value-is-a-map.yaml": [8, "instanceType: must be a string, a number or a boolean"],
  "31-server-unknown-oauth-client.yaml": [8, 'OAuth client id "not-a-registered-client" is not registered'],
  "32-host-token-literal-token.yaml": [11, "a literal token in this file would be committed to git"],
  "33-host-token-bad-expires-at.yaml": [
    12,
    'expiresAt must be an RFC 3339 time with a time zone, e.g. 2027-01-31T00:00:00Z, got "next tuesday"',
  ],
  "34-host-token-unknown-integration.yaml": [12, 'integration "gitlab" is not an scmId of this runner'],
  "35-host-token-user-subject.yaml": [6, 'unknown key "user"'],
  "36-host-token-duplicate.yaml": [
    13,
    "duplicate host token of service account 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6 for host GitHub.com",
  ],
  "37-llm-literal-api-key.yaml": [8, "a literal API key in this file would be committed to git"],
  "38-llm-model-typo.yaml": [
    8,
    '"sonnet-4" is not a model name: models are the service\'s full names such as SUPPORTED_MODEL_SONNET_4 (did you mean "SUPPORTED_MODEL_SONNET_4"?)',
  ],
  "39-llm-duplicate-endpoint.yaml": [
    8,
    "duplicate LLM integration for endpoint https://LLM.example.com/v1/ in this runner",
  ],
  "40-llm-literal-header-value.yaml": [
    12,
    `value must be a \${ENV_VAR} reference: a literal header value in this file would be committed to git`,
  ],
  "41-llm-endpoint-not-a-url.yaml": [
    5,
    'endpoint must be an http(s) URL such as https://api.anthropic.com, got "api.anthropic.com"',
  ],
};

let emu: Emulator;
let client: GitpodClient;
beforeAll(async () => {
  emu = await startEmulator();
  client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe("bad runner-config files", () => {
  it("the corpus has at least 25 files, each with an expectation", () => {
    const files = readdirSync(DIR).filter((name) => name.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, [line, message]] of Object.entries(EXPECTED)) {
    it(`${name}: rejected at line ${line}, zero writes`, async () => {
      emu.requests.clear();
      const result = await runSync(client, {
        file: name,
        text: readFileSync(join(DIR, name), "utf8"),
        env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, WRONG_OAUTH_SECRET: "not-the-app-secret" },
        mode: "apply",
        concurrency: 4,
        prune: false,
        allowDestructive: false,
        rotateSecrets: false,
      });
      expect(result.ok).toBe(false);
      expect(result.apply).toBeUndefined();
      const match = result.issues.find((issue) =>
        typeof message === "string" ? issue.message.includes(message) : message.test(issue.message),
      );
      expect(match, JSON.stringify(result.issues)).toBeDefined();
      expect(match?.line).toBe(line);
      expect(match?.file).toBe(name);
      expect(match?.column).toBeGreaterThanOrEqual(1);
      expect(emu.requests.writes()).toHaveLength(0);
    });
  }

  it("collects every error of a file, not only the first", async () => {
    const text = readFileSync(join(DIR, "17-disk-size-out-of-range.yaml"), "utf8")
      .replace(
        "displayName: Large Instance",
        "displayName: Large Instance\n        description: A large class",
      )
      .replace("instanceType: m6i.large", "instanceType: t3.micro")
      .concat("          spot: maybe\n");
    const result = await runSync(client, {
      file: "many.yaml",
      text,
      env: {},
      mode: "plan",
      concurrency: 4,
      prune: false,
      allowDestructive: false,
      rotateSecrets: false,
    });
    expect(result.issues.map((issue) => issue.line)).toEqual([8, 9, 10]);
  });
});

describe("errors of different stages", () => {
  it("reports a literal secret and the live-schema errors of the same file together, and writes nothing", async () => {
    const text = `version: 1
runners:
  - id: d2c94c27-3b76-4a42-b88c-95a85e392c68
    environmentClasses:
      - displayName: Large Instance
        description: A large class
        configuration:
          instanceType: m7.huge
    scmIntegrations:
      - scmId: github
        host: github.com
        oauth:
          clientId: Iv1.8a61f9b3a7aba766
          clientSecret: committed-by-mistake
`;
    emu.requests.clear();
    const result = await runSync(client, {
      file: "mixed.yaml",
      text,
      env: {},
      mode: "apply",
      concurrency: 4,
      prune: false,
      allowDestructive: false,
      rotateSecrets: false,
    });
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => [issue.line, issue.path])).toEqual([
      [8, "runners[0].environmentClasses[0].configuration.instanceType"],
      [14, "runners[0].scmIntegrations[0].oauth.clientSecret"],
    ]);
    expect(emu.requests.writes()).toHaveLength(0);
    expect(emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    expect(JSON.stringify(result)).not.toContain("committed-by-mistake");
  });
});
