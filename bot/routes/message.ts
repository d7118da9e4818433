/**
 * A typed message (or a card button that is not a card action: a dialog's
 * buttons): the sender's own dialog gets it first, then it is answered, and
 * the answer rendered as text plus a card.
 */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
import { z } from 'zod';
import type { Answer } from '../../knowledge/answer';
import { idempotencyKey, reference } from '../../updates/service';
import { lateScopeFor } from '../../updates/lateScope';
import { looksLikeDialogAnswer, notYourUpdate, UPDATE_DIALOG } from '../../dialogs/updateDialog';
import { answerCard, helpCard, notFoundCard } from '../cards';
import { summaryCard, summaryChoiceCard, overviewCard, overviewHeadline } from '../summaryCards';
import { withDefaultedPlan } from '../defaultPlanCard';
import { myUpdatesCard, reviewCard } from '../updateCards';
import { isSharedFigureMessage } from '../figureCards';
import { MAX_TEXT, replySafe } from '../text';
import { noteTurn } from '../turnLog';
import { chase, sendDueList, sendLateList } from './cycleLists';
import { conversationOf, personOf, recordUnanswered, reviewerRefreshIds, summariserFor, type BotParts } from './parts';

/** A confirmation card's button pressed after its dialog ended: `confirmKey` on current cards, `key` on cards sent before. */
const StaleConfirmSchema = z.object({ updateAction: z.literal('confirm'), confirmKey: z.string().max(200).optional(), key: z.string().max(200).optional() });

/** `text` was read and cut to MAX_TEXT by the router (`cut` says whether it was cut); `value` is what a button sent, if anything. */
export async function onMessage(parts: BotParts, context: TurnContext, text: string, cut: boolean): Promise<void> {
  const value: unknown = context.activity.value;
  const pressed = !text && !!value && typeof value === 'object';
  // The sender's own guided flow in progress gets the message first (in a group chat, others' updates are theirs).
  // Most messages are questions with no flow in progress: the dialog context is built only when one is (or starts).
  if (await parts.userDialogs.ownInProgress(context)) {
    noteTurn(context, 'dialog', 'dialog');
    const r = await (await parts.dialogs.createContext(context)).continueDialog();
    if (r.status !== DialogTurnStatus.empty) {
      noteTurn(context, 'dialog', r.status);
      return;
    }
  }
  // Someone else's update is in progress here: an answer to it, or a press of its buttons, is not this sender's to give.
  const others = await parts.userDialogs.othersInProgress(context);
  if (pressed) {
    // A confirmation card pressed again after its update was saved: say so rather than save twice, but only to
    // whoever saved it (the key is theirs).
    const stale = StaleConfirmSchema.safeParse(value);
    const key = stale.success ? (stale.data.confirmKey ?? stale.data.key) : undefined;
    const mine = key ? await parts.deps.updates.store.byIdempotencyKey(personOf(context).id, idempotencyKey('dialog', conversationOf(context), key)) : undefined;
    noteTurn(context, 'staleButton', mine ? 'alreadyReceived' : others.length ? 'notYours' : 'finished');
    await context.sendActivity(
      mine
        ? `That update was already received (reference ${reference(mine)}); it is ${mine.reviewState}. Nothing new was saved.`
        : others.length
          ? notYourUpdate(others[0])
          : "That button belongs to a conversation that has finished. Say what you'd like to do, or \"help\".",
    );
    return;
  }
  if (text && others.length && looksLikeDialogAnswer(text)) {
    noteTurn(context, 'dialog', 'notYours');
    await context.sendActivity(notYourUpdate(others[0]));
    return;
  }
  if (!text && isSharedFigureMessage(context.activity)) {
    noteTurn(context, 'sharedCard', 'ignored');
    return;
  }
  if (!text) {
    noteTurn(context, 'none', 'noText');
    await context.sendActivity('Please type a question about the plans, or "help" to see what I can do.');
    return;
  }

  const previous = await parts.lastAnswer.get(context);
  const answer = parts.deps.answerer.answer(text, previous);
  if (answer.kind === 'submit') {
    noteTurn(context, answer.intent, 'dialog');
    await (await parts.dialogs.createContext(context)).beginDialog(UPDATE_DIALOG, { user: personOf(context), opening: text, itemId: answer.target?.recordId });
    return;
  }
  noteTurn(context, answer.intent, answer.kind, { record: answer.context?.recordId, confidence: Number(answer.confidence.toFixed(3)), ...(cut ? { cut } : {}) });
  if (cut) answer.text = `(Your message was long, so I read its first ${MAX_TEXT} characters.) ` + answer.text;
  await render(parts, context, answer, text);
  if (answer.context) await parts.lastAnswer.set(context, answer.context);
}

async function render(parts: BotParts, context: TurnContext, answer: Answer, question: string): Promise<void> {
  switch (answer.kind) {
    case 'help':
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard(parts.help)), 'Here is what I can do.'));
      return;
    case 'greeting':
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard(parts.help)), 'Hello! Ask me about the plans.'));
      return;
    case 'summary':
      await renderSummary(parts, context, question, answer);
      return;
    case 'myUpdates': {
      const list = await parts.deps.updates.store.bySubmitter(personOf(context).id, 10);
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(myUpdatesCard(list)), list.length ? `Your ${list.length} most recent update${list.length === 1 ? '' : 's'}:` : ''));
      return;
    }
    case 'review':
      await sendReviewList(parts, context);
      return;
    case 'myDue':
      await sendDueList(parts, context);
      return;
    case 'overdue':
      await sendLateList(parts, context, lateScopeFor(question, answer.target?.authority, parts.deps.summariser), question);
      return;
    case 'chase':
      await chase(parts, context);
      return;
    case 'changes':
      await parts.managers.whatChanged(context, question, answer.target?.authority, await parts.lastAnswer.get(context));
      return;
    case 'digest':
      await parts.managers.digest(context, question);
      return;
    case 'notFound': {
      await recordUnanswered(parts, context, { question, reason: 'notFound', suggestions: answer.choices.map((c) => c.title), conversation: context.activity.conversation?.id });
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(notFoundCard(answer, question)), replySafe(answer.text)));
      return;
    }
    default:
      // Plain sentences, but they can quote what users wrote (an approved update's narrative and reporter): made inert.
      // One message: the answer's sentence as its text, the card below it (Teams shows both together); the
      // follow-ups are the card's own buttons, so no separate suggested actions say them again.
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(answerCard(answer)), replySafe(answer.text)));
  }
}

async function renderSummary(parts: BotParts, context: TurnContext, question: string, answer: Answer): Promise<void> {
  const result = summariserFor(parts, context).request(question, answer.target?.authority, await parts.lastAnswer.get(context));
  if (result.kind === 'choose') {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryChoiceCard(result)), replySafe(result.message)));
    return;
  }
  if (result.kind === 'notFound') {
    await recordUnanswered(parts, context, { question, reason: 'notFound', suggestions: [], conversation: context.activity.conversation?.id });
    await context.sendActivity(replySafe(result.message));
    return;
  }
  if (result.kind === 'overview') {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(overviewCard(result.overview)), replySafe(overviewHeadline(result.overview))));
    return;
  }
  const { summary, defaulted } = result;
  // No plan named, only an authority: the plan it means on the day, saying which, with the others one tap away.
  const card = defaulted ? withDefaultedPlan(summaryCard(summary), defaulted, summary) : summaryCard(summary);
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), defaulted ? `${replySafe(defaulted.message)} ${summary.headline}` : summary.headline));
  await parts.lastAnswer.set(context, { query: question, intent: 'summary', priorityId: summary.priorityIds[0], authority: summary.authority });
}

async function sendReviewList(parts: BotParts, context: TurnContext): Promise<void> {
  if (!parts.deps.updates.isReviewer(personOf(context))) {
    await context.sendActivity("Sorry, only the plan's reviewers can review updates. If you should be one, ask the plan team to add you.");
    return;
  }
  const pending = await parts.deps.updates.store.pending(10);
  if (!pending.length) {
    await context.sendActivity('There are no updates waiting for review.');
    return;
  }
  await context.sendActivity(`${pending.length} update${pending.length === 1 ? '' : 's'} waiting for review${pending.length === 10 ? ' (the oldest 10)' : ''}:`);
  const refreshFor = await reviewerRefreshIds(parts);
  for (const p of pending) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reviewCard(p, refreshFor))));
}
