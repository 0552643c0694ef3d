/** exportRunnerConfig's pure parts: variable names, values, header text. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportRunnerConfig } from "../../shared/export/export.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const options = {
  source: "https://api.example/api",
  now: new Date("2026-01-02T03:04:05Z"),
  schemaUrl: "https://s/x.json",
};

describe("exportRunnerConfig", () => {
  it("gives two hosts that map to one variable name different variables", () => {
    const result = exportRunnerConfig(
      [
        {
          runnerId: RUNNER,
          environmentClasses: [],
          scmIntegrations: [
            {
              id: "a",
              runnerId: RUNNER,
              scmId: "gitlab",
              host: "git.example.com",
              oauth: { clientId: "one" },
            },
            {
              id: "b",
              runnerId: RUNNER,
              scmId: "gitlab",
              host: "git-example.com",
              oauth: { clientId: "two" },
            },
          ],
        },
      ],
      options,
    );
    expect(result.secrets.map((s) => s.variable)).toEqual([
      "OAUTH_SECRET_GIT_EXAMPLE_COM",
      "OAUTH_SECRET_GIT_EXAMPLE_COM_2",
    ]);
    const file = parse(result.text);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${VAR} syntax
    expect(file.runners[0].scmIntegrations[1].oauth.clientSecret).toBe("${OAUTH_SECRET_GIT_EXAMPLE_COM_2}");
  });

  it("writes numbers and booleans bare only when they read back as the same text", () => {
    const result = exportRunnerConfig(
      [
        {
          runnerId: RUNNER,
          environmentClasses: [
            {
              id: "c",
              runnerId: RUNNER,
              displayName: "null",
              enabled: true,
              configuration: [
                { key: "a", value: "100" },
                { key: "b", value: "true" },
                { key: "c", value: "007" },
                { key: "d", value: "1e3" },
                { key: "e", value: "0x10" },
                { key: "f", value: "" },
              ],
            },
          ],
          scmIntegrations: [],
        },
      ],
      options,
    );
    expect(result.text).toContain("a: 100\n");
    expect(result.text).toContain("b: true\n");
    const configuration = parse(result.text).runners[0].environmentClasses[0];
    expect(configuration.displayName).toBe("null");
    expect(
      Object.fromEntries(Object.entries(configuration.configuration).map(([k, v]) => [k, String(v)])),
    ).toEqual({
      a: "100",
      b: "true",
      c: "007",
      d: "1e3",
      e: "0x10",
      f: "",
    });
  });

  it("keeps API text in its comment line", () => {
    const result = exportRunnerConfig(
      [
        {
          runnerId: RUNNER,
          environmentClasses: [],
          scmIntegrations: [
            {
              id: "a",
              runnerId: RUNNER,
              scmId: "github",
              host: "github.com",
              oauth: { clientId: "x\nversion: 2\u001b[31m" },
            },
          ],
        },
      ],
      options,
    );
    const comments = result.text.split("\n").filter((line) => line.startsWith("#"));
    expect(comments.some((line) => line.includes("client x\\nversion: 2\\x1b[31m"))).toBe(true);
    expect(parse(result.text).version).toBe(1);
    expect(result.text.split("\n")[1]).toBe(
      "# Exported by gitpod-runner-config on 2026-01-02T03:04:05.000Z from https://api.example/api.",
    );
  });
});
