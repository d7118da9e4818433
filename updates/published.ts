/**
 * The published facts from approved updates, held in memory so answering a
 * question never waits on the database. Rebuilt from the store at start-up
 * and kept current as submissions arrive and are reviewed (and, with several
 * instances, when another instance says something changed).
 */
import type { ApprovedUpdate, UpdatesView } from '../knowledge/answer';
import type { Submission, UpdateStore } from './types';

export class PublishedUpdates implements UpdatesView {
  private latest = new Map<string, Submission>();
  private everything: Submission[] = [];
  private byId = new Map<string, Submission>();
  private pendingByRecord = new Map<string, number>();
  /** Changes applied while a refresh is reading, replayed on top of what it read (one list per refresh under way). */
  private readonly appliedDuringRefresh = new Set<Submission[]>();

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
    const latest = new Map<string, Submission>();
    const approved = all.filter((s) => s.reviewState === 'approved').sort((a, b) => ((a.reviewedAt ?? '') < (b.reviewedAt ?? '') ? -1 : (a.reviewedAt ?? '') > (b.reviewedAt ?? '') ? 1 : 0));
    for (const s of approved) {
      const cur = latest.get(s.recordId);
      if (!cur || newer(s, cur)) latest.set(s.recordId, s);
    }
    const pendingByRecord = new Map<string, number>();
    for (const s of all) if (s.reviewState === 'pending') pendingByRecord.set(s.recordId, (pendingByRecord.get(s.recordId) ?? 0) + 1);
    this.latest = latest;
    this.pendingByRecord = pendingByRecord;
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
    let pending = 0;
    let latest: Submission | undefined;
    for (const x of this.everything) {
      if (x.recordId !== s.recordId) continue;
      if (x.reviewState === 'pending') pending++;
      else if (x.reviewState === 'approved' && (!latest || newer(x, latest))) latest = x;
    }
    if (pending) this.pendingByRecord.set(s.recordId, pending);
    else this.pendingByRecord.delete(s.recordId);
    if (latest) this.latest.set(s.recordId, latest);
    else this.latest.delete(s.recordId);
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

/** Later period wins; for the same period, the later approval. */
function newer(a: Submission, b: Submission): boolean {
  return (a.reviewedAt ?? a.submittedAt) > (b.reviewedAt ?? b.submittedAt);
}
