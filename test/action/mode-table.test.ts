/**
 * action.yml documents the `mode` input; action/modes/table.ts is what the action runs. They list the
 * same modes in the same order, the modes that run without a token are the ones action.yml says may,
 * and the bundled action's refusal of an unknown mode names them.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_MODES } from "../../action/modes/table.js";
import { runAction } from "../support/run-action.js";

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
}

async function actionYml(): Promise<ActionYml> {
  return parse(await readFile("action.yml", "utf8")) as ActionYml;
}

/** The mode names in the input's description: each is a word followed by its explanation in parentheses. */
function documentedModes(description: string): string[] {
  return [...description.matchAll(/([a-z-]+) \(/g)].map((match) => match[1] ?? "");
}

describe("the action's mode table", () => {
  it("lists the modes action.yml documents, in its order, and the default is one of them", async () => {
    const { inputs } = await actionYml();
    const mode = inputs.mode;
    if (!mode) throw new Error("action.yml declares no mode input");
    expect(ACTION_MODES.map((entry) => entry.name)).toEqual(documentedModes(mode.description));
    expect(ACTION_MODES.map((entry) => entry.name)).toContain(mode.default);
  });

  it("runs without api-token exactly the modes action.yml says need none", async () => {
    const { inputs } = await actionYml();
    const tokenWords = inputs["api-token"]?.description ?? "";
    const offline = ACTION_MODES.filter((entry) => !entry.needsToken).map((entry) => entry.name);
    expect(offline.length).toBeGreaterThan(0);
    for (const name of offline) expect(tokenWords).toContain(`except in ${name} mode`);
    const modeWords = inputs.mode?.description ?? "";
    for (const name of offline) expect(modeWords).toMatch(new RegExp(`${name} \\([^)]*offline`));
  });

  it("names every mode of the table when the input names none of them", async () => {
    const result = await runAction({ configYaml: "runners: []\n", inputs: { mode: "destroy" } });
    expect(result.code).toBe(1);
    const names = ACTION_MODES.map((entry) => entry.name).join(", ");
    expect(result.stdout).toContain(`::error::input mode must be one of ${names}, got "destroy"`);
  });
});
