/**
 * The environment variable an exported OAuth client secret is referenced by. Documented in
 * docs/cli.md: `OAUTH_SECRET_<HOST>`, the host upper-cased with every other character than A-Z and
 * 0-9 turned into `_`; when the same host has OAuth on more than one exported runner, each gets
 * `_<first 8 characters of the runner id>` appended so the runners can hold different secrets. Two
 * hosts that come out as one name (`git.example.com`, `git-example.com`) are told apart by export.ts
 * with `_2`, `_3`, ... on the later ones.
 */

function variablePart(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function secretVariableName(host: string, runnerId: string, hostOnSeveralRunners: boolean): string {
  const base = `OAUTH_SECRET_${variablePart(host) || "HOST"}`;
  return hostOnSeveralRunners ? `${base}_${variablePart(runnerId.slice(0, 8))}` : base;
}
