/**
 * Proactive messages: the reminder card, sent into a user's chat with the bot
 * through the CloudAdapter (continueConversationAsync with the stored
 * conversation reference), outside any turn the user started. The reference's
 * serviceUrl is where the channel's connector is (Teams, or the Agents
 * Playground locally). With an app id the adapter fetches a token for the
 * connector; in anonymous local mode ('' as the app id) it sends none. No
 * "trust the service URL" step is needed: since the CloudAdapter (4.x),
 * AppCredentials.trustServiceUrl is a no-op and every URL is trusted.
 */
import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { KnownConversation } from '../updates/conversations';
import type { Reminder } from '../updates/reminders';
import type { ReminderSender } from '../updates/reminderRunner';
import { reminderCard, reminderText } from './reminderCards';

/** The least of a stored reference that a proactive message needs. */
const StoredReferenceSchema = z
  .object({
    channelId: z.string().min(1),
    serviceUrl: z.string().url(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

export class ProactiveReminderSender implements ReminderSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async send(to: KnownConversation, reminder: Reminder): Promise<void> {
    const parsed = StoredReferenceSchema.safeParse(to.reference);
    if (!parsed.success) throw new Error(`the stored conversation of ${to.userId} cannot be used: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const reference = parsed.data as unknown as Partial<ConversationReference>;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      // Caught here, not left to the adapter: its onTurnError would swallow the error (so the reminder looked sent)
      // and apologise to the user for a turn they never started.
      try {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reminderCard(reminder)), reminderText(reminder)));
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  }
}

/** The reference to keep for a user: the channel's, without the activity id, so it is the same from one message to the next. */
export function storableReference(reference: Partial<ConversationReference>): Record<string, unknown> {
  const { activityId: _activityId, ...rest } = reference;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}
