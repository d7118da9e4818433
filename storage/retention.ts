/**
 * How long the bot keeps what it stores per user, and how much of it: one
 * named object, applied by pruneStores() at start-up and then every
 * RETENTION.everyMinutes (bot/app.ts), on either back end. Conversation
 * references let reminders reach a lead: one is kept while its user talks to
 * the bot or a reminder reaches them (the recorder refreshes it daily, a
 * delivered reminder touches it). Conversation state (follow-up context, a
 * dialog in progress) is worth nothing after weeks of silence. Submissions,
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
  /** How often the stores are pruned. */
  everyMinutes: 60,
};
export type Retention = typeof RETENTION;

export interface PrunableStores {
  conversations: { prune(olderThan: Date, maxRows: number, maxReferenceBytes: number): Promise<number> };
  state: { prune(olderThan: Date): Promise<number> };
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Prunes both stores; how many references and conversation states went. */
export async function pruneStores(stores: PrunableStores, now: Date, r: Retention = RETENTION): Promise<{ conversations: number; states: number }> {
  const conversations = await stores.conversations.prune(daysBefore(now, r.conversationDays), r.maxConversations, r.maxReferenceBytes);
  const states = await stores.state.prune(daysBefore(now, r.stateDays));
  return { conversations, states };
}
