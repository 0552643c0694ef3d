/**
 * Keeping config files inside a root (the action's workspace, the CLI's repository): a symlink or a
 * path could otherwise lead a read to `../.git/config` (which holds the checkout's token) and have it
 * quoted in errors, or lead a write anywhere the job can write.
 */
import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The directory a config file must be inside, and how messages name it ("the workspace (GITHUB_WORKSPACE)"). */
export interface ConfigRoot {
  dir: string;
  name: string;
}

/**
 * Where the real path `path` is relative to `root` in words ("outside the workspace
 * (GITHUB_WORKSPACE)"), or undefined when it is inside. The root's `.git` directory counts as
 * outside: git's own files are never a config.
 */
export async function placeOutside(path: string, root: ConfigRoot): Promise<string | undefined> {
  const rel = relative(await realpath(root.dir), path);
  const [first] = rel.split(sep);
  if (rel === "" || first === ".." || isAbsolute(rel)) return `outside ${root.name}`;
  return first === ".git" ? `in the .git directory of ${root.name}` : undefined;
}

export type WritablePath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Where `file` (relative to the current directory) may be written inside `root`: the absolute path
 * to write, or why not. Symlinks are followed as a write would follow them: an existing file's real
 * path, else the real path of its nearest existing folder (the missing ones are created inside it).
 * A link whose target does not exist is refused, since writing would create the target.
 */
export async function writablePath(file: string, root: ConfigRoot): Promise<WritablePath> {
  const path = resolve(file);
  const link = await lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    if (!target) return { ok: false, reason: "it is a symlink to a file that does not exist" };
    const place = await placeOutside(target, root);
    return place
      ? { ok: false, reason: `its real path is ${place} (a symlink)` }
      : { ok: true, path: target };
  }
  let existing = dirname(path);
  const missing = [basename(path)];
  for (;;) {
    const real = await realpath(existing).catch(() => undefined);
    if (real) {
      const place = await placeOutside(join(real, ...missing), root);
      return place ? { ok: false, reason: `it is ${place}` } : { ok: true, path };
    }
    if (dirname(existing) === existing) return { ok: false, reason: `it is outside ${root.name}` };
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
}
