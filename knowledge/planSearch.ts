/**
 * Searching the plans for a list of results, as the message extension shows
 * them: the answer the bot would give to the words typed, first, then the
 * other indicators, activities and priorities the same search matches
 * confidently, each with what the plans hold about it. When the answer is
 * that the plans don't have it, that is the one result: never a list of
 * near misses passed off as matches.
 *
 * Plain TypeScript, no botbuilder: the bot layer renders the results.
 */
import { CONFIDENCE_THRESHOLD, correctedQuestion, type Answer, type Answerer } from './answer';
import { blank } from './answering/types';
import type { IndexedRecord } from './search';
import { understand } from './understand';

/** Every number that shapes a result list, in one place. */
export const PLAN_SEARCH_TUNING = {
  /** Most results a search returns in all (Teams shows them as one scrolling list; ten is a screenful or two). */
  maxResults: 10,
  /** Units searched for the results beyond the first: enough to find ten distinct records among the sentences. */
  searchLimit: 60,
  /** Longest search text read; longer text is cut (a search box, not a message). */
  maxQuery: 200,
} as const;

/** The kinds of record a result may be about (passages and the glossary are what answers quote, not things to share). */
const RESULT_KINDS: ReadonlySet<IndexedRecord['kind']> = new Set(['indicator', 'activity', 'priority']);

export interface PlanResult {
  /** The record the answer is about (absent for an answer that is about no one record). */
  recordId?: string;
  answer: Answer;
}

export type PlanSearch = { kind: 'found'; results: PlanResult[] } | { kind: 'notFound'; answer: Answer };

/**
 * The results for `query`, best first, at most `limit`. The first is what the bot answers to the same words in chat
 * (the same understanding, typo correction and requirements); the others are records the search also matched, each
 * answered about itself.
 */
export function searchPlans(answerer: Answerer, query: string, limit: number = PLAN_SEARCH_TUNING.maxResults): PlanSearch {
  const text = query.slice(0, PLAN_SEARCH_TUNING.maxQuery);
  const best = answerer.answer(text);
  if (best.kind === 'notFound') return { kind: 'notFound', answer: best };
  const results: PlanResult[] = [];
  // Commands ("help", "my updates", "summarise priority 2") are not searches: their words are searched as they are.
  if (best.kind === 'answer') results.push({ recordId: best.context?.recordId, answer: best });
  for (const id of matchingRecords(answerer, text)) {
    if (results.length >= limit) break;
    if (results.some((r) => r.recordId === id)) continue;
    const answer = answerer.answerAbout(id, text);
    if (answer?.kind === 'answer') results.push({ recordId: id, answer });
  }
  if (results.length) return { kind: 'found', results: results.slice(0, limit) };
  return { kind: 'notFound', answer: blank('notFound', best.intent, "I couldn't find that in the plans.") };
}

/**
 * What a result says when it is built again (picked, or its card refreshed later): the best answer to its words
 * while that is still about the same record, else what the plans hold about the record. Undefined when the record
 * has left the plans, or, for a result about no one record, when its words no longer find an answer.
 */
export function resultAnswer(answerer: Answerer, query: string, recordId?: string): Answer | undefined {
  const best = answerer.answer(query.slice(0, PLAN_SEARCH_TUNING.maxQuery));
  if (!recordId) return best.kind === 'answer' || best.kind === 'notFound' ? best : undefined;
  if (best.kind === 'answer' && best.context?.recordId === recordId) return best;
  const about = answerer.answerAbout(recordId, query);
  return about?.kind === 'answer' ? about : undefined;
}

/** What the plans hold about each record (most recent first, say), as results; records no longer in the plans are left out. */
export function recordResults(answerer: Answerer, recordIds: string[]): PlanResult[] {
  const results: PlanResult[] = [];
  for (const id of recordIds) {
    const record = answerer.index.byId.get(id);
    const answer = record && answerer.answerAbout(id, record.title);
    if (answer?.kind === 'answer') results.push({ recordId: id, answer });
  }
  return results;
}

/** Records the question's words match confidently, best first, in the authority it names if it names one. */
function matchingRecords(answerer: Answerer, text: string): string[] {
  const index = answerer.index;
  const u = understand(correctedQuestion(text, index), answerer.catalogue);
  const concepts = index.concepts(u.searchText);
  if (!concepts.length) return [];
  const ids: string[] = [];
  for (const h of index.search(concepts, { authority: u.authority, preferDocs: u.preferDocs, limit: PLAN_SEARCH_TUNING.searchLimit })) {
    if (h.coverage < CONFIDENCE_THRESHOLD || !RESULT_KINDS.has(h.record.kind) || ids.includes(h.record.id)) continue;
    // "… in the city": the other authority's records are not what was asked for.
    if (u.authority && h.record.authority !== u.authority) continue;
    ids.push(h.record.id);
  }
  return ids;
}
