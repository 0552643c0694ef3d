/**
 * The command table is the one source: the manifest's usage_hint, help and the "unknown command"
 * answer (through signed Slack requests) must name every subcommand with its usage from the table.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { usageLine } from "../../bot/listeners/commands/command.js";
import { COMMANDS, usageHint } from "../../bot/listeners/commands/table.js";
import { COMMAND, callText, useHarness } from "./harness.js";

interface Manifest {
  features: { slash_commands: Array<{ command: string; usage_hint: string }> };
}

/** The answer's text as a person reads it (Slack's &lt; &gt; &amp; undone). */
function readable(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

describe("the command table", () => {
  it("is what bot/manifest.yaml's usage_hint says, subcommand by subcommand", () => {
    const manifest = parse(readFileSync("bot/manifest.yaml", "utf8")) as Manifest;
    const slash = manifest.features.slash_commands.find((entry) => entry.command === COMMAND);
    expect(slash?.usage_hint).toBe(usageHint());
    // Every subcommand, in table order (the exact string above is built from the table too).
    const hint = slash?.usage_hint ?? "";
    let from = 0;
    for (const module of COMMANDS) {
      const at = hint.indexOf(usageLine("", module).trim(), from);
      expect(at, module.name).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
  });

  it("has one module per name, each with a usage line and a summary", () => {
    const names = COMMANDS.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);
    for (const module of COMMANDS) {
      expect(module.name).toMatch(/^[a-z][a-z-]*$/);
      expect(module.summary.length).toBeGreaterThan(3);
    }
  });
});

describe("help and usage answers come from the table", () => {
  const h = useHarness({ perSuite: true });

  it("help lists every subcommand's usage line, summary and example", async () => {
    const help = await h.command("help");
    const text = readable(callText(await h.waitForResponse(help.responseUrlId)));
    for (const module of COMMANDS) {
      expect(text).toContain(`${usageLine(COMMAND, module)}\`: ${module.summary}.`);
      if (module.example) expect(text).toContain(`${COMMAND} ${module.example}`);
    }
    expect(h.emu.requests.count()).toBe(0);
  });

  it("an unknown subcommand is answered with every usage line, one missing argument with its own", async () => {
    const unknown = await h.command("frobnicate now");
    const text = readable(callText(await h.waitForResponse(unknown.responseUrlId)));
    for (const module of COMMANDS) expect(text).toContain(`Usage: \`${usageLine(COMMAND, module)}\``);
    const missing = await h.command("revoke");
    const revokeText = readable(callText(await h.waitForResponse(missing.responseUrlId)));
    expect(revokeText).toContain(`Usage: \`${COMMAND} revoke <host> [@user-id`);
    expect(revokeText).not.toContain(`${COMMAND} rotate`);
    expect(h.emu.requests.count()).toBe(0);
  });

  it("the logging middleware writes one line per command, with its outcome and time, never its text", async () => {
    const typed = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    const refused = await h.command(`validate ${typed}`);
    await h.waitForResponse(refused.responseUrlId);
    const lines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    await expect
      .poll(() => lines().filter((line) => line.event === "command" && line.outcome === "secret-refused"))
      .toHaveLength(1);
    const line = lines().find((entry) => entry.outcome === "secret-refused");
    expect(line).toMatchObject({ kind: "secret", user: "U0ADMIN", channel: "C0OPS" });
    expect(typeof line?.durationMs).toBe("number");
    expect(h.logs.join("\n")).not.toContain(typed);
  });
});
