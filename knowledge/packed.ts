/**
 * Integer ids and packed integer lists for the search index (knowledge/search.ts): its hot loops compare numbers
 * and walk typed arrays instead of hashing strings and following pointers from one small array to the next.
 */

/** What TokenIds.id gives a token the index has never seen: no list holds it, so it matches nothing. */
export const NO_TOKEN = -1;

/** Stemmed tokens as dense ids (0, 1, 2, …), handed out as the index is built and looked up at question time. */
export class TokenIds {
  private readonly ids = new Map<string, number>();

  /** The token's id, a new one if it has none yet. */
  intern(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) this.ids.set(token, (id = this.ids.size));
    return id;
  }

  /** The token's id, or NO_TOKEN. */
  id(token: string): number {
    return this.ids.get(token) ?? NO_TOKEN;
  }

  /** Every token with its id, in id order. */
  entries(): IterableIterator<[string, number]> {
    return this.ids.entries();
  }

  get size(): number {
    return this.ids.size;
  }
}

/**
 * Many short integer lists end to end in one Int32Array, with where each starts in another (list i is
 * values[starts[i]] up to, not including, values[starts[i + 1]]): far smaller than an array object per list at
 * 100x knowledge, and read without chasing pointers. Lists are appended while the index is built, then packed.
 */
export class IntLists {
  starts = new Int32Array(1);
  values = new Int32Array(0);
  private pendingStarts: number[] = [0];
  private pendingValues: number[] = [];

  /** Lists given as arrays (a missing one is empty), packed at once. */
  static of(lists: readonly (readonly number[] | undefined)[]): IntLists {
    const packed = new IntLists();
    for (const list of lists) packed.add(list ?? []);
    return packed.pack();
  }

  /** Appends the next list (list i is the i-th appended). */
  add(list: Iterable<number>) {
    for (const v of list) this.pendingValues.push(v);
    this.pendingStarts.push(this.pendingValues.length);
  }

  /** Moves the appended lists into the typed arrays: call once, after the last add. */
  pack(): this {
    this.starts = Int32Array.from(this.pendingStarts);
    this.values = Int32Array.from(this.pendingValues);
    this.pendingStarts = [];
    this.pendingValues = [];
    return this;
  }

  lengthOf(i: number): number {
    return this.starts[i + 1] - this.starts[i];
  }

  /** Whether list i holds `run` as consecutive values. */
  holdsRun(i: number, run: readonly number[]): boolean {
    const { values } = this;
    const last = this.starts[i + 1] - run.length;
    next: for (let j = this.starts[i]; j <= last; j++) {
      for (let k = 0; k < run.length; k++) if (values[j + k] !== run[k]) continue next;
      return true;
    }
    return false;
  }

  /** Copies list i into `out` from its start; returns its length. */
  copyInto(i: number, out: Int32Array): number {
    const { starts, values } = this;
    for (let j = starts[i]; j < starts[i + 1]; j++) out[j - starts[i]] = values[j];
    return starts[i + 1] - starts[i];
  }

  /**
   * Keeps, in place, the values of sorted[0..count) that list i holds (both ascending); returns how many are kept.
   * The list is walked forward by galloping (steps doubling, then a binary search within the last), so a short
   * `sorted` costs little against a long list and a long one no more than a merge.
   */
  keepHeld(i: number, sorted: Int32Array, count: number): number {
    const { values } = this;
    const end = this.starts[i + 1];
    let at = this.starts[i];
    let kept = 0;
    for (let j = 0; j < count && at < end; j++) {
      const x = sorted[j];
      if (values[at] < x) {
        // values[lo] < x, and hi is the end or values[hi] >= x: the first value >= x is at hi.
        let lo = at;
        let step = 1;
        let hi = at + 1;
        while (hi < end && values[hi] < x) {
          lo = hi;
          step *= 2;
          hi = lo + step;
        }
        if (hi > end) hi = end;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (values[mid] < x) lo = mid;
          else hi = mid;
        }
        at = hi;
      }
      if (at < end && values[at] === x) sorted[kept++] = x;
    }
    return kept;
  }

  /** Whether list i, sorted ascending, holds x (binary search). */
  sortedHolds(i: number, x: number): boolean {
    const { values } = this;
    let lo = this.starts[i];
    let hi = this.starts[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = values[mid];
      if (v === x) return true;
      if (v < x) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
