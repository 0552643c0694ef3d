/**
 * Each manifest against the code: the events the listeners subscribe to, the slash command,
 * interactivity, the Home tab, and the OAuth scopes of exactly the Web API methods the bot calls
 * (found in its source, each mapped to its scopes below: a new method fails here until mapped).
 * bot/manifest.yaml is the default app; bot/manifest.workflow-steps.yaml is the same app, org-ready,
 * with the Workflow Builder steps (SLACK_WORKFLOW_STEPS=true): exactly the steps the code registers
 * (bot/workflow-steps/), with the same input and output parameters.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { WORKFLOW_STEPS } from "../../bot/workflow-steps/index.js";
import { COMMAND } from "./harness.js";

interface ManifestParameters {
  properties?: Record<string, { type?: string; title?: string; description?: string }>;
  required?: string[];
}

interface Manifest {
  functions?: Record<
    string,
    { title?: string; input_parameters?: ManifestParameters; output_parameters?: ManifestParameters }
  >;
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
    org_deploy_enabled?: boolean;
    function_runtime?: string;
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
  // A Workflow Builder step's end: Bolt's complete() / fail(), with the execution's own token.
  "functions.completeSuccess": [],
  "functions.completeError": [],
};
/** Calls the bot makes without a line of its own. */
const CALLED_BY_BOLT = ["auth.test"];
/** The receiver's one endpoint (bot/slack/bolt-app.ts): every request URL of the manifest points at it. */
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
const DEFAULT_MANIFEST = "bot/manifest.yaml";
const STEPS_MANIFEST = "bot/manifest.workflow-steps.yaml";
const readManifest = (path: string) => parse(readFileSync(path, "utf8")) as Manifest;

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
/** Bolt's app.function subscribes to `function_executed` and ends each run with these calls. */
const registersSteps = /\bapp\.function\(/.test(source);
const CALLED_FOR_STEPS = ["functions.completeSuccess", "functions.completeError"];

/** A manifest's parameters as the code's definitions put them: name → type and whether required. */
function parametersOf(parameters: ManifestParameters | undefined) {
  const required = new Set(parameters?.required ?? []);
  return Object.fromEntries(
    Object.entries(parameters?.properties ?? {}).map(([name, parameter]) => [
      name,
      { type: parameter.type, required: required.has(name) },
    ]),
  );
}

describe.each([
  { path: DEFAULT_MANIFEST, steps: false },
  { path: STEPS_MANIFEST, steps: true },
])("$path", ({ path, steps }) => {
  const manifest = readManifest(path);
  // The steps' manifest also takes function_executed, which Bolt's app.function listens to.
  const events = new Set([...eventsListened, ...(steps ? ["function_executed"] : [])]);
  const methods = new Set([...methodsCalled, ...(steps ? CALLED_FOR_STEPS : [])]);

  it("asks for exactly the scopes of the Web API methods the bot calls", () => {
    // The scan finds the calls (a broken pattern would find none and prove nothing).
    for (const method of ["chat.postMessage", "views.open", "views.publish", "users.info"])
      expect(methodsCalled).toContain(method);
    const unmapped = [...methods].filter((method) => !(method in METHOD_SCOPES));
    expect(unmapped, "methods called but missing from METHOD_SCOPES").toEqual([]);
    const needed = new Set([...methods].flatMap((method) => METHOD_SCOPES[method] ?? []));
    // The slash command needs `commands`.
    if (listensToCommand) needed.add("commands");
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("subscribes to exactly the events the listeners handle, at the bot's endpoint", () => {
    expect(eventsListened).toContain("app_home_opened");
    const subscriptions = manifest.settings.event_subscriptions;
    expect(new Set(subscriptions?.bot_events ?? [])).toEqual(events);
    if (events.size > 0) expect(new URL(subscriptions?.request_url ?? "").pathname).toBe(ENDPOINT);
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

  it(
    steps
      ? "declares exactly the steps the code registers, with their parameters, in an org-ready app"
      : "declares no steps and stays a workspace app",
    () => {
      if (!steps) {
        expect(manifest.functions).toBeUndefined();
        expect(manifest.settings.org_deploy_enabled).toBe(false);
        expect(manifest.settings.function_runtime).toBeUndefined();
        return;
      }
      expect(registersSteps).toBe(true);
      expect(manifest.settings.org_deploy_enabled).toBe(true);
      expect(manifest.settings.function_runtime).toBe("remote");
      const declared = manifest.functions ?? {};
      expect(Object.keys(declared).sort()).toEqual(
        WORKFLOW_STEPS.map((step) => step.definition.callbackId).sort(),
      );
      for (const { definition } of WORKFLOW_STEPS) {
        const declaredStep = declared[definition.callbackId];
        expect(declaredStep?.title).toBe(definition.title);
        expect(parametersOf(declaredStep?.input_parameters)).toEqual(definition.inputs);
        expect(parametersOf(declaredStep?.output_parameters)).toEqual(definition.outputs);
        // `required` names only declared parameters.
        for (const parameters of [declaredStep?.input_parameters, declaredStep?.output_parameters])
          for (const name of parameters?.required ?? []) expect(parameters?.properties).toHaveProperty(name);
      }
    },
  );
});

describe("the two manifests", () => {
  it("are the same app but for the steps: functions, function_executed, org-ready, remote runtime", () => {
    const withSteps = readManifest(STEPS_MANIFEST);
    const { functions: _functions, ...rest } = withSteps;
    const { org_deploy_enabled: _org, function_runtime: _runtime, ...settings } = rest.settings;
    const asDefault = {
      ...rest,
      settings: {
        ...settings,
        org_deploy_enabled: false,
        event_subscriptions: {
          ...settings.event_subscriptions,
          bot_events: settings.event_subscriptions?.bot_events?.filter(
            (event) => event !== "function_executed",
          ),
        },
      },
    };
    expect(asDefault).toEqual(readManifest(DEFAULT_MANIFEST));
  });
});

describe("docs/bot.md", () => {
  it("shows each step's definition as the code and the manifest have it", () => {
    const docs = readFileSync("docs/bot.md", "utf8");
    const shown = new Map<string, NonNullable<Manifest["functions"]>[string]>();
    for (const [, block] of docs.matchAll(/```json\n([\s\S]*?)```/g)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(block ?? "");
      } catch {
        continue;
      }
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
        if (WORKFLOW_STEPS.some((step) => step.definition.callbackId === key))
          shown.set(key, value as NonNullable<Manifest["functions"]>[string]);
    }
    expect([...shown.keys()].sort()).toEqual(WORKFLOW_STEPS.map((step) => step.definition.callbackId).sort());
    for (const { definition } of WORKFLOW_STEPS) {
      const step = shown.get(definition.callbackId);
      expect(step?.title).toBe(definition.title);
      expect(parametersOf(step?.input_parameters)).toEqual(definition.inputs);
      expect(parametersOf(step?.output_parameters)).toEqual(definition.outputs);
    }
  });
});
