/**
 * Which items a person is offered when reporting progress: those SUBMIT_POLICY
 * lets them report on, without placeholders (a row the plan holds for a
 * measure not yet defined has nothing to report against). The update form's
 * typeahead and its static list both use it, from the same search the
 * questions and the dialog use (typo-tolerant).
 */
import type { Identity } from '../knowledge/people';
import type { UpdateItem, UpdateService } from './service';

/** "Placeholder for performance measure on …": the plan's stand-in for a measure still to come. */
export function isPlaceholder(item: Pick<UpdateItem, 'title'>): boolean {
  return /^\s*placeholder\b/i.test(item.title);
}

/** Whether this person is offered this item to report on. */
export function offered(service: UpdateService, person: Identity, item: UpdateItem): boolean {
  return !isPlaceholder(item) && service.maySubmit(person, item).ok;
}

/** The items offered to this person, in the order given. */
export function reportableItems(service: UpdateService, person: Identity, items: UpdateItem[]): UpdateItem[] {
  return items.filter((i) => offered(service, person, i));
}

/** Most results one search looks at (the typeahead pages through them). */
const SEARCHED = 60;

/** The items offered to this person that match what they typed, best first: `skip` and `top` page through them. */
export function searchReportable(service: UpdateService, person: Identity, text: string, page: { skip: number; top: number }): UpdateItem[] {
  const found = service.search(text, SEARCHED).map((f) => f.item);
  return reportableItems(service, person, found).slice(page.skip, page.skip + page.top);
}
