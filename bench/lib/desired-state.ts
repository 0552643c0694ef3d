/**
 * Config generators: a deterministic desired state of N runners x (environment classes + SCM
 * integrations), rendered as the runner-config YAML the engine reads, as the naive peer's input,
 * and as emulator seeding (runners, the OAuth apps the SCM hosts know, an already-synced state).
 */

import type { Emulator } from "../../test/emulator/index.js";
import type { NaiveDesiredState } from "../peers/naive-sdk-sync.js";

export interface BenchShape {
  runners: number;
  classesPerRunner: number;
  integrationsPerRunner: number;
}

interface DesiredClass {
  displayName: string;
  description: string;
  configuration: { instanceType: string; diskSize: number; spot: boolean };
}

interface DesiredIntegration {
  scmId: string;
  host: string;
  pat: boolean;
  oauth: { clientId: string };
}

export interface DesiredRunner {
  id: string;
  name: string;
  environmentClasses: DesiredClass[];
  scmIntegrations: DesiredIntegration[];
}

/** Every OAuth client secret in the file is this ${ENV_VAR} reference (the file holds no secret). */
export const OAUTH_SECRET_ENV = "BENCH_OAUTH_CLIENT_SECRET";
export const OAUTH_SECRET = "bench-oauth-client-secret-0123456789";

const INSTANCE_TYPES = ["m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge", "g5.xlarge"];
const SCM_IDS = ["github", "gitlab", "bitbucket"];

function runnerId(index: number): string {
  return `b0000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, "0")}`;
}

export function objectCount(shape: BenchShape): number {
  return shape.runners * (shape.classesPerRunner + shape.integrationsPerRunner);
}

function integrationHost(index: number): string {
  return `scm-${index + 1}.bench.example`;
}

export function generateDesiredState(shape: BenchShape): DesiredRunner[] {
  return Array.from({ length: shape.runners }, (_, runner) => ({
    id: runnerId(runner),
    name: `bench-${runner + 1}`,
    environmentClasses: Array.from({ length: shape.classesPerRunner }, (_, index) => {
      const instanceType = INSTANCE_TYPES[index % INSTANCE_TYPES.length] as string;
      // The schema allows 1..2000 GiB: cycle through 50..1049 so any size of file stays valid.
      const diskSize = 50 + (index % 1000);
      return {
        displayName: `Class ${index + 1}`,
        description: `${instanceType} with a ${diskSize} GiB disk`,
        configuration: { instanceType, diskSize, spot: index % 2 === 1 },
      };
    }),
    scmIntegrations: Array.from({ length: shape.integrationsPerRunner }, (_, index) => ({
      scmId: SCM_IDS[index % SCM_IDS.length] as string,
      host: integrationHost(index),
      pat: true,
      oauth: { clientId: `bench-client-${index + 1}` },
    })),
  }));
}

/** The runner-config file (version 1), written line by line: strings as JSON (valid YAML) scalars. */
export function toRunnerConfigYaml(runners: readonly DesiredRunner[]): string {
  const q = (value: string) => JSON.stringify(value);
  const lines = ["version: 1", "runners:"];
  for (const runner of runners) {
    lines.push(`  - id: ${runner.id}`, `    name: ${q(runner.name)}`);
    lines.push(
      runner.environmentClasses.length > 0 ? "    environmentClasses:" : "    environmentClasses: []",
    );
    for (const environmentClass of runner.environmentClasses) {
      const { instanceType, diskSize, spot } = environmentClass.configuration;
      lines.push(
        `      - displayName: ${q(environmentClass.displayName)}`,
        `        description: ${q(environmentClass.description)}`,
        "        configuration:",
        `          instanceType: ${instanceType}`,
        `          diskSize: ${diskSize}`,
        `          spot: ${spot}`,
      );
    }
    lines.push(runner.scmIntegrations.length > 0 ? "    scmIntegrations:" : "    scmIntegrations: []");
    for (const integration of runner.scmIntegrations) {
      lines.push(
        `      - scmId: ${integration.scmId}`,
        `        host: ${integration.host}`,
        `        pat: ${integration.pat}`,
        "        oauth:",
        `          clientId: ${q(integration.oauth.clientId)}`,
        `          clientSecret: "\${${OAUTH_SECRET_ENV}}"`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The same desired state for the naive peer (which gets the secret in plaintext). */
export function toNaiveState(runners: readonly DesiredRunner[]): NaiveDesiredState {
  return {
    runners: runners.map((runner) => ({
      id: runner.id,
      environmentClasses: runner.environmentClasses.map((environmentClass) => ({
        displayName: environmentClass.displayName,
        description: environmentClass.description,
        configuration: {
          instanceType: environmentClass.configuration.instanceType,
          diskSize: String(environmentClass.configuration.diskSize),
          spot: String(environmentClass.configuration.spot),
        },
      })),
      scmIntegrations: runner.scmIntegrations.map((integration) => ({
        scmId: integration.scmId,
        host: integration.host,
        pat: integration.pat,
        oauth: { clientId: integration.oauth.clientId, clientSecret: OAUTH_SECRET },
      })),
    })),
  };
}

/** The runners, and the OAuth apps their SCM hosts know (so server-side validation passes). */
export function prepareEmulator(emu: Emulator, runners: readonly DesiredRunner[]): void {
  const apps = new Map<string, string>();
  for (const runner of runners) {
    if (!emu.state.runners.has(runner.id)) emu.state.addRunner({ id: runner.id, name: runner.name });
    // The emulator makes a runner's RSA key pair on first use (~50 ms of blocking CPU); a real runner
    // has its key already, so make it now, outside any measurement.
    emu.state.runnerPublicKeyPem(runner.id);
    for (const integration of runner.scmIntegrations) apps.set(integration.host, integration.oauth.clientId);
  }
  for (const [host, clientId] of apps) {
    if (!emu.state.findOAuthApp(host, clientId))
      emu.state.addOAuthApp({ host, clientId, secrets: [OAUTH_SECRET] });
  }
}

const DRIFTED_DESCRIPTION = "changed out of band";

/**
 * Seeds the runners as if the file had been applied already (no API calls, no request log). With
 * `driftEvery`, every k-th environment class gets another description, so a plan has updates to make.
 * Returns how many were drifted.
 */
export function seedSyncedState(emu: Emulator, runners: readonly DesiredRunner[], driftEvery = 0): number {
  let seen = 0;
  let drifted = 0;
  for (const runner of runners) {
    for (const environmentClass of runner.environmentClasses) {
      const { instanceType, diskSize, spot } = environmentClass.configuration;
      const drift = driftEvery > 0 && seen++ % driftEvery === 0;
      if (drift) drifted++;
      emu.state.seedEnvironmentClass({
        runnerId: runner.id,
        displayName: environmentClass.displayName,
        description: drift ? DRIFTED_DESCRIPTION : environmentClass.description,
        configuration: [
          { key: "instanceType", value: instanceType },
          { key: "diskSize", value: String(diskSize) },
          { key: "spot", value: String(spot) },
        ],
      });
    }
    for (const integration of runner.scmIntegrations) {
      emu.state.seedScmIntegration({
        runnerId: runner.id,
        scmId: integration.scmId,
        host: integration.host,
        pat: integration.pat,
        oauthClientId: integration.oauth.clientId,
        oauthClientSecret: OAUTH_SECRET,
      });
    }
  }
  return drifted;
}

/** The same runners with every item invalid on the server: descriptions shorter than the API's 3 characters. */
const NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * Every class named with two characters (unique within its runner, up to 3,844), which only the
 * server refuses (display names need 3): the plan reaches server-side validation for every item.
 */
export function invalidDesiredState(runners: readonly DesiredRunner[]): DesiredRunner[] {
  const n = NAME_CHARACTERS.length;
  return runners.map((runner) => ({
    ...runner,
    environmentClasses: runner.environmentClasses.map((c, index) => ({
      ...c,
      displayName: `${NAME_CHARACTERS[Math.floor(index / n) % n]}${NAME_CHARACTERS[index % n]}`,
    })),
  }));
}

/** Only the runners (no OAuth apps: every SCM integration with OAuth is rejected by the server). */
export function addRunnersOnly(emu: Emulator, runners: readonly DesiredRunner[]): void {
  for (const runner of runners) {
    if (!emu.state.runners.has(runner.id)) emu.state.addRunner({ id: runner.id, name: runner.name });
    emu.state.runnerPublicKeyPem(runner.id);
  }
}
