/**
 * "Today" for the reporting cycle and for which plan is current: the real
 * date, or the day PLAN_TODAY names (YYYY-MM-DD), for a demo, a test or a
 * training session on a plan's calendar. The given day runs at the current
 * time of day, so reminder claims still age as time passes. One clock, read
 * by the bot, `npm run remind`, `npm run summary` and the Playground.
 */
import { isoDay } from './periods';

/** Why a PLAN_TODAY value is not a day, or undefined when it is one. */
export function planTodayProblem(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return 'must be a date written YYYY-MM-DD';
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || isoDay(new Date(t)) !== day ? 'is not a real date' : undefined;
}

/** A clock on the given day (at the current time of day), or the real clock when no day is given. */
export function planClock(day?: string): () => Date {
  if (!day) return () => new Date();
  const problem = planTodayProblem(day);
  if (problem) throw new Error(`PLAN_TODAY ${problem}, got "${day}"`);
  const start = Date.parse(`${day}T00:00:00Z`);
  return () => new Date(start + (Date.now() % 86_400_000));
}
