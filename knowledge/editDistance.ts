/**
 * Edit distance between two words (insertions, deletions, substitutions and swaps of neighbours): in full for the
 * search's typo layer, and within a bound for matching names, which only ever asks "within a few edits?".
 */

/** Three rows of the table, kept between calls and grown when a longer word comes: neither function calls the other. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** The rows, each with room for a word of `n` letters and the cell beyond it. */
function rowsFor(n: number): Int32Array[] {
  if (rows[0].length < n + 2) rows = rows.map(() => new Int32Array(2 * n + 2));
  return rows;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rows of the table are enough (the swap looks two rows back): no table per call.
  let [before, prev, cur] = rowsFor(n);
  before.fill(0, 0, n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  cur.fill(0, 0, n + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur[j] = v;
    }
    const oldest = before;
    before = prev;
    prev = cur;
    cur = oldest;
  }
  return prev[n];
}

/**
 * editDistance(a, b) (a swap of neighbours is one edit) when it is at most `max`, else max + 1. A name is
 * matched only within a few edits, so only the cells within `max` of the diagonal are filled (no path within the bound
 * leaves them), and the rows stop once no later cell can come back within it.
 */
export function distanceWithin(a: string, b: string, max: number): number {
  const m = a.length;
  const n = b.length;
  const over = max + 1;
  if (Math.abs(m - n) > max) return over;
  let [before, prev, cur] = rowsFor(n);
  for (let j = 0; j <= Math.min(n, over); j++) prev[j] = Math.min(j, over);
  let prevMin = 0;
  for (let i = 1; i <= m; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    // The cell left of the band: the table's edge, or a cell no path within the bound reaches.
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = cur[lo - 1];
    for (let j = lo; j <= hi; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur[j] = v < over ? v : over;
      if (v < rowMin) rowMin = v;
    }
    // The next row reads one cell right of this band.
    if (hi < n) cur[hi + 1] = over;
    // A later cell is at least this row's least or, through a swap, the row before's least plus one.
    if (rowMin > max && prevMin >= max) return over;
    prevMin = rowMin;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[n];
}
