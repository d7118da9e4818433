/**
 * "Where do we rank among English YOTs?": the answer must state a position
 * ("136th of 137", "the third highest rate of our statistical neighbours"),
 * not only the figure the position is about.
 */
import type { Hit } from '../../search';
import { ANSWER_TUNING } from '../tuning';
import type { AnswerEnv } from '../env';
import { contextBudget } from '../words';
import { preferring, type Requirement } from './requirement';

/** A position among others, as the plans write one. */
export const POSITION = /\b\d+\s?(st|nd|rd|th)\b[^.;]{0,60}\b(of|out of|highest|lowest|best|worst|in england|nationally)\b|\b(first|second|third|fourth|fifth|highest|lowest|best|worst) (highest |lowest )?(rate |figure )?(of|among|amongst|in) (our |its |all )?(statistical neighbours|english|england|the country|core cities|comparators)\b|\b(top|bottom) (quartile|half|third|\d+)\b/i;

/** The text a hit can state a position with: its sentence, or an indicator's figure notes. */
export function positionIn(h: Hit, env: AnswerEnv, budget: number): string | undefined {
  const said = env.sentenceWithContext(h.unit, budget);
  if (POSITION.test(said)) return said;
  if (h.record.kind === 'indicator') return h.record.record.values.map((v) => v.note ?? '').find((n) => POSITION.test(n));
  return undefined;
}

export const aPosition: Requirement = {
  name: 'rank',
  applies: (q) => q.u.asksRank,
  check(q, hits, env) {
    const pass = (h: Hit) => h.coverage >= ANSWER_TUNING.confidence && !!positionIn(h, env, contextBudget(q.u.intent));
    if (hits.some(pass)) return { hits: preferring(hits, pass) };
    return { lack: { message: `The plans don't give a ranking or position for that.`, closest: hits[0] } };
  },
};
