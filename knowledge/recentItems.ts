/**
 * The plan items each user picked from the message extension's results, so
 * that opening it with nothing typed shows them again, most recently picked
 * first. Kept per user id (never by name) and bounded: at most
 * RECENT_ITEMS.perUser items a user, the oldest dropped. Only the record id,
 * how often and when: never the words typed, which may say more than the
 * plans do. Items expire too (storage/retention.ts). The bot records through
 * this interface; storage/ implements it on SQLite or PostgreSQL.
 */
export const RECENT_ITEMS = {
  /** Items kept for one user: what an empty search can show (ten) and some to spare when items leave the plans. */
  perUser: 20,
} as const;

export interface RecentItem {
  recordId: string;
  /** How many times the user picked it. */
  uses: number;
  /** When they last picked it (ISO-8601, UTC). */
  lastUsed: string;
}

/** Async because the shared engine (PostgreSQL) is; SQLite and memory resolve at once. */
export interface RecentItems {
  /** Notes that the user picked the record (again); keeps their list to RECENT_ITEMS.perUser. */
  record(userId: string, recordId: string, at: Date): Promise<void>;
  /** The user's items, most recently picked first (then most used), at most `limit`. */
  list(userId: string, limit: number): Promise<RecentItem[]>;
  /** Drops items picked before `olderThan`, and every item of users beyond the `maxUsers` who picked most recently (storage/retention.ts). */
  prune(olderThan: Date, maxUsers: number): Promise<number>;
}
