import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The official descriptors witness every exchange with the emulator (docs/emulator.md).
    setupFiles: ["test/witness/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
