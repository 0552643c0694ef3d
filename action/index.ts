/** The action's process entry (bundled to dist/action.js, loaded by the Node version guard dist/index.js): run it. */
import { run } from "./main.js";
import { keepYoungGenerationSmall } from "./young-generation.js";

keepYoungGenerationSmall();
await run();
