/**
 * Action.Execute (an `adaptiveCard/action` invoke): the press goes to the same card action as an
 * Action.Submit of the same data (bot/actions/), acting for its sender; what the action says becomes the
 * card that replaces the pressed one (a submitted form becomes "Submitted ✓", a decided review "Approved
 * by …", a reminder what was done), so it cannot be pressed again.
 */
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { onCardAction } from '../actions';
import { knownVerb } from '../actions/schema';
import { messageText } from '../text';
import { noteTurn } from '../turnLog';
import { ADAPTIVE_CARD_RESPONSE, collectingReplies, repliesAsCard } from '../universalActions';
import { onMessage } from './message';
import type { BotParts } from './parts';

const ExecuteSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string().max(100).optional(), data: z.record(z.unknown()).nullish().catch(undefined) }),
});

export async function onExecute(parts: BotParts, context: TurnContext): Promise<InvokeResponse> {
  const intent = 'invoke:adaptiveCard/action';
  const parsed = ExecuteSchema.safeParse(context.activity.value);
  if (!parsed.success) {
    noteTurn(context, intent, 'badRequest');
    return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Expected an Action.Execute action.' } } };
  }
  const verb = parsed.data.action.verb ?? '';
  if (!knownVerb(verb)) {
    noteTurn(context, intent, 'unsupported');
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: "That button isn't supported. Type your question, or \"help\"." } };
  }
  const sent: Partial<Activity>[] = [];
  const collecting = collectingReplies(context, sent);
  // The verb says which action; the data is its payload, parsed by the action's own schema.
  if ((await onCardAction(parts, collecting, verb, { ...parsed.data.action.data, action: verb })) === 'asMessage') {
    await onMessage(parts, collecting, messageText(context.activity), false);
  }
  return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_RESPONSE, value: repliesAsCard(sent) } };
}
