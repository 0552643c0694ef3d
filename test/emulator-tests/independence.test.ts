/**
 * The emulator must not share code with the product's client: a mistake in the client's schemas
 * would otherwise be agreed with by construction. Every import under test/emulator must resolve
 * inside test/emulator (or be a Node built-in or an npm package).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The emulator's source; its tests (this folder) may import test helpers.
const EMULATOR_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../emulator");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function importsLeavingEmulator(files: readonly string[]): string[] {
  const leaving: string[] = [];
  for (const file of files) {
    for (const match of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      const specifier = match[1] as string;
      if (!specifier.startsWith(".") && !specifier.startsWith("/")) continue; // node: or a package
      const target = resolve(dirname(file), specifier);
      if (relative(EMULATOR_DIR, target).startsWith("..")) {
        leaving.push(`${relative(EMULATOR_DIR, file)} imports ${specifier}`);
      }
    }
  }
  return leaving;
}

describe("emulator independence", () => {
  it("imports nothing from outside test/emulator (in particular not the product's client)", () => {
    const files = sourceFiles(EMULATOR_DIR);
    expect(files.length).toBeGreaterThan(20);
    expect(importsLeavingEmulator(files)).toEqual([]);
  });

  it("loads no protobuf library: the official descriptors are the tests' witness, never the emulator's", () => {
    const protobufImports = sourceFiles(EMULATOR_DIR).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(SPECIFIER)]
        .map((match) => match[1] as string)
        .filter((specifier) => specifier.startsWith("@bufbuild/") || specifier.includes("descriptors"))
        .map((specifier) => `${relative(EMULATOR_DIR, file)} imports ${specifier}`),
    );
    expect(protobufImports).toEqual([]);
  });

  it("would notice an import of the client's schemas", () => {
    const dir = mkdtempSync(join(EMULATOR_DIR, ".probe-"));
    try {
      const clientSchemas = ["..", "..", "..", ["sha", "red"].join(""), "api", "rpcs.js"].join("/");
      writeFileSync(join(dir, "probe.ts"), `import { RPCS } from "${clientSchemas}";\n`);
      expect(importsLeavingEmulator(sourceFiles(dir))).toEqual([
        `.probe-${dir.split(".probe-")[1]}/probe.ts imports ${clientSchemas}`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
