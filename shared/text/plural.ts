/** "1 error", "2 errors": a count with its noun, in the number the count asks for. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
