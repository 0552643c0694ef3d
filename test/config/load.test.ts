/** Reading a runner-config file: normalised values, secret references, every error with its line. */
import { describe, expect, it } from "vitest";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { githubIntegrationConfig } from "../support/fixtures.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";

describe("loadRunnerConfig", () => {
  it("normalises scalar configuration values to strings and applies defaults", () => {
    const { desired, issues } = loadRunnerConfig(
      "c.yaml",
      `version: 1
runners:
  - id: ${RUNNER}
    environmentClasses:
      - displayName: Large
        configuration: { instanceType: m6i.large, diskSize: 100, spot: false }
    scmIntegrations:
      - scmId: github
        host: github.com
`,
      {},
    );
    expect(issues).toEqual([]);
    const runner = desired?.runners[0];
    expect(runner?.environmentClasses[0]?.configuration).toEqual({
      instanceType: "m6i.large",
      diskSize: "100",
      spot: "false",
    });
    expect(runner?.environmentClasses[0]?.enabled).toBe(true);
    expect(runner?.scmIntegrations[0]?.pat).toBe(false);
    expect(runner?.environmentClasses[0]?.line).toBe(5);
  });

  it("resolves secret references to environment variables and keeps only the name in the model", () => {
    const text = githubIntegrationConfig(
      RUNNER,
      `        oauth: { clientId: abc, clientSecret: "\${MY_SECRET}" }
`,
    );
    const { desired, secrets, issues } = loadRunnerConfig("c.yaml", text, { MY_SECRET: "s3cr3t-value" });
    expect(issues).toEqual([]);
    expect(desired?.runners[0]?.scmIntegrations[0]?.oauth?.clientSecretEnv).toBe("MY_SECRET");
    expect(secrets.get("MY_SECRET")).toBe("s3cr3t-value");
    expect(JSON.stringify(desired)).not.toContain("s3cr3t-value");
    // An unset variable is not an error of the file: the run decides whether it sends the secret.
    const unset = loadRunnerConfig("c.yaml", text, { MY_SECRET: "" });
    expect(unset.issues).toEqual([]);
    expect(unset.unsetSecrets.map((secret) => secret.variable)).toEqual(["MY_SECRET"]);
    expect(unset.unsetSecrets[0]?.issue("apply sends this secret").message).toBe(
      "environment variable MY_SECRET is not set (clientSecret): apply sends this secret",
    );
  });

  it("collects every structural error, in file order, each with line and column", () => {
    const { issues } = loadRunnerConfig(
      "c.yaml",
      `version: 1
runners:
  - id: ${RUNNER}
    label: eu
    environmentClasses:
      - displayName: Large
        enabled: maybe
      - displayName: Small
        configuration: [1, 2]
`,
      {},
    );
    expect(issues.map((issue) => [issue.line, issue.column, issue.path])).toEqual([
      [4, 5, "runners[0].label"],
      [7, 18, "runners[0].environmentClasses[0].enabled"],
      [9, 24, "runners[0].environmentClasses[1].configuration"],
    ]);
  });

  it("reports YAML syntax errors with line and column and no model", () => {
    const { desired, issues } = loadRunnerConfig("c.yaml", "version: 1\nrunners:\n  - id: [oops\n", {});
    expect(desired).toBeUndefined();
    expect(issues[0]?.message).toMatch(/^YAML: /);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("holds every secret field of every kind to one rule: a reference, never a literal, and never echoed", () => {
    const literals = ["gho_literal-oauth-secret-1f2e", "ghp_literal-token-3d4c", "literal-refresh-5b6a"];
    const text = githubIntegrationConfig(
      RUNNER,
      `        oauth:
          clientId: Iv1.abc
          clientSecret: ${literals[0]}
    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6
        token: ${literals[1]}
        refreshToken: ${literals[2]}
      - host: gitlab.com
        serviceAccount: 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6
        token: \${UNSET_HOST_TOKEN}
`,
    );
    const { issues, secrets, unsetSecrets } = loadRunnerConfig("s.yaml", text, {});
    expect(issues.map((issue) => [issue.file, issue.line, issue.path, issue.message])).toEqual([
      [
        "s.yaml",
        9,
        "runners[0].scmIntegrations[0].oauth.clientSecret",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
        "clientSecret must be a ${ENV_VAR} reference: a literal secret in this file would be committed to git",
      ],
      [
        "s.yaml",
        13,
        "runners[0].hostAuthenticationTokens[0].token",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
        "token must be a ${ENV_VAR} reference: a literal token in this file would be committed to git",
      ],
      [
        "s.yaml",
        14,
        "runners[0].hostAuthenticationTokens[0].refreshToken",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
        "refreshToken must be a ${ENV_VAR} reference: a literal token in this file would be committed to git",
      ],
    ]);
    // The unset variable is named (not an error of the file: the run that sends it needs it).
    expect(unsetSecrets.map((secret) => [secret.variable, secret.itemPath])).toEqual([
      ["UNSET_HOST_TOKEN", "runners[0].hostAuthenticationTokens[1]"],
    ]);
    const said = JSON.stringify(issues);
    for (const literal of literals) expect(said).not.toContain(literal);
    expect(secrets.size).toBe(0);
  });

  it("holds each kind's text to its limits, by field, before anything is sent", () => {
    const text = `version: 1
runners:
  - id: ${RUNNER}
    environmentClasses:
      - displayName: ${"d".repeat(128)}
        description: ${"e".repeat(201)}
        configuration:
          ${"k".repeat(257)}: 1
          imageId: ${"v".repeat(10_001)}
    scmIntegrations:
      - scmId: github
        host: ${"h".repeat(2049)}
    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6
        token: \${T}
        scopes: [${"s".repeat(2049)}]
`;
    const { issues } = loadRunnerConfig("l.yaml", text, { T: "x" });
    expect(issues.map((issue) => [issue.line, issue.path, issue.message])).toEqual([
      [
        5,
        "runners[0].environmentClasses[0].displayName",
        "displayName must be at most 127 characters, got 128",
      ],
      [
        6,
        "runners[0].environmentClasses[0].description",
        "description must be at most 200 characters, got 201",
      ],
      [
        8,
        `runners[0].environmentClasses[0].configuration.${"k".repeat(257)}`,
        "configuration key must be at most 256 characters, got 257",
      ],
      [
        9,
        "runners[0].environmentClasses[0].configuration.imageId",
        "imageId must be at most 10000 characters, got 10001",
      ],
      [12, "runners[0].scmIntegrations[0].host", "host must be at most 2048 characters, got 2049"],
      [
        17,
        "runners[0].hostAuthenticationTokens[0].scopes[0]",
        "value must be at most 2048 characters, got 2049",
      ],
    ]);
  });
});
