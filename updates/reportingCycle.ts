/**
 * The reporting cycle as people ask about it: what is due from a lead ("what's
 * due from me"), and which updates are late and who leads them ("overdue
 * updates", "what's missing for priority 2"). Plain functions over the items,
 * the submissions and a date, on top of updates/due.ts.
 */
import type { ReportingCalendar } from '../knowledge/schema';
import { missingUpdates, type DueItem } from './due';
import { ledByAny } from '../knowledge/people';
import { answerable } from './leads';
import type { Submission, UpdateItem } from './types';

/** What the plans and the submissions say, at one moment. */
export interface CycleView {
  items: UpdateItem[];
  calendars: Map<string, ReportingCalendar>;
  submissions: Submission[];
  now: Date;
}

/** Which items a manager asks about: a plan, a priority of it, an authority; nothing = every plan. */
export interface LateScope {
  planId?: string;
  priorityNumber?: number;
  authority?: string;
}

/** The items whose named leads (or organisations' named contacts) include one of these (a person's leads by id: PeopleDirectory.leadNamesOf). */
export function itemsLedBy(items: UpdateItem[], leads: ReadonlySet<string>): UpdateItem[] {
  return items.filter((i) => ledByAny(answerable(i), leads));
}

/** "What's due from me": this lead's items whose update for the period being reported is missing, soonest due first. */
export function dueFrom(view: CycleView, leads: ReadonlySet<string>): DueItem[] {
  return missingUpdates(itemsLedBy(view.items, leads), view.submissions, view.calendars, view.now);
}

export function inScope(item: UpdateItem, scope: LateScope): boolean {
  return (!scope.planId || item.planId === scope.planId) && (scope.priorityNumber === undefined || item.priorityNumber === scope.priorityNumber) && (!scope.authority || item.authority === scope.authority);
}

export interface LateUpdates {
  /** Missing and past their due date, longest overdue first. */
  late: DueItem[];
  /** Missing but not due yet. */
  notYetDue: DueItem[];
}

/** "Overdue updates": the items in scope whose update is missing, split into late and not yet due. */
export function lateUpdates(view: CycleView, scope: LateScope): LateUpdates {
  const missing = missingUpdates(view.items.filter((i) => inScope(i, scope)), view.submissions, view.calendars, view.now);
  return { late: missing.filter((d) => d.overdue), notYetDue: missing.filter((d) => !d.overdue) };
}

/**
 * The update a "no change" repeats: the item's most recent update for another
 * period that was not returned (a returned one was judged wrong, so it is not
 * repeated), approved or still pending.
 */
export function lastUpdateBefore(submissions: Submission[], itemId: string, period: string): Submission | undefined {
  return submissions
    .filter((s) => s.recordId === itemId && s.period !== period && s.reviewState !== 'returned')
    .sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0))[0];
}

/** The update already given for the item and period (pending or approved), if any. */
export function updateFor(submissions: Submission[], itemId: string, period: string): Submission | undefined {
  return submissions.find((s) => s.recordId === itemId && s.period === period && s.reviewState !== 'returned');
}
