/** Says plainly that the plans don't have it, then offers the nearest they do have and up to three choices. */
import type { Hit } from '../../search';
import type { Understanding } from '../../understand';
import type { AnswerEnv } from '../env';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';

export function notFound(env: AnswerEnv, u: Understanding, hits: Hit[], message?: string, closest?: Hit): Answer {
  const a = blank('notFound', u.intent, message ?? `I couldn't find that in the plans.`);
  const seen = new Set<string>();
  for (const h of hits) {
    if (h.record.kind === 'glossary' || seen.has(h.record.id) || h.coverage < ANSWER_TUNING.choiceCoverage) continue;
    seen.add(h.record.id);
    a.choices.push({ title: env.choiceTitle(h.record), query: env.queryFor(h.record) });
    if (a.choices.length === ANSWER_TUNING.maxChoices) break;
  }
  if (closest) {
    const src = env.sourceOf(closest.record, closest.unit);
    a.quotes.push({ text: env.sentenceWithContext(closest.unit), source: src });
    a.text += ` The closest the plans have is from ${src.title} (${src.section}).`;
  }
  a.text += a.choices.length ? ' Did you mean one of these?' : ' Try other words, or ask "help" to see what I know about.';
  a.confidence = hits[0]?.coverage ?? 0;
  return a;
}
