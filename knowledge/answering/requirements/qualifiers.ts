/**
 * Every word of the question accounted for. A word that names things in the
 * plans (it is in some record's name: "CAMHS", "assessment", "girls") and
 * weighs as much as the question's key words, left out of the chosen answer,
 * is a qualifier the answer does not meet: "the target waiting time for CAMHS"
 * answered with an adoption target, "referral to assessment" with referral to
 * treatment. Such a near miss is never the answer: the reply opens by saying
 * what the plans don't have, then offers the nearest they do have.
 *
 * A word is accounted for when the answer's material holds it: the record's
 * name, the sentence quoted with its context, an indicator's figures with
 * their periods and notes. Verbs and chat ("pick out", "won", "based") name
 * nothing in the plans and are never qualifiers.
 */
import type { Concept, Hit } from '../../search';
import { contentTokens } from '../../text';
import { ageBandsIn } from '../../understand';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { contextBudget } from '../words';
import { figureTest, type Requirement } from './requirement';

/** The tokens of what the answer would show for this hit. */
function material(h: Hit, env: AnswerEnv, q: Question): Set<string> {
  const out = new Set<string>([...h.record.context, ...h.record.parent, ...h.unit.tokens, ...(h.unit.before ?? [])]);
  for (const t of contentTokens(env.sentenceWithContext(h.unit, contextBudget(q.u.intent)))) out.add(t);
  if (h.record.kind === 'indicator') {
    const ind = h.record.record;
    const figures = [...ind.values, ind.target, ind.national].flatMap((f) => (f ? [f.value, f.period ?? '', f.note ?? ''] : []));
    for (const t of contentTokens(figures.join(' '))) out.add(t);
  }
  return out;
}

/** The text of what the answer would show for this hit, for checks that need more than words (ages, ranges). */
function materialText(h: Hit, env: AnswerEnv, q: Question): string {
  const parts = [h.record.title, h.unit.text, env.sentenceWithContext(h.unit, contextBudget(q.u.intent))];
  if (h.record.kind === 'indicator' || h.record.kind === 'activity') parts.push(...h.record.record.aliases);
  if (h.record.kind === 'indicator') for (const f of [...h.record.record.values, h.record.record.target, h.record.record.national]) if (f) parts.push(f.note ?? '', f.period ?? '');
  return parts.join(' ');
}

/** The ranges of numbers a text gives ("16-17", "0-19", "10 to 17"): [from, to]. */
const rangesIn = (text: string): [number, number][] => [...text.matchAll(/\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** Does the text speak of this age: the number itself, or a range holding it? */
function speaksOfAge(text: string, age: number): boolean {
  // "Under 5s" says the age as a plural: the same age as "under 5".
  return rangesIn(text).some(([a, b]) => a <= age && age <= b) || new RegExp(`\\b${age}s?\\b`).test(text);
}

/**
 * An age band asked ("16-17 yr olds") that the text gives only inside a different band ("16-18 year olds"): a
 * figure for a wider or shifted group is not the figure for the group asked.
 */
function otherBandOnly(text: string, [from, to]: [number, number]): boolean {
  const holding = rangesIn(text).filter(([a, b]) => a <= from && to <= b);
  return holding.length > 0 && !holding.some(([a, b]) => a === from && b === to);
}

const agePseudoConcept = (word: string): Concept => ({ word, alternatives: [], weight: 0, unknown: false, numeric: true, position: 0 });

/** The ages the question narrows to that the hit's answer does not speak of, as pseudo-concepts to name in a reply. */
function droppedAges(q: Question, h: Hit, env: AnswerEnv): Concept[] {
  if (!q.u.ages.length) return [];
  const text = materialText(h, env, q);
  const bands = ageBandsIn(q.t).filter((b) => otherBandOnly(text, b)).map(([from, to]) => agePseudoConcept(`${from}-${to} year olds`));
  return [...bands, ...q.u.ages.filter((a) => !speaksOfAge(text, a)).map((a) => agePseudoConcept(`${a} year olds`))];
}

/** What an indicator's figures are of: its name and aliases, and the figures with their periods and notes. */
export function figureMaterial(h: Hit): Set<string> {
  const out = new Set<string>(h.record.context);
  if (h.record.kind === 'indicator') {
    const ind = h.record.record;
    const figures = [...ind.values, ind.target, ind.national].flatMap((f) => (f ? [f.value, f.period ?? '', f.note ?? ''] : []));
    for (const t of contentTokens(figures.join(' '))) out.add(t);
  }
  return out;
}

/**
 * The question's qualifiers the hit leaves out: missing from the whole answer, or, given `of`, from that part of it
 * (an indicator's figures, which are of what its name says, not of every word of its commentary).
 */
export function droppedQualifiers(q: Question, h: Hit, env: AnswerEnv, of?: (h: Hit) => Set<string>): Concept[] {
  const ages = of ? [] : droppedAges(q, h, env);
  if (!h.missing.length && !of) return ages;
  const heaviest = Math.max(...q.concepts.map((c) => c.weight));
  const total = q.concepts.reduce((sum, c) => sum + c.weight, 0);
  const T = ANSWER_TUNING;
  let shown: Set<string> | undefined;
  const out: Concept[] = [];
  for (const c of q.concepts) {
    if ((!of && !h.missing.includes(c.word)) || c.unknown || c.numeric) continue;
    // A typo's correction is a guess, and words of the plans' structure ("performance measures") say where, not what.
    const typed = c.alternatives.find((a) => a.via === 'word');
    if (!typed || typed.tokens.every((t) => STRUCTURE.has(t) || FIGURE_ROLE.has(t))) continue;
    // "Year olds", "aged": the ages themselves are checked (droppedAges), the word for them is no qualifier.
    if (q.u.ages.length && typed.tokens.every((t) => AGE_WORDS.has(t))) continue;
    if (c.weight < T.qualifierShare * heaviest || c.weight < T.qualifierMinOfTotal * total) continue;
    // Only words that name things in the plans: a verb or a chat word names no record.
    const names = typed.tokens.every((t) => env.index.namingRecords(t) > 0);
    if (!names) continue;
    shown ??= of ? of(h) : material(h, env, q);
    if (c.alternatives.some((a) => a.tokens.every((t) => shown!.has(t)))) continue;
    out.push(c);
  }
  return [...ages, ...out];
}

/** Words that say a number is an age. */
const AGE_WORDS = new Set(contentTokens('year years yr yrs old olds aged age ages'));
/** Words of the plans' own structure: where to look, not what about. */
const STRUCTURE = new Set(contentTokens('performance measures indicators kpis activity activities actions priority priorities outcomes plan plans strategy report'));
/** Words for which of a measure's figures is wanted or how it is put ("latest, previous", "the share of"): every figure answer shows them. */
const FIGURE_ROLE = new Set(contentTokens('previous prior share'));


/** Every qualifier of the question accounted for: candidates that do come first; a chosen one that does not is refused. */
const qualifiers = figureTest('qualifiers', droppedQualifiers, (q, dropped) => `The plans don't have ${q.u.intent === 'target' ? 'a target' : 'a figure'} for ${dropped.map((c) => `"${c.word}"`).join(' and ')}.`);
export const preferQualified: Requirement = qualifiers.first;
export const everyQualifier: Requirement = qualifiers.last;
