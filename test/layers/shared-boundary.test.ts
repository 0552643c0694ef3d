/**
 * shared/ is the product's common code under the three faces: it imports none of them (action/,
 * bot/), nothing from the tests (test/, the emulator included) and neither the GitHub nor the Slack
 * SDK, so each face bundles only what it uses and the engines stay testable without either
 * platform. Type-only imports count too: a type from a face is a dependency on it. The emulator's
 * own boundary is test/emulator-tests/independence.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;
/** Packages only a face may use. */
const FACE_PACKAGES = /^@(slack|actions)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every import under `root`/shared that leaves shared/ or names a face's SDK, in words. */
function importsCrossingShared(root: string): string[] {
  const shared = join(root, "shared");
  const crossing: string[] = [];
  for (const file of sourceFiles(shared)) {
    for (const match of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      const specifier = match[1] as string;
      const where = relative(root, file);
      if (specifier.startsWith(".") || specifier.startsWith("/")) {
        const target = relative(shared, resolve(dirname(file), specifier));
        if (target.startsWith("..")) crossing.push(`${where} imports ${specifier}`);
      } else if (FACE_PACKAGES.test(specifier)) crossing.push(`${where} imports ${specifier}`);
    }
  }
  return crossing;
}

describe("shared/ boundary", () => {
  it("imports nothing from action/, bot/ or test/, and neither @actions/* nor @slack/*", () => {
    expect(sourceFiles(join(REPO, "shared")).length).toBeGreaterThan(50);
    expect(importsCrossingShared(REPO)).toEqual([]);
  });

  it("would notice a face, a test helper or a platform SDK imported from shared/", () => {
    const root = mkdtempSync(join(tmpdir(), "shared-boundary-"));
    try {
      mkdirSync(join(root, "shared", "sync"), { recursive: true });
      writeFileSync(
        join(root, "shared", "sync", "probe.ts"),
        [
          'import type { ActionInputs } from "../../action/inputs.js";',
          'import { startEmulator } from "../../test/emulator/index.js";',
          'import * as core from "@actions/core";',
          'export { App } from "@slack/bolt";',
          'const lazy = await import("../../bot/app.js");',
          // Inside shared/ and ordinary packages are fine.
          'import { z } from "zod";',
          'import { oneLine } from "../text/untrusted.js";',
        ].join("\n"),
      );
      expect(importsCrossingShared(root)).toEqual([
        "shared/sync/probe.ts imports ../../action/inputs.js",
        "shared/sync/probe.ts imports ../../test/emulator/index.js",
        "shared/sync/probe.ts imports @actions/core",
        "shared/sync/probe.ts imports @slack/bolt",
        "shared/sync/probe.ts imports ../../bot/app.js",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
