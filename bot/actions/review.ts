/** A reviewer's decision on an update's card: approve, or return with a comment. Reviewers only, by id. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { reference } from '../../updates/service';
import { cleanText } from '../../updates/validation';
import { decidedCard, reviewCard } from '../updateCards';
import { replySafe } from '../text';
import { noteOutcome } from '../turnLog';
import { personOf, reviewerRefreshIds, type BotParts } from '../routes/parts';
import type { ActionRoute } from './route';

/** Longest review comment kept. */
const COMMENT_MAX = 1000;

/** Not a reviewer: refused before anything of the press is read. */
async function refusedUnlessReviewer(parts: BotParts, context: TurnContext): Promise<boolean> {
  if (parts.deps.updates.isReviewer(personOf(context))) return false;
  noteOutcome(context, 'refused');
  await context.sendActivity("Sorry, only the plan's reviewers can approve or return updates.");
  return true;
}

export const reviewUpdate: ActionRoute<'reviewUpdate'> = {
  async invalid(parts, context) {
    if (await refusedUnlessReviewer(parts, context)) return;
    noteOutcome(context, 'invalid');
    await context.sendActivity("I couldn't read that review; please use the buttons on the update's card.");
  },
  async handle(parts, context, { id, decision, comment: typed }) {
    if (await refusedUnlessReviewer(parts, context)) return;
    // Stored and shown to the lead: without control, bidi or zero-width characters (cleanText), which could disguise it.
    const comment = cleanText(typed).slice(0, COMMENT_MAX);
    if (decision === 'returned' && !comment) {
      await context.sendActivity('Please add a comment saying what needs changing, then press "Return with comment" again.');
      return;
    }
    const r = await parts.deps.updates.review(id, decision, personOf(context), comment || undefined);
    if (!r.ok) {
      noteOutcome(context, r.reason);
      await context.sendActivity(r.reason === 'notFound' ? 'I could not find that update.' : `That update was already ${r.submission?.reviewState} by ${r.submission?.reviewer?.name ? replySafe(r.submission.reviewer.name) : 'another reviewer'}.`);
      return;
    }
    const s = r.submission;
    noteOutcome(context, decision);
    // With Action.Execute the decided card takes the review card's place: who decided and when, no live button.
    await context.sendActivity(
      MessageFactory.attachment(
        CardFactory.adaptiveCard(decidedCard(s, await reviewerRefreshIds(parts))),
        decision === 'approved'
          ? `Approved update ${reference(s)}: "${s.recordTitle}"${s.value ? ` ${replySafe(s.value)}` : ''} for ${replySafe(s.period)} is now the latest published fact.`
          : `Returned update ${reference(s)} to ${replySafe(s.submitter.name)} with your comment.`,
      ),
    );
  },
};

/** A review card's refresh: for a reviewer, the update as it is now (still to decide, or who decided it and when). */
export const refreshReview: ActionRoute<'refreshReview'> = {
  async handle(parts, context, { id }) {
    const s = await parts.deps.updates.store.get(id);
    if (!s) {
      await context.sendActivity('I could not find that update.');
      return;
    }
    if (!parts.deps.updates.isReviewer(personOf(context))) {
      await context.sendActivity(`Update ${reference(s)} is ${s.reviewState}. Only the plan's reviewers can review updates.`);
      return;
    }
    const ids = await reviewerRefreshIds(parts);
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(s.reviewState === 'pending' ? reviewCard(s, ids) : decidedCard(s, ids))));
  },
};
