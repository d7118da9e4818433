/**
 * "What grade did Ofsted give …", "how was it rated": the answer must say a
 * judgement (good, outstanding, requires improvement, inadequate, a grade),
 * not a sentence about the inspection that gives none.
 */
import { ANSWER_TUNING } from '../tuning';
import type { Hit } from '../../search';
import type { AnswerEnv } from '../env';
import { contextBudget } from '../words';
import { preferring, type Requirement } from './requirement';

const ASKS = /\b(grade|graded|grading|rating|rated|judged?|judgement|judgment|verdict)\b|\b(outcome|result) of (the |their )?(last |latest |most recent )?(ofsted )?inspection\b|\bwhat did ofsted (say|find|think)\b/;
const SAYS = /\b(good|outstanding|requires? improvement|required improvement|inadequate|satisfactory|grade [1-4]|graded|judged|rated)\b/i;

export const aJudgement: Requirement = {
  name: 'judgement',
  applies: (q) => ASKS.test(q.t) && !['lead', 'date', 'list', 'figure', 'compare', 'trend', 'target'].includes(q.u.intent),
  check(q, hits, env: AnswerEnv) {
    const pass = (h: Hit) => h.coverage >= ANSWER_TUNING.confidence && SAYS.test(env.sentenceWithContext(h.unit, contextBudget(q.u.intent)));
    if (hits.some(pass)) return { hits: preferring(hits, pass) };
    return { lack: { message: `The plans don't give a grade or judgement for that.`, closest: hits[0] } };
  },
};
