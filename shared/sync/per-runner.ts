/**
 * Lists one kind of object for several runners: one page walk per runner, all walks at once. A
 * single walk with every runner id in the filter needs one round trip per page in series (10,000
 * objects = 100 pages one after another); per runner the depth is that runner's own page count.
 */
export async function listEachRunner<T>(
  runnerIds: readonly string[],
  listRunner: (runnerId: string) => Promise<T[]>,
): Promise<T[]> {
  const perRunner = await Promise.all(runnerIds.map(listRunner));
  return perRunner.flat();
}
