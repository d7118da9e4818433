/**
 * The weekly digest: managers who opt in ("send me a weekly digest") get, on
 * Monday morning in their own time zone, what changed in the week before (the
 * "what changed since" report for every priority), sent proactively to the
 * chat they asked in; "stop the weekly digest" ends it.
 *
 * Runs beside the reminders (the same in-bot schedule and `npm run remind`),
 * and each digest is claimed in the reminders' claim log before it is sent
 * (kind 'digest', one key per user and Monday), so it goes once however many
 * instances or runs reach it; see reminderLog.ts for the guarantee. Plain
 * TypeScript: the sender is an interface (the bot layer's proactive message).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { claimOptions, MAX_ATTEMPTS, type ReminderKey, type ReminderLog } from './reminderLog';
import { identityOf } from './conversations';
import type { Person } from './types';
import type { Summariser } from '../knowledge/summary';
import type { UpdateService } from './service';

/** When on Monday the digest goes, in the subscriber's time zone: from this hour on (the schedule runs hourly). */
export const DIGEST_HOUR = 8;
/** The time zone assumed when Teams does not say (the partnership is in Nottingham). */
export const DEFAULT_TIME_ZONE = 'Europe/London';
/** The item id of the digest in the claim log: one claim per user and Monday. */
export const DIGEST_ITEM = 'weekly-digest';
/**
 * A digest the channel has refused this many Mondays running (every try of each) is ended: its subscriber has left,
 * or removed the app, and the subscription (their id, name and chat) would otherwise be kept for ever.
 */
export const DIGEST_UNDELIVERED_WEEKS = 8;

export const DigestSubscriptionSchema = z.object({
  /** AAD object id, else the channel's user id. */
  userId: z.string().min(1).max(200),
  userName: z.string().max(200),
  /** Where to send it: the Bot Framework conversation reference of the chat the manager asked in (opaque here). */
  reference: z.record(z.unknown()),
  /** IANA time zone ("Europe/London"), for "Monday morning". */
  timeZone: z.string().min(1).max(64),
  subscribedAt: z.string(),
});
export type DigestSubscription = z.infer<typeof DigestSubscriptionSchema>;

/** Both back ends implement this (storage/sqliteDigests.ts, storage/postgresDigests.ts). */
export interface DigestStore {
  /** Saves or replaces the user's subscription. */
  subscribe(s: DigestSubscription): Promise<void>;
  /** Ends it; resolves true if there was one. */
  unsubscribe(userId: string): Promise<boolean>;
  get(userId: string): Promise<DigestSubscription | undefined>;
  all(): Promise<DigestSubscription[]>;
}

/**
 * Whose view of the updates a digest shows (updates/visibility.ts): the subscriber's, by id, when it goes to their
 * own chat with the bot (unreviewed updates then appear if they submitted them or review them); in a chat others
 * share, no one's in particular (undefined: approved updates only), as everyone there reads it.
 */
export function digestReader(sub: DigestSubscription): (Person & { aadObjectId?: string; channelUserId?: string }) | undefined {
  const conversation = (sub.reference as { conversation?: { conversationType?: unknown } }).conversation;
  if (conversation?.conversationType !== 'personal') return undefined;
  return { ...identityOf(sub), name: sub.userName };
}

/** Each digest's summaries as its reader (digestReader) may see them. */
export function digestSummaries(summariser: Summariser, updates: Pick<UpdateService, 'visibleTo'>): (to: DigestSubscription) => Summariser {
  return (to) => {
    const reader = digestReader(to);
    return reader ? summariser.seenBy(updates.visibleTo(reader)) : summariser;
  };
}

/** The time zone as given, if Node knows it (Intl), else undefined. */
export function validTimeZone(tz: unknown): string | undefined {
  if (typeof tz !== 'string' || !/^[A-Za-z][\w+/-]{0,63}$/.test(tz)) return undefined;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** The day, weekday and hour it is at `now` in a time zone. */
export function localTime(now: Date, timeZone: string): { date: string; weekday: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: parts.weekday, hour: Number(parts.hour) };
}

/** The Monday whose digest is due at `now` in this time zone (its local date), or undefined when it is not Monday morning or later that day. */
export function digestDue(now: Date, timeZone: string): string | undefined {
  const t = localTime(now, timeZone);
  return t.weekday === 'Mon' && t.hour >= DIGEST_HOUR ? t.date : undefined;
}

/** The week a Monday's digest covers: from the Monday before (an ISO date). */
export function weekBefore(monday: string): string {
  return new Date(Date.parse(`${monday}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
}

/** Sends one digest (a card built for it) into a stored conversation; resolves once the channel accepted it. */
export interface DigestSender {
  send(to: DigestSubscription, since: { from: string; label: string }): Promise<void>;
}

export interface DigestRunReport {
  sent: string[];
  failed: { userId: string; error: string }[];
  /** Subscriptions ended this run: not delivered for DIGEST_UNDELIVERED_WEEKS Mondays running. */
  ended: string[];
  /** Due, but another run (or an earlier one) already has it. */
  alreadyHandled: number;
}

export interface DigestLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class DigestRunner {
  constructor(
    private readonly deps: { store: DigestStore; log: ReminderLog; sender: DigestSender; now: () => Date; logger?: DigestLogger },
  ) {}

  /** One pass: every subscriber for whom it is Monday morning (or later that Monday) and whose digest has not gone. */
  async runOnce(): Promise<DigestRunReport> {
    const now = this.deps.now();
    const report: DigestRunReport = { sent: [], failed: [], ended: [], alreadyHandled: 0 };
    const claimant = randomUUID();
    for (const sub of await this.deps.store.all()) {
      const monday = digestDue(now, sub.timeZone);
      if (!monday) continue;
      const key: ReminderKey = { userId: sub.userId, itemId: DIGEST_ITEM, period: monday, kind: 'digest' };
      const [won] = await this.deps.log.claim([key], claimOptions(claimant, now));
      if (!won) {
        report.alreadyHandled++;
        continue;
      }
      const from = weekBefore(monday);
      try {
        await this.deps.sender.send(sub, { from, label: `Monday ${from}` });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        this.deps.logger?.warn({ user: sub.userId, err: error }, 'weekly digest not delivered; a later run tries again');
        await this.deps.log.markFailed(key, claimant, error);
        report.failed.push({ userId: sub.userId, error });
        if (await this.undeliverable(sub.userId)) {
          await this.deps.store.unsubscribe(sub.userId);
          this.deps.logger?.warn({ user: sub.userId, weeks: DIGEST_UNDELIVERED_WEEKS }, 'weekly digest ended: not delivered for weeks running');
          report.ended.push(sub.userId);
        }
        continue;
      }
      await this.deps.log.markSent(key, claimant, now);
      report.sent.push(sub.userId);
    }
    if (report.sent.length || report.failed.length) this.deps.logger?.info({ sent: report.sent.length, failed: report.failed.length, ended: report.ended.length, alreadyHandled: report.alreadyHandled }, 'weekly digest pass');
    return report;
  }

  /** The user's digests of the last DIGEST_UNDELIVERED_WEEKS Mondays, one a week with none missed, all failed, every try of each. */
  private async undeliverable(userId: string): Promise<boolean> {
    const weeks = (await this.deps.log.forUser(userId)).filter((r) => r.kind === 'digest' && r.itemId === DIGEST_ITEM).sort((a, b) => (a.period < b.period ? 1 : -1));
    const recent = weeks.slice(0, DIGEST_UNDELIVERED_WEEKS);
    const running = recent.every((r, i) => i === 0 || weekBefore(recent[i - 1].period) === r.period);
    return recent.length === DIGEST_UNDELIVERED_WEEKS && running && recent.every((r) => r.state === 'failed' && r.attempts >= MAX_ATTEMPTS);
  }
}
