/**
 * The reporting cycle: which period an update is due for, when, and which
 * items are missing one. Plain functions of the knowledge, the submissions and
 * a clock, so they are tested on a fixed date.
 *
 * Periods use the same labels as updates (updates/validation parsePeriod):
 * "Q3 2017/18" (UK financial quarters, Q1 = April to June), "March 2018",
 * "2017/18" (financial years, April to March).
 */
import type { ReportingCalendar } from '../knowledge/schema';
import type { Submission, UpdateItem } from './types';

export interface ReportingPeriod {
  label: string;
  /** ISO dates of the first and last day. */
  from: string;
  to: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
const fy = (start: number) => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

/** The reporting period that contains a date. */
export function periodContaining(date: Date, frequency: ReportingCalendar['frequency']): ReportingPeriod {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth(); // 0 = January
  const fyStart = m >= 3 ? y : y - 1;
  if (frequency === 'monthly') return { label: `${MONTHS[m]} ${y}`, from: iso(day(y, m, 1)), to: iso(day(y, m + 1, 0)) };
  if (frequency === 'annually') return { label: fy(fyStart), from: iso(day(fyStart, 3, 1)), to: iso(day(fyStart + 1, 3, 0)) };
  // Financial quarters: Q1 April-June … Q4 January-March.
  const q = m >= 3 ? Math.floor((m - 3) / 3) + 1 : 4;
  const firstMonth = q === 4 ? 0 : 3 * q;
  const yy = q === 4 ? fyStart + 1 : fyStart;
  return { label: `Q${q} ${fy(fyStart)}`, from: iso(day(yy, firstMonth, 1)), to: iso(day(yy, firstMonth + 3, 0)) };
}

/** The last period that has ended by `now`: the one leads are reporting on. */
export function periodToReport(now: Date, cal: ReportingCalendar): ReportingPeriod {
  const current = periodContaining(now, cal.frequency);
  const dayBefore = new Date(Date.parse(current.from + 'T00:00:00Z') - 86_400_000);
  return periodContaining(dayBefore, cal.frequency);
}

export function dueDate(period: ReportingPeriod, cal: ReportingCalendar): string {
  return iso(new Date(Date.parse(period.to + 'T00:00:00Z') + cal.dueDays * 86_400_000));
}

export interface DueItem {
  item: UpdateItem;
  period: ReportingPeriod;
  due: string;
  overdue: boolean;
  daysUntilDue: number;
  /** The most recent update for the item in any period, to carry forward. */
  last?: Submission;
}

/** Submissions that count as the update for a period: pending or approved (a returned one must be redone). */
function hasUpdate(submissions: Submission[], itemId: string, period: string): boolean {
  return submissions.some((s) => s.recordId === itemId && s.period === period && s.reviewState !== 'returned');
}

/**
 * The items, among `items`, whose update for the period being reported on is
 * missing, with when it is due. Items of plans with no reporting calendar are
 * never due.
 */
export function missingUpdates(items: UpdateItem[], submissions: Submission[], calendars: Map<string, ReportingCalendar>, now: Date): DueItem[] {
  const out: DueItem[] = [];
  const today = iso(now);
  for (const item of items) {
    const cal = calendars.get(item.planId);
    if (!cal) continue;
    const period = periodToReport(now, cal);
    // The plan has ended: nothing more is due.
    if (cal.until && period.from > cal.until) continue;
    if (hasUpdate(submissions, item.id, period.label)) continue;
    const due = dueDate(period, cal);
    const last = submissions.filter((s) => s.recordId === item.id && s.reviewState !== 'returned').sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1))[0];
    out.push({ item, period, due, overdue: today > due, daysUntilDue: Math.round((Date.parse(due) - Date.parse(today)) / 86_400_000), last });
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.item.title.localeCompare(b.item.title)));
}
