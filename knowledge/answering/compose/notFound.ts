/**
 * Says plainly what the plans don't have, first. Then the nearest thing they
 * do have, labelled as the nearest (never passed off as the answer), and up to
 * three choices to ask instead.
 */
import { latestFigure } from '../../figures';
import type { Hit } from '../../search';
import type { Understanding } from '../../understand';
import type { AnswerEnv } from '../env';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { isNaming, truncate } from '../words';

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
    const place = env.catalogue.authorityPlace(closest.record.authority);
    const latest = closest.record.kind === 'indicator' ? latestFigure(closest.record.record) : undefined;
    if (latest) {
      // An indicator's own figure, named for what it is: the reader sees it is not what they asked for.
      a.text += ` The nearest they have: "${truncate(closest.record.title, ANSWER_TUNING.names.inMessage)}" (${place}), ${latest.value}${latest.period ? ` (${latest.period})` : ''}.`;
    } else if (isNaming(closest.unit)) {
      // A title or alias is no statement: name the record as the nearest, and quote nothing.
      a.text += ` The nearest they have: "${truncate(closest.record.title, ANSWER_TUNING.names.inMessage)}" (${place}, ${src.short ?? src.title}).`;
    } else {
      a.quotes.push({ text: env.sentenceWithContext(closest.unit), source: src });
      a.text += ` The nearest they have is from ${src.short ?? src.title} (${src.section}), below.`;
    }
  }
  a.confidence = hits[0]?.coverage ?? 0;
  return a;
}
