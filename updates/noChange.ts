/**
 * "No change since last period": a lead says nothing has moved, and the bot
 * still records a dated update for the period due, with the status and
 * narrative (and reason and recovery action, which belong to the status) of
 * the item's previous update, marked as carried forward. It goes to review
 * like any other update. A figure is not carried: a value is for its period,
 * and repeating it would publish a number nobody measured.
 *
 * Idempotent per (item, period, user): the idempotency key is made of them,
 * so pressing the button twice, or on two instances at once, saves once.
 */
import { lastUpdateBefore, updateFor } from './reportingCycle';
import type { UpdateService } from './service';
import type { Person, Submission, UpdateItem } from './types';
import { parsePeriod } from './validation';

export type NoChangeResult =
  /** Saved now, or earlier with the same key (duplicate): the turn decides how to word it. */
  | { kind: 'saved'; submission: Submission; duplicate: boolean; from?: Submission }
  /** There is already an update for that period (not a "no change" by this user). */
  | { kind: 'alreadyUpdated'; submission: Submission }
  /** No earlier update to repeat. */
  | { kind: 'nothingToCarry'; item: UpdateItem }
  | { kind: 'refused'; message: string };

/** One key per item, period and user, within the store's 200 characters. */
export function noChangeKey(itemId: string, period: string, userId: string): string {
  return `nochange:${itemId}|${period}|${userId}`.slice(0, 200);
}

export async function recordNoChange(service: UpdateService, person: Person & { aadObjectId?: string; channelUserId?: string }, itemId: string, periodLabel: string, now: Date): Promise<NoChangeResult> {
  const item = service.item(itemId);
  if (!item) return { kind: 'refused', message: 'I could not find that item in the plans any more, so nothing was saved.' };
  const allowed = service.maySubmit(person, item);
  if (!allowed.ok) return { kind: 'refused', message: allowed.message };
  const parsed = parsePeriod(periodLabel, now);
  if (!parsed.ok) return { kind: 'refused', message: `Nothing saved: ${parsed.message}` };
  const period = parsed.period;

  const key = noChangeKey(item.id, period, person.id);
  const earlier = await service.store.byIdempotencyKey(person.id, key);
  if (earlier) return { kind: 'saved', submission: earlier, duplicate: true };

  const submissions = service.published.all();
  const existing = updateFor(submissions, item.id, period);
  if (existing) return { kind: 'alreadyUpdated', submission: existing };
  // Only what the sender may see is carried: another lead's unreviewed update is not theirs to repeat (or read).
  const from = lastUpdateBefore(submissions.filter(service.visibleTo(person)), item.id, period);
  if (!from) return { kind: 'nothingToCarry', item };

  // A failed save throws SaveFailedError: the turn says nothing was saved, and the same key makes a retry safe.
  const r = await service.submit({ itemId: item.id, period, status: from.status, narrative: from.narrative, reason: from.reason, recovery: from.recovery, carriedForward: true }, person, key);
  return { kind: 'saved', submission: r.submission, duplicate: r.duplicate, from };
}
