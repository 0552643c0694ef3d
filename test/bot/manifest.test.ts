/**
 * bot/manifest.yaml against the code: the events the listeners subscribe to, the slash command,
 * interactivity, the Home tab, and the OAuth scopes of exactly the Web API methods the bot calls
 * (found in its source, each mapped to its scopes below: a new method fails here until mapped).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMAND } from "./harness.js";

interface Manifest {
  features: {
    app_home?: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    slash_commands?: Array<{ command: string; url: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled?: boolean; request_url?: string };
  };
}

/**
 * Every Web API method the bot may call and the bot scopes it needs
 * (https://docs.slack.dev/reference/methods). `auth.test` is Bolt's own call at start.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "conversations.open": ["im:write"],
  "usergroups.users.list": ["usergroups:read"],
  "users.info": ["users:read"],
  "views.open": [],
  "views.update": [],
  "views.publish": [],
};
/** Calls the bot makes without a line of its own. */
const CALLED_BY_BOLT = ["auth.test"];
/** The receiver's one endpoint (bot/app.ts): every request URL of the manifest points at it. */
const ENDPOINT = "/slack/events";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const source = sourceFiles("bot")
  .map((path) => readFileSync(path, "utf8"))
  .join("\n");
const manifest = parse(readFileSync("bot/manifest.yaml", "utf8")) as Manifest;

function matches(pattern: RegExp): Set<string> {
  return new Set([...source.matchAll(pattern)].map((match) => match[1] ?? ""));
}

/** `bot.slack.chat.postMessage(`, `this.slack.usergroups.users.list(`, `app.client.views.publish(`. */
const methodsCalled = new Set([
  ...matches(/\b(?:slack|client)\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g),
  ...CALLED_BY_BOLT,
]);
const eventsListened = matches(/\bapp\.event(?:<[^>]*>)?\(\s*"([a-z_]+)"/g);
const listensToCommand = /\bapp\.command\(/.test(source);
const listensToInteractions = /\bapp\.(?:action|view)(?:<[^>]*>)?\(/.test(source);

describe("bot/manifest.yaml", () => {
  it("asks for exactly the scopes of the Web API methods the bot calls", () => {
    // The scan finds the calls (a broken pattern would find none and prove nothing).
    for (const method of ["chat.postMessage", "views.open", "views.publish", "users.info"])
      expect(methodsCalled).toContain(method);
    const unmapped = [...methodsCalled].filter((method) => !(method in METHOD_SCOPES));
    expect(unmapped, "methods called but missing from METHOD_SCOPES").toEqual([]);
    const needed = new Set([...methodsCalled].flatMap((method) => METHOD_SCOPES[method] ?? []));
    // The slash command needs `commands`.
    if (listensToCommand) needed.add("commands");
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("subscribes to exactly the events the listeners handle, at the bot's endpoint", () => {
    expect(eventsListened).toContain("app_home_opened");
    const subscriptions = manifest.settings.event_subscriptions;
    expect(new Set(subscriptions?.bot_events ?? [])).toEqual(eventsListened);
    if (eventsListened.size > 0) expect(new URL(subscriptions?.request_url ?? "").pathname).toBe(ENDPOINT);
  });

  it("turns on the Home tab the bot publishes and the Messages tab its direct messages arrive in", () => {
    const home = manifest.features.app_home;
    expect(home?.home_tab_enabled ?? false).toBe(
      eventsListened.has("app_home_opened") && methodsCalled.has("views.publish"),
    );
    // Direct messages (conversations.open) arrive in the Messages tab; the bot reads no replies.
    expect(home?.messages_tab_enabled ?? false).toBe(methodsCalled.has("conversations.open"));
    expect(home?.messages_tab_read_only_enabled ?? false).toBe(!eventsListened.has("message"));
  });

  it("declares the slash command and interactivity the listeners take, at the bot's endpoint", () => {
    expect(listensToCommand).toBe(true);
    const [slash, ...others] = manifest.features.slash_commands ?? [];
    expect(others).toEqual([]);
    expect(slash?.command).toBe(COMMAND);
    expect(new URL(slash?.url ?? "").pathname).toBe(ENDPOINT);
    expect(manifest.settings.interactivity?.is_enabled ?? false).toBe(listensToInteractions);
    expect(new URL(manifest.settings.interactivity?.request_url ?? "").pathname).toBe(ENDPOINT);
  });
});
