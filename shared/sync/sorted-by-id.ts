/** Objects in id order: how a kind lists its objects for the fingerprint (fingerprint.ts). */
export function sortedById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
}
