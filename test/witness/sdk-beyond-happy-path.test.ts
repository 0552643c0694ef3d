/**
 * The witness, wider: what the official SDK (@gitpod/sdk 0.6.0) does beyond the happy path, recorded
 * against the emulator, and that the emulator answers each as the spec says.
 * - `{}` to every RPC (as the curl examples send): the body on the wire and the service's answer;
 * - List paging through the query string (`token`/`pageSize`), as the SDK's page classes do;
 * - the SDK retries a 409 (already_exists): it sends the same create again; the API refuses each
 *   copy and stores one.
 */
import Gitpod, { BadRequestError, ConflictError } from "@gitpod/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { acceptInvalidRequests } from "./witness.js";

let emu: Emulator;
let client: Gitpod;

beforeAll(async () => {
  emu = await startEmulator();
  client = new Gitpod({ bearerToken: emu.token, baseURL: emu.url, maxRetries: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.state.reset();
  emu.requests.clear();
});

const c = () => client.runners.configurations;
// biome-ignore lint/suspicious/noExplicitAny: `{}` is what the curl examples send; the SDK types demand more for some calls
const empty = {} as any;

/** Each SDK method, called with `{}`; what the service answers (the emulator's own rule). */
const CALLS: Array<[string, () => Promise<unknown>, number, string | undefined]> = [
  [
    "ValidateRunnerConfiguration",
    () => c().validate(empty),
    400,
    "exactly one of environment_class or scm_integration must be set",
  ],
  ["CreateEnvironmentClass", () => c().environmentClasses.create(empty), 400, "runner_id: value is required"],
  [
    "ListEnvironmentClasses",
    () =>
      c()
        .environmentClasses.list(empty)
        .then((page) => page.environmentClasses),
    200,
    undefined,
  ],
  [
    "GetEnvironmentClass",
    () => c().environmentClasses.retrieve(empty),
    400,
    "environment_class_id: value is required",
  ],
  [
    "UpdateEnvironmentClass",
    () => c().environmentClasses.update(empty),
    400,
    "environment_class_id: value is required",
  ],
  [
    "CreateHostAuthenticationToken",
    () => c().hostAuthenticationTokens.create(empty),
    400,
    "runner_id: value is required",
  ],
  [
    "ListHostAuthenticationTokens",
    () =>
      c()
        .hostAuthenticationTokens.list(empty)
        .then((page) => page.tokens),
    200,
    undefined,
  ],
  [
    "GetHostAuthenticationToken",
    () => c().hostAuthenticationTokens.retrieve(empty),
    400,
    "id: value is required",
  ],
  [
    "UpdateHostAuthenticationToken",
    () => c().hostAuthenticationTokens.update(empty),
    400,
    "id: value is required",
  ],
  [
    "DeleteHostAuthenticationToken",
    () => c().hostAuthenticationTokens.delete(empty),
    400,
    "id: value is required",
  ],
  ["GetRunnerConfigurationSchema", () => c().schema.retrieve(empty), 400, "runner_id: value is required"],
  ["CreateSCMIntegration", () => c().scmIntegrations.create(empty), 400, "runner_id: value is required"],
  [
    "ListSCMIntegrations",
    () =>
      c()
        .scmIntegrations.list(empty)
        .then((page) => page.integrations),
    200,
    undefined,
  ],
  ["GetSCMIntegration", () => c().scmIntegrations.retrieve(empty), 400, "id: value is required"],
  ["UpdateSCMIntegration", () => c().scmIntegrations.update(empty), 400, "id: value is required"],
  ["DeleteSCMIntegration", () => c().scmIntegrations.delete(empty), 400, "id: value is required"],
];

describe("@gitpod/sdk sends {} to every RPC", () => {
  it("covers the 16 RPCs", () => {
    expect(new Set(CALLS.map(([rpc]) => rpc)).size).toBe(16);
  });

  it.each(CALLS)(
    "%s: the SDK sends {} and the service answers by its own rules",
    async (rpc, call, status, message) => {
      acceptInvalidRequests("sends {} on purpose, to record the service's own refusals");
      const outcome = await call().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const entry = emu.requests.last(rpc);
      // What the SDK does: one POST with the JSON body {} (and, for lists, no query parameters).
      expect(entry?.body).toEqual({});
      expect(entry?.query).toEqual({});
      expect(entry?.status).toBe(status);
      if (status === 200) {
        expect(outcome.ok).toBe(true);
      } else {
        expect(outcome.ok).toBe(false);
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).error).toEqual({ code: "invalid_argument", message });
      }
    },
  );
});

describe("@gitpod/sdk pages through the query string", () => {
  it("sends the next page's token and page size as query parameters, and the emulator pages by them", async () => {
    for (let index = 0; index < 60; index += 1) {
      emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: `class ${index}` });
    }
    const seen: string[] = [];
    for await (const environmentClass of c().environmentClasses.list({
      filter: { runnerIds: [RUNNER_EU_ID] },
      pageSize: 25,
    })) {
      seen.push(environmentClass.id);
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const lists = emu.requests.all("ListEnvironmentClasses");
    expect(lists.map((entry) => entry.query.pageSize)).toEqual(["25", "25", "25"]);
    expect(lists[0]?.query.token).toBeUndefined();
    expect(lists.slice(1).every((entry) => (entry.query.token ?? "") !== "")).toBe(true);
    // The body keeps the filter on every page and carries no pagination of its own.
    expect(
      lists.every(
        (entry) => JSON.stringify(entry.body) === JSON.stringify({ filter: { runnerIds: [RUNNER_EU_ID] } }),
      ),
    ).toBe(true);
  });
});

describe("@gitpod/sdk retries a 409", () => {
  it("sends the refused create again; the API answers already_exists each time and keeps one", async () => {
    const retrying = new Gitpod({ bearerToken: emu.token, baseURL: emu.url, maxRetries: 2 });
    const body = { runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com", pat: true };
    await retrying.runners.configurations.scmIntegrations.create(body);
    emu.requests.clear();
    const error = await retrying.runners.configurations.scmIntegrations.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).error).toMatchObject({ code: "already_exists" });
    const attempts = emu.requests.all("CreateSCMIntegration");
    // What the SDK does: 1 + maxRetries attempts of the same body.
    expect(attempts.map((entry) => entry.status)).toEqual([409, 409, 409]);
    expect(attempts.every((entry) => JSON.stringify(entry.body) === JSON.stringify(body))).toBe(true);
    expect(emu.state.scmIntegrations.size).toBe(1);
  });
});
