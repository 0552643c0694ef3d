// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild. `--outdir DIR` builds
// elsewhere (the staleness test compares a fresh build with the committed dist/).
import { createRequire } from "node:module";
import { build } from "esbuild";

const outIndex = process.argv.indexOf("--outdir");
const outdir = outIndex > 0 ? process.argv[outIndex + 1] : "dist";

// @actions/http-client carries its own older undici (for OIDC tokens, which we never request); point
// it at ours so the bundle holds one copy instead of two.
const undiciEntry = createRequire(import.meta.url).resolve("undici");
const oneUndici = {
  name: "one-undici",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^undici$/ }, () => ({ path: undiciEntry }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  // Minified to keep the committed bundle small (< 2 MB) and quick to load on the runner.
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [oneUndici],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

await build({ ...common, entryPoints: { index: "action/index.ts" }, outdir });
await build({
  ...common,
  entryPoints: { cli: "action/cli-main.ts" },
  outdir,
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
