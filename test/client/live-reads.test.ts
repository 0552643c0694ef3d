/**
 * shared/api/live-reads.ts against a server that answers list calls with another runner's objects
 * (a server bug, a proxy mixing answers): no reader returns them, so no face acts on them; and an
 * integration listed without its runner id is placed by asking runner by runner.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import {
  environmentClassesOfRunner,
  hostTokensOfRunner,
  integrationsOfRunner,
  integrationsOfRunners,
} from "../../shared/api/live-reads.js";
import { runHealthCheck } from "../../shared/credential-upkeep/index.js";
import { type Seeded, seeded } from "../credential-upkeep/setup.js";
import { RUNNER_EU_ID, RUNNER_EU_NAME, RUNNER_US_ID, RUNNER_US_NAME } from "../emulator/index.js";
import { type StrippingProxy, startRewritingProxy } from "../fakes/field-stripping-proxy.js";

const OTHER_RUNNER = "0f0f0f0f-0000-4000-8000-00000000ffff";
const INTRUDERS: Record<string, [string, Record<string, unknown>]> = {
  ListSCMIntegrations: [
    "integrations",
    {
      id: "0f0f0f0f-0000-4000-8000-000000000001",
      runnerId: OTHER_RUNNER,
      scmId: "github",
      host: "github.com",
      oauth: { clientId: "Iv1.not-ours" },
      pat: false,
    },
  ],
  ListHostAuthenticationTokens: [
    "tokens",
    {
      id: "0f0f0f0f-0000-4000-8000-000000000002",
      runnerId: OTHER_RUNNER,
      host: "github.com",
      userId: "0f0f0f0f-0000-4000-8000-000000000003",
      expiresAt: "2020-01-01T00:00:00Z",
    },
  ],
  ListEnvironmentClasses: [
    "environmentClasses",
    { id: "0f0f0f0f-0000-4000-8000-000000000004", runnerId: OTHER_RUNNER, displayName: "Not ours" },
  ],
};
const INTRUDER_IDS = Object.values(INTRUDERS).map(([, object]) => object.id as string);

/** Adds another runner's object to every answer of the three list calls. */
function addIntruders(rpc: string, body: unknown): void {
  const intruder = INTRUDERS[rpc];
  if (!intruder) return;
  const [list, object] = intruder;
  const record = body as Record<string, unknown[] | undefined>;
  record[list] = [...(record[list] ?? []), object];
}

let s: Seeded;
let proxy: StrippingProxy;
let client: GitpodClient;

async function through(rewrite: (rpc: string, body: unknown) => void): Promise<void> {
  proxy = await startRewritingProxy(s.emu.url, rewrite);
  client = new GitpodClient({ baseUrl: proxy.url, apiKey: s.emu.token, maxRetries: 0, env: {} });
}

beforeEach(async () => {
  s = await seeded();
  s.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Ours" });
  s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com" });
});

afterEach(async () => {
  await client.close();
  await proxy.close();
  await s.close();
});

describe("live reads", () => {
  it("return only the runners' own objects when the answers hold another runner's", async () => {
    await through(addIntruders);
    // The answers do hold them: the client hands out what the server said.
    const raw = await client.scmIntegrations.list({ filter: { runnerIds: [RUNNER_EU_ID] } }).toArray();
    expect(raw.map((integration) => integration.runnerId)).toContain(OTHER_RUNNER);

    const both = await integrationsOfRunners(client, [RUNNER_EU_ID, RUNNER_US_ID]);
    expect(both.map((integration) => integration.host).sort()).toEqual(["github.com", "gitlab.com"]);
    const reads = [
      ...both,
      ...(await integrationsOfRunner(client, RUNNER_EU_ID)),
      ...(await hostTokensOfRunner(client, RUNNER_EU_ID)),
      ...(await environmentClassesOfRunner(client, RUNNER_EU_ID)),
    ];
    expect(reads.length).toBe(5);
    for (const object of reads) expect(INTRUDER_IDS).not.toContain(object.id);
  });

  it("keep another runner's integration out of the health check: not validated, not counted", async () => {
    await through(addIntruders);
    const report = await runHealthCheck(client, { runners: s.runners, integrations: s.integrations });
    expect(report.integrations.map((item) => item.integration.host).sort()).toEqual([
      "github.com",
      "gitlab.com",
    ]);
    expect(report.counts.unmanaged).toBe(0);
    const github = report.integrations.find((item) => item.integration.host === "github.com");
    // The other runner's expired token at github.com is not this integration's.
    expect(github?.tokens).toEqual({ count: 1, expiring: [] });
    const sent = JSON.stringify(s.emu.requests.entries.map((entry) => entry.body));
    expect(sent).not.toContain(INTRUDER_IDS[0]);
  });

  it("place integrations listed without their runner id by asking runner by runner", async () => {
    await through((rpc, body) => {
      if (rpc !== "ListSCMIntegrations") return;
      for (const integration of (body as { integrations?: Array<Record<string, unknown>> }).integrations ??
        [])
        delete integration.runnerId;
    });
    const integrations = await integrationsOfRunners(client, [RUNNER_EU_ID, RUNNER_US_ID]);
    expect(integrations.map((integration) => [integration.host, integration.runnerId]).sort()).toEqual([
      ["github.com", RUNNER_EU_ID],
      ["gitlab.com", RUNNER_US_ID],
    ]);
    // One walk for both runners, then one per runner.
    expect(s.emu.requests.count("ListSCMIntegrations")).toBe(3);
    const report = await runHealthCheck(client, { runners: s.runners, integrations: s.integrations });
    expect(report.integrations.map((item) => item.runnerName).sort()).toEqual([
      RUNNER_EU_NAME,
      RUNNER_US_NAME,
    ]);
    expect(report.counts.unmanaged).toBe(0);
  });
});
