/**
 * Objects of one kind in creation order, overall and per runner, so that a List page costs about its
 * page size whatever else is stored: a binary search finds where the page starts and a merge of the
 * requested runners' lists walks forward from there. `scanned` counts every object a page looked at
 * (tests use it to catch a List that scans the whole store).
 */

export interface Indexed {
  /** Creation order; page tokens point at it. */
  seq: number;
  runnerId: string;
}

/** Index of the first item with seq > afterSeq in a list sorted by seq. */
function firstAfter(sorted: readonly Indexed[], afterSeq: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as Indexed).seq <= afterSeq) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface IndexPage<T> {
  items: T[];
  /** More matching items may follow the last one. */
  hasMore: boolean;
}

export class OrderedIndex<T extends Indexed> {
  readonly #all: T[] = [];
  readonly #byRunner = new Map<string, T[]>();
  /** Objects looked at by page() since the last reset. */
  scanned = 0;

  clear(): void {
    this.#all.length = 0;
    this.#byRunner.clear();
  }

  /** Appends; seq must be larger than any stored one. */
  add(item: T): void {
    this.#all.push(item);
    const list = this.#byRunner.get(item.runnerId);
    if (list) list.push(item);
    else this.#byRunner.set(item.runnerId, [item]);
  }

  remove(item: T): void {
    for (const list of [this.#all, this.#byRunner.get(item.runnerId) ?? []]) {
      const index = firstAfter(list, item.seq - 1);
      if (list[index] === item) list.splice(index, 1);
    }
  }

  /**
   * Up to `limit` items with seq > afterSeq that `accept` takes, in creation order, from the given
   * runners (all when undefined).
   */
  page(
    runnerIds: readonly string[] | undefined,
    afterSeq: number,
    limit: number,
    accept: (item: T) => boolean,
  ): IndexPage<T> {
    const lists =
      runnerIds === undefined
        ? [this.#all]
        : [...new Set(runnerIds)].map((id) => this.#byRunner.get(id) ?? []);
    const cursors = lists.map((list) => firstAfter(list, afterSeq));
    const items: T[] = [];
    for (;;) {
      let pick = -1;
      for (let index = 0; index < lists.length; index += 1) {
        const head = (lists[index] as T[])[cursors[index] as number];
        if (head && (pick === -1 || head.seq < ((lists[pick] as T[])[cursors[pick] as number] as T).seq)) {
          pick = index;
        }
      }
      if (pick === -1) return { items, hasMore: false };
      const item = (lists[pick] as T[])[cursors[pick] as number] as T;
      if (!accept(item)) {
        this.scanned += 1;
        cursors[pick] = (cursors[pick] as number) + 1;
        continue;
      }
      if (items.length === limit) return { items, hasMore: true };
      this.scanned += 1;
      items.push(item);
      cursors[pick] = (cursors[pick] as number) + 1;
    }
  }
}
