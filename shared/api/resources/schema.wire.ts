/** A runner's configuration schema on the wire (GetRunnerConfigurationSchema). */
import { z } from "zod";

const EnumValue = z.object({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  detail: z.string().optional(),
});

/** One configurable field; exactly one of bool/display/enum/int/string says its kind. */
export const SchemaField = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
  bool: z.object({ default: z.boolean().optional() }).optional(),
  display: z.object({ default: z.string().optional() }).optional(),
  enum: z
    .object({
      default: z.string().optional(),
      defaultValue: EnumValue.optional(),
      possibleValues: z.array(EnumValue).optional(),
      values: z.array(z.string()).optional(),
    })
    .optional(),
  int: z
    .object({
      default: z.number().int().optional(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
    })
    .optional(),
  string: z.object({ default: z.string().optional(), pattern: z.string().optional() }).optional(),
});
export type SchemaField = z.infer<typeof SchemaField>;

const SchemaScm = z.object({
  scmId: z.string().optional(),
  name: z.string().optional(),
  defaultHosts: z.array(z.string()).optional(),
  oauth: z.object({ callbackUrl: z.string().optional() }).optional(),
  pat: z.object({ description: z.string().optional(), docsLink: z.string().optional() }).optional(),
});

export const RunnerConfigurationSchema = z.object({
  environmentClasses: z.array(SchemaField).optional(),
  runnerConfig: z.array(SchemaField).optional(),
  scm: z.array(SchemaScm).optional(),
  version: z.string().optional(),
});
export type RunnerConfigurationSchema = z.infer<typeof RunnerConfigurationSchema>;

export const GetRunnerConfigurationSchemaRequest = z.object({ runnerId: z.string() });
export type GetRunnerConfigurationSchemaRequest = z.infer<typeof GetRunnerConfigurationSchemaRequest>;

/** A runner may report no schema: `schema: Optional[RunnerConfigurationSchema]`. */
export const GetRunnerConfigurationSchemaResponse = z.object({
  schema: RunnerConfigurationSchema.optional(),
});
