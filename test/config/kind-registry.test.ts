/**
 * The file format comes from the registry of resource kinds: every kind's list is a key of a runner
 * in the structure (with "did you mean" for its entries), in the JSON Schema, in the desired state
 * the loader builds, in the fingerprint and in exports, with nothing listed by hand anywhere else.
 */
import { describe, expect, it } from "vitest";
import { knownKeysAt } from "../../shared/config/issue-words.js";
import { runnerConfigJsonSchema } from "../../shared/config/json-schema.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { exportRunnerConfig } from "../../shared/export/export.js";
import { ALL_KINDS } from "../../shared/kinds/registry.js";
import { emptyRunnerState } from "../../shared/sync/current-state.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";

describe("the resource-kind registry drives the file format", () => {
  const keys = ALL_KINDS.map((kind) => kind.file.key);

  it("has one list per kind under a runner, in the structure and the JSON Schema", () => {
    expect(keys).toEqual([
      "environmentClasses",
      "scmIntegrations",
      "hostAuthenticationTokens",
      "llmIntegrations",
    ]);
    expect(knownKeysAt(["runners", 0])).toEqual(["id", "name", ...keys]);
    const schema = runnerConfigJsonSchema() as { $defs: Record<string, { properties?: object }> };
    expect(Object.keys(schema.$defs.runner?.properties ?? {})).toEqual(["id", "name", ...keys]);
    for (const kind of ALL_KINDS) {
      for (const name of Object.keys(kind.file.jsonSchema.defs)) expect(schema.$defs).toHaveProperty(name);
      // "did you mean" knows each kind's entry keys from its own entry schema.
      const entryKeys = knownKeysAt(["runners", 0, kind.file.key, 0]);
      expect(entryKeys.length, kind.file.key).toBeGreaterThan(1);
      const ref = (kind.file.jsonSchema.list as { items: { $ref: string } }).items.$ref;
      const defined = schema.$defs[ref.replace("#/$defs/", "")]?.properties ?? {};
      expect(Object.keys(defined).sort(), kind.file.key).toEqual([...entryKeys].sort());
    }
  });

  it("gives every runner of the desired and the live state each kind's list, and counts each in exports", () => {
    const loaded = loadRunnerConfig("k.yaml", `version: 1\nrunners:\n  - id: ${RUNNER}\n`, {});
    const runner = loaded.desired?.runners[0] as unknown as Record<string, unknown>;
    for (const key of keys) expect(runner[key], key).toEqual([]);
    const state = emptyRunnerState(RUNNER);
    for (const kind of ALL_KINDS) {
      expect(kind.desired(loaded.desired?.runners[0] ?? ({} as never))).toEqual([]);
      expect(() => kind.fingerprint(state)).not.toThrow();
    }
    const exported = exportRunnerConfig([state], { source: "test", now: new Date(0) });
    expect(exported.counts.entries.map(([, what]) => what)).toEqual(
      ALL_KINDS.map((kind) => kind.file.counted),
    );
    expect(exported.text).toContain(
      `# 1 runner(s), ${ALL_KINDS.map((kind) => `0 ${kind.file.counted}`).join(", ")}.`,
    );
  });
});
