// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the Slack bot (dist/bot.mjs, with its
// schema migrations copied to dist/migrations/) with esbuild. `--outdir DIR` builds
// elsewhere (the staleness test compares a fresh build with the committed dist/).
import { realpathSync } from "node:fs";
import { chmod, cp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { build } from "esbuild";
import { nodeGuard } from "./node-guard.mjs";

const outIndex = process.argv.indexOf("--outdir");
const outdir = outIndex > 0 ? process.argv[outIndex + 1] : "dist";
// `--bot-only`: just the bot and its migrations (the Dockerfile's build stage, whose context has no action/).
const botOnly = process.argv.includes("--bot-only");

// @actions/http-client carries its own older undici (for OIDC tokens, which we never request); point
// it at ours so the bundle holds one copy instead of two.
// (As a path under ./node_modules even when that is a symlink: require.resolve gives the real path.)
const undiciEntry = join(
  resolve("node_modules"),
  relative(realpathSync("node_modules"), createRequire(import.meta.url).resolve("undici")),
);
const oneUndici = {
  name: "one-undici",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^undici$/ }, () => ({ path: undiciEntry }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // Minified to keep the committed bundle small (< 2 MB) and quick to load on the runner.
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [oneUndici],
  // `init` writes the example workflows (examples/workflows/*.yml), bundled as text.
  loader: { ".yml": "text" },
  // Source maps (no sources embedded: the action's checkout has them) so a stack trace names
  // action/… and shared/… files and lines; the guard in dist/index.js and dist/cli.js enables them.
  sourcemap: "linked",
  // Paths as found (a symlinked node_modules, as in the release test's clone, maps the same).
  preserveSymlinks: true,
  sourcesContent: false,
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

// The bundles (dist/action.js, dist/cli-bundle.js, dist/bot-bundle.mjs) sit behind the Node version guards.
if (!botOnly) {
  await build({ ...common, entryPoints: { action: "action/index.ts" }, outdir });
  await build({ ...common, entryPoints: { "cli-bundle": "action/cli-main.ts" }, outdir });
}
// The bot carries every npm dependency it uses, so the npm package and the image need no
// node_modules. pg's optional native binding is never loaded (we use the JavaScript client).
await build({
  ...common,
  entryPoints: { "bot-bundle": "bot/main.ts" },
  outExtension: { ".js": ".mjs" },
  external: ["pg-native"],
  outdir,
});
// The bot reads its migrations next to its bundle (bot/state/migrations.ts).
await rm(join(outdir, "migrations"), { recursive: true, force: true });
await cp("bot/state/migrations", join(outdir, "migrations"), { recursive: true });
// Map sources as seen from dist/, wherever this build was written, so that a build elsewhere (the
// staleness test's) has the same bytes.
for (const bundle of botOnly ? ["bot-bundle.mjs"] : ["action.js", "cli-bundle.js", "bot-bundle.mjs"]) {
  const file = join(outdir, `${bundle}.map`);
  const map = JSON.parse(await readFile(file, "utf8"));
  map.sources = map.sources.map(
    (source) => `../${relative(".", resolve(outdir, source)).replaceAll("\\", "/")}`,
  );
  await writeFile(file, JSON.stringify(map));
}
if (!botOnly) {
  await writeFile(join(outdir, "index.js"), nodeGuard("action.js", false));
  await writeFile(join(outdir, "cli.js"), nodeGuard("cli-bundle.js", true));
  await chmod(join(outdir, "cli.js"), 0o755);
}
await writeFile(join(outdir, "bot.mjs"), nodeGuard("bot-bundle.mjs", true));
await chmod(join(outdir, "bot.mjs"), 0o755);
