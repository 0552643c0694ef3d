/**
 * Looking up an environment variable named by text from a file or an input. Only the environment's
 * own string values count: `${constructor}` or `${__proto__}` must not reach Object.prototype.
 */
export function envValue(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value: unknown = env[name];
  return typeof value === "string" ? value : undefined;
}
