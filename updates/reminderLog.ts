/**
 * The record of reminders: one row per (lead, item, period, kind), claimed in
 * the database before the reminder is sent. The row's primary key is what
 * makes a reminder go once, however many bot instances or reminder runs (the
 * in-bot schedule, `npm run remind`, a restarted process) reach it at once.
 *
 * Delivery guarantee, chosen deliberately: AT LEAST ONCE, with duplicates
 * confined to a crash in a window of milliseconds.
 *
 *   claim (state 'claimed')  ->  send through the connector  ->  mark 'sent'
 *
 * - A run that dies after claiming but before sending leaves a 'claimed' row;
 *   once it is older than CLAIM_TIMEOUT_MINUTES the next run takes it over and
 *   sends, so a crash never silently loses a reminder.
 * - A run that dies after the connector accepted the card but before marking
 *   it sent leaves the same row, so the reminder is sent a second time. The
 *   Bot Framework connector has no idempotency key to prevent that; a rare
 *   repeated nudge is better than a lead never hearing that an update is due.
 * - A send the connector refused is marked 'failed' and tried again by later
 *   runs, up to MAX_ATTEMPTS in all (a chat the user deleted is not retried forever).
 * - Everything else (a second instance, a restart between runs, the same run
 *   twice) finds the row and sends nothing.
 */
import { z } from 'zod';

/**
 * Before the due date, after it was missed, or chased by a manager on a given day ("chase 2018-05-10"); or a
 * manager's weekly digest (updates/digest.ts), which is claimed here the same way so it too goes once.
 */
export const ReminderKindSchema = z.union([z.literal('before'), z.literal('overdue'), z.string().regex(/^chase \d{4}-\d\d-\d\d$/), z.literal('digest')]);
export type ReminderKind = z.infer<typeof ReminderKindSchema>;

export const ReminderKeySchema = z.object({
  userId: z.string().min(1).max(200),
  itemId: z.string().min(1).max(200),
  period: z.string().min(1).max(100),
  kind: ReminderKindSchema,
});
export type ReminderKey = z.infer<typeof ReminderKeySchema>;

export const ReminderStateSchema = z.enum(['claimed', 'sent', 'failed']);
export type ReminderState = z.infer<typeof ReminderStateSchema>;

export const ReminderRecordSchema = ReminderKeySchema.extend({
  state: ReminderStateSchema,
  /** Which run claimed it (a random id per run). */
  claimant: z.string(),
  claimedAt: z.string(),
  attempts: z.number().int(),
  sentAt: z.string().optional(),
  error: z.string().optional(),
});
export type ReminderRecord = z.infer<typeof ReminderRecordSchema>;

/** A claim older than this whose run never said "sent" (it crashed) may be taken over. */
export const CLAIM_TIMEOUT_MINUTES = 10;
/** Sends tried per reminder, counting the first. */
export const MAX_ATTEMPTS = 3;

export interface ClaimOptions {
  claimant: string;
  at: Date;
  /** Claims made before this, still 'claimed', are taken over. */
  staleBefore: Date;
  /** 'failed' rows with fewer attempts than this are tried again. */
  maxAttempts: number;
}

/** The order keys are claimed in, the same in every run (so concurrent runs do not split a lead's reminders, or deadlock). */
export function inClaimOrder(keys: ReminderKey[]): ReminderKey[] {
  const k = (x: ReminderKey) => [x.userId, x.itemId, x.period, x.kind].join('\u0000');
  return [...keys].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

export function claimOptions(claimant: string, at: Date): ClaimOptions {
  return { claimant, at, staleBefore: new Date(at.getTime() - CLAIM_TIMEOUT_MINUTES * 60_000), maxAttempts: MAX_ATTEMPTS };
}

/** Both back ends implement this (storage/sqliteReminders.ts, storage/postgresReminders.ts). */
export interface ReminderLog {
  /**
   * Claims reminders for this run and resolves with those it won: a row that
   * was new, or a stale claim or a retryable failure taken over; not one
   * another run holds or that was sent. Atomic per key: of any number of
   * concurrent claims of a key, exactly one wins it. The keys (one lead's
   * items) are claimed in one transaction, in key order, so that of several
   * runs at once one wins them all and the lead gets one card, not one per run.
   */
  claim(keys: ReminderKey[], options: ClaimOptions): Promise<ReminderKey[]>;
  /** The connector accepted it. */
  markSent(key: ReminderKey, claimant: string, at: Date): Promise<void>;
  /** The connector refused it (or could not be reached): a later run may try again. */
  markFailed(key: ReminderKey, claimant: string, error: string): Promise<void>;
  /** Every reminder of a user (for tests and administrators), oldest first. */
  forUser(userId: string): Promise<ReminderRecord[]>;
}
