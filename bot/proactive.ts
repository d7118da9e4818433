/**
 * Proactive messages: the reminder card and the weekly digest, sent into a user's chat with the bot
 * through the CloudAdapter (continueConversationAsync with the stored
 * conversation reference), outside any turn the user started. The reference's
 * serviceUrl is where the channel's connector is (Teams, or the Agents
 * Playground locally). With an app id the adapter fetches a token for the
 * connector; in anonymous local mode ('' as the app id) it sends none. No
 * "trust the service URL" step is needed: since the CloudAdapter (4.x),
 * AppCredentials.trustServiceUrl is a no-op and every URL is trusted.
 */
import { CardFactory, MessageFactory, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { KnownConversation } from '../updates/conversations';
import type { Reminder } from '../updates/reminders';
import type { ReminderSender } from '../updates/reminderRunner';
import { reminderCard, reminderText } from './reminderCards';
import type { DigestSender, DigestSubscription } from '../updates/digest';
import type { Since, Summariser } from '../knowledge/summary';
import { changesReport } from '../knowledge/whatChanged';
import { changesHeadline, digestCard } from './changesCards';

const boundedId = z.string().trim().min(1).max(1024);

/**
 * All of a conversation reference that is kept, and all a proactive message needs: where the
 * channel's connector is, the conversation (its id, type and tenant), and the ids of the user and
 * the bot. Each field bounded; anything else the channel (or a client) sent is not kept.
 */
export const StoredReferenceSchema = z.object({
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().url().max(2048),
  conversation: z.object({
    id: boundedId,
    conversationType: z.string().max(64).optional(),
    tenantId: z.string().max(256).optional(),
    isGroup: z.boolean().optional(),
  }),
  user: z.object({ id: boundedId, aadObjectId: z.string().max(1024).optional() }).optional(),
  bot: z.object({ id: boundedId }).optional(),
});
export type StoredReference = z.infer<typeof StoredReferenceSchema>;

/**
 * Sends one activity into a stored conversation, outside any turn the user started; resolves once the channel
 * accepted it, rejects (with the connector's error) if it did not. `who` names the user in errors.
 */
export async function sendProactive(adapter: CloudAdapter, botAppId: string, stored: Record<string, unknown>, who: string, activity: Partial<Activity>): Promise<void> {
  // Rows stored before references were trimmed parse too: only these fields are read.
  const parsed = StoredReferenceSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`the stored conversation of ${who} cannot be used: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const reference = parsed.data as unknown as Partial<ConversationReference>;
  let failure: unknown;
  await adapter.continueConversationAsync(botAppId, reference, async (context) => {
    // Caught here, not left to the adapter: its onTurnError would swallow the error (so the message looked sent)
    // and apologise to the user for a turn they never started.
    try {
      await context.sendActivity(activity);
    } catch (err) {
      failure = err;
    }
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
}

export class ProactiveReminderSender implements ReminderSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async send(to: KnownConversation, reminder: Reminder): Promise<void> {
    await sendProactive(this.adapter, this.botAppId, to.reference, to.userId, MessageFactory.attachment(CardFactory.adaptiveCard(reminderCard(reminder)), reminderText(reminder)));
  }
}

/**
 * Sends a manager's weekly digest: what changed in every priority since the Monday before, as a card. What it
 * shows is what the subscriber may see (`summariserFor`: unreviewed updates only for their submitter and reviewers).
 */
export class ProactiveDigestSender implements DigestSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly summariserFor: (to: DigestSubscription) => Summariser,
    private readonly now: () => Date,
  ) {}

  async send(to: DigestSubscription, since: Since): Promise<void> {
    const summariser = this.summariserFor(to);
    const report = changesReport(summariser, summariser.priorityKeys(), since);
    const asAt = this.now().toISOString().slice(0, 10);
    await sendProactive(this.adapter, this.botAppId, to.reference, to.userId, MessageFactory.attachment(CardFactory.adaptiveCard(digestCard(report, asAt)), `Your weekly digest. ${changesHeadline(report)}`));
  }
}

/** How many distinct valid references storableReference remembers; beyond it the memory starts again (a check is only repeated, never skipped wrongly). */
const CHECKED_REFERENCES_KEPT = 10_000;
const checkedReferences = new Map<string, StoredReference>();

/**
 * The reference to keep for a user: only StoredReferenceSchema's fields (no activity id, so it is the
 * same from one message to the next; no name, locale or extra fields), or undefined when a field is
 * missing or out of bounds (nothing is kept then).
 */
export function storableReference(reference: Partial<ConversationReference>): StoredReference | undefined {
  const c = reference.conversation as Partial<ConversationReference['conversation']> | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const picked = {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: c && { id: c.id, conversationType: str(c.conversationType), tenantId: str(c.tenantId), isGroup: typeof c.isGroup === 'boolean' ? c.isGroup : undefined },
    user: reference.user && { id: reference.user.id, aadObjectId: str(reference.user.aadObjectId) },
    bot: reference.bot && { id: reference.bot.id },
  };
  const json = JSON.stringify(picked);
  // The same user's reference arrives with every message: checked once (the schema's output, trimmed ids and all), then
  // known; each caller gets a copy of its own. A refused one is not kept (it may be any size), only checked again.
  const known = checkedReferences.get(json);
  if (known) return structuredClone(known);
  const r = StoredReferenceSchema.safeParse(JSON.parse(json));
  if (!r.success) return undefined;
  if (checkedReferences.size >= CHECKED_REFERENCES_KEPT) checkedReferences.clear();
  checkedReferences.set(json, r.data);
  return structuredClone(r.data);
}

