/**
 * Progress updates in PostgreSQL. A submission and its audit row commit in
 * one transaction before submit() resolves, so the bot only says "saved"
 * about what is committed. Idempotency is race-free across instances: the
 * unique (submitter, idempotency key) with INSERT … ON CONFLICT DO NOTHING lets exactly one
 * insert win; the others read the winner. Every change NOTIFYs the other
 * instances (delivered on commit) so their published facts stay current.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { clean, NOTIFY_CHANNEL, NOW_ISO, type PgDatabase } from './postgres';
import { rowToSubmission, type SubmissionRow as Row } from './submissionRow';
import type { NewSubmission, Person, ReviewDecision, ReviewResult, Submission, UpdateStore } from '../updates/types';

export interface AuditEntry {
  at: string;
  actorId: string;
  action: string;
  submissionId: string;
  before: unknown;
  after: unknown;
}

export class PgUpdateStore implements UpdateStore {
  constructor(private readonly db: PgDatabase) {}

  private async audit(c: PoolClient, actor: Person, action: string, submissionId: string, before: Submission | undefined, after: Submission | undefined): Promise<void> {
    await c.query(`INSERT INTO audit (at, actor_id, actor_name, action, submission_id, before, after) VALUES (${NOW_ISO}, $1, $2, $3, $4, $5, $6)`, [
      clean(actor.id),
      clean(actor.name),
      action,
      submissionId,
      before ? clean(JSON.stringify(before)) : null,
      after ? clean(JSON.stringify(after)) : null,
    ]);
    // pg_notify in the transaction: delivered to listeners only if, and when, it commits.
    await c.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, `${this.db.schema}|${action}|${submissionId}`]);
  }

  async submit(s: NewSubmission): Promise<{ submission: Submission; duplicate: boolean }> {
    return this.db.tx(async (c) => {
      const inserted = await c.query<Row>(
        `INSERT INTO submissions (id, idempotency_key, record_id, record_kind, record_title, plan_id, priority_id, value, unit, period, status,
           narrative, reason, recovery, evidence, submitter_id, submitter_name, submitted_at, review_state, carried_forward)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, ${NOW_ISO}, 'pending', $18)
         ON CONFLICT (submitter_id, idempotency_key) DO NOTHING
         RETURNING *`,
        [
          randomUUID(),
          clean(s.idempotencyKey),
          s.recordId,
          s.recordKind,
          clean(s.recordTitle),
          s.planId,
          s.priorityId,
          clean(s.value ?? null),
          clean(s.unit ?? null),
          clean(s.period),
          s.status,
          clean(s.narrative),
          clean(s.reason ?? null),
          clean(s.recovery ?? null),
          clean(s.evidence ?? null),
          clean(s.submitter.id),
          clean(s.submitter.name),
          s.carriedForward === true,
        ],
      );
      if (inserted.rows[0]) {
        const submission = rowToSubmission(inserted.rows[0]);
        await this.audit(c, s.submitter, 'submit', submission.id, undefined, submission);
        return { submission, duplicate: false };
      }
      // Someone (another instance, a retried turn) already saved this key; under READ COMMITTED this statement sees their commit.
      const existing = await c.query<Row>('SELECT * FROM submissions WHERE submitter_id = $1 AND idempotency_key = $2', [clean(s.submitter.id), clean(s.idempotencyKey)]);
      if (!existing.rows[0]) throw new Error('idempotency key conflict but no row');
      return { submission: rowToSubmission(existing.rows[0]), duplicate: true };
    });
  }

  async get(id: string): Promise<Submission | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM submissions WHERE id = $1', [id]);
    return r.rows[0] && rowToSubmission(r.rows[0]);
  }

  async byIdempotencyKey(submitterId: string, key: string): Promise<Submission | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM submissions WHERE submitter_id = $1 AND idempotency_key = $2', [clean(submitterId), clean(key)]);
    return r.rows[0] && rowToSubmission(r.rows[0]);
  }

  async bySubmitter(submitterId: string, limit = 20): Promise<Submission[]> {
    const r = await this.db.query<Row>('SELECT * FROM submissions WHERE submitter_id = $1 ORDER BY submitted_at DESC, id DESC LIMIT $2', [clean(submitterId), limit]);
    return r.rows.map(rowToSubmission);
  }

  async pending(limit = 20): Promise<Submission[]> {
    const r = await this.db.query<Row>("SELECT * FROM submissions WHERE review_state = 'pending' ORDER BY submitted_at ASC, id ASC LIMIT $1", [limit]);
    return r.rows.map(rowToSubmission);
  }

  async review(id: string, decision: ReviewDecision, reviewer: Person, comment?: string): Promise<ReviewResult> {
    return this.db.tx(async (c): Promise<ReviewResult> => {
      // FOR UPDATE: two reviewers on two instances take turns; the second sees the first's decision.
      const before = (await c.query<Row>('SELECT * FROM submissions WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!before) return { ok: false, reason: 'notFound' };
      if (before.review_state !== 'pending') return { ok: false, reason: 'alreadyReviewed', submission: rowToSubmission(before) };
      const after = (
        await c.query<Row>(
          `UPDATE submissions SET review_state = $1, reviewer_id = $2, reviewer_name = $3, reviewed_at = ${NOW_ISO}, review_comment = $4
           WHERE id = $5 AND review_state = 'pending' RETURNING *`,
          [decision, clean(reviewer.id), clean(reviewer.name), clean(comment ?? null), id],
        )
      ).rows[0];
      const submission = rowToSubmission(after);
      await this.audit(c, reviewer, decision === 'approved' ? 'approve' : 'return', id, rowToSubmission(before), submission);
      return { ok: true, submission };
    });
  }

  async approved(): Promise<Submission[]> {
    const r = await this.db.query<Row>("SELECT * FROM submissions WHERE review_state = 'approved' ORDER BY reviewed_at ASC, id ASC");
    return r.rows.map(rowToSubmission);
  }

  async since(isoDate: string): Promise<Submission[]> {
    const r = await this.db.query<Row>('SELECT * FROM submissions WHERE submitted_at >= $1 OR reviewed_at >= $1 ORDER BY submitted_at ASC, id ASC', [isoDate]);
    return r.rows.map(rowToSubmission);
  }

  /** The audit trail, newest first (for tests and administrators). */
  async auditTrail(limit = 100): Promise<AuditEntry[]> {
    const r = await this.db.query<{ at: string; actor_id: string; action: string; submission_id: string; before: string | null; after: string | null }>('SELECT * FROM audit ORDER BY id DESC LIMIT $1', [limit]);
    return r.rows.map((x) => ({
      at: x.at,
      actorId: x.actor_id,
      action: x.action,
      submissionId: x.submission_id,
      before: x.before ? (JSON.parse(x.before) as unknown) : undefined,
      after: x.after ? (JSON.parse(x.after) as unknown) : undefined,
    }));
  }
}
