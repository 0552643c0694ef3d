/**
 * Randomised runner states for the export round trip, seeded straight into the emulator: classes
 * (disabled ones, display names shared across runners and within one runner, YAML-awkward text),
 * SCM integrations (with and without OAuth, Azure DevOps with a virtual directory, mixed-case hosts).
 */
import type { EmulatorState } from "../emulator/index.js";

/** mulberry32: small, fast and reproducible from a seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Few names, so duplicates within a runner and across runners are frequent; some read as other
// YAML types or need quoting.
const NAMES = [
  "Small Instance",
  "Large Instance",
  "GPU Instance",
  "yes",
  "123",
  "null",
  "a: b",
  "#tag",
  "Ünïcode ☃",
];
const DESCRIPTIONS = [
  "",
  "2 CPU, 8 GiB RAM",
  "line one\nline two",
  "quotes \" and ' and \\",
  "true",
  "  padded  ",
  "- dash",
];
const INSTANCE_TYPES = ["m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge", "g5.xlarge"];
const HOSTS = [
  { scmId: "github", host: "github.com", clientId: "Iv1.8a61f9b3a7aba766" },
  { scmId: "gitlab", host: "gitlab.com", clientId: "gl-demo-client" },
  { scmId: "gitlab", host: "GitLab.Example.com", clientId: "self-managed" },
  { scmId: "bitbucket", host: "bitbucket.org", clientId: "bb-123" },
  { scmId: "azure-devops-server", host: "ado.example.com", clientId: "ado-app" },
  { scmId: "azure-devops-server", host: "tfs.corp.example:8443", clientId: "tfs" },
];
const VIRTUAL_DIRECTORIES = ["", "/tfs", "/DefaultCollection", "/tfs/Team Project"];

export interface SeededState {
  runnerIds: string[];
  /** Runners with two or more classes of one display name. */
  duplicateNames: number;
}

export function seedRandomState(state: EmulatorState, seed: number): SeededState {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  state.reset();
  const runnerIds = [...state.runners.keys()];
  for (let extra = Math.floor(next() * 3); extra > 0; extra--) runnerIds.push(state.addRunner());
  let duplicateNames = 0;
  for (const runnerId of runnerIds) {
    const names = new Map<string, number>();
    for (let count = Math.floor(next() * 7); count > 0; count--) {
      const displayName = pick(NAMES);
      names.set(displayName, (names.get(displayName) ?? 0) + 1);
      const configuration = [{ key: "instanceType", value: pick(INSTANCE_TYPES) }];
      if (next() < 0.6)
        configuration.push({ key: "diskSize", value: String(20 + Math.floor(next() * 1981)) });
      if (next() < 0.4) configuration.push({ key: "spot", value: next() < 0.5 ? "true" : "false" });
      if (next() < 0.2)
        configuration.push({
          key: "imageId",
          value: `ami-${Math.floor(next() * 0xffffffff)
            .toString(16)
            .padStart(8, "0")}`,
        });
      state.seedEnvironmentClass({
        runnerId,
        displayName,
        description: pick(DESCRIPTIONS),
        enabled: next() < 0.7,
        configuration: configuration.sort(() => next() - 0.5),
      });
    }
    if ([...names.values()].some((n) => n > 1)) duplicateNames++;
    for (const host of HOSTS) {
      if (next() < 0.5) continue;
      const oauth = next() < 0.5;
      state.seedScmIntegration({
        runnerId,
        scmId: host.scmId,
        host: host.host,
        pat: next() < 0.5,
        ...(oauth
          ? {
              oauthClientId: host.clientId,
              oauthClientSecret: `canary-secret-${seed}-${host.host}`,
              ...(next() < 0.3 ? { issuerUrl: `https://${host.host.split(":")[0]}/oauth` } : {}),
            }
          : {}),
        ...(host.scmId === "azure-devops-server" ? { virtualDirectory: pick(VIRTUAL_DIRECTORIES) } : {}),
      });
    }
  }
  return { runnerIds, duplicateNames };
}
