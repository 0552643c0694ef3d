/**
 * A kind's part of the file format (shared/kinds/<kind>/file-format.ts) reads and writes files and
 * never calls the API: the loader, the JSON Schema and the CLI's `schema` and offline checks use it
 * without a client. Its runtime imports, followed to the end, must stay out of the API client, the
 * transport, the sync and every kind's sync; it may use the API's data types and pure rules.
 * Each kind is one folder (file format, operation, sync, index) and one entry in the registry.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALL_KINDS } from "../../shared/kinds/registry.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const KINDS_DIR = join(REPO, "shared", "kinds");
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g;

/** What a file's runtime imports may not reach: the modules that hold or drive API calls. */
function callsTheApi(file: string, specifier: string): string | undefined {
  if (specifier === "undici") return "the HTTP client (undici)";
  const path = relative(REPO, file);
  // The API's data types and pure rules (the resources' *.wire.ts, rpcs.ts, matching.ts, errors.ts)
  // are fine; these call it.
  if (
    /^shared\/api\/(client|transport|dispatcher|pagination|index)\.ts$|^shared\/api\/resources\/(?!.*\.wire\.ts$)/.test(
      path,
    )
  ) {
    return "the API client";
  }
  if (path.startsWith("shared/sync/")) return "the sync";
  if (/^shared\/kinds\/[^/]+\/(sync|index)\.ts$/.test(path) || path === "shared/kinds/registry.ts") {
    return "a kind's sync";
  }
  return undefined;
}

/** Whether an import brings code at run time (not `import type`, not `{ type A, type B }`). */
function isRuntime(typeKeyword: string | undefined, clause: string | undefined): boolean {
  if (typeKeyword) return false;
  const names = clause?.match(/^\{([^}]*)\}$/)?.[1];
  if (names === undefined) return true;
  return names
    .split(",")
    .map((name) => name.trim())
    .some((name) => name !== "" && !name.startsWith("type "));
}

/** Every runtime import chain from `start` that reaches what calls the API, in words. */
function apiReachedFrom(start: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: readonly string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const specifier = (match[3] ?? match[4]) as string;
      if (match[4] === undefined && !isRuntime(match[1], match[2])) continue;
      const local = specifier.startsWith(".") || isAbsolute(specifier);
      const target = local ? resolve(dirname(file), specifier).replace(/\.js$/, ".ts") : specifier;
      const here = [...chain, local ? relative(REPO, target) : target];
      const what = callsTheApi(target, specifier);
      if (what) found.push(`${here.join(" -> ")} (${what})`);
      else if (local) walk(target, here);
    }
  };
  walk(start, [relative(REPO, start)]);
  return found;
}

const kindFolders = readdirSync(KINDS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe("resource kinds: one folder each, and the file format does not call the API", () => {
  it("has one folder per registered kind, each with its file format, operation, sync and index", () => {
    expect(kindFolders.length).toBe(ALL_KINDS.length);
    const registry = readFileSync(join(KINDS_DIR, "registry.ts"), "utf8");
    for (const folder of kindFolders) {
      expect(readdirSync(join(KINDS_DIR, folder)).sort(), folder).toEqual([
        "file-format.ts",
        "index.ts",
        "operation.ts",
        "sync.ts",
      ]);
      expect(registry, folder).toContain(`from "./${folder}/index.js"`);
    }
  });

  it.each(kindFolders)("%s/file-format.ts reaches no API call at run time", (folder) => {
    expect(apiReachedFrom(join(KINDS_DIR, folder, "file-format.ts"))).toEqual([]);
  });

  it("would notice a file format that imports the client, directly or through another module", () => {
    const dir = mkdtempSync(join(tmpdir(), "kind-layering-"));
    try {
      const client = join(REPO, "shared", "api", "client.js");
      writeFileSync(
        join(dir, "helper.ts"),
        `import { GitpodClient } from "${client}";\nexport const c = GitpodClient;\n`,
      );
      writeFileSync(
        join(dir, "file-format.ts"),
        `import type { GitpodClient } from "${client}";\nimport { type A, c } from "./helper.js";\n`,
      );
      expect(apiReachedFrom(join(dir, "file-format.ts"))).toEqual([
        `${relative(REPO, join(dir, "file-format.ts"))} -> ${relative(REPO, join(dir, "helper.ts"))} -> shared/api/client.ts (the API client)`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
