/** Buttons on answer and summary cards: a question pressed, "none of these", a priority's summary, its exports. */
import { CardFactory, MessageFactory } from 'botbuilder';
import { summaryCard } from '../summaryCards';
import { messageText } from '../text';
import { recordUnanswered, summariserFor } from '../routes/parts';
import type { ActionRoute } from './route';

export const ask: ActionRoute<'ask'> = {
  async handle(_parts, context, action) {
    // The turn goes on exactly as if the user had typed it (a dialog in progress gets it first; follow-ups use the last
    // answer). Set on the activity, so a re-run turn does the same. Nothing but spaces: not a question (the default refusal).
    const asked = messageText({ text: action.text });
    if (!asked) return 'unrecognised';
    context.activity.text = asked;
    context.activity.value = undefined;
    return 'asMessage';
  },
};

export const dialogStep: ActionRoute<'dialogStep'> = {
  async handle(_parts, context, { updateAction, confirmKey, field }) {
    // Handed to the sender's dialog as the press it stands for: the same value an Action.Submit of the check card sends.
    context.activity.text = '';
    context.activity.value = { updateAction, ...(confirmKey ? { confirmKey } : {}), ...(field ? { field } : {}) };
    return 'asMessage';
  },
};

export const noneOfThese: ActionRoute<'noneOfThese'> = {
  async handle(parts, context, { question }) {
    await recordUnanswered(parts, context, { question, reason: 'noneOfThese', suggestions: [], conversation: context.activity.conversation?.id });
    await context.sendActivity("Thanks, I've noted that none of those was what you were after, so the plan authors can add it.");
  },
};

export const summary: ActionRoute<'summary'> = {
  async handle(parts, context, { planId, priority, since }) {
    const summariser = summariserFor(parts, context);
    const s = summariser.summarise(planId, priority, summariser.sinceFromCard(since));
    if (s) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryCard(s)), s.headline));
    else await context.sendActivity('I could not find that priority any more.');
  },
};

export const exportSummary: ActionRoute<'exportSummary'> = { handle: (parts, context, action) => parts.managers.exportText(context, action) };
export const exportDocument: ActionRoute<'exportDocument'> = { handle: (parts, context, action) => parts.managers.exportDocument(context, action) };
