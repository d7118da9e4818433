/**
 * Progress updates: what a lead submits and what a reviewer decides. Types
 * come from the zod schemas so storage, dialogs and cards agree on one shape.
 */
import { z } from 'zod';
import type { Polarity } from '../knowledge/schema';

export const RagStatusSchema = z.enum(['on track', 'at risk', 'off track', 'complete']);
export type RagStatus = z.infer<typeof RagStatusSchema>;

export const PeriodKindSchema = z.enum(['quarter', 'month', 'year']);
export type PeriodKind = z.infer<typeof PeriodKindSchema>;

/** An activity or indicator an update can be about (UpdateService builds them from the knowledge). */
export interface UpdateItem {
  id: string;
  kind: 'indicator' | 'activity';
  title: string;
  planId: string;
  priorityId: string;
  priorityNumber: number;
  authority: string;
  /** The authority as choices name it ("County", "City", "Partnership"): from plans.yaml. */
  authorityLabel: string;
  /** The plan's short name ("CYPF", "CYPP", "Council"), for labels where space is tight. */
  planShort?: string;
  unit?: string;
  polarity: Polarity;
  /** The latest figure (approved update or the plan's), for the "wrong way" check. */
  previous?: string;
  /** The people the plans name as its leads (updates/leads.ts): never an organisation. */
  leads: string[];
  /** Its lead organisations, each with the person who answers for it when people.yaml names one. */
  organisations: LeadOrganisation[];
}

/** An organisation leading an item ("CCG", "Nottingham City Council"): reached only through a named person. */
export interface LeadOrganisation {
  name: string;
  /** Its named contact (people.yaml `namedContact`): a person, reminded and chased for it. */
  contact?: string;
}

/** A checked update, ready to save: what the form's validation and the dialog's confirm step produce. */
export const UpdateDraftSchema = z.object({
  itemId: z.string().min(1),
  value: z.string().optional(),
  period: z.string(),
  periodKind: PeriodKindSchema,
  status: RagStatusSchema,
  narrative: z.string(),
  reason: z.string().optional(),
  recovery: z.string().optional(),
  evidence: z.string().optional(),
  /** "No change since last period": status and narrative repeat the previous update. */
  carriedForward: z.boolean().optional(),
});
export type UpdateDraft = z.infer<typeof UpdateDraftSchema>;

/** An update in the making (the dialog fills it one answer at a time): any part of a checked one. */
export const DraftSchema = UpdateDraftSchema.partial();
export type Draft = z.infer<typeof DraftSchema>;

export const ReviewStateSchema = z.enum(['pending', 'approved', 'returned']);
export type ReviewState = z.infer<typeof ReviewStateSchema>;

export const PersonSchema = z.object({ id: z.string().min(1).max(200), name: z.string().max(200) });
export type Person = z.infer<typeof PersonSchema>;

/** What the store needs to save a submission. */
export const NewSubmissionSchema = z.object({
  /**
   * Makes a re-sent card or a retried turn save once: the card's form id or the dialog's instance id, with the
   * conversation (service.idempotencyKey). Unique per submitter: another user's key is never theirs.
   */
  idempotencyKey: z.string().min(1).max(200),
  recordId: z.string().min(1),
  recordKind: z.enum(['indicator', 'activity']),
  recordTitle: z.string().min(1),
  planId: z.string(),
  priorityId: z.string(),
  value: z.string().max(100).optional(),
  unit: z.string().max(100).optional(),
  period: z.string().min(1).max(100),
  status: RagStatusSchema,
  narrative: z.string().min(1).max(4000),
  reason: z.string().max(2000).optional(),
  recovery: z.string().max(2000).optional(),
  evidence: z.string().max(500).optional(),
  submitter: PersonSchema,
  /**
   * "No change since last period": status and narrative repeat the item's
   * previous update, reported again for this period. Kept as a field (not a
   * prefix on the narrative) so reviewers, cards and reports can tell.
   */
  carriedForward: z.boolean().optional(),
});
export type NewSubmission = z.infer<typeof NewSubmissionSchema>;

export const SubmissionSchema = NewSubmissionSchema.extend({
  id: z.string(),
  submittedAt: z.string(),
  reviewState: ReviewStateSchema,
  reviewer: PersonSchema.optional(),
  reviewedAt: z.string().optional(),
  reviewComment: z.string().optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export type ReviewDecision = 'approved' | 'returned';

export type ReviewResult =
  | { ok: true; submission: Submission }
  | { ok: false; reason: 'notFound' | 'alreadyReviewed'; submission?: Submission };

/**
 * Where submissions live. Async because the shared engine (PostgreSQL) is;
 * the embedded SQLite implementation resolves immediately.
 */
export interface UpdateStore {
  /** Saves a submission, committed before it resolves; the same submitter repeating an idempotency key gets the first one back. */
  submit(s: NewSubmission): Promise<{ submission: Submission; duplicate: boolean }>;
  get(id: string): Promise<Submission | undefined>;
  /** The submission this submitter saved under this key (keys are scoped to their submitter). */
  byIdempotencyKey(submitterId: string, key: string): Promise<Submission | undefined>;
  bySubmitter(submitterId: string, limit?: number): Promise<Submission[]>;
  pending(limit?: number): Promise<Submission[]>;
  review(id: string, decision: ReviewDecision, reviewer: Person, comment?: string): Promise<ReviewResult>;
  /** Every approved submission, oldest first: the published facts. */
  approved(): Promise<Submission[]>;
  /** Submissions changed after a date (for "what changed since"). */
  since(isoDate: string): Promise<Submission[]>;
}
