/**
 * "Where do we rank among English YOTs?": the answer must state a position
 * ("136th of 137", "the third highest rate of our statistical neighbours"),
 * not only the figure the position is about.
 */
import type { Hit, IndexedRecord, Unit } from '../../search';
import { ANSWER_TUNING } from '../tuning';
import type { AnswerEnv } from '../env';
import { contextBudget } from '../words';
import { preferring, type Requirement } from './requirement';

/** A position among others, as the plans write one. */
export const POSITION = /\b\d+\s?(st|nd|rd|th)\b[^.;]{0,60}\b(of|out of|highest|lowest|best|worst|in england|nationally)\b|\b(first|second|third|fourth|fifth|highest|lowest|best|worst) (highest |lowest )?(rate |figure )?(of|among|amongst|in) (our |its |all )?(statistical neighbours|english|england|the country|core cities|comparators)\b|\b(top|bottom) (quartile|half|third|\d+)\b/i;

/**
 * Where a record states a position: the matched sentence, an indicator's figure note, or another sentence of the
 * record. `sentence` says whether it reads as a sentence of its own (a note needs the figure's name before it).
 */
export function positionIn(record: IndexedRecord, unit: Unit, env: AnswerEnv, budget: number): { text: string; sentence: boolean } | undefined {
  const said = env.sentenceWithContext(unit, budget);
  if (POSITION.test(said)) return { text: said, sentence: true };
  const note = record.kind === 'indicator' ? record.record.values.map((v) => v.note ?? '').find((n) => POSITION.test(n)) : undefined;
  if (note) return { text: note, sentence: false };
  const other = record.units.find((x) => x.field === 'text' && POSITION.test(x.text));
  return other ? { text: env.sentenceWithContext(other, budget), sentence: true } : undefined;
}

export const aPosition: Requirement = {
  name: 'rank',
  applies: (q) => q.u.asksRank,
  check(q, hits, env) {
    const pass = (h: Hit) => h.coverage >= ANSWER_TUNING.confidence && !!positionIn(h.record, h.unit, env, contextBudget(q.u.intent));
    if (hits.some(pass)) return { hits: preferring(hits, pass) };
    return { lack: { message: `The plans don't give a ranking or position for that.`, closest: hits[0] } };
  },
};
