/**
 * Progress updates in SQLite. A submission is committed (synchronous=FULL,
 * inside a transaction with its audit row) before submit() resolves, so the
 * bot only says "saved" about what is on disk. The idempotency key makes a
 * re-sent card or a retried turn save once; it is unique per submitter, so
 * another user's key is never theirs.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from './sqlite';
import type { NewSubmission, Person, ReviewDecision, ReviewResult, Submission, UpdateStore } from '../updates/types';
import { rowToSubmission, type SubmissionRow as Row } from './submissionRow';

export class SqliteUpdateStore implements UpdateStore {
  constructor(private readonly db: Db) {}

  private audit(actor: Person, action: string, submissionId: string, before: Submission | undefined, after: Submission | undefined) {
    this.db
      .prepare('INSERT INTO audit (at, actor_id, actor_name, action, submission_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), actor.id, actor.name, action, submissionId, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null);
  }

  private byKey(submitterId: string, key: string): Submission | undefined {
    const r = this.db.prepare('SELECT * FROM submissions WHERE submitter_id = ? AND idempotency_key = ?').get(submitterId, key) as Row | undefined;
    return r && rowToSubmission(r);
  }

  async submit(s: NewSubmission): Promise<{ submission: Submission; duplicate: boolean }> {
    const tx = this.db.transaction((): { submission: Submission; duplicate: boolean } => {
      const existing = this.byKey(s.submitter.id, s.idempotencyKey);
      if (existing) return { submission: existing, duplicate: true };
      const id = randomUUID();
      const now = new Date().toISOString();
      this.db
        .prepare(
          `INSERT INTO submissions (id, idempotency_key, record_id, record_kind, record_title, plan_id, priority_id, value, unit, period, status,
             narrative, reason, recovery, evidence, submitter_id, submitter_name, submitted_at, review_state, carried_forward)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(id, s.idempotencyKey, s.recordId, s.recordKind, s.recordTitle, s.planId, s.priorityId, s.value ?? null, s.unit ?? null, s.period, s.status, s.narrative, s.reason ?? null, s.recovery ?? null, s.evidence ?? null, s.submitter.id, s.submitter.name, now, s.carriedForward ? 1 : 0);
      const submission = rowToSubmission(this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as Row);
      this.audit(s.submitter, 'submit', id, undefined, submission);
      return { submission, duplicate: false };
    });
    // IMMEDIATE: take the write lock up front so two instances cannot both miss the key and insert.
    return tx.immediate();
  }

  async get(id: string): Promise<Submission | undefined> {
    const r = this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as Row | undefined;
    return r && rowToSubmission(r);
  }

  async byIdempotencyKey(submitterId: string, key: string): Promise<Submission | undefined> {
    return this.byKey(submitterId, key);
  }

  async bySubmitter(submitterId: string, limit = 20): Promise<Submission[]> {
    return (this.db.prepare('SELECT * FROM submissions WHERE submitter_id = ? ORDER BY submitted_at DESC LIMIT ?').all(submitterId, limit) as Row[]).map(rowToSubmission);
  }

  async pending(limit = 20): Promise<Submission[]> {
    return (this.db.prepare("SELECT * FROM submissions WHERE review_state = 'pending' ORDER BY submitted_at ASC LIMIT ?").all(limit) as Row[]).map(rowToSubmission);
  }

  async review(id: string, decision: ReviewDecision, reviewer: Person, comment?: string): Promise<ReviewResult> {
    const tx = this.db.transaction((): ReviewResult => {
      const before = this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as Row | undefined;
      if (!before) return { ok: false, reason: 'notFound' };
      if (before.review_state !== 'pending') return { ok: false, reason: 'alreadyReviewed', submission: rowToSubmission(before) };
      this.db
        .prepare("UPDATE submissions SET review_state = ?, reviewer_id = ?, reviewer_name = ?, reviewed_at = ?, review_comment = ? WHERE id = ? AND review_state = 'pending'")
        .run(decision, reviewer.id, reviewer.name, new Date().toISOString(), comment ?? null, id);
      const after = rowToSubmission(this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as Row);
      this.audit(reviewer, decision === 'approved' ? 'approve' : 'return', id, rowToSubmission(before), after);
      return { ok: true, submission: after };
    });
    return tx.immediate();
  }

  async approved(): Promise<Submission[]> {
    return (this.db.prepare("SELECT * FROM submissions WHERE review_state = 'approved' ORDER BY reviewed_at ASC").all() as Row[]).map(rowToSubmission);
  }

  async since(isoDate: string): Promise<Submission[]> {
    return (this.db.prepare('SELECT * FROM submissions WHERE submitted_at >= ? OR reviewed_at >= ? ORDER BY submitted_at ASC').all(isoDate, isoDate) as Row[]).map(rowToSubmission);
  }

  /** The audit trail, newest first (for tests and administrators). */
  auditTrail(limit = 100): { at: string; actorId: string; action: string; submissionId: string; before: unknown; after: unknown }[] {
    return (this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as { at: string; actor_id: string; action: string; submission_id: string; before: string | null; after: string | null }[]).map((r) => ({
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      submissionId: r.submission_id,
      before: r.before ? JSON.parse(r.before) : undefined,
      after: r.after ? JSON.parse(r.after) : undefined,
    }));
  }
}
