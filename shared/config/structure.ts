/**
 * The file's structure, strict: unknown keys and wrong types are errors with their line. A runner
 * holds one list per resource kind, under the kind's key, of the kind's own entries (its FileFormat).
 */
import { z } from "zod";
import { FILE_FORMATS } from "../kinds/registry.js";

const kindLists = Object.fromEntries(
  FILE_FORMATS.map((format) => [format.key, z.array(format.entry).default([])]),
);

export const RunnerEntry = z.strictObject({
  id: z.uuid({ error: "id must be a runner id (a UUID)" }),
  name: z.string().optional(),
  ...kindLists,
});

export const RunnerConfigFile = z.strictObject({
  version: z.literal(1, { error: "version must be 1" }),
  runners: z.array(RunnerEntry).min(1, "runners must list at least one runner"),
});
