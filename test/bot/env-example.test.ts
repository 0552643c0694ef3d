/**
 * bot.env.example is the operator's list of the bot's environment: it names every variable the bot
 * and the client it uses read (found in the code, so a new one cannot be forgotten), and each value
 * it gives is the default, so a copy with only the required ones filled in behaves as no copy.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.js";

const example = readFileSync("bot.env.example", "utf8");

/** NAME=value lines, and commented-out `# NAME=value` ones (documented, left unset). */
const entries = [...example.matchAll(/^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({
  name: m[2] ?? "",
  value: m[3] ?? "",
  commented: Boolean(m[1]),
}));

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(dir, file), "utf8"));
}

/** The variables the bot reads: its EnvSchema's keys, env.NAME reads, the API settings' and the proxy names. */
function variablesInCode(): string[] {
  const config = readFileSync("bot/config.ts", "utf8");
  const schema = config.slice(
    config.indexOf("const EnvSchema"),
    config.indexOf("});", config.indexOf("const EnvSchema")),
  );
  const names = new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? ""));
  for (const text of [...sources("bot"), ...sources("shared/api")]) {
    for (const m of text.matchAll(/\benv(?:\.|\[")([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1] ?? "");
    for (const m of text.matchAll(/"(HTTPS?_PROXY)"/g)) names.add(m[1] ?? "");
    // The API settings, read under Ona's name and the legacy one (shared/api/api-settings.ts).
    for (const m of text.matchAll(/"((?:ONA|GITPOD)_(?:API_KEY|BASE_URL))"/g)) names.add(m[1] ?? "");
  }
  return [...names].sort();
}

const REQUIRED = {
  SLACK_BOT_TOKEN: "xoxb-example",
  SLACK_SIGNING_SECRET: "example-signing-secret",
  ONA_API_KEY: "example-key",
  GITPOD_RUNNER_IDS: "d2c94c27-3b76-4a42-b88c-95a85e392c68",
  SLACK_AUDIT_CHANNEL_ID: "C0123ABCD",
};

describe("bot.env.example", () => {
  it("lists every variable the bot reads, once, and nothing else", () => {
    const names = entries.map((entry) => entry.name);
    expect(names.length).toBe(new Set(names).size);
    expect([...names].sort()).toEqual(variablesInCode());
  });

  it("leaves the required ones empty and gives the others their defaults", () => {
    const set = entries.filter((entry) => !entry.commented);
    for (const name of Object.keys(REQUIRED))
      expect(set.find((entry) => entry.name === name)?.value).toBe("");
    const fromExample = Object.fromEntries(set.map((entry) => [entry.name, entry.value]));
    expect(loadConfig({ ...fromExample, ...REQUIRED })).toEqual(loadConfig(REQUIRED));
    expect(fromExample.LOG_LEVEL).toBe("info");
    expect(fromExample.BOT_MIGRATIONS_DIR).toBe("");
  });
});
