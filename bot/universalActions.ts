/**
 * Universal Actions (Action.Execute): a button whose press comes back as an
 * `adaptiveCard/action` invoke, answered with the card that replaces the
 * pressed one, so a submitted form, a decided review or a pressed reminder
 * changes in place and cannot be pressed again.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { IExecuteAction, ISubmitActionData } from '@microsoft/teams.cards';
import { card, text, type AdaptiveCard, type CardAction, type CardElement } from './cards';

/** Teams' invoke response type for a card that replaces the pressed one. */
export const ADAPTIVE_CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

/** What an Action.Execute button carries: its verb as `action`, and its payload. */
type ExecuteData = { action: string } & ISubmitActionData;

/**
 * A button carrying `data` (its `action` is the verb) as Action.Execute. No Action.Submit fallback on the
 * button: every Teams client has Action.Execute, and a fallback would carry the data twice (a check card's
 * fields count towards Teams' card size limit). A client that sends the same data as a message instead
 * (Action.Submit) gets the same handling (bot/actions/), its replies as messages.
 */
export function execute(title: string, data: ExecuteData, extra: Partial<Omit<IExecuteAction, 'type' | 'title' | 'verb' | 'data'>> = {}): IExecuteAction {
  return { type: 'Action.Execute', title, verb: data.action, data, ...extra };
}

/** Refresh with the verb `data.action` for `userIds` (Teams refreshes automatically for at most 60 users). */
export function withRefresh(c: AdaptiveCard, data: ExecuteData, userIds: string[]): AdaptiveCard {
  const ids = userIds.filter(Boolean).slice(0, 60);
  return { ...c, refresh: { action: { type: 'Action.Execute', verb: data.action, data }, ...(ids.length ? { userIds: ids } : {}) } };
}

/**
 * The turn's context as a card action's handler sees it during an Action.Execute: what it sends is kept
 * (in `sent`) for the card that replaces the pressed one, not sent as messages. Everything else is the
 * turn's own (its activity, its state, its dialogs).
 */
export function collectingReplies(context: TurnContext, sent: Partial<Activity>[]): TurnContext {
  const c = Object.create(context) as TurnContext;
  c.sendActivity = async (a: string | Partial<Activity>) => {
    sent.push(typeof a === 'string' ? { type: 'message', text: a } : a);
    return { id: '' };
  };
  c.sendActivities = async (as: Partial<Activity>[]) => {
    sent.push(...as);
    return as.map(() => ({ id: '' }));
  };
  return c;
}

/**
 * The replies a handler sent, as one card: each message's text, then its cards (their buttons kept,
 * in the card), in order. A card's refresh is kept, so a reviewer's card stays current.
 */
export function repliesAsCard(sent: Partial<Activity>[]): AdaptiveCard {
  const body: CardElement[] = [];
  const actions: CardAction[] = [];
  let refresh: AdaptiveCard['refresh'];
  for (const a of sent) {
    if (a.type && a.type !== 'message') continue;
    const cards = (a.attachments ?? []).filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x) => x.content as AdaptiveCard);
    if (a.text) body.push(text(a.text));
    for (const c of cards) {
      body.push(...(c.body ?? []));
      if (c.actions?.length) actions.push(...c.actions);
      refresh ??= c.refresh;
    }
  }
  if (!body.length) body.push(text('Done.'));
  const folded = card(body, actions);
  return refresh ? { ...folded, refresh } : folded;
}
