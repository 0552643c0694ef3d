/**
 * The loader's fast path: a clean file is read without building the positioned YAML Document, reads
 * to exactly the data the careful path reads, and still answers every line when one is asked for.
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseDocument } from "yaml";
import {
  generateDesiredState,
  OAUTH_SECRET,
  OAUTH_SECRET_ENV,
  toRunnerConfigYaml,
} from "../../bench/lib/desired-state.js";
import { fastPlainData } from "../../shared/config/fast-parse.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { githubIntegrationConfig } from "../support/fixtures.js";

const documents = vi.hoisted(() => ({ parsed: 0 }));
vi.mock("yaml", async (importOriginal) => {
  const original = await importOriginal<typeof import("yaml")>();
  return {
    ...original,
    parseDocument: (...args: Parameters<typeof original.parseDocument>) => {
      documents.parsed++;
      return original.parseDocument(...args);
    },
  };
});

beforeEach(() => {
  documents.parsed = 0;
});

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";

/** Scalars where YAML 1.1 and 1.2, or two libraries, could disagree. */
const TRICKY = `version: 1
runners:
  - id: ${RUNNER}
    name: "quoted: with colon"
    environmentClasses:
      - displayName: 'single ''quoted'''
        description: >
          folded
          text
        configuration:
          a: 0x1F
          b: 0o17
          c: 1_000
          d: .inf
          e: 1e3
          f: ~
          g: True
          h: yes
          i: 2024-01-01
          j: "123"
          k: 012
          l: -.5
          m: on
          n: null
          o: |
            literal
            block
          p: [1, two, "3"]
          q: { x: 1 }
          r: plain text # a comment
          s: multi
            line plain
`;

describe("fast path", () => {
  it("reads the example, the generated files and tricky scalars to exactly the careful path's data", () => {
    const files = [
      readFileSync("examples/runner-config.yaml", "utf8"),
      toRunnerConfigYaml(
        generateDesiredState({ runners: 3, classesPerRunner: 20, integrationsPerRunner: 4 }),
      ),
      TRICKY,
    ];
    for (const text of files) {
      const fast = fastPlainData(text);
      expect(fast, text.slice(0, 80)).toBeDefined();
      expect(fast?.value).toEqual(parseDocument(text, { uniqueKeys: true }).toJS());
    }
  });

  it("leaves anchors, aliases, tags, merge keys, __proto__, duplicate keys and syntax errors to the careful path", () => {
    for (const text of [
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: !custom 1\n",
      "base: {x: 1}\nb:\n  <<: {y: 2}\n",
      "__proto__: {}\n",
      "a: 1\na: 2\n",
      'a: "unclosed\n',
      "",
    ]) {
      expect(fastPlainData(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it("loads a clean 3,000-object file without building the positioned Document, and finds lines when asked", () => {
    const text = toRunnerConfigYaml(
      generateDesiredState({ runners: 3, classesPerRunner: 800, integrationsPerRunner: 200 }),
    );
    const loaded = loadRunnerConfig("big.yaml", text, { [OAUTH_SECRET_ENV]: OAUTH_SECRET });
    expect(loaded.issues).toEqual([]);
    expect(loaded.desired?.runners).toHaveLength(3);
    expect(documents.parsed).toBe(0);
    // A line asked for later (an issue found by the API, --json output) is still the right one.
    const second = loaded.desired?.runners[1];
    const lines = text.split("\n");
    const classLine = second?.environmentClasses[5]?.line ?? 0;
    expect(lines[classLine - 1]).toContain('- displayName: "Class 6"');
    expect(lines[(second?.environmentClasses[5]?.lines["configuration.diskSize"] ?? 0) - 1]).toContain(
      "diskSize: 55",
    );
    expect(lines[(second?.scmIntegrations[2]?.lines["oauth.clientSecret"] ?? 0) - 1]).toContain(
      "clientSecret:",
    );
    expect(lines[(second?.line ?? 0) - 1]).toContain("- id: ");
    expect(documents.parsed).toBe(1);
  });

  it("places a problem found after parsing (an unset secret variable) at its line and column", () => {
    const text = githubIntegrationConfig(
      RUNNER,
      `        oauth:
          clientId: abc
          clientSecret: \${NOT_SET_ANYWHERE}
`,
    );
    const loaded = loadRunnerConfig("c.yaml", text, {});
    expect(loaded.issues).toEqual([]);
    expect(loaded.unsetSecrets[0]?.issue("")).toMatchObject({
      line: 9,
      column: 25,
      path: "runners[0].scmIntegrations[0].oauth.clientSecret",
    });
  });
});
