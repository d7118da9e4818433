/**
 * Text handling shared by indexing and question understanding: one way to
 * normalise, tokenise and stem, so that a word in a question and the same
 * word in a document always meet.
 */
import { PerAnswer } from './oneAnswer';

/** Case, quote and dash styles folded; "&" read as "and". */
export function normalise(s: string): string {
  // Most texts are plain ASCII, which NFKC and the quote and dash folds leave as it is: only the ASCII folds apply.
  if (!NON_ASCII.test(s)) return asciiFolds(s.toLowerCase());
  return asciiFolds(
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc´]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2010-\u2015]/g, '-'),
  );
}

const NON_ASCII = /[^\x00-\x7f]/;
const CO_RE_HYPHEN = /\b(co|re)-(?=[a-z])/g;

/** normalise's folds of ASCII characters, each only when its character is there (most texts have none). */
function asciiFolds(t: string): string {
  if (t.includes('`')) t = t.replace(/`/g, "'");
  // "co-located" / "colocated", "re-offending" / "reoffending": one word either way.
  if (t.includes('-')) t = t.replace(CO_RE_HYPHEN, '$1');
  if (t.includes('&')) t = t.replace(/&/g, ' and ');
  return t;
}

/**
 * Chat shorthand the plans never use, written out so that it meets the plans'
 * words and the question's grammar can be read: contractions ("how's" -> "how
 * is"), "yr" -> "year", ordinals ("3rd contract" -> "third contract", but not
 * "3rd March", which is a date), "under 5s" -> "under 5", "no. of" -> "number
 * of". Case is kept where it can be, because capitals mark acronyms.
 */
const COUNT_WORDS = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const COUNT_WORD = new RegExp(String.raw`\b(${COUNT_WORDS.join('|')})\b(?=\s+[a-z])`, 'gi');

export function expandShortForms(s: string): string {
  return shortFormsExpanded.get(SHORT_FORMS, s, () => expandAll(s));
}

/** Within one answer a text is expanded once (knowledge/oneAnswer.ts): a question is expanded to be corrected and to be understood. */
const shortFormsExpanded = new PerAnswer<string>();
const SHORT_FORMS = {};
/**
 * Chat words and their written-out forms, in the order they are written out. Each pattern matches only where the text
 * has one of its `needs` (in any case), so a text with none skips it: most questions have none of them.
 */
const WORD_FORMS: readonly [needs: readonly string[], pattern: RegExp, replacement: string | ((m: string) => string)][] = [
  [['orgs'], /\borgs\b/gi, 'organisations'],
  [['nott'], /\bnott(m|ingham)\b\.?/gi, 'Nottingham'],
  // "Now vs before", "then and now": which figures to show, not what they are about.
  [['now', 'currently', 'today'], /\b(now|currently|today)\s*(vs\.?|versus|v|and|or|compared (to|with))\s*(before|then|previously|last (year|time))\b/gi, 'latest vs previous'],
  [['then and now'], /\bthen and now\b/gi, 'previous vs latest'],
  [['go', 'went'], /\b(go|goes|going|went|gone|gotten|got)\s+up\b/gi, 'increase'],
  [['go', 'went'], /\b(go|goes|going|went|gone|gotten|got)\s+down\b/gi, 'decrease'],
  [['pls', 'plz'], /\b(pls|plz|plse)\b/gi, 'please'],
  [['rd'], /\brd\b\.?(?=\s+(user|users|safety|casualt|traffic|accident|death|collision))/gi, 'road'],
  [['eng'], /\beng\.?(?=\s*(and|&)\s*maths?\b)/gi, 'English'],
  [['eng'], /\beng (lang|lit)\b/gi, 'English $1'],
  [['thx'], /\bthx\b/gi, 'thanks'],
  [['cyp'], /\bcyp\b/gi, 'children and young people'],
  [['yp'], /\byp\b/gi, 'young people'],
  [['ppls'], /\bppls\b/gi, "people's"],
  [['ppl'], /\bppl\b/gi, 'people'],
  [['eng'], /\beng\.?\s*\+\s*maths?\b/gi, 'English and maths'],
  [['qtr'], /\bqtrs?\b\.?/gi, (m) => (/s/i.test(m) ? 'quarters' : 'quarter')],
  [['yr'], /\byrs?\b\.?/gi, (m) => (/s/i.test(m) ? 'years' : 'year')],
  [['no'], /\b(no|nos)\.?(?=\s+of\b)/gi, (m) => (/s/i.test(m) ? 'numbers' : 'number')],
];

const ORDINALS: Record<string, string> = { '1st': 'first', '2nd': 'second', '3rd': 'third', '4th': 'fourth', '5th': 'fifth', '6th': 'sixth', '7th': 'seventh', '8th': 'eighth', '9th': 'ninth', '10th': 'tenth' };

function expandAll(s: string): string {
  let t = s.replace(/[\u2018\u2019\u02bc`´]/g, "'");
  let lower = t.toLowerCase();
  // Contractions: each has an apostrophe, which most questions don't.
  if (t.includes("'")) {
    t = t
      .replace(/\b(what|how|who|where|when|why|that|there|it|here)'s\b/gi, '$1 is')
      .replace(/\b(what|who|they|we|you)'re\b/gi, '$1 are')
      .replace(/\b(is|are|was|were|has|have|had|did|does|do|should|could|would)n't\b/gi, '$1 not')
      .replace(/\bcan't\b/gi, 'cannot')
      .replace(/\bwon't\b/gi, 'will not')
      .replace(/\bi'm\b/gi, 'I am')
      .replace(/\b(i|we|they|you|who)'ve\b/gi, '$1 have')
      .replace(/\b(i|we|they|you|he|she|who|it)'d\b/gi, '$1 would');
    lower = t.toLowerCase();
  }
  for (const [needs, pattern, replacement] of WORD_FORMS) {
    if (!needs.some((w) => lower.includes(w))) continue;
    const next = typeof replacement === 'string' ? t.replace(pattern, replacement) : t.replace(pattern, replacement);
    if (next !== t) lower = (t = next).toLowerCase();
  }
  // "Under 5s" and ordinals are written with digits, which most questions don't have.
  if (/\d/.test(t)) t = t.replace(/\b(\d{1,2})s\b/g, '$1');
  // "the first two quarters": the plans write counts in digits ("First 2 Quarters"). Not "one", which is
  // rarely a count in a question ("the one that", "one team").
  t = t.replace(COUNT_WORD, (m) => String(COUNT_WORDS.indexOf(m.toLowerCase()) + 2));
  if (/\d/.test(t)) t = t.replace(/\b(1st|2nd|3rd|[4-9]th|10th)\b(?!\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/gi, (m) => ORDINALS[m.toLowerCase()] ?? m);
  return t;
}

/** Collapses runs of white space: documents and YAML wrap text differently. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Words that carry no meaning for retrieval. Question words matter for intent,
 * which is read separately, so they are stop words here.
 */
export const STOP_WORDS = new Set(
  (
    'a an the of in on at to for from by with about into over under outside inside within without across beyond throughout and or but nor not non no yes is are was were be been being ' +
    // When-words: they say when relative to what, which the answer's own dates show.
    'after before since until during while whilst ' +
    // Modal and hearsay words of chat: how the asker speaks, not what about.
    'able unable managed heard hear apparently sorry morning afternoon last next actual actually exact exactly ' +
    'am do does did doing done have has had having it its it\'s this that these those there their they them our we us you your ' +
    'i me my he she his her what whats what\'s which who whos who\'s whom whose when whens when\'s where wheres why how hows ' +
    'many much can could would should will shall may might must tell show give find get got let know please thanks thank ' +
    'any some all each every other than then so as if also just only very more most less such same up down out off again ' +
    'vs versus v compared compare comparison against per via etc eg ie re s t d ll m ve latest current currently recent ' +
    'figure figures number numbers no. rate rates stat stats data info information value values did does doing going yet ever still ' +
    'say says said plan plans document documents report reports measure measures indicator indicators kpi kpis metric metrics ' +
    'lead leads leading led responsible responsibility owner owns charge ' +
    // Everyday verbs of chat questions: rare in formal plans, so as search words they would weigh far too much.
    'come came comes coming go goes went gone getting happen happens happening going doing make made put take took taken taking takes ' +
    // 'seen' stays a search word: "seen at a children's centre" names an indicator.
    'hi hello hey hiya cheers see look looking like really actually anything something thing things keep keeps keeping kept want wants wanted wanting'
  ).split(/\s+/),
);

/**
 * Words kept out of the index's vocabulary for typo correction only because
 * they are too short to correct safely.
 */
export const MIN_FUZZY_LENGTH = 4;

const IRREGULAR: Record<string, string> = {
  ran: 'run',
  running: 'run',
  children: 'child',
  childrens: 'child',
  kids: 'child',
  kid: 'child',
  women: 'woman',
  men: 'man',
  people: 'people',
  peoples: 'people',
  ppl: 'people',
  mums: 'mother',
  mum: 'mother',
  mothers: 'mother',
  families: 'family',
  babies: 'baby',
  analyses: 'analysis',
  criteria: 'criterion',
  data: 'data',
};

/**
 * A light English stemmer: plurals, possessives and the commonest verb and
 * noun endings. Deliberately conservative: over-stemming merges unrelated
 * words ("care" / "career"), which is worse here than a missed plural.
 */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    // Bounded: the plans' vocabulary is a few thousand words, but questions can bring any number of new ones.
    if (stems.size >= MAX_STEMS) stems.clear();
    stems.set(word, (s = stemOf(word)));
  }
  return s;
}

/** stem() of every word seen: stemming is a chain of regular expressions, and the same words come back all the time. */
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;

function stemOf(word: string): string {
  let w = word.replace(/'s$/, '').replace(/'$/, '');
  if (IRREGULAR[w]) return IRREGULAR[w];
  // "Under 5s", "the 1990s": a number's plural is the number.
  if (/^\d+s$/.test(w)) return w.slice(0, -1);
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is|ous)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
  else if (w.length > 6 && w.endsWith('ment')) w = w.slice(0, -4);
  // "location" and "located" must meet ("locat"), as must "implementation" and "implement".
  else if (w.length > 6 && w.endsWith('ation')) w = w.length - 5 < 5 ? w.slice(0, -3) : w.slice(0, -5);
  else if (w.length > 5 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([bdfgmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * Longest word kept whole. The plans' longest words are under 30 letters; a longer "word" (a pasted hash, a key held
 * down) is cut here, because the typo layer's work on a word (compound splits, edit distances) grows with its length.
 */
export const MAX_WORD_LENGTH = 40;

/** Raw word tokens (lower-case), keeping digits; "children's" -> "children's"; each at most MAX_WORD_LENGTH characters. */
export function words(s: string): string[] {
  const out = normalise(s).match(WORD) ?? [];
  // Cut in place: words are read for every question and sentence, and almost none is that long.
  for (let i = 0; i < out.length; i++) if (out[i].length > MAX_WORD_LENGTH) out[i] = out[i].slice(0, MAX_WORD_LENGTH);
  return out;
}

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

/** Stemmed content tokens, stop words removed. */
export function contentTokens(s: string): string[] {
  const out: string[] = [];
  for (const w of words(s)) {
    if (STOP_WORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** All stemmed tokens including stop words (for phrase matching). */
export function allTokens(s: string): string[] {
  return words(s).map(stem);
}

/**
 * Splits narrative into sentences. Conservative about abbreviations and
 * decimals ("10.9 weeks", "e.g. schools", "No. 3"), and treats bullets and
 * line-separated items as sentences of their own.
 */
export function sentences(text: string): string[] {
  const parts: string[] = [];
  for (const block of text.split(/\n+|\s+[•▪]\s+|\s+-\s+(?=[A-Z])/)) {
    const b = squash(block);
    if (!b) continue;
    // Split after . ! ? followed by space and an upper-case letter, digit or quote,
    // unless the word before the stop is a known abbreviation or a single letter.
    const re = /([.!?])\s+(?=[A-Z0-9'"‘“(£])/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(b))) {
      const before = b.slice(last, m.index);
      const lastWord = before.split(/\s+/).pop() ?? '';
      if (/^(e\.g|i\.e|etc|no|nos|dr|mr|mrs|ms|st|vs|approx|inc|ltd|[A-Za-z])$/i.test(lastWord.replace(/\.$/, ''))) continue;
      parts.push(b.slice(last, m.index + 1).trim());
      last = m.index + m[0].length;
    }
    const rest = b.slice(last).trim();
    if (rest) parts.push(rest);
  }
  return parts;
}

/** A span of years a period covers, e.g. "2016/17" -> [2016, 2017]. */
export interface YearSpan {
  from: number;
  to: number;
  quarter?: number;
  /** Part of the year, but not one quarter ("First 2 Quarters of 2017/18", "April-September 2016"). */
  partial?: boolean;
  text: string;
}

const fullYear = (y: string): number => {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
};

/**
 * Finds the periods a text mentions: financial/academic years ("2016/17",
 * "2016-17", "2016-2017", "17/18"), single years ("2016"), and quarters
 * ("Q4", "quarter 2 2017/18"). Used to check that an answer is for the
 * period that was asked about.
 */
export function periodsIn(text: string): YearSpan[] {
  const t = normalise(text);
  // Every period below is written with a digit (a year, a quarter's number): most sentences have none.
  if (!/\d/.test(t)) return [];
  const out: YearSpan[] = [];
  const taken: [number, number][] = [];
  const spanRe = /\b(20\d\d|\d\d)\s*[/-]\s*(20\d\d|\d\d)\b/g;
  let m: RegExpExecArray | null;
  while ((m = spanRe.exec(t))) {
    const a = fullYear(m[1]);
    const b = fullYear(m[2]);
    // "0-17" (ages) and "10-24" are not periods: require plausible consecutive years,
    // and not an age range ("16-17 yr olds", "aged 16-17").
    // A plan's years ("2016-18", "2016-2020") span more than one, written with the first year in full.
    const planYears = m[1].length === 4 && b > a + 1 && b <= a + 5;
    if (a < 2000 || a > 2099 || (b !== a + 1 && !planYears)) continue;
    if (/^\s*(yr|yrs|year|years|y\/o)\b/.test(t.slice(m.index + m[0].length)) || /\b(aged|age|ages)\s*$/.test(t.slice(0, m.index))) continue;
    out.push({ from: a, to: b, text: m[0] });
    taken.push([m.index, m.index + m[0].length]);
  }
  const yearRe = /\b(20\d\d)\b/g;
  while ((m = yearRe.exec(t))) {
    const at = m.index;
    if (taken.some(([s, e]) => at >= s && at < e)) continue;
    const y = Number(m[1]);
    out.push({ from: y, to: y, text: m[0] });
  }
  // "First 2 quarters", "six months to", "half year": part of a year, which is no one quarter's figure.
  if (/\b(quarters|months|half[- ]year|year to date|ytd|so far)\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s*(-|to)\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/.test(t)) for (const p of out) p.partial = true;
  const qRe = /\b(?:q|quarter\s*)([1-4])\b/g;
  while ((m = qRe.exec(t))) {
    const q = Number(m[1]);
    const span = out.find((s) => s.quarter === undefined && s.from !== s.to);
    if (span) span.quarter = q;
    else out.push({ from: 0, to: 0, quarter: q, text: m[0] });
  }
  return out;
}

/** Does a period asked about overlap one that a text mentions? */
export function periodMatches(asked: YearSpan, available: readonly YearSpan[]): boolean {
  return available.some((p) => {
    if (asked.from === 0) return p.quarter === asked.quarter; // a bare quarter
    if (p.from === 0) return false;
    const yearsOverlap = asked.from === asked.to ? asked.from >= p.from && asked.from <= p.to : asked.from === p.from && asked.to === p.to;
    if (!yearsOverlap) return false;
    // Part of a year ("the first 2 quarters") is no figure for the whole year, nor the whole year for a part.
    if (asked.quarter === undefined && !asked.partial && p.partial) return false;
    if (asked.quarter === undefined || asked.quarter === p.quarter) return true;
    // A whole year's figure stands for its last quarter (year end), never for another quarter or a part year's.
    return p.quarter === undefined && !p.partial && asked.quarter === 4;
  });
}

/** Parses the number in a figure as written ("78.1%", "40,873", "£3,810,257"); undefined when none. */
export function numberIn(value: string): number | undefined {
  const m = value.replace(/,(?=\d{3}\b)/g, '').match(/-?\d+(?:\.\d+)?/);
  return m ? Number(m[0]) : undefined;
}

/**
 * Text made inert before it is shown in a card or a message: Teams renders
 * Markdown (and some HTML) in both, so the characters that would form a link,
 * emphasis, code, a heading, a tag or strikethrough are replaced by look-alikes
 * (hosts treat backslash escapes differently). A lone asterisk forms no
 * emphasis and is kept, so a grade reads "A*-C" as the plans write it.
 */
export function inert(s: string): string {
  // Every card's every text comes here, and most hold none of the characters replaced below.
  if (!MARKUP.test(s)) return s;
  let out = s
    .replace(/\]\s*\(/g, '] (')
    .replace(/\[/g, '［')
    .replace(/\]/g, '］')
    .replace(/_/g, '＿')
    .replace(/`/g, 'ʻ')
    .replace(/^(\s*)#/gm, '$1＃')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/~/g, '∼');
  if ((out.match(/\*/g) ?? []).length > 1) out = out.replace(/\*/g, '∗');
  return out;
}

/** The characters inert replaces: each of its patterns needs one. */
const MARKUP = /[[\]_`#<>~*]/;

/** A text as a regular expression that matches it literally ("5.9%" matches no "5x9%"). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Escapes text a user typed before it is shown again in Markdown or card text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => '\\' + c);
}

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])';

/** A date or month ("3rd march 2017", "jan 17", "may 2018"), as withoutPeriods removes it. */
const DATE_IN_MONTH = new RegExp(`\\b(\\d{1,2}(st|nd|rd|th)?\\s+)?(${MONTH}|may(?=\\s+20\\d\\d))\\.?(\\s+(20\\d\\d|\\d\\d)\\b)?`, 'g');

/**
 * Removes period expressions (quarters, months, dates, years) from a
 * question's search text: which period is wanted is checked separately, and
 * as search words they would outweigh what the question is about.
 */
export function withoutPeriods(text: string): string {
  const t = normalise(text);
  let out = t
    .replace(DATE_IN_MONTH, ' ')
    .replace(/\b(q[1-4]|quarter\s*[1-4])\b/g, ' ');
  for (const p of periodsIn(t)) if (p.from) out = out.replace(p.text, ' ');
  return out.replace(/\s+/g, ' ').trim();
}

/** Does the text state a quantity (a count, percentage, amount), not just a date or period? */
export function hasQuantity(text: string): boolean {
  return /\d/.test(
    withoutPeriods(text)
      .replace(/\b\d{1,2}(st|nd|rd|th)\b/g, ' ')
      // Numbers that are part of a name ("Progress 8", "Key Stage 2", "KS4", "FSM6", "Tier 3") are not quantities.
      .replace(/\b(progress|attainment|key stage|stage|tier|level|priority|outcome|section|phase|wave|step|band|grade|year)\s+\d{1,2}\b|\b[a-z]+\d+[a-z]*\b/gi, ' ')
      // List numbering ("1. care leavers …; 2. pathway plans …") is not a quantity, nor an age range ("(2-4 years)").
      .replace(/(^|[;:.]\s*|\s)\(?\d{1,2}[.)]\s/g, ' ')
      .replace(/\(?\b\d{1,2}\s*(-|–|to)\s*\d{1,2}\s*(years?|yrs?|year olds?)\b\)?|\baged? \d{1,2}\b/g, ' '),
  );
}

/**
 * A sentence that opens by pointing back ("The team worked with 22 schools…", "Both capital projects are due…",
 * "These will launch in April"): what it is about is named in the sentence before.
 */
export const LEANS_ON_PREVIOUS =
  /^(the (team|programme|program|service|project|scheme|pilot|group|board|panel|strategy|review|audit|campaign|initiative|contract|provider|centre|unit|hub|model|website|site|tool|app|course|training|event|conference|plan|protocol|policy|report|committee|partnership)s?|this|these|those|it|they|both|its|their|such|he|she|however)\b/i;
