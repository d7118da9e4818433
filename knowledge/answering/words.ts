/**
 * The small readings of text that answering shares: which words mark a
 * status, a date, a future event; how a figure is written out; whether a
 * sentence counts the thing asked about. Pure functions, built once at load.
 */
import type { Activity, Figure, Indicator, SourceDocument } from '../schema';
import type { Concept, GlossaryRecord, IndexedRecord, Unit } from '../search';
import type { Intent, Understanding } from '../understand';
import { escapeRegExp, normalise, stem } from '../text';
import { ANSWER_TUNING } from './tuning';

export const STATUS_WORDS = /\b(ended|ceased|stopped|decommissioned|not been renewed|completed?|approved|agreed|signed off|launched|went live|in place|established|implemented|delivered|continues?|ongoing|on track|delayed|postponed|graded|judged|rated|achieved|met|exceeded|went into|liquidation|transferred|replaced)\b/i;
/** What is still to happen: the answer to "… yet?" */
export const STILL_TO_DO = /\b(yet to|not yet|remaining|outstanding|still to|are expected|is expected|will have|in development|being developed|under ?way|in progress|currently being)\b/i;
export const MEASURE_WORDS = /\b(kpis?|measures?|measured|measurement|counted|tracked|monitored|indicators?|performance measures?)\b/;
/** "What's ICDS and when …", "what is CAMHS?": the question opens by asking what an acronym is (not "what KPIs are used …"). */
export const ACRONYM_LEAD = /^\s*(what|whats|what's|what is|what does)\s+(an?\s+|the\s+)?[A-Z][A-Za-z0-9&]{1,8}\b\s*(\?|$|and\b|-|,|\(|stands?\b|means?\b|is\b)|^\s*[A-Z][A-Z0-9&]{1,8}\s+(means?|stands? for)\s+what\b|[-,;:]\s*(what'?s|what is|what does)\s+[A-Z][A-Z0-9&]{1,8}\s*(stand for|mean)?\s*\??\s*$|^\s*(whats|what's|what is)\s+an?\s+[A-Z][A-Z0-9&]{1,8}\s+[a-z]+\s*\??\s*$/;
export const FUTURE_MARKERS = /\b(next|due|expected|will|planned|plans to|scheduled|going to|is going|are going|intends? to|proposed|by (january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|winter|the end)|from (20\d\d|april|september)|anticipated|forthcoming|upcoming|to be)\b/i;
export const DATE_WORDS = /\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|spring|summer|autumn|winter|20\d\d|quarter|q[1-4])\b/i;

/** Fields that name a record rather than say something about it. */
export const NAMING_FIELDS: readonly Unit['field'][] = ['title', 'alias', 'lead', 'evidence'];
export const isNaming = (u: Unit): boolean => NAMING_FIELDS.includes(u.field);
/** Intents that ask for a quantity: its period must be the figure's own. */
export const FIGURE_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['figure', 'compare', 'trend', 'target']);

/** "Are they all signed up yet?": a sentence that says what is still to do answers it. */
export function asksYet(u: Understanding): boolean {
  return u.intent === 'status' && /\b(yet|still)\b/.test(normalise(u.text));
}

export function fig(f: Figure): string {
  return `${f.value}${f.period ? ` (${f.period})` : ''}${f.note ? ` — ${f.note}` : ''}`;
}

/** The sentence states one of the indicator's figures as a figure of its own ("5%" is not in "15%", nor "10" in "2010"). */
export function unitHasFigure(unit: Unit, ind: Indicator): boolean {
  return ind.values.some((v) => unit.text.includes(v.value) && new RegExp(`(?<![\\d.,])${escapeRegExp(v.value)}(?![\\d])`).test(unit.text));
}

export function mentions(text: string, g: GlossaryRecord): boolean {
  const t = normalise(text);
  return new RegExp(`\\b${normalise(g.term).replace(/[^a-z0-9]/g, '.?')}\\b`).test(t) || g.meanings.some((m) => t.includes(normalise(m).slice(0, 24)));
}

export function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1).replace(/\s+\S*$/, '') + '…';
}

export function stripAuthority(q: string): string {
  return q.replace(/\b(in|for|of)?\s*(the\s+)?(nottingham city|nottinghamshire|notts|nottingham|city|county)\b/gi, ' ');
}

/**
 * Does the text give a count of the thing: a number (not a percentage or a
 * year) followed within a few words by the counted noun ("Approximately 4,000
 * taxi drivers", "569 children subject to …"), or the number of it named just
 * before ("the number of conceptions was 127")?
 */
export function countsOf(text: string, head: Concept): boolean {
  const tokens = normalise(text).match(/\d[\d,.]*%?|[a-z][a-z'-]*/g) ?? [];
  const has = (window: string[]) => {
    const set = new Set(window.filter((w) => !/^\d/.test(w)).map(stem));
    return head.alternatives.some((a) => a.tokens.every((x) => set.has(x)));
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^\d/.test(t) || t.endsWith('%') || /^(19|20)\d\d$/.test(t)) continue;
    if (has(tokens.slice(i + 1, i + 7))) return true;
    // "13,500 pupils received road safety education, of which 10,250 were in secondary schools": a part of a whole
    // counts the whole's things too.
    if (/^(which|whom)$/.test(tokens[i - 1] ?? '') && tokens[i - 2] === 'of' && has([...tokens.slice(Math.max(0, i - 14), i - 2), ...tokens.slice(i + 1, i + 7)])) return true;
    const before = tokens.slice(Math.max(0, i - 6), i);
    if (before.some((w) => /^(number|numbers|total|count)$/.test(w)) && has(before)) return true;
  }
  return false;
}

/** Does the indicator count things (so it can answer "how many")? A percentage or a rate does not. */
export function isCount(ind: Indicator): boolean {
  if (ind.unit && /%|percent|rate|score|days|weeks|£/i.test(ind.unit)) return false;
  if (/^(percentage|proportion|rate)\b/i.test(ind.title)) return false;
  return ind.values.some((v) => !/%/.test(v.value));
}

/** Is the indicator a percentage (its unit, its title, or its figures)? */
export function isPercentage(ind: Indicator): boolean {
  return /%|percent/i.test(ind.unit ?? '') || /^(percentage|proportion|%)\b/i.test(ind.title) || (ind.values.length > 0 && ind.values.some((v) => /%/.test(v.value)));
}

/** How much of a passage to quote: a list or a "how is it going" needs more of the story than a figure does. */
export function contextBudget(intent: Intent): number {
  const q = ANSWER_TUNING.quote;
  return intent === 'list' ? q.list : intent === 'status' || intent === 'lookup' ? q.story : q.figure;
}

/** The plan's own document (its improvement or action plan), not a report on it: its words come first. */
export function isPlanItself(d: SourceDocument | undefined): boolean {
  return d?.kind === 'improvement-plan' || d?.kind === 'action-plan';
}

/** "by March 2017" for a date, the plan's words as they are for anything else ("Ongoing", "No specific milestone"). */
export function byDate(due: string): string {
  return DATE_WORDS.test(due) ? `by ${due}` : due;
}

/** The record's content when it is an indicator / an activity. */
export function indicatorOf(r: IndexedRecord): Indicator | undefined {
  return r.kind === 'indicator' ? r.record : undefined;
}
export function activityOf(r: IndexedRecord): Activity | undefined {
  return r.kind === 'activity' ? r.record : undefined;
}
