/** The action's process entry (bundled to dist/index.js): run it. */
import { run } from "./main.js";

await run();
