/**
 * Two questions in one ("how many children are on a CP plan and what was the
 * target", "what's X and who leads it"): each part is answered, in the order
 * asked, the second leaning on the first as a follow-up does ("what was the
 * target" is the target of what the first part found).
 */
import { words } from '../../text';
import type { Answer } from '../types';

/** Where a second question starts: "and" (or "?", ",") followed by a question word. */
const SECOND = /\s*(?:,\s*)?(?:\band\b|&|\?|;)\s+(?=(?:what|what's|whats|how|who|who's|whos|when|when's|where|which|is|are|has|have|did|does|do|was|were)\b)/i;

/** The two parts of a question that asks two things, or undefined. */
export function splitQuestion(text: string): [string, string] | undefined {
  const m = SECOND.exec(text);
  if (!m) return undefined;
  const first = text.slice(0, m.index).trim();
  const second = text.slice(m.index + m[0].length).trim();
  // Each part a question of its own: a few words at least ("and how" alone is no question).
  if (words(first).length < 3 || words(second).length < 2) return undefined;
  return [first, second];
}

/** Whether one answer already says another: it holds the other's opening. */
export const alreadySays = (a: Answer, b: Answer): boolean => a.text.includes(b.text.slice(0, Math.min(60, b.text.length)));

/** The two answers as one reply: both said, in order, each part's sources and facts kept. */
export function joinAnswers(first: Answer, second: Answer): Answer {
  const a: Answer = { ...first, kind: first.kind === 'answer' || second.kind === 'answer' ? 'answer' : 'notFound' };
  // The second part's nearest and choices belong to a refusal: when it is refused, only its plain first sentence.
  const secondText = second.kind === 'notFound' ? (second.text.match(/^[^.]*\./)?.[0] ?? second.text) : second.text;
  a.text = alreadySays(first, second) ? first.text : `${first.text} ${secondText}`;
  a.headline = first.headline ?? second.headline;
  a.facts = [...first.facts, ...second.facts.filter((f) => !first.facts.some((x) => x.label === f.label && x.value === f.value))];
  a.quotes = [...first.quotes, ...(second.kind === 'answer' ? second.quotes : [])];
  a.cautions = [...first.cautions, ...second.cautions.filter((c) => !first.cautions.includes(c))];
  a.sources = [...first.sources, ...(second.kind === 'answer' ? second.sources : [])];
  a.context = second.kind === 'answer' ? second.context ?? first.context : first.context;
  a.confidence = Math.min(first.confidence || second.confidence, second.confidence || first.confidence);
  return a;
}
