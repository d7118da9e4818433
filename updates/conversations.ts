/**
 * Where each user can be reached: the conversation reference of their chat
 * with the bot, captured when they install it or message it, so reminders can
 * be sent to them later (proactively). The reference is the channel's data
 * and stays opaque here: storage keeps it as JSON, only the bot layer reads it.
 */
import { z } from 'zod';
import type { Person } from './types';

export const KnownConversationSchema = z.object({
  /** The Teams AAD object id (or the channel's user id): who this is. */
  userId: z.string().min(1).max(200),
  /** Their display name, to show (reports, cards); never matched against anything. */
  userName: z.string().max(200),
  /** The Bot Framework conversation reference, without the activity id (so it is the same from one message to the next). */
  reference: z.record(z.unknown()),
  updatedAt: z.string(),
});
export type KnownConversation = z.infer<typeof KnownConversationSchema>;

/** Who a stored conversation (or a digest subscription) belongs to, by id: the stored user id and the ids kept in the reference. */
export function identityOf(c: Pick<KnownConversation, 'userId' | 'reference'>): { id: string; aadObjectId?: string; channelUserId?: string } {
  const user = (c.reference as { user?: { id?: unknown; aadObjectId?: unknown } }).user;
  return { id: c.userId, aadObjectId: typeof user?.aadObjectId === 'string' ? user.aadObjectId : undefined, channelUserId: typeof user?.id === 'string' ? user.id : undefined };
}

/** Both back ends implement this (storage/sqliteReminders.ts, storage/postgresReminders.ts). */
export interface ConversationStore {
  /**
   * Saves or replaces the user's reference; resolves true if anything was written (false when it was already stored
   * as is, and, with `refreshBefore`, last written after it: an older row gets its time refreshed, so it does not expire).
   */
  upsert(c: Omit<KnownConversation, 'updatedAt'>, at: Date, refreshBefore?: Date): Promise<boolean>;
  get(userId: string): Promise<KnownConversation | undefined>;
  all(): Promise<KnownConversation[]>;
  /** The user was reached (a reminder delivered): their reference is still good, so it does not expire yet. */
  touch(userId: string, at: Date): Promise<void>;
  /**
   * Forgets references not refreshed since `olderThan` or longer than `maxReferenceBytes` (no trimmed reference is:
   * rows kept whole before references were trimmed), then all but the `maxRows` most recent. Resolves how many went.
   */
  prune(olderThan: Date, maxRows: number, maxReferenceBytes: number): Promise<number>;
}

/** Most users one process remembers having stored; beyond it the memory starts again (a write is only skipped, never lost). */
const REMEMBERED_USERS = 10_000;
/** A user seen again this long after their reference was last written gets it written again (refreshed), so it does not expire. */
const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Records conversation references cheaply: every message would otherwise be a
 * database write. The process remembers what it last stored for each user and
 * only goes to the store when the reference or the name changed (a restart, a
 * new chat, a renamed user), or a day after it last wrote it (so the row of
 * someone who uses the bot does not expire: storage/retention.ts); the store's
 * upsert also skips identical rows, so several instances do not write over
 * each other for nothing.
 */
export class ConversationRecorder {
  private readonly stored = new Map<string, { fingerprint: string; at: number }>();

  constructor(private readonly store: ConversationStore) {}

  async record(person: Person, reference: Record<string, unknown>, at: Date): Promise<boolean> {
    const fingerprint = `${person.name}\u0000${JSON.stringify(reference)}`;
    const last = this.stored.get(person.id);
    if (last?.fingerprint === fingerprint && at.getTime() - last.at < REFRESH_AFTER_MS) return false;
    const written = await this.store.upsert({ userId: person.id, userName: person.name, reference }, at, new Date(at.getTime() - REFRESH_AFTER_MS));
    if (this.stored.size >= REMEMBERED_USERS) this.stored.clear();
    this.stored.set(person.id, { fingerprint, at: at.getTime() });
    return written;
  }
}
