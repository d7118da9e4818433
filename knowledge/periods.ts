/**
 * When a figure, a document or a plan is from, as comparable dates. The plans
 * write periods many ways ("Q4 2016/17", "16/17", "2017-2018", "By December
 * 2017", "end of 2017/18 Quarter 3", "19 January 2017", "April"); each is read
 * once, at load, into the first and last day it covers, so "latest" can be
 * decided across documents and plans, and "as at" can always say a full
 * period, or that the source gives no year.
 *
 * Conventions of the partnership's reports: a year written "2016/17",
 * "2016-17" or "2016-2017" is a financial year (1 April to 31 March), and its
 * quarters are financial quarters (Q1 = April to June). A quarter written with
 * a single calendar year ("Q4 2016") is a calendar quarter, as police and
 * health data publish them.
 */

/** A period read from the text: its first and last day (ISO dates compare as strings) and how to say it in full. */
export interface Span {
  from: string;
  to: string;
  /** The period in full: "Q4 2016/17", "April 2018", "2017/18", "19 January 2017", or the document's own words when they have a year. */
  label: string;
}

/** What a period text says: a span, or a period without a year ("April", "Q3"), or nothing readable. */
export type When = { kind: 'dated'; span: Span } | { kind: 'yearless'; text: string };

export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_NAMES = MONTHS.map((m) => m[0].toUpperCase() + m.slice(1));
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
/** School terms, roughly: spring January-April, summer April-July, autumn September-December. */
const TERMS: Record<string, [number, number]> = { spring: [1, 4], summer: [4, 7], autumn: [9, 12] };

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** Last day of month m (1-12) of year y. */
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthSpan = (y: number, m1: number, m2 = m1, y2 = y) => ({ from: iso(y, m1, 1), to: iso(y2, m2, lastDay(y2, m2)) });
const monthOf = (s: string) => MONTHS.findIndex((m) => m.startsWith(s.replace(/\.$/, '').slice(0, 3))) + 1;
const fullYear = (s: string) => (s.length === 2 ? 2000 + Number(s) : Number(s));
const fyLabel = (start: number) => `${start}/${pad((start + 1) % 100)}`;

/** The financial year starting in April of `start`, or its quarter q. */
function financial(start: number, q?: number): Span {
  if (!q) return { from: iso(start, 4, 1), to: iso(start + 1, 3, 31), label: fyLabel(start) };
  const firstMonth = q === 4 ? 1 : 3 * q + 1;
  const y = q === 4 ? start + 1 : start;
  return { ...monthSpan(y, firstMonth, firstMonth + 2), label: `Q${q} ${fyLabel(start)}` };
}

/** Patterns readWhen reads, made once (a figure's period is read for most answers): "19 January 2017". */
const DAY_MONTH_YEAR = new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)? ${MONTH},? (20\d\d)\b`);
/** "2016/17", "16/17", "2016-17", "2017-2018", "2016 – 2017". */
const FY = new RegExp(String.raw`\b(20\d\d|\d\d)\s*[/-]\s*(20\d\d|\d\d)\b`);
/** "October to December 2017", "April-September 2016". */
const MONTH_RANGE = new RegExp(String.raw`\b${MONTH} ?(?:to|-|–) ?${MONTH},? (20\d\d)\b`);
/** "April 2018", "Oct 2016". */
const MONTH_YEAR = new RegExp(String.raw`\b${MONTH},? (20\d\d)\b`);

/** The first year of a financial year written as two (FY), when the two are consecutive. */
function consecutive(a: string, b: string): number | undefined {
  const x = fullYear(a);
  const y = b.length === 2 ? Math.floor(x / 100) * 100 + Number(b) : Number(b);
  return x >= 2000 && x <= 2099 && y === x + 1 ? x : undefined;
}

/**
 * Reads a period as the plans write it. Undefined when there is none; a
 * yearless period ("April", "Quarter 3", "first 12 months") is kept as words.
 */
export function readWhen(text: string | undefined): When | undefined {
  if (!text?.trim()) return undefined;
  const original = text.replace(/\s+/g, ' ').trim();
  const t = original
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ');
  const dated = (span: { from: string; to: string }, label: string): When => ({ kind: 'dated', span: { ...span, label } });
  // The document's own words, without "by", "as of", "since": "By December 2017" is as at December 2017.
  const ownWords = original.replace(/^(by|as of|as at|since|from|at|in|during)\s+/i, '');
  let m: RegExpMatchArray | null;

  // A day: "19 January 2017", "As of 10/05/18".
  if ((m = t.match(DAY_MONTH_YEAR))) {
    const [d, mo, y] = [Number(m[1]), monthOf(m[2]), Number(m[3])];
    if (d >= 1 && d <= lastDay(y, mo)) return dated({ from: iso(y, mo, d), to: iso(y, mo, d) }, `${d} ${MONTH_NAMES[mo - 1]} ${y}`);
  }
  if ((m = t.match(/\b(\d{1,2})\/(\d{1,2})\/(20\d\d|\d\d)\b/))) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), fullYear(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= lastDay(y, mo)) return dated({ from: iso(y, mo, d), to: iso(y, mo, d) }, `${d} ${MONTH_NAMES[mo - 1]} ${y}`);
  }
  // Financial years and their quarters: "Q4 2016/17", "Quarter 2 2017/18", "end of 2017/18 Quarter 3", "First 2 Quarters of 2017/18".
  const fy = t.match(FY);
  const fyStart = fy ? consecutive(fy[1], fy[2]) : undefined;
  if (fyStart !== undefined) {
    if ((m = t.match(/\bfirst (\d) quarters?\b/)) && Number(m[1]) >= 1 && Number(m[1]) <= 4) {
      const last = financial(fyStart, Number(m[1]));
      return dated({ from: financial(fyStart, 1).from, to: last.to }, ownWords);
    }
    if ((m = t.match(/\b(?:q|quarter\s*)([1-4])\b/))) return dated(financial(fyStart, Number(m[1])), financial(fyStart, Number(m[1])).label);
    const y = financial(fyStart);
    // "End of Year Update for 2017-2018", "2016/17": the year; written in full when the document shortened it.
    return dated(y, /^\s*(20\d\d|\d\d)\s*[/-]\s*(20\d\d|\d\d)\s*$/.test(t) ? y.label : ownWords);
  }
  // A plan's span of years: "2016-2018", "2018-21" (April of the first to March of the last).
  if ((m = t.match(/\b(20\d\d)\s*-\s*(20\d\d|\d\d)\b/))) {
    const a = Number(m[1]);
    const b = m[2].length === 2 ? Math.floor(a / 100) * 100 + Number(m[2]) : Number(m[2]);
    if (b > a + 1 && b - a <= 10) return dated({ from: iso(a, 4, 1), to: iso(b, 3, 31) }, ownWords);
  }
  // Calendar quarters: "Q4 2016"; "rolling year to Q4 2016" is the year ending then.
  if ((m = t.match(/\b(?:q|quarter\s*)([1-4]) (20\d\d)\b/))) {
    const [q, y] = [Number(m[1]), Number(m[2])];
    const quarter = monthSpan(y, 3 * q - 2, 3 * q);
    // The twelve months ending with that quarter: from the first day after the same quarter a year before.
    if (/\byear to\b/.test(t)) return dated({ from: q === 4 ? iso(y, 1, 1) : iso(y - 1, 3 * q + 1, 1), to: quarter.to }, ownWords);
    return dated(quarter, `Q${q} ${y}`);
  }
  // Month ranges: "October to December 2017", "April-September 2016".
  if ((m = t.match(MONTH_RANGE))) {
    const [a, b, y] = [monthOf(m[1]), monthOf(m[2]), Number(m[3])];
    return dated(a <= b ? monthSpan(y, a, b) : monthSpan(y - 1, a, b, y), ownWords);
  }
  // A month: "April 2018", "By December 2017", "Oct 2016".
  if ((m = t.match(MONTH_YEAR))) {
    const [mo, y] = [monthOf(m[1]), Number(m[2])];
    return dated(monthSpan(y, mo), `${MONTH_NAMES[mo - 1]} ${y}`);
  }
  // School terms: "end of the Spring Term 2018".
  if ((m = t.match(/\b(spring|summer|autumn) term (20\d\d)\b/))) {
    const [a, b] = TERMS[m[1]];
    return dated(monthSpan(Number(m[2]), a, b), ownWords);
  }
  // "Between 2005 and 2013".
  if ((m = t.match(/\bbetween (20\d\d|19\d\d) and (20\d\d)\b/))) return dated({ from: iso(Number(m[1]), 1, 1), to: iso(Number(m[2]), 12, 31) }, ownWords);
  // A year: "2016", "2011 census", "same period in 2016".
  if ((m = t.match(/\b(20\d\d|19\d\d)\b/))) {
    const y = Number(m[1]);
    return dated({ from: iso(y, 1, 1), to: iso(y, 12, 31) }, t.trim() === m[1] ? m[1] : ownWords);
  }
  return { kind: 'yearless', text: original };
}

/** The span of a period text, if it has a year. */
export function spanOf(text: string | undefined): Span | undefined {
  const w = readWhen(text);
  return w?.kind === 'dated' ? w.span : undefined;
}

/** "30 April 2018" from "2018-04-30". */
export function longDate(isoDate: string): string {
  const [y, m, d] = isoDay(isoDate).split('-').map(Number);
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

/** The day of a date, or of an ISO timestamp, as YYYY-MM-DD in UTC (the plans' dates have no time zone). */
export function isoDay(d: Date | string): string {
  return (typeof d === 'string' ? d : d.toISOString()).slice(0, 10);
}
