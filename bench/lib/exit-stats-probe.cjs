// Preload (node --require) for a process the benchmark runs as users do (dist/cli.js): at exit, writes
// its own peak RSS and CPU time as JSON to the file named by BENCH_EXIT_STATS. Nothing else.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_EXIT_STATS,
    JSON.stringify({
      peakRssBytes: usage.maxRSS * 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    }),
  );
});
