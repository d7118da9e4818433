/**
 * Cards that stand on their own in any conversation: what the message
 * extension inserts into a chat, channel or meeting, where the bot is not the
 * one being asked. The answer card as the bot sends it in its own chat, made
 * self-contained:
 *
 * - the answer's sentence is on the card (in the bot's chat it is the
 *   message's text, above the card);
 * - no buttons: a follow-up or "Sources" button needs the bot's conversation,
 *   so the sources are plain lines;
 * - "as at" when the figures were read, in each reader's own time zone
 *   (Adaptive Cards' DATE and TIME functions);
 * - a `refresh` (Universal Actions): Teams sends the `refreshFigure`
 *   Action.Execute when someone opens the card, and the bot answers with the
 *   card as it would be now, so a later reader sees the latest approved
 *   figure, not a stale copy. `userIds` is left out on purpose: then Teams
 *   refreshes automatically for everyone in a chat or channel of up to 60
 *   people and offers "Refresh card" in bigger ones, where listing user ids
 *   (at most 60) would leave most readers with the old card (Teams docs:
 *   "Universal Actions for search based message extensions").
 *
 * The result's preview in the search list is a Thumbnail card: the item, its
 * key figure with its period, the authority.
 */
import { z } from 'zod';
import type { Answer } from '../knowledge/answer';
import { PLAN_SEARCH_TUNING } from '../knowledge/planSearch';
import type { IExecuteAction, ITextBlock } from '@microsoft/teams.cards';
import { card, cardSafe, text, type AdaptiveCard, type CardElement } from './cardElements';
import { answerBody, quoteBlock, sourceBlocks, titleBlock } from './cards';
import { noun } from '../knowledge/plural';

/** The Action.Execute verb a shared card's refresh sends. */
export const REFRESH_FIGURE = 'refreshFigure';

/** What a result, its preview's tap and its card's refresh carry: the words searched for and the record the card is about. */
export const FigureRefSchema = z.object({
  query: z.string().max(PLAN_SEARCH_TUNING.maxQuery),
  recordId: z.string().min(1).max(200).optional(),
});
export type FigureRef = z.infer<typeof FigureRefSchema>;

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const THUMBNAIL_CARD = 'application/vnd.microsoft.card.thumbnail';

/** A card shared into a conversation: it carries the refresh that brings it up to date. */
export type SharedCard = AdaptiveCard & { refresh: { action: IExecuteAction & { title: string; verb: string; data: FigureRef } } };

/**
 * A Thumbnail card (a search result's preview): title, subtitle and text, and optionally what picking it sends (invoke).
 * Ours: it is a Bot Framework card, not an Adaptive Card, so the card library has no type for it.
 */
export interface ThumbnailCard {
  title: string;
  subtitle?: string;
  text?: string;
  tap?: { type: 'invoke'; value: FigureRef };
}

/**
 * Lengths a preview's lines are cut to: each is one line of the results list, which Teams cuts at its width (about
 * 60 characters on the desktop). The Agents Playground's list is narrower (200 pixels): it wraps a title or subtitle of
 * more than about 30 characters over the line below instead; that is the Playground's drawing, not what Teams shows.
 */
const PREVIEW = { title: 60, subtitle: 60, text: 120 } as const;

/** `s` in at most `n` characters: cut at a word's end where there is one, with an ellipsis. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const head = s.slice(0, n - 1);
  const space = head.lastIndexOf(' ');
  return (space > n / 2 ? head.slice(0, space) : head).replace(/[\s,;:.(-]+$/, '') + '…';
}

/** ISO-8601 without milliseconds, as Adaptive Cards' DATE() and TIME() read it. */
const cardTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When the card's figures were read, in the reader's own time zone, and where they come from. */
function asAtBlock(asAt: Date): ITextBlock {
  const t = cardTime(asAt);
  return text(`As at {{DATE(${t}, SHORT)}}, {{TIME(${t})}}: the published plans and approved updates, from the Plan assistant.`, { isSubtle: true, size: 'Small', spacing: 'Medium' });
}

/** The sources as plain lines under a small heading (there is no bot here to open them behind a button). */
function sourcesBlock(a: Answer): ITextBlock[] {
  const lines = sourceBlocks(a.sources);
  return lines.length ? [text(noun(lines.length, 'Source'), { weight: 'Bolder', size: 'Small', spacing: 'Medium' }), ...lines.map((l): ITextBlock => ({ ...l, spacing: 'None' }))] : [];
}

/**
 * The card a result inserts: the answer as the bot would send it (its sentence, the figure, facts, quotes), its
 * sources, "as at", and a refresh that asks the bot for the card as it is now.
 */
export function sharedAnswerCard(a: Answer, ref: FigureRef, asAt: Date): SharedCard {
  // Without a figure, the item's name heads the card, then what the plans say about it (unless that starts with the name).
  const title = !a.headline && a.title && !a.text.startsWith(a.title) ? [titleBlock(a.title)] : [];
  const body: CardElement[] = [...title, text(cardSafe(a.text)), ...answerBody(a, { withTitle: false }), ...sourcesBlock(a), asAtBlock(asAt)];
  return withRefresh(card(body), ref);
}

/**
 * The card for a search the plans have no answer to: it says so plainly, then the nearest they have, labelled as the
 * nearest (never passed off as the answer), as the bot says it in chat.
 */
export function sharedNotFoundCard(a: Answer, query: string, asAt: Date): SharedCard {
  const body: CardElement[] = [text(cardSafe(`Searched the plans for "${query}"`), { weight: 'Bolder' }), text(cardSafe(a.text))];
  for (const q of a.quotes) {
    body.push(text('Nearest in the plans (not what was asked)', { weight: 'Bolder', size: 'Small' }));
    body.push(quoteBlock(q));
  }
  body.push(asAtBlock(asAt));
  // Refreshed, the same words are searched again: once the plans (or an approved update) have it, the card shows it.
  return withRefresh(card(body), { query });
}

/** A card with the refresh that asks the bot for it as it is now. */
function withRefresh(c: AdaptiveCard, ref: FigureRef): SharedCard {
  return { ...c, refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_FIGURE, data: ref } } };
}

/**
 * Whether a message is only a card this extension inserted (someone shared a figure in their chat with the bot, where
 * the bot hears every message): nothing was asked, so nothing is answered.
 */
export function isSharedFigureMessage(activity: { text?: unknown; attachments?: unknown }): boolean {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as { contentType?: unknown; content?: unknown }[]) : [];
  return (
    attachments.length > 0 &&
    attachments.every((a) => a?.contentType === ADAPTIVE_CARD && (a.content as { refresh?: { action?: { verb?: unknown } } } | undefined)?.refresh?.action?.verb === REFRESH_FIGURE)
  );
}

/** The card for an item that has left the plans since the card was shared (a refresh of an old card). */
export function goneCard(asAt: Date): AdaptiveCard {
  return card([text('This card showed an item the plans no longer hold. Search the plans again for the current figures.'), asAtBlock(asAt)]);
}

/** The figure a preview shows: the headline with its period, else the first words of the answer after the item's name. */
function keyFigure(a: Answer, title: string): string {
  if (a.headline) return `${a.headline.value}${a.headline.period ? ` (${a.headline.period})` : ''}`;
  const said = a.text.startsWith(title) ? a.text.slice(title.length).replace(/^[\s:.,-]+/, '') : a.text;
  return said || a.text;
}

/**
 * A result's preview: the item, its key figure with its period, the authority (`authorityName`: as the catalogue of
 * plans names it) and the document it is from.
 */
export function answerPreview(a: Answer, authorityName: (authority: string) => string, tap?: FigureRef): ThumbnailCard {
  const title = a.headline?.label ?? a.title ?? a.text;
  const authority = a.context?.authority ? authorityName(a.context.authority) : undefined;
  const document = a.sources[0] ? (a.sources[0].short ?? a.sources[0].title) : undefined;
  return {
    title: cardSafe(cut(title, PREVIEW.title)),
    subtitle: cardSafe(cut(keyFigure(a, title), PREVIEW.subtitle)),
    text: cardSafe(cut([authority, document].filter(Boolean).join(' · '), PREVIEW.text)),
    ...(tap ? { tap: { type: 'invoke', value: tap } } : {}),
  };
}

/** The preview of the one result a search the plans cannot answer gets: saying so, plainly. */
export function notFoundPreview(a: Answer, query: string, tap?: FigureRef): ThumbnailCard {
  return {
    title: 'Not in the plans',
    subtitle: cardSafe(cut(`Searched for "${query}"`, PREVIEW.subtitle)),
    text: cardSafe(cut(a.text, PREVIEW.text)),
    ...(tap ? { tap: { type: 'invoke', value: tap } } : {}),
  };
}
