/**
 * While one answer is worked out, the same text is read once: routes, requirements and the two-part split each
 * ask for the understanding, corrected question or search concepts of a text, often of the same text, and
 * `inOneAnswer` lets the second asking reuse the first's result. Nothing outlives the answer: the next answer
 * reads everything afresh, so this is not a cache of answers (a benchmark that cycles its questions measures the
 * work, not a memory of it). Answering is synchronous, so one answer is under way at a time.
 */
let current = 0;
let next = 1;

/** Runs one answer's work; calls inside it (nested ones too) share what PerAnswer memos hold. */
export function inOneAnswer<T>(run: () => T): T {
  if (current) return run();
  current = next++;
  try {
    return run();
  } finally {
    current = 0;
  }
}

/**
 * A pure function's results during one answer, per owner (the index or catalogue it reads) and text. Outside
 * inOneAnswer it computes every time. The results are shared, so callers must not change them (none does:
 * understandings and concepts are copied, never edited, where a step needs a variant).
 */
export class PerAnswer<T> {
  private answer = 0;
  private readonly byOwner = new Map<object, Map<string, T>>();

  get(owner: object, key: string, make: () => T): T {
    if (!current) return make();
    if (this.answer !== current) {
      this.byOwner.clear();
      this.answer = current;
    }
    let memo = this.byOwner.get(owner);
    if (!memo) this.byOwner.set(owner, (memo = new Map()));
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = make()));
    return v;
  }
}
