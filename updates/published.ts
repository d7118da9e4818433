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
  private pendingByRecord = new Map<string, number>();

  constructor(private readonly store: UpdateStore) {}

  async refresh(): Promise<void> {
    const latest = new Map<string, Submission>();
    for (const s of await this.store.approved()) {
      const cur = latest.get(s.recordId);
      if (!cur || newer(s, cur)) latest.set(s.recordId, s);
    }
    const pendingByRecord = new Map<string, number>();
    for (const s of await this.store.pending(10_000)) pendingByRecord.set(s.recordId, (pendingByRecord.get(s.recordId) ?? 0) + 1);
    this.latest = latest;
    this.pendingByRecord = pendingByRecord;
    this.everything = await this.store.since('0000');
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
