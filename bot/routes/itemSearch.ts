/**
 * The update form's typeahead: Teams sends `application/search` as the lead
 * types in the item field (an Input.ChoiceSet whose `choices.data` is a
 * Data.Query on ITEM_DATASET) and shows the results it gets back. Answered
 * from the same search as questions (typo-tolerant), restricted to the items
 * the sender may report on (updates/reportable.ts).
 */
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { reportableItems, searchReportable } from '../../updates/reportable';
import { formItemLabel, ITEM_DATASET } from '../updateCards';
import { MAX_TEXT } from '../text';
import { noteTurn } from '../turnLog';
import { personOf, type BotParts } from './parts';

/** Most results Teams is given at once (its typeahead shows at most 15). */
const MAX_TOP = 15;

const SearchSchema = z.object({
  queryText: z.string().max(MAX_TEXT * 50).transform((s) => s.slice(0, MAX_TEXT)),
  dataset: z.string().max(100),
  queryOptions: z.object({ skip: z.number().int().min(0).max(1000).catch(0), top: z.number().int().min(1).catch(15) }).partial().optional(),
});

/** The invoke response Teams expects for application/search (SearchInvokeResponse). */
function searchResponse(results: { title: string; value: string }[]): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results } } };
}

export function onItemSearch(parts: BotParts, context: TurnContext): InvokeResponse {
  const parsed = SearchSchema.safeParse(context.activity.value);
  if (!parsed.success || parsed.data.dataset !== ITEM_DATASET) {
    // Nothing to search: no results (Teams shows "no results"), rather than an error in the lead's form.
    noteTurn(context, 'invoke:application/search', 'badRequest');
    return searchResponse([]);
  }
  const { queryText, queryOptions } = parsed.data;
  const page = { skip: queryOptions?.skip ?? 0, top: Math.min(queryOptions?.top ?? 15, MAX_TOP) };
  const person = personOf(context);
  const updates = parts.deps.updates;
  // Nothing typed yet: the sender's own items, as the form lists them first.
  const items = queryText.trim() ? searchReportable(updates, person, queryText, page) : reportableItems(updates, person, updates.ownItems(person, page.skip + page.top)).slice(page.skip);
  noteTurn(context, 'invoke:application/search', items.length ? 'found' : 'none', { results: items.length });
  return searchResponse(items.map((i) => ({ title: formItemLabel(i), value: i.id })));
}
