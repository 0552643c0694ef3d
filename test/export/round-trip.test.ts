/**
 * The export round trip as a property: on 240 randomised states, `plan` on the exported file (with
 * every referenced variable set to anything) reports no changes, and with --prune it would only
 * disable the duplicate-named classes the export said it left out. Secrets never reach the file;
 * service accounts' host tokens are written (as variables), users' tokens never.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { exportRunnerConfig } from "../../shared/export/export.js";
import { readExportState } from "../../shared/export/read-state.js";
import { runSync } from "../../shared/sync/engine.js";
import { pendingOperations } from "../../shared/sync/plan-types.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { seedRandomState, USERS } from "./random-state.js";

const STATES = 240;
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

describe("export round trip", () => {
  it(`plans no changes on the exported file for ${STATES} randomised states`, {
    timeout: 120_000,
  }, async () => {
    let withDuplicates = 0;
    let withDisabled = 0;
    let withVirtualDirectory = 0;
    let withoutOAuth = 0;
    let withServiceAccountTokens = 0;
    let withUserTokens = 0;
    let withLlmIntegrations = 0;
    let withLlmLeftOut = 0;
    for (let seed = 1; seed <= STATES; seed++) {
      const seeded = seedRandomState(emu.state, seed);
      const stored = [...emu.state.environmentClasses.values()];
      const integrations = [...emu.state.scmIntegrations.values()];
      withDisabled += stored.some((c) => !c.enabled) ? 1 : 0;
      withVirtualDirectory += integrations.some((i) => i.virtualDirectory) ? 1 : 0;
      withoutOAuth += integrations.some((i) => !i.oauth) ? 1 : 0;
      withDuplicates += seeded.duplicateNames > 0 ? 1 : 0;
      withServiceAccountTokens += seeded.serviceAccountTokens > 0 ? 1 : 0;
      withUserTokens += seeded.userTokens > 0 ? 1 : 0;
      withLlmIntegrations += seeded.llmIntegrations > 0 ? 1 : 0;

      const exported = exportRunnerConfig(await readExportState(client, seeded.runnerIds), {
        source: emu.url,
        now: new Date(0),
        schemaUrl: "https://example.com/schema.json",
      });
      const context = `seed ${seed}:\n${exported.text}`;
      expect(exported.text, context).not.toContain("canary-");
      for (const user of USERS) expect(exported.text, context).not.toContain(user);
      const written = exported.counts.entries.find(([, what]) => what.includes("host token"))?.[0];
      expect(written, context).toBe(seeded.serviceAccountTokens);
      expect((exported.text.match(/serviceAccount: /g) ?? []).length, context).toBe(
        seeded.serviceAccountTokens,
      );
      const llmLeftOut = exported.notes.filter((note) => note.startsWith("LLM integration")).length;
      withLlmLeftOut += llmLeftOut > 0 ? 1 : 0;
      expect(exported.notes.length - llmLeftOut > 0, context).toBe(seeded.duplicateNames > 0);
      const llmWritten = exported.counts.entries.find(([, what]) => what.includes("LLM"))?.[0];
      expect(llmWritten, context).toBe(seeded.llmIntegrations - llmLeftOut);
      const env = Object.fromEntries(exported.secrets.map((secret) => [secret.variable, "anything"]));
      const options = {
        file: "exported.yaml",
        text: exported.text,
        env,
        concurrency: 8,
        allowDestructive: false,
        rotateSecrets: false,
      };
      const plan = await runSync(client, { ...options, mode: "plan", prune: false });
      expect(plan.issues, context).toEqual([]);
      expect(plan.ok, context).toBe(true);
      if (!plan.plan) throw new Error(`no plan: ${context}`);
      expect(
        pendingOperations(plan.plan).map((o) => `${o.action} ${o.key}`),
        context,
      ).toEqual([]);
      expect(plan.changed, context).toBe(false);

      // With --prune, the only changes are disabling the enabled duplicate classes and deleting
      // the LLM integrations the export left out (and said so).
      const pruned = await runSync(client, { ...options, mode: "plan", prune: true });
      const leftOut = exported.notes.join(" ");
      for (const operation of pruned.plan ? pendingOperations(pruned.plan) : []) {
        expect(operation.action, context).toBe(operation.kind === "llmIntegration" ? "delete" : "disable");
        expect(leftOut, context).toContain(operation.currentId ?? "(no id)");
      }
    }
    // The awkward cases the issue names actually occurred, many times over.
    expect(withDuplicates).toBeGreaterThan(STATES / 4);
    expect(withDisabled).toBeGreaterThan(STATES / 2);
    expect(withVirtualDirectory).toBeGreaterThan(STATES / 4);
    expect(withoutOAuth).toBeGreaterThan(STATES / 2);
    expect(withServiceAccountTokens).toBeGreaterThan(STATES / 2);
    expect(withUserTokens).toBeGreaterThan(STATES / 2);
    expect(withLlmIntegrations).toBeGreaterThan(STATES / 2);
    expect(withLlmLeftOut).toBeGreaterThan(STATES / 4);
  });
});
