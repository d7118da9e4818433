/**
 * Whom a review card refreshes for by itself (Universal Actions). Teams wants user MRIs in a card's
 * `refresh.userIds`: the id a user's messages come from ("29:…"), not an AAD object id. REVIEWERS holds AAD
 * object ids (or such Teams ids), so an AAD id becomes the Teams id of that reviewer's chat with the bot, as the
 * conversation store recorded it when they last wrote (updates/conversations.ts). A reviewer who has never
 * talked to the bot has none yet: their copy of the card refreshes from its "Refresh card" menu instead.
 */
import { identityOf, type ConversationStore } from '../updates/conversations';

/** A Teams user MRI: "29:…" (a bot's view of a user), "8:orgid:…" (the AAD user), and the like. */
const MRI = /^\d+:\S+$/;

export class RefreshAudience {
  constructor(
    private readonly reviewers: readonly string[],
    private readonly conversations?: Pick<ConversationStore, 'get'>,
  ) {}

  /** The reviewers' MRIs known now: each REVIEWERS entry that is one, and the recorded Teams id of each that is not. */
  async userIds(): Promise<string[]> {
    const ids = await Promise.all(this.reviewers.map((r) => (MRI.test(r) ? r : this.recordedMri(r))));
    return [...new Set(ids.filter((x): x is string => !!x))];
  }

  private async recordedMri(aadObjectId: string): Promise<string | undefined> {
    const known = await this.conversations?.get(aadObjectId);
    const channelUserId = known && identityOf(known).channelUserId;
    return channelUserId && MRI.test(channelUserId) ? channelUserId : undefined;
  }
}
