/**
 * Reads what a question is asking, without a cloud language service: the
 * intent, which authority and document it is about, which period, and
 * whether it leans on the previous answer. Pure functions over text.
 */
import { PerAnswer } from './oneAnswer';
import type { Authority } from './schema';
import type { Catalogue } from './catalogue';
import { escapeRegExp, expandShortForms, normalise, periodsIn, STOP_WORDS, withoutPeriods, words, type YearSpan } from './text';
import { parseSince } from './since';

export type Intent =
  | 'help'
  | 'greeting'
  | 'summary'
  | 'submit'
  | 'myUpdates'
  | 'review'
  | 'myDue'
  | 'overdue'
  | 'chase'
  | 'changes'
  | 'digest'
  | 'lead'
  | 'date'
  | 'acronym'
  | 'list'
  | 'compare'
  | 'trend'
  | 'target'
  | 'status'
  | 'figure'
  | 'source'
  | 'lookup';

/** What a question rules out. */
export interface Exclusion {
  /** An authority ruled out ("not the city"). */
  authority?: Authority;
  /** A kind of figure ruled out ("not the rate"): the answer must be another kind. */
  measure?: 'rate' | 'percentage' | 'count';
  /** Other words ruled out ("not the gap", "excluding academies"): no answer may be named by them. */
  words: string[];
  /** Periods ruled out ("not the 14/15 figure"). */
  periods: YearSpan[];
}

export interface Understanding {
  text: string;
  intent: Intent;
  authority?: Authority;
  /** Document ids the question points at ("in the mid-year review"). */
  preferDocs: string[];
  /** Plan ids the question names, by their names or their documents' ("the council plan", "the mid-year review"). */
  namedPlans: string[];
  periods: YearSpan[];
  /** Asks for the newest figure ("latest", "current", "now"). */
  wantsLatest: boolean;
  /** Asks about something still to come ("next", "upcoming"): needs evidence of a future event. */
  future: boolean;
  /** Leans on the previous answer ("and the target?", "who leads it?", "what about the city?"). */
  followUp: boolean;
  /** Ages the question narrows to ("18 year olds", "under 5s", "aged 10-17"): an answer must be for them. */
  ages: number[];
  /** Asks where something ranks ("where do we sit among English YOTs", "what position"). */
  asksRank: boolean;
  /** What the question rules out: "county, not the city", "the number, not the rate", "other than the gap". */
  exclude: Exclusion;
  /** A priority number the question names ("priority 4"). */
  priorityNumber?: number;
  /** What a "how many …" question counts ("taxi drivers", "looked after children"): the answer must be a count of it. */
  countOf?: string;
  /** The words that named a document or plan ("children's trust", "cypf plan"): content when the plan itself is asked about. */
  documentWords: string[];
  /** The question with authority, document and follow-up words removed: what to search for. */
  searchText: string;
  /** The search text before the intent's own words were taken out ("contact", "date"): for questions about a document itself. */
  withIntentWords: string;
}

const AUTHORITY_PATTERNS: [RegExp, Authority][] = [
  [/\b(nottingham city|the city|city council|city's|city)\b/, 'city'],
  [/\b(notts|nottinghamshire|county council|the county|county's|county)\b/, 'county'],
];

/** "priority 3", "p3": a plan's priorities are few; "priority 2016-18" names years, not a priority. */
const PRIORITY_REF = /\bpriority\s*(\d{1,2})\b(?!\s*[/-]\s*\d)|\bp(\d)\b/;
/** Every PRIORITY_REF in a text, to take them out of what is searched for. */
const PRIORITY_REFS = new RegExp(PRIORITY_REF.source, 'g');
const FOLLOW_UP_START = /^(and|also|what about|how about|and what about|same for|what of|ok|okay|then)\b/;
const PRONOUN = /\b(it|its|this|that|these|those|them|they|this one|that one|the same)\b/;

/**
 * `catalogue` names the plans and documents (from their aliases in the YAML); without it no document or plan
 * is recognised.
 */
export function understand(input: string, catalogue?: Pick<Catalogue, 'named' | 'preferredDocuments' | 'plansNamed'>): Understanding {
  return understood.get(catalogue ?? NO_CATALOGUE, input, () => readUnderstanding(input, catalogue));
}

/**
 * Only the intent of a text: what `understand(input).intent` is, without reading the rest (authority, documents,
 * periods, search words). The reporting-cycle commands are told apart by it before the question is corrected.
 */
export function intentOf(input: string): Intent {
  return intentIn(askedIn(input));
}

const intentIn = (a: Asked): Intent => (a.intent ??= readIntent(a.t));

/** Within one answer a text is understood once (knowledge/oneAnswer.ts). */
const understood = new PerAnswer<Understanding>();
const NO_CATALOGUE = {};

/** The question as asked, read once per answer (understand and intentOf both start from it). */
interface Asked {
  /** Chat openers set aside, short forms written out: Understanding.text. */
  raw: string;
  /** `raw` normalised, with what it rules out set aside: what intent, authority and periods are read from. */
  t: string;
  exclude: Exclusion;
  /** The intent read from `t`, once it is asked for (intentOf, understand). */
  intent?: Intent;
}

const askedOnce = new PerAnswer<Asked>();
const askedIn = (input: string): Asked => askedOnce.get(NO_CATALOGUE, input, () => readAsked(input));

function readAsked(input: string): Asked {
  // Teams' command menu puts the command's title first ("ask who leads on …"): it is not part of the question.
  // Chat openers ("sorry,", "morning!", "hi there -", "quick one:") come before the question, not in it.
  const raw = expandShortForms(
    input
      .trim()
      .replace(/^(ask|question)\s*:?\s+/i, '')
      .replace(/^((hi|hello|hey|hiya|morning|good (morning|afternoon)|afternoon|sorry|ok|okay|so|quick (one|question)|thanks|cheers)( there| all| team)?\s*[,!.:;-]*\s+)+/i, '')
      // Who is asking ("sw here -", "HV here:", "data analyst here,"): a role, not part of what is asked.
      .replace(/^((i'?m|i am) )?((an?|the) )?([a-z&'/]+ ){0,3}[a-z&'/]+ here\s*[,!.:;–-]+\s*/i, ''),
  );
  // What the question rules out is read first and set aside: "county, not the city" is about the county.
  const { exclude, rest: t } = exclusionsIn(normalise(raw).replace(/\s+/g, ' ').trim());
  return { raw, t, exclude };
}

function readUnderstanding(input: string, catalogue?: Pick<Catalogue, 'named' | 'preferredDocuments' | 'plansNamed'>): Understanding {
  const asked = askedIn(input);
  const { raw, t, exclude } = asked;
  const intent = intentIn(asked);
  let search = t;

  let authority: Authority | undefined;
  for (const [re, a] of AUTHORITY_PATTERNS) {
    if (re.test(t)) {
      authority = a;
      break;
    }
  }
  // "Nottingham" alone (not "Nottinghamshire") means the city.
  if (!authority && /\bnottingham\b/.test(t)) authority = 'city';
  // "Not the city": the other one.
  if (!authority && exclude.authority) authority = exclude.authority === 'city' ? 'county' : 'city';
  search = search
    .replace(/\b(in|for|of|at)?\s*(the\s+)?(nottingham city|nottinghamshire county|nottinghamshire|notts|nottingham)(\s+(city|county))?(\s+council)?\b/g, ' ')
    .replace(/\b(in|for|of|at)?\s*the\s+(city|county)\b/g, ' ')
    .replace(/\b(city|county)('s)?\b/g, ' ');

  // Words that name a document or plan steer the search but are not what is searched for. The catalogue matches
  // them loosely ("continous improvment plan") and says which documents they mean ("the mid-year review of the
  // CYPF plan" is the review).
  let preferDocs: string[] = [];
  let namedPlans: string[] = [];
  // The words that named a document or plan: content when the plan itself is asked about ("approve the CYPF plan").
  const documentWords: string[] = [];
  if (catalogue) {
    const named = catalogue.named(t);
    preferDocs = catalogue.preferredDocuments(named);
    namedPlans = catalogue.plansNamed(named);
    for (const phrase of named.phrases) {
      search = search.replace(new RegExp(`\\b${escapeRegExp(phrase)}\\b`, 'g'), (m) => {
        documentWords.push(m);
        return ' ';
      });
    }
  }

  // A period naming a report ("in the Q4 16/17 report", "the 2017 review") says which document, not the figure's period.
  search = search.replace(/\b((q[1-4]|quarter [1-4])\s+)?(20\d\d|\d\d)(\s*[/-]\s*(20)?\d\d)?(\s+(q[1-4]|quarter [1-4]))?(?=\s+(performance |progress |mid[- ]year |annual )?(report|review)\b)/g, ' ');
  // Periods from what is left once document names are removed: "the jan 2017 review" names a document, not a period.
  // "Since April 2016" says where a change is counted from, not the period a figure is for.
  // So does "after 2016-18" or "before 2015": a bound, not the period asked about.
  const since = periodsIn(search.match(/\b(since|after|before)\s+(\w+\s+)?(20\d\d(\s*[/-]\s*(20)?\d\d)?|\d\d[/-]\d\d)\b/g)?.join(' ') ?? '');
  const periods = periodsIn(search).filter((p) => !since.some((x) => x.text === p.text) && !exclude.periods.some((x) => x.from === p.from && x.to === p.to && x.quarter === p.quarter));
  search = withoutPeriods(search);
  // Period words steer which figure is wanted; they are not what is searched for.
  search = search.replace(/\b(this|last|next|previous|current|same) (year|quarter|month|period)\b|\b(latest|most recent|so far|to date|right now|now)\b|\b(previous|prior)\b(?=\s*(,|\band\b|\bor\b|&|\?|\)|$))|\b(at )?(the )?(year[- ]end|end of (the )?year)\b/g, ' ');
  // "Go live", "went live": the plans' "launched" (the glossary's synonyms), which the search cannot see through "go", a stop word.
  search = search.replace(/\b(go|goes|going|went|gone) live\b/g, 'launched');
  // "Rate per 100k": how a figure is expressed, which the answer shows; the plans write it many ways ("per 100,000").
  search = search.replace(/\bper (\d[\d,.]*\s*(k|m|thousand|million)?|thousand|hundred thousand)\b( (population|pop|head|residents|children|people|of the population))?/g, ' ');
  // "The outcome of the last inspection" asks for its judgement: "outcome" is what kind of answer, not its subject.
  search = search.replace(/\b(outcome|result)s? of\b(?= (the |their |its )?(last |latest |most recent )?(ofsted |local area |send )*inspection)/g, ' ');
  // "For the board paper", "for my report": why it is asked, not what about.
  search = search.replace(/\b(for|in) (the|a|an|my|our|tomorrow's|next week's) (board( paper| report| meeting)?|paper|report|meeting|presentation|briefing|slides?|committee paper)\b/g, ' ');
  search = search.replace(/\(\s*((for|in) )?((the|a|an|my|our) )?(board( paper| report| meeting)?|paper|meeting|presentation|briefing|slides?|committee paper)\s*\)/g, ' ');
  // "Can you check …", "are we meant to …": how the asker asks, not what about.
  search = search.replace(/\b(can|could|would) you (please )?(check|confirm|find out|tell me|let me know|look up|find)\b|\b(are|is|were|was) (we|they|it|you) (meant|supposed|expected) to\b|\b(meant|supposed) to\b|\b(are|is) (used|in use)\b/g, ' ');
  // Chat filler that says where the answer should come from or how sure the asker is, not what it is about.
  search = search.replace(/\b(according to|as per|per the|as of now|at the moment|already|currently|actually|exactly|roughly|approximately|please)\b|\bwhere (had|has|have|is|are) (.*?) got to\b/g, (m, _a, _b, subject: string | undefined) => ` ${subject ?? ''} `);
  // Comparison wording ("a year earlier", "year on year", "between … and …") says which figures to show, not what they are about.
  search = search.replace(
    /\b(compared (with|to)|against|vs|versus)?\s*(a|the|one) (year|quarter|month|period)s? (earlier|before|ago|prior)\b|\byear[- ]on[- ]year\b|\b(vs\.?|versus|v|and|or|than|compared (to|with))\s+(last|previous|before|prior)\b(?!\s+\d)|\bbetween\b|\b(earlier|previous|prior) (figure|value|period)s?\b|\b(on|off) (track|course)\b/g,
    ' ',
  );
  // "And for how long", "how long does it run": a duration the quoted passage gives; not words to find.
  search = search.replace(/\b(and )?(for )?how long( (does|did|will|is|was) (it|this|that|the \w+) (run|last|go on|be funded|for))?( for)?\b/g, ' ');
  // "Vs national", "the England average": a figure the answer shows beside the one asked for (or says it lacks).
  search = search.replace(/\b((vs\.?|versus|v|against|compared (to|with)|and|than|to|with) )?(the )?(national|england|england's)( average| figure| rate| level| comparison| comparator)?\b(?! (curriculum|child|minimum|living|health|insurance|offender|probation|citizen|standard))|\bnationally\b/g, (m) => (/\b(average|figure|rate|level|comparison|comparator)\b|^(vs|versus|v|against|compared|and|than|to|with)\b|nationally|^the /.test(m) || intentIsComparison(t) ? ' ' : m));
  const wantsLatest = /\b(latest|current|currently|now|most recent|newest|this year|so far|to date)\b/.test(t);
  // "When is the centre opening?": something still to come, as "next" or "will be" is.
  const future = /\b(next|upcoming|forthcoming|future|will be|going to)\b|\bwhen (is|are) (the |a |an )?([\w'-]+ ){1,6}(opening|launching|starting|going live|happening|being (launched|opened|set up|introduced))\b/.test(t);
  const priorityMatch = t.match(PRIORITY_REF);
  const priorityNumber = priorityMatch ? Number(priorityMatch[1] ?? priorityMatch[2]) : undefined;
  // "(county CIP priority 2)" says where to look, as a document name does; the answer prefers that priority's records.
  if (priorityNumber !== undefined) search = search.replace(PRIORITY_REFS, ' ');

  const ages = agesIn(t);
  const asksRank = RANK.test(t);
  if (asksRank) search = search.replace(RANK_WORDS, ' ');
  // Words that say what kind of answer is wanted, not what it is about.
  const scaffolding = SCAFFOLDING[intent];
  const withIntentWords = search.replace(/\s+/g, ' ').trim();
  if (scaffolding) search = search.replace(scaffolding, ' ');
  const contentWords = search.replace(/[^a-z0-9' ]/g, ' ').split(/\s+/).filter((w) => w && !FILLER.has(w));
  const followUp =
    FOLLOW_UP_START.test(t) && contentWords.length <= 4 ||
    (PRONOUN.test(t) && contentWords.length <= 3) ||
    contentWords.length === 0 && (authority !== undefined || periods.length > 0 || ['lead', 'target', 'trend', 'source', 'compare', 'date'].includes(intent));

  const countOf = countedThing(t) ?? (exclude.measure && exclude.measure !== 'count' && intent === 'figure' ? countedNoun(t) : undefined);
  return { text: raw, intent, authority, ages, asksRank, preferDocs, namedPlans, documentWords, periods, wantsLatest, future, followUp, priorityNumber, countOf, exclude, searchText: search.replace(/\s+/g, ' ').trim(), withIntentWords };
}

/** "Where do we rank / sit / come", "what position", "league table": a ranking is asked for. */
const RANK = /\b(rank|ranked|ranking|rankings|league table|what position|which position|where (do|does|did) (we|nottingham|notts|nottinghamshire|the city|the county|it) (sit|stand|come|rank|fall))\b/;
/** The words of a ranking question that say it is one: not what it is about. */
const RANK_WORDS = /\b(where (do|does|did) (we|it) (sit|stand|come|rank|fall)|where does|where do|rank(ed|ing|ings)?|league table|what position|which position|sit|among|amongst|near the (bottom|top)|bottom|top)\b/g;

const AGES = /\b(?:aged?\s+|under\s+|over\s+)?(\d{1,2})(?:\s*(?:-|–|to)\s*(\d{1,2}))?\s*(?:year|yr)s?[- ]?olds?\b|\b(?:aged?|under|over)\s+(\d{1,2})(?:\s*(?:-|–|to)\s*(\d{1,2}))?(?:s\b)?/g;

/** The ages a question narrows to: "18 year olds", "under 5s", "aged 10-17", "16 to 18 yr olds". */
export function agesIn(t: string): number[] {
  // An age is written in digits: most questions have none.
  if (!/\d/.test(t)) return [];
  const out = new Set<number>();
  for (const m of t.matchAll(AGES)) {
    for (const n of [m[1], m[2], m[3], m[4]]) if (n) out.add(Number(n));
  }
  return [...out];
}

/** The age bands a question names as ranges ("16-17 yr olds", "aged 10 to 17"): [from, to]. */
export function ageBandsIn(t: string): [number, number][] {
  if (!/\d/.test(t)) return [];
  return [...t.matchAll(AGES)].flatMap((m) => {
    const [from, to] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
    return from !== undefined && to !== undefined ? [[Number(from), Number(to)] as [number, number]] : [];
  });
}

/** A question comparing with something ("vs national", "compared to England"): national there names a field. */
function intentIsComparison(t: string): boolean {
  return /\b(vs|versus|compared|compare|comparison|against|than)\b/.test(t);
}

const AUTHORITY_WORD = String.raw`(nottingham city|nottinghamshire county|nottinghamshire|notts|nottingham|city|county)(\s+council)?`;
const EXCLUDED_AUTHORITY = new RegExp(String.raw`(?:,|-|;|\(|\band\b|\bbut\b)?\s*\b(?:not|excluding|except)\s+(?:for\s+|in\s+)?(?:the\s+)?${AUTHORITY_WORD}\b(?:\s+(?:pls|please|thanks))?\)?`, 'g');
const EXCLUDED_MEASURE = /(?:,|-|;|\(|\bbut\b)?\s*\b(?:not|rather than|instead of|as opposed to)\s+(?:the\s+|a\s+|as\s+a\s+)?(rate|percentage|per ?cent|%|proportion|number|count|total)(?![a-z])\)?/g;
/** "Not the 14/15 figure": a period ruled out. */
const EXCLUDED_PERIOD = /(?:,|-|;|\(|\bbut\b)?\s*\b(?:not|rather than|instead of|excluding|except)\s+(?:the\s+|for\s+)?((?:q[1-4]\s+)?(?:20\d\d|\d\d)\s*[/-]\s*(?:20\d\d|\d\d)|20\d\d)(?:\s+(?:figure|one|value|number|data))?\b\)?/g;
/** "Not the one incl eng & maths", "other than the gap": the clause ruled out, up to the next punctuation. */
const EXCLUDED_CLAUSE = /(?:,|-|;|\(|\bbut\b)?\s*\b(?:not|rather than|instead of|as opposed to|excluding|except|other than)\s+(?:the\s+|a\s+|any\s+)?((?!(?:in|on|at|yet|been|be|being|sure|known|just|only|a|the|to|so|as|for|really|much|many|very|too|quite|including|include|always|all|every|enough|more|less|that|this|it|them|they|there)\b)[a-z][a-z'&-]*(?:\s+(?!(?:pls|please|thanks|but)\b)[a-z&][a-z'&-]*){0,5})\s*\)?/g;
/** The words every exclusion above starts with ("not", "rather than", "other than"…), each followed by a space. */
const RULES_OUT = /\b(?:not|rather than|instead of|as opposed to|excluding|except|other than)\s/;
/** Words of an excluded clause that say nothing about what is ruled out. */
const CLAUSE_FILLER = /^(one|ones|incl|including|inc|includes|included|with|and|or|of|the|a|an|figure|figures|value|number|pls|please|thanks)$/;

/**
 * What the question rules out, and the question without those words. Only clear exclusions count: "not the city",
 * "the number not the rate", "other than the gap". "Not in education" (NEET) or "not known" are what is asked about.
 */
export function exclusionsIn(t: string): { exclude: Exclusion; rest: string } {
  const exclude: Exclusion = { words: [], periods: [] };
  // Most questions rule nothing out: every pattern below starts with one of these words.
  if (!RULES_OUT.test(t)) return { exclude, rest: t.replace(/\s+/g, ' ').trim() };
  let rest = t.replace(EXCLUDED_AUTHORITY, (m, place: string) => {
    exclude.authority = /city|^nottingham$/.test(place) ? 'city' : 'county';
    return ' ';
  });
  rest = rest.replace(EXCLUDED_PERIOD, (m, period: string) => {
    exclude.periods.push(...periodsIn(period));
    return ' ';
  });
  rest = rest.replace(EXCLUDED_MEASURE, (m, what: string) => {
    exclude.measure = /rate/.test(what) ? 'rate' : /number|count|total/.test(what) ? 'count' : 'percentage';
    return ' ';
  });
  const clauses: string[] = [];
  rest = rest.replace(EXCLUDED_CLAUSE, (m, words: string) => {
    // NEET's own words, "not known", "not been", "not yet" are part of what is asked about.
    if (/^(in education|in employment|known|recorded|renewed|met|achieved|available|started|done|happened|complete|completed|finished|good|enough)\b/.test(words)) return m;
    clauses.push(words);
    return ' ';
  });
  // A word of the ruled-out clause that the question also asks about is not ruled out: "just obese, not obese or
  // overweight" rules out overweight.
  const kept = new Set(rest.match(/[a-z][a-z'-]*/g) ?? []);
  for (const c of clauses) exclude.words.push(...c.split(/\s+/).filter((w) => !CLAUSE_FILLER.test(w) && !kept.has(w)));
  return { exclude, rest: rest.replace(/\s+/g, ' ').trim() };
}

/** The noun a figure question is about, for "the number, not the rate": the words before "in"/"for"/"of the". */
function countedNoun(t: string): string | undefined {
  const m = t.match(/\b(?:number of|no\. of|how many|count of|total)\s+([a-z' ]+?)(?:\s+(?:in|for|at|during|between|were|was|are|is|did|by)\b|$)/);
  return m?.[1]?.trim() || undefined;
}

/**
 * The noun phrase a "how many" question counts: the words after "how many" up
 * to the first verb-like or linking word ("how many taxi drivers were trained"
 * -> "taxi drivers"; "how many kids in the city are on a CP plan" -> "kids").
 */
function countedThing(t: string): string | undefined {
  const m = t.match(/\bhow many\s+(.+)/) ?? t.match(/(?<!\ba )\b(?:number|no\.?|numbers) of\s+(.+)/);
  // "LAC numbers in the city", "NEET numbers": the words before say what is counted.
  const before = m ? undefined : t.match(/^(?:(?:what are|what is|what's|whats|what|the|our|latest|current)\s+)*([a-z][a-z' -]{1,40}?)\s+(?:numbers|nos?\.?)\b/);
  if (before) return before[1].trim();
  if (!m) return undefined;
  // "By how much has the number of X come down": a change, not a count.
  if (/\bby how much\b|\bhow much (has|have|did|had)\b/.test(t)) return undefined;
  // "How many days …" asks for a duration, a figure of its own, not a count of things.
  if (/^(days|weeks|months|years|hours|minutes)\b/.test(m[1])) return undefined;
  const out: string[] = [];
  const ws = m[1].split(/[\s/]+/);
  for (const [i, w] of ws.entries()) {
    const word = w.replace(/[^a-z0-9'-]/g, '');
    if (!word || /\d/.test(word)) break;
    // "How many girls born between …": the participle says which, the noun is what is counted.
    if (out.length && (/^(born|given|seen|taken|made|known|held)$/.test(word) || (/ed$/.test(word) && !/^(looked|disabled|disadvantaged|accommodated|aged)$/.test(word)))) break;
    // "How many registered in …": a verb, not the thing counted ("how many looked after children" is a noun phrase).
    if (!out.length && /ed$/.test(word) && /^(in|on|at|for|with|by|the|a|an|to|from|since|during|this|last|and|or|)$/.test((ws[i + 1] ?? '').replace(/[^a-z]/g, ''))) break;
    if (/^(are|is|was|were|did|do|does|have|has|had|in|on|at|for|with|who|that|which|got|get|will|would|can|could|been|being|by|from|across|under|over|aged|between|per|this|last|since|during)$/.test(word)) break;
    // "Enquiries a month", "visits each year": a rate's unit, not what is counted.
    if (out.length && /^(a|each|every)$/.test(word)) break;
    if (/^(the|a|an|of)$/.test(word) && !out.length) continue;
    out.push(word);
    if (out.length === 5) break;
  }
  return out.length ? out.join(' ') : undefined;
}

/** "What's happening with X", "what's going on with X", "what happened to X": a status question, in words read and then set aside. */
const HOW_IS_IT_GOING = String.raw`what('?s| is) happening (with|on|about)|what('?s| is) (going on|the (story|situation)) (with|on|about|at)|what (happened|has happened) (with|to|about)`;

/** "What's the latest on X", "where are we with X", and the phrases above. */
const HOW_IS_IT_GOING_QUESTION = new RegExp(
  String.raw`\b(latest|news|the state of play) (on|with|about|regarding)\b|\bwhere (are we|is it|are things|have we got) (with|on)\b|\b(${HOW_IS_IT_GOING})\b|\bwhere (had|has|have) .* got to\b`,
);

const SCAFFOLDING: Partial<Record<Intent, RegExp>> = {
  date: /\b(target date|target deadline|what is the trigger|what's the trigger|the triggers?|triggers?|threshold|criteria|when|whens|when's|due|deadline|date|dates|by when|timescales?|(supposed|meant|due|expected|planned|scheduled) to( be| have| go| start| open| launch| begin)?|key actions?|actions?)\b/g,
  // "Is it finished or still going?": what the answer should say, not what it is about.
  status: new RegExp(String.raw`\b(actions?|steps|work)(?= (have|has) been\b)|\b((the )?(status|progress|position) (of|on|with)|still (going|running|happening|on|open|live|in place)|finished( yet)?|done yet|or not|yet|already|so far|to date|where are we (with|on)|${HOW_IS_IT_GOING}|latest on|news on|getting on|going|running|operating|happening|performing|working out)\b`, 'g'),
  // "How long can they support someone for?": the answer is a figure in weeks, "long" is not in it.
  figure: /\bhow (long|often)\b/g,
  trend: /\b(going|heading|moving|travelling) (in )?the (right|wrong) (way|direction)|right direction|direction of travel|\b(trend|over time|history|better or worse|worse or better|getting (better|worse)|improving or (not|worsening|getting worse)|going up or down|up or down)\b/g,
  target: /\b(targets?|aim|aiming|aimed|aims|goal|ambition|from what to what|from what|from and to)\b/g,
  lead: /\b(who|whos|who's|named|name of the|lead officer|officers?|person|people in charge|lead|leads|leading|led|responsible|owner|owns|in charge|contact|which|provided|provides|provide|supplied|should i talk to|talk to|speak to|get in touch with|get in touch|in touch with|runs|provides|delivers|orgs?|governance group|governing board|governance|group|board|oversees?|overseen|governs|monitors|partners?|partner organisations?|organisations?|organizations?|involved|org|strategic plans?|sits? (behind|under)|underpins?|activity)\b/g,
  list: /\b(list|key actions|actions|(key )?performance (measures?|indicators?)|key activity|key activities|activity|activities|what are|which|stages|steps|phases|at what ages|what ages|ages|review points|points|stages|measured|counted|tracked|monitored|cover|covers|include|includes|contain|contains|consist of)\b/g,
  compare: /\b(vs|versus|compared( to| with)?|compare|comparison|against|better or worse|worse or better|higher or lower|lower or higher)\b/g,
};

/** Words that are only question scaffolding: a question made only of these leans on context. */
const FILLER = new Set(
  'and also what about how who whos who\'s leads lead is are the a an it its this that for of on in to do does did there any please show me trend target national previous source where from when due was were which one same ok okay then tell more details detail compare comparison vs it\'s about latest figure value'.split(
    ' ',
  ),
);

/**
 * Whether a question naming a priority is about little else: "what does priority 4 of the county plan
 * cover" is about the priority; "what age range does the SEND strategy cover (priority 4)" only uses it
 * to say where to look.
 */
function fewOtherWords(t: string): boolean {
  const rest = t
    .replace(/\bpriority\s*\d\b/g, ' ')
    .replace(/\b(the|of|in|for|what|whats|what's|is|are|does|do|about|cover|covers|include|includes|overview|tell|me|how|doing|going|plan|plans|county|city|council|cypp|cypf|cip|improvement|continuous|notts|nottingham|nottinghamshire|children|childrens|children's|young|people|people's|and|families|action|performance|report|it|this|that|a|an|on|to|please|can|you|give|whole|all|generally|mainly)\b/g, ' ')
    .match(/[a-z]{3,}/g);
  return (rest?.length ?? 0) <= 3;
}

const CHANGE_REQUEST = /\b(what('?s| is| has| have)?( been)? (changed|new|happened)|changes|any (news|updates|new figures)|anything (new|changed)|news)\b/;
/** Words of a changes request itself, and the authorities: none of them is a subject the question is about. */
const CHANGE_REQUEST_WORDS = new Set('what whats happen happened change changed changes new news any update updates anything been has have is city county notts nottingham nottinghamshire council'.split(' '));

/** "Since March 2018", "since last quarter": the since-phrase reads as a date or period (knowledge/since.ts). */
function sinceIsADate(t: string): boolean {
  const since = parseSince(t);
  return !!since && !('error' in since);
}

/** Before "since", the question names something it is about ("what's happened to SW vacancies"), not only "what's changed". */
function namesASubject(t: string): boolean {
  return words(t.split(/\bsince\b/)[0]).some((w) => !STOP_WORDS.has(w) && !CHANGE_REQUEST_WORDS.has(w) && !/^\d+$/.test(w));
}

function readIntent(t: string): Intent {
  // A command-menu word on its own ("ask", "question") is a request for help, never something to search for.
  if (/^(help|\?|what can you do|what do you do|how do i use (you|this)|commands|menu|ask|question|ask a question|questions)\W*$/.test(t)) return 'help';
  if (/^(hi|hello|hey|good (morning|afternoon|evening)|hiya)\W*$/.test(t)) return 'greeting';
  if (/^(my updates|my submissions|show my updates|what have i submitted)\W*$/.test(t)) return 'myUpdates';
  if (/^(review updates|review|pending updates|updates to review|approve updates)\W*$/.test(t)) return 'review';
  // The reporting cycle: a lead's own due list, managers' late list, and chasing the leads on it.
  if (/^(what'?s|what is|whats|what are|which updates are) (due|outstanding) (from|for|by) me\b|^(my )?updates? (due|outstanding)\b|^my (due|overdue|outstanding|late) updates\b|^what (do|must|should) i (need to |have to )?(update|report)( on)?\W*$|^what (am i|have i got) (due|to update|to report)\b/.test(t)) return 'myDue';
  if (/^(overdue|late|missing|outstanding) (updates|reports|progress updates)\b|^(which|what) updates are (missing|overdue|late)\b|^(who'?s|who is|whos) (late|overdue|behind)( with (their )?updates)?\W*$|^(what'?s|what is|whats) (missing|overdue|late)( updates?)?( (for|in|on) (the )?(priority|p\d|city|county|council|cypp|cypf|plan)\b.*)?\W*$/.test(t)) return 'overdue';
  if (/^(chase|remind) (them|the leads|those leads|them up|the late leads)\W*$|^chase( up)?\W*$|^send (them )?(the )?reminders?\W*$/.test(t)) return 'chase';
  if (/^(submit|report|log|make|give|send|add)( an?| my)? (update|progress)|^update (on|for)\b|^update\W*$|^report progress\b|^progress update\b/.test(t)) return 'submit';
  // Managers: "what changed since <date>" (knowledge/whatChanged.ts) and the weekly digest (updates/digest.ts).
  if (/\bweekly (digest|summary|round[- ]?up)\b/.test(t) && /^(please )?(send|give|email|sign|subscribe|start|i('d| would)? (like|want)|can i (have|get)|stop|cancel|unsubscribe|turn (on|off)|no more|end|don'?t)\b/.test(t)) return 'digest';
  // "Since" must say since when: "what's happened to staff turnover since?" asks about the measure, not for changes;
  // so does "what's happened to SW vacancies since the market supplements came in", an event, not a date.
  if (/\bsince\s+(?!then\b|\W*$)\w/.test(t) && CHANGE_REQUEST.test(t) && (sinceIsADate(t) || !namesASubject(t))) return 'changes';
  if (/^summary\W*$/.test(t)) return 'summary';
  if (/\b(summari[sz]e|summary|overview|sum up|round[- ]?up|rag report|headlines|key points|main points|highlights|how is .* doing|how are .* doing|what changed|what has changed)\b/.test(t)) return 'summary';
  // "What's priority 4 of the county plan about?": the priority as a whole.
  if (/\bpriority\s*\d\b/.test(t) && fewOtherWords(t) && /\b(about|cover|covers|include|includes|overview|what is|what's|whats|tell me|how is|how's|doing|going)\b/.test(t) && !/\b(who|when|how many|how much|target|lead|leads|due)\b/.test(t)) return 'summary';
  if (/\b(who|which)\b.*\b(partners|partner organisations?)\b|\bwho (is|are) involved\b|\blead (orgs?|organisations?|organizations?)\b|\bwho (should|do|can|could) (i|we) (talk|speak|go) to\b|\bwho (to|should i|do i) (contact|ask)\b|\bwho (should|do|can|could) (i|we) (get in touch with|contact|email|ring|phone|call|ask)\b|\bwho (runs|provides|provided|delivers|delivered|funds|funded|commissions|commissioned|supplied|gave)\b|\bwho (is|are|was|were) (running|providing|delivering|funding|commissioning)\b|\bwho (chairs|chaired)\b|\b(which|what) (orgs?|organisations?|organizations?|agency|agencies|provider|providers|partner|company|charity)( \w+)? (runs|ran|run|provides|provided|delivers|delivered|leads|led|is responsible|holds|won|got|has|was awarded)\b|\b(which|what) (overarching )?(strategic plans?|strateg(y|ies))\b.*\b(behind|under|underpins?|sits?|drives?|linked|belongs?|part of)\b/.test(t)) return 'lead';
  if (/\bwho\b.*\b(lead|leads|leading|responsible|owns|owner|in charge|contact|runs|manages)\b|\b(lead|leads|owner) (for|on|of)\b|^lead\b|\bwhos? the lead\b|\b(governance|governing) (group|board)\b|\bwhich (group|board)\b.*\b(oversee|oversees|governs|monitors)\b/.test(t)) return 'lead';
  if (/\b(what|whats|what's) (does|do) \S+ (stand for|mean)\b|\bwhat \S+ (means|stands for)\b|\bstand for\b|\bmeaning of\b|\bdefine\b|^(what|whats|what's)( is| are)? (an? )?[a-z0-9]{2,7}\??$|^[a-z0-9&]{2,8} (meaning|means|definition|stands? for|full form)\W*$|^[a-z0-9&]{2,7}\s*\?+$|^[a-z0-9&]{2,8} (means|mean|stands? for) what\b/.test(t)) return 'acronym';
  if (/^(where|which) (does|did|is) .* come from|\bsource\b|\bwhere (is|does) (this|that|it) (from|come)/.test(t)) return 'source';
  if (/\b(going|heading|moving|travelling) (in )?the (right|wrong) (way|direction)\b|\bright direction\b|\bdirection of travel\b/.test(t)) return 'trend';
  if (/\btrend\b|\bover time\b|\bhistory\b|\bprevious (years|figures)\b|\b(better or worse|worse or better|getting (better|worse)|improving or (not|worsening|getting worse)|going up or down|up or down)\b/.test(t)) return 'trend';
  // "Target date for …": when, not how much.
  if (/\btarget (date|deadline|month|year|timescale)s?\b/.test(t)) return 'date';
  // "Reducing it from what to what?" asks for the plan's aim; "has it come down … from what to what?" for what happened.
  if (/\bfrom what to what\b|\bfrom what (level |figure |rate )?to\b|\bfrom and to\b/.test(t) && !/\b(has|have|had|did)\b.*\b(come|gone|fallen|fell|risen|rose|dropped|changed|reduced|increased|improved|decreased)\b/.test(t)) return 'target';
  if ((/\btargets?\b/.test(t) && !/\bwhat are\b/.test(t)) || /\b(aim|aiming|aimed|aims) (for|to)\b|\b(goal|ambition) (for|is|of)\b/.test(t)) return 'target';
  // "Due to needs being met" is a reason, not a due date; "due to be completed" is one.
  if (/^when\b|\bwhen (is|was|were|did|does|will|are)\b|\bwhat date\b|\bdue\b(?! to (?!(be|have|go|start|open|launch|begin|finish|complete|end|run|report|close|commence|conclude|roll|take|happen|publish|finali[sz]e|expire|deliver|move|transfer|meet|arrive|return|reopen|restart|resume)\b)\w)|\bdeadline\b|\bby when\b|(?<!\b(within|in|inside|outside|out of) )\btimescale\b|\bwhens\b|\b(supposed|meant|scheduled|planned|expected) to (be|have|go|start|open|launch|begin|finish|complete)\b|\b(let me know|tell me|know|find out|wondering|confirm) when\b/.test(t)) return 'date';
  if (/\b(vs|versus|compared|compare|comparison|against|than (the )?(national|england|target))\b|\b(national|england) (average|rate|figure)\b/.test(t)) return 'compare';
  // "What actions have been taken", "what has been done": what happened, told by the progress narrative, not the plan's list.
  if (/\b(actions?|steps|work|measures) (have|has) been (taken|done|carried out|undertaken|completed)\b|\bwhat (has|have) (been|they|we|the \S+) (done|achieved|delivered)\b|\bwhat (has|have) been (done|achieved|delivered)\b/.test(t)) return 'status';
  // "% of adult safeguarding users asked what outcomes they wanted": a figure, whatever words follow.
  if (/^(%|percentage|percent|proportion|no\.? of|number of|how many|how much)(?=\W|$)/.test(t)) return 'figure';
  if (/^(what are|list|which|name)\b|\bwhat (kpis|measures|actions|indicators|services|groups|outcomes)\b|\b(kpis?|key actions|key activities|actions|measures|services|milestones|work ?streams) (for|of|in|on|about|under)\b|\bwhat are the (key )?(actions|kpis|measures|activities|milestones|stages|work ?streams|outcomes|priorities)\b|\b(at )?(what|which) (ages|stages|points|review points|times)\b|\bwhat (does|do) .* (cover|include|contain)\b/.test(t)) return 'list';
  // "What's the latest on X", "where are we with X": how it is going, not a number.
  if (HOW_IS_IT_GOING_QUESTION.test(t)) return 'status';
  if (/\bhow many\b|\bhow much\b|\bhow long\b|\bwhat (%|percent|percentage|proportion|number|rate|figure|level)\b|\b(rate|figure|number|percentage|latest|average|score|total|budget|cost|costs|spend|spent)\b|%/.test(t)) return 'figure';
  if (/^(how did|how is|how are|has|have|is|are|did|does)\b|\bprogress\b|\bstatus\b|\byet\b|\bapproved\b/.test(t)) return 'status';
  // A measure named on its own ("camhs waiting times in the city", "LAC numbers", "the attainment gap at 16") asks for
  // its figure; after the status questions, where "is it up and running? any numbers?" asks how it is going.
  if (/\b(rates|figures|numbers|scores|totals)\b|\b(waiting|wait) (times?|lists?)\b|\bwaits\b|\bgap (at|for|between|in)\b|\b(attainment|achievement) gap\b(?! (strategy|programme|board|group))/.test(t)) return 'figure';
  return 'lookup';
}

/**
 * The words this module reads intent, document, authority and period from. A
 * typo in one of these ("perfomance reprot", "sumarise", "nottinghmashire")
 * is corrected before the question is read; typos in other words are left to
 * the search's typo layer, which keeps the word as typed beside its guesses
 * (correcting "spot" to "sport" outright would change the question).
 */
export const UNDERSTANDING_WORDS = new Set(
  (
    'summarise summarize summary overview performance report review mid-year children trust continuous improvement plan evidence achievement priorities ' +
    'action update progress submit latest current previous target targets national england average compared compare comparison versus against ' +
    'trend history when deadline date due timescale lead leads leading responsible owner governance group board oversees stand stands mean means define meaning ' +
    'nottingham nottinghamshire county city council quarter quarters january february march april june july august september october november december ' +
    'priority what which where who how many much percentage percent proportion number figure rate level status approved happened changed since year'
  ).split(/\s+/),
);

/** What an update request is about: "update on the MASH" -> "the MASH". */
export function updateSubject(text: string): string {
  return normalise(text)
    .replace(/^\s*(submit|report|log|make|give|send|add)( an?| my)? (update|progress)( update)?|^\s*update|^\s*report progress|^\s*progress update/, ' ')
    .replace(/^\s*(on|for|about)\b/, ' ')
    .trim();
}
