/**
 * The search message extension ("Search the plans"): in any compose box
 * (personal, group chat, channel, meeting chat) a user types what they are
 * after and inserts a result as a card everyone in the conversation can read.
 *
 * - composeExtension/query: the results for the words typed, from the same
 *   understanding and search as a question in chat (knowledge/planSearch.ts),
 *   paged by queryOptions.skip and count, at most
 *   PLAN_SEARCH_TUNING.maxResults in all. Each is a Thumbnail preview and the
 *   self-contained card to insert (figureCards.ts). When the plans don't have
 *   it, one result says so plainly. Nothing typed (Teams' initialRun, or an
 *   emptied box): the user's recently picked items, else a line saying what
 *   to type.
 * - composeExtension/selectItem: the user picked a result (Teams sends it when
 *   the preview has a tap): the card, built at that moment, and the pick kept
 *   for the user's recent list.
 * - adaptiveCard/action with the verb refreshFigure: a shared card's refresh,
 *   answered with the card as it is now (invoke response type
 *   application/vnd.microsoft.card.adaptive).
 *
 * Privacy as in chat, stricter where the card is shared: the answerer given
 * here sees approved updates only (not even how many are pending), and no
 * command that reads a person's own data (their updates, what is due from
 * them, the review queue) is a search. The recent list is kept by user id and
 * holds record ids, never what was typed.
 */
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Answer, Answerer } from '../knowledge/answer';
import { PLAN_SEARCH_TUNING, recordResults, resultAnswer, searchPlans, type PlanResult } from '../knowledge/planSearch';
import type { RecentItems } from '../knowledge/recentItems';
import {
  ADAPTIVE_CARD,
  answerPreview,
  FigureRefSchema,
  goneCard,
  notFoundPreview,
  REFRESH_FIGURE,
  sharedAnswerCard,
  sharedNotFoundCard,
  THUMBNAIL_CARD,
  type FigureRef,
  type ThumbnailCard,
} from './figureCards';
import type { AdaptiveCard } from './cards';
import type { Logger } from './logger';
import { onceInTurn } from './turnCommit';
import { noteTurn } from './turnLog';
import { senderOf } from './identity';

/** The command and its parameter as appPackage/manifest.json declares them. */
export const SEARCH_COMMAND = 'searchPlans';
export const QUERY_PARAMETER = 'query';

/** What Teams sends for a search (the Agents Playground leaves commandId and the parameter's name out). */
const QuerySchema = z.object({
  commandId: z.string().max(64).optional(),
  parameters: z.array(z.object({ name: z.string().max(64).optional(), value: z.unknown() })).max(5).optional(),
  queryOptions: z.object({ skip: z.number().int().min(0).optional(), count: z.number().int().min(1).optional() }).optional(),
});

const ExecuteSchema = z.object({ action: z.object({ type: z.literal('Action.Execute'), verb: z.string().optional(), data: z.unknown() }) });

/** Results an empty search shows: the user's most recent picks. */
const RECENT_SHOWN = PLAN_SEARCH_TUNING.maxResults;

/** What to type, when nothing is typed and the user has picked nothing yet. */
export const SEARCH_HINT = 'Type what you are looking for, e.g. "camhs waiting time" or "child protection plans city". Items you pick are listed here next time.';

export interface MessageExtensionDeps {
  /** Answers from the plans and approved updates only (see the file comment). */
  answerer: Answerer;
  recent: RecentItems;
  logger: Logger;
  now: () => Date;
  /**
   * Previews carry a tap, so Teams sends selectItem when one is picked (the card is built then, and the pick kept for
   * the user's recent list). Off, the result's card is inserted as it is: Agents Playground 0.2.x shows no results at
   * all when a preview has a tap, so `npm run playground` turns it off.
   */
  selectItem: boolean;
}

interface Attachment {
  contentType: string;
  content: AdaptiveCard | ThumbnailCard;
  preview?: { contentType: string; content: ThumbnailCard };
}

const ok = (body: unknown): InvokeResponse => ({ status: 200, body });
const badRequest = (message: string): InvokeResponse => ({ status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } } });
const results = (attachments: Attachment[]): InvokeResponse => ok({ composeExtension: { type: 'result', attachmentLayout: 'list', attachments } });

export class MessageExtension {
  constructor(private readonly deps: MessageExtensionDeps) {}

  /** Answers the invokes that belong to the message extension and its cards; undefined for any other. */
  async invoke(context: TurnContext): Promise<InvokeResponse | undefined> {
    const a = context.activity;
    switch (a.name) {
      case 'composeExtension/query':
        return this.query(context);
      case 'composeExtension/selectItem':
        return this.selectItem(context);
      case 'adaptiveCard/action': {
        const parsed = ExecuteSchema.safeParse(a.value);
        return parsed.success && parsed.data.action.verb === REFRESH_FIGURE ? this.refresh(context, parsed.data.action.data) : undefined;
      }
      default:
        return undefined;
    }
  }

  private async query(context: TurnContext): Promise<InvokeResponse> {
    const intent = 'invoke:composeExtension/query';
    const parsed = QuerySchema.safeParse(context.activity.value);
    if (!parsed.success) {
      noteTurn(context, intent, 'badRequest');
      return badRequest('Expected a search: { commandId, parameters: [{ name, value }], queryOptions: { skip, count } }.');
    }
    const { commandId, parameters = [], queryOptions = {} } = parsed.data;
    if (commandId && commandId !== SEARCH_COMMAND) {
      noteTurn(context, intent, 'badRequest');
      return badRequest(`Unknown command "${commandId.slice(0, 64)}": this app's only search is "${SEARCH_COMMAND}".`);
    }
    // Teams names the parameter; its default query (initialRun) is a parameter of that name, meaning "nothing typed".
    const param = parameters.find((p) => p.name === QUERY_PARAMETER) ?? parameters.find((p) => p.name !== 'initialRun');
    const query = typeof param?.value === 'string' ? param.value.trim().slice(0, PLAN_SEARCH_TUNING.maxQuery) : '';
    const skip = queryOptions.skip ?? 0;
    const count = Math.min(queryOptions.count ?? PLAN_SEARCH_TUNING.maxResults, PLAN_SEARCH_TUNING.maxResults);
    const asAt = this.deps.now();

    if (!query) {
      const recent = await this.recentResults(context);
      noteTurn(context, intent, recent.length ? 'recent' : 'hint', { results: recent.length });
      if (!recent.length) return ok({ composeExtension: { type: 'message', text: SEARCH_HINT } });
      return results(recent.slice(skip, skip + count).map((r) => this.resultAttachment(r, '', asAt)));
    }
    const found = searchPlans(this.deps.answerer, query);
    if (found.kind === 'notFound') {
      noteTurn(context, intent, 'notFound', { results: 1 });
      return results(skip ? [] : [this.notFoundAttachment(found.answer, query, asAt)]);
    }
    noteTurn(context, intent, 'results', { results: found.results.length, record: found.results[0]?.recordId });
    return results(found.results.slice(skip, skip + count).map((r) => this.resultAttachment(r, query, asAt)));
  }

  private async selectItem(context: TurnContext): Promise<InvokeResponse> {
    const intent = 'invoke:composeExtension/selectItem';
    const now = this.cardNow(context, intent, context.activity.value, 'Expected the result picked: { query, recordId }.');
    if ('status' in now) return now;
    const { ref, answer, card } = now;
    const outcome = !answer ? 'gone' : answer.kind === 'notFound' ? 'notFound' : 'card';
    if (outcome === 'card' && ref.recordId) await this.remember(context, ref.recordId);
    noteTurn(context, intent, outcome, outcome === 'notFound' ? {} : { record: ref.recordId });
    return results([{ contentType: ADAPTIVE_CARD, content: card }]);
  }

  /** A shared card opened (Teams refreshes it) or "Refresh card" chosen: the card as it is now. */
  private async refresh(context: TurnContext, data: unknown): Promise<InvokeResponse> {
    const intent = `invoke:adaptiveCard/action:${REFRESH_FIGURE}`;
    const now = this.cardNow(context, intent, data, 'Expected the card to refresh: { query, recordId }.');
    if ('status' in now) return now;
    noteTurn(context, intent, now.answer ? now.answer.kind : 'gone', { record: now.ref.recordId });
    return ok({ statusCode: 200, type: ADAPTIVE_CARD, value: now.card });
  }

  /**
   * The card a result picked or refreshed stands for (`value`: the FigureRef it carries), as the plans are now: the
   * answer, the plans not having it, or the item gone from them. A bad reference is a bad request, saying `expected`.
   */
  private cardNow(context: TurnContext, intent: string, value: unknown, expected: string): InvokeResponse | { ref: FigureRef; answer?: Answer; card: AdaptiveCard } {
    const parsed = FigureRefSchema.safeParse(value);
    if (!parsed.success) {
      noteTurn(context, intent, 'badRequest');
      return badRequest(expected);
    }
    const ref = parsed.data;
    const asAt = this.deps.now();
    const answer = resultAnswer(this.deps.answerer, ref.query || recordTitle(this.deps.answerer, ref.recordId), ref.recordId);
    const card = !answer ? goneCard(asAt) : answer.kind === 'notFound' ? sharedNotFoundCard(answer, ref.query, asAt) : sharedAnswerCard(answer, ref, asAt);
    return { ref, answer, card };
  }

  /** The user's recent picks that are still in the plans, each as what the plans hold about it now. */
  private async recentResults(context: TurnContext): Promise<PlanResult[]> {
    try {
      const items = await this.deps.recent.list(senderOf(context.activity).id, RECENT_SHOWN);
      return recordResults(this.deps.answerer, items.map((i) => i.recordId));
    } catch (err) {
      // The list is a convenience: without the database, an empty search says what to type instead.
      this.deps.logger.warn({ err }, 'could not read recent items');
      return [];
    }
  }

  /** Keeps the pick for the user's recent list, once however often the turn runs; a failure never fails the pick. */
  private async remember(context: TurnContext, recordId: string): Promise<void> {
    try {
      await onceInTurn(context, `recent:${recordId}`, () => this.deps.recent.record(senderOf(context.activity).id, recordId, this.deps.now()));
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not record the recent item');
    }
  }

  private resultAttachment(r: PlanResult, query: string, asAt: Date): Attachment {
    const ref: FigureRef = { query, ...(r.recordId ? { recordId: r.recordId } : {}) };
    return {
      contentType: ADAPTIVE_CARD,
      content: sharedAnswerCard(r.answer, ref, asAt),
      preview: { contentType: THUMBNAIL_CARD, content: answerPreview(r.answer, (a) => this.deps.answerer.catalogue.authorityName(a), this.deps.selectItem ? ref : undefined) },
    };
  }

  private notFoundAttachment(answer: PlanResult['answer'], query: string, asAt: Date): Attachment {
    return {
      contentType: ADAPTIVE_CARD,
      content: sharedNotFoundCard(answer, query, asAt),
      preview: { contentType: THUMBNAIL_CARD, content: notFoundPreview(answer, query, this.deps.selectItem ? { query } : undefined) },
    };
  }
}

/** A record's name, as the words of a result picked from the recent list (which has no words typed). */
function recordTitle(answerer: Answerer, recordId: string | undefined): string {
  return (recordId && answerer.index.byId.get(recordId)?.title) || '';
}
