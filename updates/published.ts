/**
 * The published facts from approved updates, held in memory so answering a
 * question never waits on the database. Rebuilt from the store at start-up
 * and kept current as submissions arrive and are reviewed (and, with several
 * instances, when another instance says something changed).
 */
import type { ApprovedUpdate, UpdatesView } from '../knowledge/answer';
import type { Submission, UpdateStore } from './types';
import { periodEnd } from './validation';

export class PublishedUpdates implements UpdatesView {
  private latest = new Map<string, Submission>();
  private everything: Submission[] = [];
  private byId = new Map<string, Submission>();
  private pendingByRecord = new Map<string, number>();
  /** Changes applied while a refresh is reading, replayed on top of what it read (one list per refresh under way). */
  private readonly appliedDuringRefresh = new Set<Submission[]>();
  /** Period label -> its last day (see end()). */
  private readonly ends = new Map<string, string>();

  constructor(private readonly store: UpdateStore) {}

  /** Rebuilds everything from the store (at start-up, and when changes may have been missed). */
  async refresh(): Promise<void> {
    const during: Submission[] = [];
    this.appliedDuringRefresh.add(during);
    let all: Submission[];
    try {
      all = await this.store.since('0000');
    } finally {
      this.appliedDuringRefresh.delete(during);
    }
    this.byId = new Map(all.map((s) => [s.id, s]));
    this.everything = all;
    const byRecord = new Map<string, Submission[]>();
    for (const s of all) {
      const list = byRecord.get(s.recordId);
      if (list) list.push(s);
      else byRecord.set(s.recordId, [s]);
    }
    this.latest = new Map();
    this.pendingByRecord = new Map();
    for (const [recordId, list] of byRecord) this.settle(recordId, list);
    for (const s of during) this.apply(s);
  }

  /**
   * Takes in one submission as it now stands (just saved or reviewed here, or
   * announced by another instance): cheap, no reload. Idempotent and safe in
   * any order: a review is never undone by an older "pending" copy.
   */
  apply(s: Submission): void {
    for (const during of this.appliedDuringRefresh) during.push(s);
    const cur = this.byId.get(s.id);
    if (cur && cur.reviewState !== 'pending' && s.reviewState === 'pending') return;
    this.byId.set(s.id, s);
    if (cur) this.everything = this.everything.map((x) => (x.id === s.id ? s : x));
    else {
      // Oldest first, as since() returns them; new submissions almost always go at the end.
      let at = this.everything.length;
      while (at > 0 && this.everything[at - 1].submittedAt > s.submittedAt) at--;
      this.everything = [...this.everything.slice(0, at), s, ...this.everything.slice(at)];
    }
    this.settle(s.recordId, this.everything.filter((x) => x.recordId === s.recordId));
  }

  /** Works out one record's latest approved update and how many pending ones are newer, from all its submissions. */
  private settle(recordId: string, submissions: Submission[]): void {
    let latest: Submission | undefined;
    for (const x of submissions) if (x.reviewState === 'approved' && (!latest || this.newer(x, latest))) latest = x;
    // Pending updates count only when they are for the latest approved period or a later one: a late Q3
    // update awaiting review is not "newer" than an approved Q4 one.
    const floor = latest ? this.end(latest.period) : undefined;
    const pending = submissions.filter((x) => x.reviewState === 'pending' && (floor === undefined || this.end(x.period) >= floor)).length;
    if (pending) this.pendingByRecord.set(recordId, pending);
    else this.pendingByRecord.delete(recordId);
    if (latest) this.latest.set(recordId, latest);
    else this.latest.delete(recordId);
  }

  /** Later period wins; for the same period (or periods ending the same day), the later approval. */
  private newer(a: Submission, b: Submission): boolean {
    const ea = this.end(a.period);
    const eb = this.end(b.period);
    if (ea !== eb) return ea > eb;
    return (a.reviewedAt ?? a.submittedAt) > (b.reviewedAt ?? b.submittedAt);
  }

  /**
   * The last day of a period, as an ISO date, for ordering: "Q4 2017/18", "March 2018" and "2017/18" all end
   * 2018-03-31. A label that does not read as a period (never stored by this bot, which normalises periods)
   * sorts before every real one.
   */
  private end(period: string): string {
    let e = this.ends.get(period);
    if (e === undefined) {
      e = periodEnd(period) ?? '';
      this.ends.set(period, e);
    }
    return e;
  }

  latestApproved(recordId: string): ApprovedUpdate | undefined {
    const s = this.latest.get(recordId);
    if (!s) return undefined;
    return { value: s.value, unit: s.unit, period: s.period, status: s.status, narrative: s.narrative, reporter: s.submitter.name, approvedAt: s.reviewedAt ?? s.submittedAt, submittedAt: s.submittedAt };
  }

  /** Every submission, oldest first: for "what changed since". */
  all(): Submission[] {
    return this.everything;
  }

  pendingCount(recordId: string): number {
    return this.pendingByRecord.get(recordId) ?? 0;
  }
}
