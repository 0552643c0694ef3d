/**
 * ARCHITECTURE.md's tree is the map a newcomer reads: every folder it lists exists, and every folder
 * directly under shared/, action/ and bot/ is on it, so a move or a new folder updates the map too;
 * test/README.md names every test folder.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The folders the tree in ARCHITECTURE.md's first code block lists, as paths from the repository root. */
function treeFolders(): string[] {
  const text = readFileSync("ARCHITECTURE.md", "utf8");
  const block = text.split("```")[1] ?? "";
  const folders: string[] = [];
  const stack: string[] = [];
  for (const line of block.split("\n")) {
    // A name column entry: indented by two spaces per level, a folder name ending in "/" and then
    // spaces or the line's end. Description lines start further right (column 28).
    const match = line.match(/^( {0,26})([A-Za-z0-9._-]+)\/(?:\s|$)/);
    if (!match) continue;
    const depth = (match[1] ?? "").length / 2;
    stack.length = depth;
    stack.push(match[2] ?? "");
    folders.push(stack.join("/"));
  }
  return folders;
}

/** The folders directly under `root` that hold at least one file (at any depth). */
function subfolders(root: string): string[] {
  const holdsFiles = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some(
      (e) => e.isFile() || (e.isDirectory() && holdsFiles(join(dir, e.name))),
    );
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && holdsFiles(join(root, e.name)))
    .map((e) => `${root}/${e.name}`);
}

describe("ARCHITECTURE.md's tree", () => {
  const listed = treeFolders();

  it("is read as a tree (the parser finds the faces and nested folders)", () => {
    expect(listed).toEqual(
      expect.arrayContaining(["shared", "shared/api", "bot/listeners/commands", "test/emulator"]),
    );
  });

  it("lists only folders that exist", () => {
    const missing = listed.filter((folder) => !statSync(folder, { throwIfNoEntry: false })?.isDirectory());
    expect(missing).toEqual([]);
  });

  it("lists every source folder under shared/, action/ and bot/", () => {
    const unlisted = ["shared", "action", "bot"]
      .flatMap(subfolders)
      .filter((folder) => !listed.includes(folder));
    expect(unlisted).toEqual([]);
  });
});

describe("test/README.md", () => {
  it("maps every test folder", () => {
    const readme = readFileSync("test/README.md", "utf8");
    const unmapped = subfolders("test").filter(
      (folder) => !readme.includes(`\`${folder.slice("test/".length)}/\``),
    );
    expect(unmapped).toEqual([]);
  });
});
