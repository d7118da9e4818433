/**
 * How long the bot keeps what it stores per user, and how much of it: one
 * named object, applied by pruneStores() at start-up and then every
 * RETENTION.everyMinutes (bot/app.ts), on either back end. Conversation
 * references let reminders reach a lead: one is kept while its user talks to
 * the bot or a reminder reaches them (the recorder refreshes it daily, a
 * delivered reminder touches it). Conversation state (follow-up context, a
 * dialog in progress) is worth nothing after weeks of silence. The message
 * extension's recent items are a convenience: a pick a year old is no longer
 * recent. Submissions,
 * reviews, their audit trail and reminder claims are records, never pruned.
 */
export const RETENTION = {
  /** A conversation reference not refreshed for this long (no message from its user, no reminder delivered) is dropped. */
  conversationDays: 400,
  /** Most users' references kept; beyond it the least recently seen are dropped. */
  maxConversations: 50_000,
  /** A reference longer than this is not a trimmed one (bot/proactive.ts keeps a few hundred bytes): dropped, re-recorded at the user's next message. */
  maxReferenceBytes: 8 * 1024,
  /** A conversation's state unchanged for this long is dropped. */
  stateDays: 90,
  /** An item picked from the message extension this long ago is dropped from its user's recent list (each list holds at most RECENT_ITEMS.perUser). */
  recentItemDays: 400,
  /** Most users whose recent lists are kept; beyond it the lists of those who picked least recently are dropped. */
  maxRecentUsers: 50_000,
  /** How often the stores are pruned. */
  everyMinutes: 60,
};
export type Retention = typeof RETENTION;

export interface PrunableStores {
  conversations: { prune(olderThan: Date, maxRows: number, maxReferenceBytes: number): Promise<number> };
  state: { prune(olderThan: Date): Promise<number> };
  /** The message extension's recent items (knowledge/recentItems.ts). */
  recent?: { prune(olderThan: Date, maxUsers: number): Promise<number> };
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Prunes the stores; how many references, conversation states and recent items went. */
export async function pruneStores(stores: PrunableStores, now: Date, r: Retention = RETENTION): Promise<{ conversations: number; states: number; recentItems: number }> {
  const conversations = await stores.conversations.prune(daysBefore(now, r.conversationDays), r.maxConversations, r.maxReferenceBytes);
  const states = await stores.state.prune(daysBefore(now, r.stateDays));
  const recentItems = (await stores.recent?.prune(daysBefore(now, r.recentItemDays), r.maxRecentUsers)) ?? 0;
  return { conversations, states, recentItems };
}
