/**
 * Validation of the progress updates leads submit, by chat or by the Adaptive
 * Card form. Plain TypeScript (no botbuilder) so the dialog and the card
 * handler share one set of rules and they can be tested without a bot.
 *
 * Every parser returns either the normalised value or a message meant for the
 * lead: specific (it says what was wrong and gives an example) and friendly,
 * because it is shown to them verbatim.
 */
import { z } from 'zod';
import type { Polarity } from '../knowledge/schema';
import { numberIn } from '../knowledge/text';
import { RagStatusSchema, UpdateDraftSchema, type Draft, type PeriodKind, type RagStatus, type UpdateDraft, type UpdateItem } from './types';

type Refusal = { ok: false; message: string };

/** The RAG statuses, defined once with the submission types. */
export const StatusSchema = RagStatusSchema;
export type Status = RagStatus;

/** User text is echoed in messages; keep it short so a pasted essay is not repeated back. */
const quote = (s: string): string => `"${s.length > 40 ? s.slice(0, 40) + '…' : s}"`;

/**
 * Control characters (but not line breaks) and invisible format characters
 * (zero-width, bidi overrides) are removed: they break cards and can disguise text.
 */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '')
    .trim();
}

// ---------------------------------------------------------------- values

/**
 * Unit words a lead may type after a figure. Each regex is also tried on the
 * indicator's own unit text: a typed word is acceptable only when the
 * indicator's unit says the same, so "5 days" for a "weeks" indicator is refused.
 * Percentage points come before percent so "pp" is not read as a percentage.
 */
const UNIT_WORDS: RegExp[] = [
  /\bpercentage\s*points?\b|\bpp\b|\bpts?\b|\bpoints?\b/,
  /%|\bper\s*cent\b|\bpercent(age)?\b/,
  /£|\bpounds?\b|\bgbp\b/,
  /\bw(ee)?ks?\b/,
  /\bdays?\b/,
  /\bmonths?\b|\bmths?\b/,
  /\bh(ou)?rs?\b/,
  /\by(ea)?rs?\b/,
];

/** A unit of percentages (not percentage points): a figure in it is between 0 and 100. */
export const isPercentUnit = (u: string): boolean => /%|per\s*cent/i.test(u) && !/percentage\s*points?/i.test(u);
const isCountUnit = (u: string | undefined): boolean => u === undefined || /^\s*(number|count|no\.?)\s*$/i.test(u);
/** A unit that says the figure counts things: it must be whole. No unit at all could be anything, so it is not held to that. */
export const isNamedCount = (u: string | undefined): boolean => u !== undefined && isCountUnit(u);
/** Counts, durations and rates cannot be below zero; money, scores and gaps can. */
const cannotBeNegative = (u: string | undefined): boolean =>
  isCountUnit(u) || /\b(w(ee)?ks?|days?|months?|h(ou)?rs?|rate|fte)\b/i.test(u ?? '');

/** What the item measures, as the messages say it: "as a percentage", "as a whole number", "in weeks", "as a rate per 100k". */
function describeUnit(u: string | undefined): string {
  if (u === undefined) return 'as a number';
  if (isPercentUnit(u)) return 'as a percentage';
  if (isCountUnit(u)) return 'as a whole number (a count)';
  if (/£/.test(u)) return 'in pounds (£)';
  if (/^\s*(rate|score)\b/i.test(u)) return `as a ${u.trim()}`;
  return `in ${u.trim()}`;
}

/** An example figure in the item's unit, for the messages: "47.5%", "1,234", "£3,000", "10.9 weeks". */
function exampleValue(u: string | undefined): string {
  if (u === undefined) return '12.5 or 1,234';
  if (isPercentUnit(u)) return '47.5%';
  if (isCountUnit(u)) return '1,234';
  if (/£/.test(u)) return '£3,000';
  if (/^\s*(rate|score|fte)\b/i.test(u)) return '45.2';
  return `10.5 ${u.trim()}`;
}

const needNumber = (u: string | undefined): string => `Please give the latest figure ${describeUnit(u)}, like ${exampleValue(u)}.`;

/**
 * Words and signs that make a figure an estimate or a bound rather than what
 * was measured. A plan's figure is exact, so "about 47 percent" is refused
 * with the word that made it vague, never stored as 47%.
 */
const VAGUE: RegExp[] = [
  /\b(about|around|approx(?:imately|\.)?|appr?ox|roughly|circa|nearly|almost|close to|near enough|just (?:over|under|below|above)|more than|less than|fewer than|at least|at most|up to|upwards of|in excess of|in the region of|somewhere|estimated?|est\.?|guess(?:ed)?|tbc|tbd|or so|give or take)\b/,
  /(?:^|\s)(c\.|ca\.?|c)\s*£?\d/,
  /\b(over|under|below|above|some)\s+£?\d/,
  /\d\s*-?\s*(ish)\b/,
  /([~≈±<>≤≥?])/,
  /\d\s*(\+)/,
];

/** The word or sign (each pattern's first group) that makes a typed figure vague, if any. */
function vagueWord(text: string): string | undefined {
  for (const re of VAGUE) {
    const m = text.match(re);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Reads a figure as a lead types it. The value kept is their number as written
 * (decimals and thousands commas kept, spaces dropped) so it reads like the
 * plan's own figures; percentages get their "%" back. The figure must be what
 * the item measures (its unit: a percentage, a count, weeks, a rate…) and
 * exact: an estimate or a bound is refused, with the reason.
 */
export function parseValue(input: string, unit?: string): { ok: true; value: string; number: number } | Refusal {
  // "per 100k" / "per 1,000 live births" restate a rate's unit: its number is not the figure.
  const text = cleanText(input)
    .toLowerCase()
    .replace(/\bper\s+\d[\d,]*\s*(k|thousand)?\b/g, ' ')
    // "-£250": bring the sign next to its digits.
    .replace(/([-−])\s*£/, '£$1');
  if (!text) return { ok: false, message: needNumber(unit) };

  const numbers = [...text.matchAll(/([-−+]?)(\d+(?:,\d+)*(?:\.\d+)?|\.\d+)/g)];
  if (numbers.length === 0) return { ok: false, message: `I need a number: ${needNumber(unit).replace(/^Please give/, 'please give')}` };
  const vague = vagueWord(text);
  if (vague) {
    return {
      ok: false,
      message: `${quote(cleanText(input))} is not an exact figure ("${vague}"), and the plans record exact ones. Please give the figure as measured, ${describeUnit(unit)}, like ${exampleValue(unit)}; if you only have an estimate so far, say so in the progress instead.`,
    };
  }
  if (numbers.length > 1) {
    const found = numbers.map((m) => m[0]).join(', ');
    return { ok: false, message: `Please give just one number; I found ${numbers.length} (${found}). For example ${exampleValue(unit)}.` };
  }
  const [whole, sign, digits] = numbers[0];
  // Commas only as thousands separators: "12,5" is probably a decimal comma, and a wrong guess would be a wrong figure.
  if (!/^\d{1,3}(,\d{3})+(\.\d+)?$|^\d*(\.\d+)?$/.test(digits)) {
    return { ok: false, message: `I couldn't read ${quote(digits)} as a number: use a point for decimals (12.5) and commas only between thousands (1,234).` };
  }
  const rest = text.replace(whole, ' ');
  if (/^\s*(k|m|bn|thousand|million|billion)\b/.test(text.slice(numbers[0].index! + whole.length))) {
    return { ok: false, message: 'Please write the number in full, like 3,000 rather than 3k.' };
  }

  const typedRe = UNIT_WORDS.find((re) => re.test(rest));
  const typed = typedRe ? rest.match(typedRe)![0] : undefined;
  if (typedRe && typed && unit !== undefined && !typedRe.test(unit.toLowerCase())) {
    const expected = describeUnit(unit);
    return { ok: false, message: `This indicator is measured ${expected}, but you wrote ${quote(typed)}. Please give the figure ${expected}, like ${exampleValue(unit)}.` };
  }

  const number = Number(digits.replace(/,/g, '')) * (sign === '-' || sign === '−' ? -1 : 1);
  const shown = (number < 0 ? '-' : '') + (digits.startsWith('.') ? '0' : '') + digits;
  // With no unit on record, a "%" the lead typed is the only clue that this is a percentage.
  const percent = isPercentUnit(unit ?? typed ?? '');
  if (percent) {
    if (number < 0 || number > 100) return { ok: false, message: `A percentage must be between 0 and 100; you wrote ${shown}.` };
    return { ok: true, value: `${shown}%`, number };
  }
  if (number < 0 && cannotBeNegative(unit)) {
    return { ok: false, message: `This figure can't be negative; you wrote ${shown}.` };
  }
  if (isNamedCount(unit) && !Number.isInteger(number)) {
    return { ok: false, message: `This indicator is a count, so it needs a whole number, like 1,234; you wrote ${shown}.` };
  }
  return { ok: true, value: shown, number };
}

// ---------------------------------------------------------------- periods

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const PERIOD_EXAMPLES = 'a quarter like Q3 2017/18, a month like March 2018, or a financial year like 2017/18';

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;
/** Day 0 of the next month is the last day of this one (handles leap years). */
const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));
const fyLabel = (start: number): string => `${start}/${pad((start + 1) % 100)}`;

/** "mar", "march", "sept" -> 1-based month; undefined for anything else. */
function monthOf(word: string): number | undefined {
  if (word === 'sept') return 9;
  const i = MONTHS.findIndex((m) => word.length >= 3 && m.startsWith(word));
  return i < 0 ? undefined : i + 1;
}

/** Start year of a financial year written as two years, or a message when they are not consecutive. */
function fyStart(a: string, b: string): number | string {
  const start = fullYear(a);
  const endOk = b.length === 2 ? Number(b) === (start + 1) % 100 : Number(b) === start + 1;
  return endOk ? start : `${quote(`${a}/${b}`)} isn't a financial year: the two years must be consecutive, like 2017/18.`;
}

type PeriodOk = { ok: true; period: string; kind: PeriodKind; from: string; to: string };

/**
 * Reads the period an update is for: a UK financial-year quarter (Q1 = April
 * to June), a month, or a financial year (1 April to 31 March). Returns a
 * canonical label and its first and last day, so updates can be ordered and
 * matched with the plan's figures.
 */
export function parsePeriod(input: string, now: Date = new Date()): PeriodOk | Refusal {
  const result = readPeriod(input);
  if (!result.ok) return result;
  // Up to a year ahead is allowed (a target period); later than that is almost certainly a typo.
  const limit = new Date(now.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  if (result.from > limit.toISOString().slice(0, 10)) {
    return { ok: false, message: `${result.period} is in the future (it starts ${result.from}). Please give the period this update covers, like the quarter just ended.` };
  }
  return result;
}

/**
 * The last day of a period label ("Q3 2017/18" -> "2017-12-31", "March 2018"
 * -> "2018-03-31", "2017/18" -> "2018-03-31"), as an ISO date that compares
 * as a string; undefined when the label is not a period parsePeriod reads.
 * For ordering updates: a stored period is read however long ago it was.
 */
export function periodEnd(label: string): string | undefined {
  const p = readPeriod(label);
  return p.ok ? p.to : undefined;
}

/** parsePeriod without the check against today. */
function readPeriod(input: string): PeriodOk | Refusal {
  const t = cleanText(input)
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '')
    .replace(/^(fy|financial year|year)\s*/, '');
  if (!t) return { ok: false, message: `Please give the period this update is for: ${PERIOD_EXAMPLES}.` };
  const Y2 = '(\\d{4}|\\d{2})\\s*[/-]\\s*(\\d{4}|\\d{2})';
  let m: RegExpMatchArray | null;
  let result: PeriodOk | string | undefined;

  if ((m = t.match(new RegExp(`^(?:q|quarter)\\s*(\\d+)\\s*(?:of\\s+)?(?:fy\\s*)?${Y2}$`)))) {
    result = quarter(Number(m[1]), m[2], m[3]);
  } else if ((m = t.match(new RegExp(`^(?:fy\\s*)?${Y2}\\s*(?:q|quarter)\\s*(\\d+)$`)))) {
    result = quarter(Number(m[3]), m[1], m[2]);
  } else if ((m = t.match(/^(\d{4})-(\d{1,2})$/)) && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[2]) !== (Number(m[1]) + 1) % 100) {
    // ISO "2018-03" is a month; "2011-12" reads as the financial year 2011/12 (next branch), as plans write it.
    result = month(Number(m[2]), Number(m[1]));
  } else if ((m = t.match(new RegExp(`^${Y2}$`))) && !(m[1].length === 2 && m[2].length === 4)) {
    const start = fyStart(m[1], m[2]);
    result = typeof start === 'string' ? start : { ok: true, period: fyLabel(start), kind: 'year', from: isoDate(start, 4, 1), to: isoDate(start + 1, 3, 31) };
  } else if ((m = t.match(/^(\d{1,2})\s*[/-]\s*(\d{4})$/))) {
    result = month(Number(m[1]), Number(m[2]));
  } else if ((m = t.match(/^([a-z]+)\.?(?:\s*[-/'’]\s*|\s+)(\d{4})$/) ?? t.match(/^([a-z]+)\.?\s*[-/'’]\s*(\d{2})$/))) {
    // A two-digit year needs a separator ("Mar-18"): "February 30" is a day, not February 2030.
    const mm = monthOf(m[1]);
    if (mm !== undefined) result = month(mm, fullYear(m[2]));
  } else if (/^(19|20)\d\d$/.test(t)) {
    const y = Number(t);
    result = `Please say which financial year: ${fyLabel(y - 1)} or ${fyLabel(y)} (written like 2017/18).`;
  }

  if (result === undefined) return { ok: false, message: `I couldn't read ${quote(input.trim())} as a period. Try ${PERIOD_EXAMPLES}.` };
  if (typeof result === 'string') return { ok: false, message: result };
  return result;
}

function quarter(q: number, a: string, b: string): PeriodOk | string {
  if (q < 1 || q > 4) return `There are only four quarters, Q1 to Q4; you wrote Q${q}. For example Q3 2017/18.`;
  const start = fyStart(a, b);
  if (typeof start === 'string') return start;
  // Financial quarters: Q1 April-June ... Q4 January-March of the following calendar year.
  const y = q === 4 ? start + 1 : start;
  const first = q === 4 ? 1 : 1 + 3 * q;
  return { ok: true, period: `Q${q} ${fyLabel(start)}`, kind: 'quarter', from: isoDate(y, first, 1), to: isoDate(y, first + 2, lastDay(y, first + 2)) };
}

function month(mm: number, y: number): PeriodOk | string {
  if (mm < 1 || mm > 12) return `There is no month ${mm}; try a month like March 2018 or 03/2018.`;
  const name = MONTHS[mm - 1][0].toUpperCase() + MONTHS[mm - 1].slice(1);
  return { ok: true, period: `${name} ${y}`, kind: 'month', from: isoDate(y, mm, 1), to: isoDate(y, mm, lastDay(y, mm)) };
}

// ---------------------------------------------------------------- status

/** RAG words and the everyday variants leads use for each status. */
const STATUS_WORDS: Record<Status, string[]> = {
  'on track': ['on track', 'ontrack', 'green', 'g', 'good', 'on target'],
  'at risk': ['at risk', 'atrisk', 'amber', 'a'],
  'off track': ['off track', 'offtrack', 'red', 'r', 'behind', 'off target'],
  complete: ['complete', 'completed', 'done', 'finished'],
};
const STATUS_CHOICES = 'on track (green), at risk (amber), off track (red) or complete';

export function parseStatus(input: string): { ok: true; status: Status } | Refusal {
  const t = input.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  if (!t) return { ok: false, message: `Please choose a status: ${STATUS_CHOICES}.` };
  const status = StatusSchema.options.find((s) => STATUS_WORDS[s].includes(t));
  return status
    ? { ok: true, status }
    : { ok: false, message: `I didn't recognise ${quote(input.trim())} as a status. Please choose ${STATUS_CHOICES}.` };
}

// ---------------------------------------------------------------- narrative and evidence

export const NARRATIVE_MAX = 4000;

export function checkNarrative(input: string): { ok: true; text: string } | Refusal {
  const text = cleanText(input);
  if (!text) return { ok: false, message: 'Please describe the progress made; a sentence or two is enough.' };
  if (text.length < 10 || text.split(/\s+/).length < 3) {
    return { ok: false, message: 'That is a bit short for a progress update: please write at least a sentence (3 words or more).' };
  }
  if (text.length > NARRATIVE_MAX) {
    return { ok: false, message: `That is ${text.length.toLocaleString('en-GB')} characters; please keep the update to ${NARRATIVE_MAX.toLocaleString('en-GB')} or fewer.` };
  }
  return { ok: true, text };
}

/** Links to documents (SharePoint links are long) may exceed the 300 characters allowed for a title. */
export const EVIDENCE_LINK_MAX = 2048;
export const EVIDENCE_TITLE_MAX = 300;
const SKIP_WORDS = new Set(['none', 'no', 'skip', '-', 'n/a', 'na', 'nil', 'nothing']);

/**
 * Optional evidence: a link or a document title. Only http(s) links are taken:
 * others (javascript:, data:, file:) could run script or point at a local file
 * when the link is shown in a card.
 */
export function parseEvidence(input: string): { ok: true; evidence?: string } | Refusal {
  const text = cleanText(input);
  if (!text || SKIP_WORDS.has(text.toLowerCase().replace(/[.!]+$/, ''))) return { ok: true, evidence: undefined };
  // Browsers ignore white space inside a scheme ("java script:"), so look for one with it removed.
  const kind = text.replace(/\s+/g, '').match(/^([a-z][a-z0-9+.-]*):/i)?.[1].toLowerCase();
  // "Ofsted report: March 2018" is a title with a colon: a scheme makes a link when there is no space, or it is a dangerous one.
  if (kind !== undefined && (!/\s/.test(text) || /^(javascript|vbscript|data|file|blob|about|ftp|mailto|tel)$/.test(kind))) {
    if (kind !== 'http' && kind !== 'https') {
      return { ok: false, message: `Evidence links must start with http:// or https://, so I can't accept a "${kind}:" link. You can give the document's title instead.` };
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, message: `That link doesn't look complete: ${quote(text)}. Please paste the whole address, starting https://.` };
    }
    if (!url.hostname) return { ok: false, message: 'That link has no website address; please paste the whole link, starting https://.' };
    if (text.length > EVIDENCE_LINK_MAX) return { ok: false, message: `That link is too long (${text.length} characters); please give the document's title instead.` };
    return { ok: true, evidence: text };
  }
  if (text.length > EVIDENCE_TITLE_MAX) {
    return { ok: false, message: `That is too long for a document title (${text.length} characters, ${EVIDENCE_TITLE_MAX} at most); a link or a shorter title will do.` };
  }
  return { ok: true, evidence: text };
}

// ---------------------------------------------------------------- direction

/** Has the figure moved against the indicator's polarity since the previous one? Unknown counts as no. */
export function movesWrongWay(polarity: Polarity, previous: string | undefined, next: string): boolean {
  const before = previous === undefined ? undefined : numberIn(previous);
  const after = numberIn(next);
  if (before === undefined || after === undefined || polarity === 'none') return false;
  return polarity === 'high' ? after < before : after > before;
}

// ---------------------------------------------------------------- one answer, one rule

// The checked draft's type lives in types.ts with its schema; re-exported for the form's callers, who take it with the validation.
export type { UpdateDraft } from './types';

/** What the rules need to know of the item: what it measures and its last figure. */
export type ItemRules = Pick<UpdateItem, 'kind' | 'unit' | 'previous'> & { polarity?: Polarity };

/** The parts of an update a lead gives, in the order the dialog asks them and the form shows them. */
export const UPDATE_FIELDS = ['value', 'period', 'status', 'narrative', 'reason', 'recovery', 'evidence'] as const;
export type UpdateField = (typeof UPDATE_FIELDS)[number];

/** Reason and recovery share the store's limit; a word or two is enough ("Staff sickness"). */
export const REASON_MAX = 2000;

function checkReason(input: string, what: string): { ok: true; text: string } | Refusal {
  const text = cleanText(input);
  if (!text) return { ok: false, message: `Please give ${what}.` };
  if (text.length > REASON_MAX) return { ok: false, message: `Please keep ${what} to ${REASON_MAX.toLocaleString('en-GB')} characters or fewer; that is ${text.length.toLocaleString('en-GB')}.` };
  return { ok: true, text };
}

/**
 * Checks one answer by the rule both ways in use: the dialog for each answer
 * typed, the form for each of its inputs, so a figure, period or status is
 * accepted or refused, with the same message, whichever way it came.
 */
export function checkAnswer(field: UpdateField, input: string, item: ItemRules, now: Date = new Date()): { ok: true; draft: Draft } | Refusal {
  switch (field) {
    case 'value': {
      const v = parseValue(input, item.unit);
      return v.ok ? { ok: true, draft: { value: v.value } } : v;
    }
    case 'period': {
      const p = parsePeriod(input, now);
      return p.ok ? { ok: true, draft: { period: p.period, periodKind: p.kind } } : p;
    }
    case 'status': {
      const st = parseStatus(input);
      return st.ok ? { ok: true, draft: { status: st.status } } : st;
    }
    case 'narrative': {
      const n = checkNarrative(input);
      return n.ok ? { ok: true, draft: { narrative: n.text } } : n;
    }
    case 'reason': {
      const n = checkReason(input, 'the reason');
      return n.ok ? { ok: true, draft: { reason: n.text } } : n;
    }
    case 'recovery': {
      const n = checkReason(input, 'the recovery action');
      return n.ok ? { ok: true, draft: { recovery: n.text } } : n;
    }
    case 'evidence': {
      const ev = parseEvidence(input);
      return ev.ok ? { ok: true, draft: { evidence: ev.evidence } } : ev;
    }
  }
}

/**
 * Why a reason and a recovery action are needed, or undefined when they are
 * not: the update is off track, or its figure has moved the wrong way.
 * Reviewers need to know why, and what is being done.
 */
export function reasonNeeded(item: ItemRules, d: Pick<Draft, 'status' | 'value'>): string | undefined {
  if (d.status === 'off track') return 'As this is off track';
  if (item.kind === 'indicator' && d.value !== undefined && movesWrongWay(item.polarity ?? 'none', item.previous, d.value)) return `As the figure has moved the wrong way since ${item.previous}`;
  return undefined;
}

// ---------------------------------------------------------------- the form

const field = (max: number, what: string) =>
  z.string({ required_error: `Please fill in ${what}.`, invalid_type_error: `Please give ${what} as text.` }).max(max, `Please keep ${what} to ${max} characters or fewer.`);

/**
 * The Adaptive Card submission as Teams posts it. Unknown fields (Teams adds
 * its own) are stripped; lengths are capped here so nothing oversized reaches
 * the parsers or storage. The answers are all optional here: an empty or
 * missing one (Teams leaves out an input nobody filled in) gets the same
 * message as in the dialog, from checkAnswer.
 */
export const UpdateFormSchema = z.object(
  {
    action: z.literal('submitUpdateForm'),
    formId: field(100, 'the form id').regex(/^[\w-]+$/, 'The form id is missing or damaged.'),
    itemId: field(300, 'the item').min(1, 'The item is missing.'),
    value: field(300, 'the figure').optional(),
    period: field(300, 'the period').optional(),
    status: field(300, 'the status').optional(),
    narrative: field(NARRATIVE_MAX, 'the progress update').optional(),
    reason: field(REASON_MAX, 'the reason').optional(),
    recovery: field(REASON_MAX, 'the recovery action').optional(),
    evidence: field(EVIDENCE_LINK_MAX, 'the evidence').optional(),
  },
  { invalid_type_error: 'The form submission was not understood; please open the form again.' },
);
export type UpdateForm = z.infer<typeof UpdateFormSchema>;

/** A problem per field, to show next to it (`form` for the submission as a whole, `itemId` for the item). */
export type FieldErrors = Partial<Record<UpdateField | 'itemId' | 'formId' | 'action' | 'form', string>>;

/**
 * Checks a whole form submission: either the normalised draft, or every
 * field's problem at once (field -> message) so the lead can fix them in one
 * go, each shown next to its input. The rules and messages are the dialog's
 * (checkAnswer, reasonNeeded); nothing has a default, so a missing status is
 * refused, never taken as "on track".
 */
export function validateUpdateForm(raw: unknown, item: ItemRules, now: Date = new Date()): { ok: true; draft: UpdateDraft } | { ok: false; errors: FieldErrors } {
  const form = UpdateFormSchema.safeParse(raw);
  if (!form.success) {
    const errors: FieldErrors = {};
    for (const i of form.error.issues) {
      const at = String(i.path[0] ?? 'form') as keyof FieldErrors;
      errors[at] ??= i.message;
    }
    return { ok: false, errors };
  }
  const f = form.data;
  const errors: FieldErrors = {};
  const draft: Draft = { itemId: f.itemId };
  const check = (name: UpdateField) => {
    const r = checkAnswer(name, f[name] ?? '', item, now);
    if (r.ok) Object.assign(draft, r.draft);
    else errors[name] = r.message;
  };
  if (item.kind === 'indicator') check('value');
  for (const name of ['period', 'status', 'narrative', 'evidence'] as const) check(name);
  // A reason or recovery given when not needed is kept; when needed, each must be there.
  const why = reasonNeeded(item, draft);
  for (const name of ['reason', 'recovery'] as const) {
    if (cleanText(f[name] ?? '')) check(name);
    else if (why) errors[name] = name === 'reason' ? `${why}, please say why.` : `${why}, please say what is being done to get it back on track.`;
  }

  const ok = UpdateDraftSchema.safeParse(draft);
  if (Object.keys(errors).length > 0 || !ok.success) return { ok: false, errors };
  return { ok: true, draft: ok.data };
}
