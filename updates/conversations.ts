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

/** Who a stored conversation belongs to, by id: the stored user id and the ids kept in the reference. */
export function identityOf(c: KnownConversation): { id: string; aadObjectId?: string; channelUserId?: string } {
  const user = (c.reference as { user?: { id?: unknown; aadObjectId?: unknown } }).user;
  return { id: c.userId, aadObjectId: typeof user?.aadObjectId === 'string' ? user.aadObjectId : undefined, channelUserId: typeof user?.id === 'string' ? user.id : undefined };
}

/** Both back ends implement this (storage/sqliteReminders.ts, storage/postgresReminders.ts). */
export interface ConversationStore {
  /** Saves or replaces the user's reference; resolves true if anything was written (false when it was already stored as is). */
  upsert(c: Omit<KnownConversation, 'updatedAt'>, at: Date): Promise<boolean>;
  get(userId: string): Promise<KnownConversation | undefined>;
  all(): Promise<KnownConversation[]>;
}

/** Most users one process remembers having stored; beyond it the memory starts again (a write is only skipped, never lost). */
const REMEMBERED_USERS = 10_000;

/**
 * Records conversation references cheaply: every message would otherwise be a
 * database write. The process remembers what it last stored for each user and
 * only goes to the store when the reference or the name changed (a restart, a
 * new chat, a renamed user); the store's upsert also skips identical rows, so
 * several instances do not write over each other for nothing.
 */
export class ConversationRecorder {
  private readonly stored = new Map<string, string>();

  constructor(private readonly store: ConversationStore) {}

  async record(person: Person, reference: Record<string, unknown>, at: Date): Promise<boolean> {
    const fingerprint = `${person.name}\u0000${JSON.stringify(reference)}`;
    if (this.stored.get(person.id) === fingerprint) return false;
    const written = await this.store.upsert({ userId: person.id, userName: person.name, reference }, at);
    if (this.stored.size >= REMEMBERED_USERS) this.stored.clear();
    this.stored.set(person.id, fingerprint);
    return written;
  }
}
