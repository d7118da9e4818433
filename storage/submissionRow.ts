/**
 * A stored submission row (the same columns in SQLite and PostgreSQL) as a
 * Submission: one mapper both stores use, so neither imports the other.
 */
import type { Submission } from '../updates/types';

export interface SubmissionRow {
  id: string;
  idempotency_key: string;
  record_id: string;
  record_kind: 'indicator' | 'activity';
  record_title: string;
  plan_id: string;
  priority_id: string;
  value: string | null;
  unit: string | null;
  period: string;
  status: Submission['status'];
  narrative: string;
  reason: string | null;
  recovery: string | null;
  evidence: string | null;
  submitter_id: string;
  submitter_name: string;
  submitted_at: string;
  review_state: Submission['reviewState'];
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  carried_forward: number | boolean;
}

const opt = (v: string | null): string | undefined => (v === null ? undefined : v);

export function rowToSubmission(r: SubmissionRow): Submission {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    recordId: r.record_id,
    recordKind: r.record_kind,
    recordTitle: r.record_title,
    planId: r.plan_id,
    priorityId: r.priority_id,
    value: opt(r.value),
    unit: opt(r.unit),
    period: r.period,
    status: r.status,
    narrative: r.narrative,
    reason: opt(r.reason),
    recovery: opt(r.recovery),
    evidence: opt(r.evidence),
    submitter: { id: r.submitter_id, name: r.submitter_name },
    submittedAt: r.submitted_at,
    reviewState: r.review_state,
    reviewer: r.reviewer_id ? { id: r.reviewer_id, name: r.reviewer_name ?? '' } : undefined,
    reviewedAt: opt(r.reviewed_at),
    reviewComment: opt(r.review_comment),
    // Absent unless set, like the other optional fields, so ordinary submissions look as they always did.
    ...(r.carried_forward ? { carriedForward: true } : {}),
  };
}
