/**
 * A question read once: its understanding (intent, authority, periods…), its
 * search concepts and its key term. Every step of answering reads this, so
 * nothing is normalised, understood or expanded twice.
 */
import type { Concept, Hit, SearchIndex } from '../search';
import { editDistance } from '../editDistance';
import { understand, UNDERSTANDING_WORDS, type Understanding } from '../understand';
import { expandShortForms, normalise, stem, STOP_WORDS } from '../text';
import { ANSWER_TUNING } from './tuning';
import { PerAnswer } from '../oneAnswer';

export interface Question {
  u: Understanding;
  /** The question as typed, normalised (lower case, quotes and dashes folded). */
  t: string;
  concepts: Concept[];
  /** The question's key term: the rarest word the plans know (a word they don't know may be a typo or chat). */
  key?: Concept;
}

export function readQuestion(u: Understanding, index: SearchIndex): Question {
  let concepts = index.concepts(u.searchText);
  // In "when did the service finish?" the event word says which date, not what about: it must not outweigh the rest.
  if (u.intent === 'date') concepts = concepts.map((c) => (isEventWord(c) ? { ...c, weight: c.weight * ANSWER_TUNING.eventWordWeight } : c));
  const known = concepts.filter((c) => !c.unknown);
  const key = known.length ? known.reduce((a, b) => (b.weight > a.weight ? b : a)) : undefined;
  return { u, t: normalise(u.text), concepts, key };
}

/** The verbs a "when" question asks the date of ("start", "held", "finish"): what happened, not what it happened to. */
export const EVENT_WORDS = new Set(
  'start started starting begin began begun commence commenced launch launched open opened held hold happen happened take took place live set up established establish introduced introduce updated update approved approve agreed agree signed sign published publish reviewed review met meet finish finished complete completed end ended close closed due last first go went created create developed develop run runs last lasts brought bring introduction introduce implemented implement rolled roll'
    .split(' ')
    .map(stem),
);
const isEventWord = (c: Concept) => c.alternatives.some((a) => a.via === 'word' && a.tokens.length > 0 && a.tokens.every((t) => EVENT_WORDS.has(t)));

/** Does the hit leave out the question's key term? */
export function missesKey(q: Question, h: Hit): boolean {
  return !!q.key && h.missing.includes(q.key.word);
}

/**
 * The question with chat shorthand written out and typos in the words that
 * steer understanding corrected ("perfomance reprot" -> "performance report"),
 * before it is read. Typos in other words are left to the search's typo layer.
 */
export function correctedQuestion(question: string, index: Pick<SearchIndex, 'knows' | 'glossary'>): string {
  return corrected.get(index, question, () => correct(question, index));
}

/** Within one answer a question is corrected once (knowledge/oneAnswer.ts). */
const corrected = new PerAnswer<string>();

function correct(question: string, index: Pick<SearchIndex, 'knows' | 'glossary'>): string {
  return expandShortForms(question)
    .replace(/\b[A-Z]{3,6}\b/g, (w) => acronymSwapped(w, index) ?? w)
    .replace(/[A-Za-z][A-Za-z']{3,}/g, (w) => {
    const lw = w.toLowerCase();
    if (UNDERSTANDING_WORDS.has(lw) || index.knows(stem(lw)) || index.glossary(lw) || STOP_WORDS.has(lw)) return w;
    return understandingWordLike(lw) ?? w;
  });
}

/**
 * An acronym typed with two letters swapped ("FMG" for FGM), when exactly one swap makes one the plans use and the
 * typed one is not theirs. Too short for the typo layer, which starts at four letters.
 */
function acronymSwapped(w: string, index: Pick<SearchIndex, 'knows' | 'glossary'>): string | undefined {
  const lw = w.toLowerCase();
  if (index.knows(stem(lw)) || index.glossary(lw)) return undefined;
  const swaps = new Set<string>();
  for (let i = 0; i + 1 < lw.length; i++) {
    const x = lw.slice(0, i) + lw[i + 1] + lw[i] + lw.slice(i + 2);
    if (x !== lw && (index.glossary(x) || index.knows(x))) swaps.add(x);
  }
  return swaps.size === 1 ? [...swaps][0].toUpperCase() : undefined;
}

/** Understands a question after its understanding words are corrected; `catalogue` names the plans and documents. */
export function understandCorrected(question: string, index: Pick<SearchIndex, 'knows' | 'glossary'>, catalogue?: Parameters<typeof understand>[1]): Understanding {
  return understand(correctedQuestion(question, index), catalogue);
}

/**
 * The understanding word a typo was meant to be ("perfomance" -> "performance"), if exactly one is close. Kept per
 * word (a pure function of it, and an edit distance to every understanding word each time); bounded, as questions
 * bring any number of new words.
 */
function understandingWordLike(w: string): string | undefined {
  if (!wordsLike.has(w)) {
    if (wordsLike.size >= 20_000) wordsLike.clear();
    wordsLike.set(w, findUnderstandingWordLike(w));
  }
  return wordsLike.get(w);
}
const wordsLike = new Map<string, string | undefined>();

function findUnderstandingWordLike(w: string): string | undefined {
  // One edit, or two in a long word: "remaning" must not become "meaning". Short words are left alone: "chat" is
  // a word of its own ("ChatHealth"), not a typo of "what".
  // …except two neighbouring letters swapped, the commonest slip ("yaer" -> "year"), which keeps every letter.
  if (w.length === 4) {
    const swaps = [0, 1, 2].map((i) => w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)).filter((x) => x !== w && UNDERSTANDING_WORDS.has(x));
    return swaps.length === 1 ? swaps[0] : undefined;
  }
  if (w.length < 5) return undefined;
  const max = w.length <= 8 ? 1 : 2;
  let best: string | undefined;
  let bestD = max + 1;
  let tie = false;
  for (const x of UNDERSTANDING_WORDS) {
    if (Math.abs(x.length - w.length) > max) continue;
    const d = editDistance(w, x);
    if (d < bestD) {
      best = x;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return best && !tie && bestD <= max ? best : undefined;
}

/**
 * What the question asks about in its own words ("camhs waiting times"), quoted, for a reply that says the plans
 * lack it: the reader sees what was looked for, not "that". Words the plans don't know (chat, typos) are left out.
 */
export function whatWasAsked(q: Question): string {
  const words = q.concepts.filter((c) => !c.unknown && !c.numeric).sort((a, b) => a.position - b.position).map((c) => c.word);
  const said = words.join(' ');
  if (!said) return 'that';
  const n = ANSWER_TUNING.names.inMessage;
  return `"${said.length <= n ? said : said.slice(0, n - 1).replace(/\s+\S*$/, '') + '…'}"`;
}

/** Normalised text of the question, for the word checks of requirements and composers. */
export const asked = (q: Question): string => q.t;
