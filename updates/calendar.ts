/**
 * Whether any plan's reporting calendar covers a day, and what to say when
 * none does. A calendar covers a day while the period its leads report on
 * then starts on or before the plan's last day (`reporting.until`): after
 * that, nothing is due, no update is late and no reminder goes. Saying so in
 * a full sentence, with the day the last calendar ended and how to extend it,
 * is what tells a manager that the cycle has stopped rather than that
 * everyone is up to date. It starts again as soon as a plan with a current
 * calendar is added to the knowledge.
 */
import type { ReportingCalendar } from '../knowledge/schema';
import { longDate } from '../knowledge/periods';
import { periodToReport } from './due';

export interface CalendarCoverage {
  /** Plans whose calendar asks for updates on the day. */
  current: string[];
  /** When none does: the calendar that ended last (none at all when no plan has a calendar). */
  lastEnded?: { planId: string; title: string; until: string };
}

/** Does this calendar ask for updates on the day? */
export function calendarCovers(cal: ReportingCalendar, today: Date): boolean {
  return !cal.until || periodToReport(today, cal).from <= cal.until;
}

/** Which of these plans' calendars cover the day; `title` names a plan. */
export function calendarCoverage(calendars: Map<string, ReportingCalendar>, title: (planId: string) => string | undefined, today: Date): CalendarCoverage {
  const current = [...calendars.entries()].filter(([, cal]) => calendarCovers(cal, today)).map(([id]) => id);
  if (current.length) return { current };
  const last = [...calendars.entries()].filter(([, cal]) => cal.until).sort(([, a], [, b]) => (a.until! < b.until! ? 1 : -1))[0];
  return { current, ...(last ? { lastEnded: { planId: last[0], title: title(last[0]) ?? last[0], until: last[1].until! } } : {}) };
}

/** How to start the cycle again, for every message that says it has stopped. */
export const EXTEND_CALENDAR =
  'To restart it, add the next plan to the knowledge with a `reporting` calendar, or move a plan\'s `reporting.until` later (knowledge/README.md, "Adding next year\'s plan"), then restart the bot.';

/**
 * The full sentence for a day no calendar covers: `what` says what that means here ("nothing is due from
 * you", "nothing can be late", "no reminders are due").
 */
export function noCalendarSentence(coverage: CalendarCoverage, today: Date, what: string): string {
  const day = longDate(today.toISOString());
  if (!coverage.lastEnded) return `No plan has a reporting calendar, so ${what}. ${EXTEND_CALENDAR}`;
  const { title, until } = coverage.lastEnded;
  return `No plan's reporting calendar covers ${day}, so ${what}: the last one to end, the ${title}'s, ended on ${longDate(until)}. ${EXTEND_CALENDAR}`;
}
