/**
 * What every wire module of gitpod.v1.RunnerConfigurationService shares: the open enum (the API
 * grows), field values and pagination. The wire modules (`*.wire.ts`) sit beside their resources,
 * one per API group; `../rpcs.ts` ties each RPC to its request and response schema.
 *
 * Responses are parsed leniently on purpose: the API grows, so unknown fields are dropped
 * (zod's default object behaviour) and enum fields accept values this client does not know yet.
 * Requests are typed strictly by the same schemas so callers get compile-time help.
 */
import { z } from "zod";

/** An enum that tolerates values added to the API after this client was written. */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T[number] | (string & {})>;
}

export const FieldValue = z.object({
  key: z.string().optional(),
  value: z.string().optional(),
});
export type FieldValue = z.infer<typeof FieldValue>;

export const PaginationRequest = z.object({
  token: z.string().optional(),
  pageSize: z.number().int().optional(),
});
export type PaginationRequest = z.infer<typeof PaginationRequest>;

export const PaginationResponse = z.object({
  nextToken: z.string().optional(),
});
export type PaginationResponse = z.infer<typeof PaginationResponse>;
