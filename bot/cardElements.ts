/**
 * The typed building blocks every card is made of: Adaptive Card elements and
 * actions as the Teams SDK's card library types them (@microsoft/teams.cards,
 * which types the Chart.* elements too), so a wrong property or value is a
 * compile error. Its interfaces are used, not its classes: a class instance
 * serialises every default (requires: {}, isVisible: true, spacing:
 * "Default", a chart's showTitle: false…), which makes cards about 1.5 times
 * the bytes (17 of the 26 summary cards would pass the size budget and lose
 * detail) and changes what some of them show.
 *
 * Text is made inert before it goes into a card (cardSafe): Adaptive Card
 * TextBlocks render a Markdown subset, and hosts differ on backslash escapes,
 * so the characters that would form a link or emphasis are replaced by
 * look-alikes instead. A narrative cannot inject a link or formatting.
 */
import type {
  Action,
  CardElement as LibraryCardElement,
  IActionSet,
  IAdaptiveCard,
  IContainer,
  IFactSet,
  IShowCardAction,
  ISubmitAction,
  ISubmitActionData,
  ITeamsCardProperties,
  ITextBlock,
  TextBlockOptions,
} from '@microsoft/teams.cards';
import { replySafe } from './text';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

/** Any element of a card's body (TextBlock, FactSet, Container, ColumnSet, ActionSet, Chart.*…). */
export type CardElement = LibraryCardElement;

/** Teams' width as Teams' docs and clients spell it ("Full": the Agents Playground compares case-sensitively); the library types only 'full'. */
interface TeamsFullWidth {
  width: 'Full';
}

/** A card: the library's, with Teams' "Full" width allowed and actions whose ShowCard holds a card of ours. */
export interface AdaptiveCard extends Omit<IAdaptiveCard, 'msteams' | 'actions'> {
  msteams?: ITeamsCardProperties | TeamsFullWidth;
  actions?: CardAction[];
}

/** Action.ShowCard whose card may be one of ours (with Teams' width). */
export interface ShowCardAction extends Omit<IShowCardAction, 'card'> {
  card?: AdaptiveCard;
}

/** Any action of a card's action bar. */
export type CardAction = Exclude<Action, IShowCardAction> | ShowCardAction;

/** What a button sends back to the bot. */
export type SubmitData = ISubmitActionData;

/** Neutralises the Markdown a TextBlock or fact would render: links, emphasis, code. */
export function cardSafe(s: string): string {
  return replySafe(s);
}

/** A whole card (schema 1.5, full width in Teams); `actions` only when there are any. */
export function card(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  const c: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, msteams: { width: 'Full' } };
  if (actions.length) c.actions = actions;
  return c;
}

/** A TextBlock that wraps, so nothing is cut off in the narrow Teams column. */
export const text = (t: string, extra: TextBlockOptions = {}): ITextBlock => ({ type: 'TextBlock', text: t, wrap: true, ...extra });
export const heading = (t: string): ITextBlock => text(t, { weight: 'Bolder', size: 'Medium' });

/** Label and value rows; a row without a value is left out. */
export const facts = (rows: { label: string; value: string }[]): IFactSet => ({
  type: 'FactSet',
  facts: rows.filter((r) => r.value).map((r) => ({ title: r.label, value: r.value })),
});

/** A Container of `items`, with any of its other properties. */
export const container = (items: CardElement[], extra: Partial<Omit<IContainer, 'type' | 'items'>> = {}): IContainer => ({ type: 'Container', ...extra, items });

/** Buttons in the card's body. */
export const actionSet = (actions: IActionSet['actions']): IActionSet => ({ type: 'ActionSet', actions });

export function submit(title: string, data: SubmitData, extra: Partial<Omit<ISubmitAction, 'type' | 'title' | 'data'>> = {}): ISubmitAction {
  return { type: 'Action.Submit', title, data, ...extra };
}

/** `t` in at most `n` characters, cut with an ellipsis. */
export const cutAt = (t: string, n: number): string => (t.length > n ? t.slice(0, n - 1) + '…' : t);

/** A button's title as Teams shows it whole: at most 80 characters. */
export const buttonTitle = (t: string): string => cutAt(t, 80);

/** Longest name (of an item or a figure) a card writes on its own line. */
export const NAME_CHARS = 100;
