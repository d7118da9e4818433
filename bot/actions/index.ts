/**
 * Card actions: each verb of the union (schema.ts) to its handler. The same
 * union validates what a button sent and names it in the turn log.
 */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { askButton } from '../cards';
import { noteOutcome, noteTurn } from '../turnLog';
import type { BotParts } from '../routes/parts';
import { CardActionSchema, knownVerb, type CardAction, type Verb } from './schema';
import type { ActionResult, ActionRoute, ActionRoutes } from './route';
import { lateUpdatesFor, noChange, updateNow } from './cycle';
import { confirmUpdateForm, editUpdateForm, submitUpdateForm } from './updateForm';
import { refreshReview, reviewUpdate } from './review';
import { ask, dialogStep, exportDocument, exportSummary, noneOfThese, summary } from './answers';

export const ACTION_ROUTES: ActionRoutes = { updateNow, noChange, lateUpdates: lateUpdatesFor, ask, dialogStep, submitUpdateForm, confirmUpdateForm, editUpdateForm, reviewUpdate, refreshReview, noneOfThese, exportSummary, exportDocument, summary };

/** Runs a parsed action's handler (TypeScript cannot pair a union member with its own route, hence the one cast). */
function run(parts: BotParts, context: TurnContext, action: CardAction): Promise<ActionResult> {
  return (ACTION_ROUTES[action.action] as ActionRoute<Verb>).handle(parts, context, action as never);
}

/** A press of a card button naming `verb` (Action.Submit data): 'asMessage' when it stands for a typed question. */
export async function onCardAction(parts: BotParts, context: TurnContext, verb: string, value: unknown): Promise<'asMessage' | void> {
  noteTurn(context, `card:${knownVerb(verb) ? verb : 'unknown'}`, 'handled');
  const parsed = CardActionSchema.safeParse(value);
  if (parsed.success) {
    const r = await run(parts, context, parsed.data);
    if (r !== 'unrecognised') return r;
  } else if (knownVerb(verb)) {
    const invalid = ACTION_ROUTES[verb].invalid;
    if (invalid) return invalid(parts, context);
  }
  noteOutcome(context, 'unrecognised');
  await context.sendActivity(
    MessageFactory.attachment(
      CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: "I didn't recognise that button. It may be from an older card.", wrap: true }], actions: [askButton('Help', 'help')] }),
      "I didn't recognise that button. It may be from an older card: ask again, or type help.",
    ),
  );
}
