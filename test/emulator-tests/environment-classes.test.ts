import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

const LARGE = [
  { key: "instanceType", value: "m6i.2xlarge" },
  { key: "diskSize", value: "200" },
  { key: "spot", value: "true" },
  { key: "imageId", value: "ami-0abc1234def56789" },
];

describe("CreateEnvironmentClass / GetEnvironmentClass", () => {
  it("creates an enabled class and reads it back", async () => {
    const { id } = await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "Large",
      description: "8 vCPU, 32 GiB",
      configuration: LARGE,
    });
    const { environmentClass } = await ok(emu, "GetEnvironmentClass", { environmentClassId: id });
    expect(environmentClass).toEqual({
      id,
      runnerId: RUNNER_EU_ID,
      displayName: "Large",
      description: "8 vCPU, 32 GiB",
      configuration: LARGE,
      enabled: true,
    });
    expect(emu.state.environmentClasses.get(id)?.enabled).toBe(true);
  });

  it("allows two classes with the same display name", async () => {
    const body = { runnerId: RUNNER_EU_ID, displayName: "Same", configuration: LARGE };
    const first = await ok(emu, "CreateEnvironmentClass", body);
    const second = await ok(emu, "CreateEnvironmentClass", body);
    expect(first.id).not.toBe(second.id);
    expect(emu.state.environmentClasses.size).toBe(2);
  });

  it("answers not_found for an unknown runner", async () => {
    const result = await call(emu, "CreateEnvironmentClass", {
      runnerId: "00000000-0000-4000-8000-000000000000",
      displayName: "Large",
      configuration: LARGE,
    });
    expect(result.status).toBe(404);
    expect(result.json.code).toBe("not_found");
  });

  it.each([
    ["a display name of 2 characters", { displayName: "ab" }, "display_name: must be at least 3 characters"],
    [
      "a display name of 128 characters",
      { displayName: "x".repeat(128) },
      "display_name: must be at most 127",
    ],
    ["a description of 2 characters", { description: "ab" }, "description"],
    ["a description of 201 characters", { description: "d".repeat(201) }, "description"],
    ["an unknown configuration key", { configuration: [...LARGE, { key: "gpu", value: "1" }] }, "gpu"],
    ["a missing required key", { configuration: [{ key: "diskSize", value: "100" }] }, "instanceType"],
    [
      "a disk size below min",
      {
        configuration: [
          { key: "instanceType", value: "m6i.large" },
          { key: "diskSize", value: "10" },
        ],
      },
      "diskSize",
    ],
    [
      "a non-integer disk size",
      {
        configuration: [
          { key: "instanceType", value: "m6i.large" },
          { key: "diskSize", value: "1.5" },
        ],
      },
      "diskSize",
    ],
    [
      "a bad AMI id",
      {
        configuration: [
          { key: "instanceType", value: "m6i.large" },
          { key: "imageId", value: "ami-XYZ" },
        ],
      },
      "imageId",
    ],
    [
      "an enum value not offered",
      { configuration: [{ key: "instanceType", value: "t3.micro" }] },
      "instanceType",
    ],
  ])("rejects %s with invalid_argument and stores nothing", async (_, override, field) => {
    const result = await call(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "Valid name",
      configuration: LARGE,
      ...override,
    });
    expect(result.status).toBe(400);
    expect(result.json.code).toBe("invalid_argument");
    expect(result.json.message).toContain(field);
    expect(emu.state.environmentClasses.size).toBe(0);
  });

  it("counts display name length in characters, not bytes", async () => {
    await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "Größe",
      configuration: LARGE,
    });
    await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "é".repeat(127),
      configuration: LARGE,
    });
  });

  it("answers not_found for a missing id and invalid_argument for an empty one", async () => {
    const missing = await call(emu, "GetEnvironmentClass", { environmentClassId: crypto.randomUUID() });
    expect(missing.status).toBe(404);
    const empty = await call(emu, "GetEnvironmentClass", { environmentClassId: "" });
    expect(empty.status).toBe(400);
  });
});

describe("UpdateEnvironmentClass", () => {
  it("updates display name, description and enabled but never the configuration", async () => {
    const seeded = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Old",
      configuration: LARGE,
    });
    const answer = await ok(emu, "UpdateEnvironmentClass", {
      environmentClassId: seeded.id,
      displayName: "New name",
      description: "New description",
      enabled: false,
      configuration: [{ key: "instanceType", value: "g5.xlarge" }],
    });
    expect(answer).toEqual({});
    const stored = emu.state.environmentClasses.get(seeded.id);
    expect(stored).toMatchObject({ displayName: "New name", description: "New description", enabled: false });
    expect(stored?.configuration).toEqual(LARGE);
  });

  it("leaves fields that were not sent alone", async () => {
    const seeded = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Keep",
      description: "Keep me",
    });
    await ok(emu, "UpdateEnvironmentClass", { environmentClassId: seeded.id, enabled: false });
    expect(emu.state.environmentClasses.get(seeded.id)).toMatchObject({
      displayName: "Keep",
      description: "Keep me",
    });
  });

  it("rejects an invalid display name without applying the rest", async () => {
    const seeded = emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Keep" });
    const result = await call(emu, "UpdateEnvironmentClass", {
      environmentClassId: seeded.id,
      displayName: "x",
      enabled: false,
    });
    expect(result.status).toBe(400);
    expect(emu.state.environmentClasses.get(seeded.id)?.enabled).toBe(true);
  });

  it("answers not_found for an unknown class", async () => {
    const result = await call(emu, "UpdateEnvironmentClass", {
      environmentClassId: crypto.randomUUID(),
      enabled: true,
    });
    expect(result.status).toBe(404);
  });
});

describe("ListEnvironmentClasses filters", () => {
  it("filters by runner ids and by enabled", async () => {
    const eu = emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "eu on" });
    const euOff = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "eu off",
      enabled: false,
    });
    const us = emu.state.seedEnvironmentClass({ runnerId: RUNNER_US_ID, displayName: "us on" });
    const ids = (body: { environmentClasses?: { id: string }[] }) =>
      (body.environmentClasses ?? []).map((c) => c.id);

    expect(ids(await ok(emu, "ListEnvironmentClasses", {}))).toEqual([eu.id, euOff.id, us.id]);
    expect(ids(await ok(emu, "ListEnvironmentClasses", { filter: { runnerIds: [RUNNER_EU_ID] } }))).toEqual([
      eu.id,
      euOff.id,
    ]);
    expect(ids(await ok(emu, "ListEnvironmentClasses", { filter: { enabled: true } }))).toEqual([
      eu.id,
      us.id,
    ]);
    expect(ids(await ok(emu, "ListEnvironmentClasses", { filter: { enabled: false } }))).toEqual([euOff.id]);
    expect(
      ids(await ok(emu, "ListEnvironmentClasses", { filter: { runnerIds: [RUNNER_US_ID], enabled: false } })),
    ).toEqual([]);
    expect(ids(await ok(emu, "ListEnvironmentClasses", { filter: { runnerIds: [] } }))).toHaveLength(3);
  });
});
