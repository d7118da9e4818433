/**
 * "What grade did Ofsted give …", "how was it rated": the answer must say a
 * judgement (good, outstanding, requires improvement, inadequate, a grade),
 * not a sentence about the inspection that gives none.
 */
import { ANSWER_TUNING } from '../tuning';
import type { Hit } from '../../search';
import type { AnswerEnv } from '../env';
import { contextBudget } from '../words';
import { contentTokens } from '../../text';
import { preferring, type Requirement } from './requirement';
import type { Question } from '../question';

const ASKS = /\b(grade|graded|grading|rating|rated|judged?|judgement|judgment|verdict)\b|\b(outcome|result) of (the |their )?(last |latest |most recent )?(ofsted )?inspection\b|\bwhat did ofsted (say|find|think)\b/;
const SAYS = /\b(good|outstanding|requires? improvement|required improvement|inadequate|satisfactory|grade [1-4]|graded|judged|rated)\b/i;

/** The words of asking for a judgement, not what it is of. */
const INSPECTION_WORDS = new Set(contentTokens('ofsted inspection inspections inspected inspect rating rated grade graded judged judgement outcome result verdict give gave'));

/** Whether the question asks for a judgement ("what is the ofsted rating of …", "how was it graded"). */
export const asksJudgement = (q: Question): boolean => ASKS.test(q.t);

export const aJudgement: Requirement = {
  name: 'judgement',
  applies: (q) => asksJudgement(q) && !['lead', 'date', 'list', 'figure', 'compare', 'trend', 'target'].includes(q.u.intent),
  check(q, hits, env: AnswerEnv) {
    // The judgement must be of what was asked about: "schools graded below good" is no rating of children's services.
    const subject = q.concepts.filter((c) => !c.alternatives.some((a) => a.via === 'word' && a.tokens.every((t) => INSPECTION_WORDS.has(t))));
    const pass = (h: Hit) => {
      if (h.coverage < ANSWER_TUNING.confidence) return false;
      // An indicator's answer opens with its name ("The percentage of good or better schools"), whichever name matched.
      const said = `${h.record.kind === 'indicator' ? `${h.record.title}. ` : ''}${env.sentenceWithContext(h.unit, contextBudget(q.u.intent))}`;
      if (!SAYS.test(said)) return false;
      const words = new Set(contentTokens(said));
      return subject.every((c) => c.alternatives.some((a) => a.tokens.every((t) => words.has(t))));
    };
    if (hits.some(pass)) return { hits: preferring(hits, pass) };
    // The sentence that gives the judgement may rank below the records named for inspections: look further for it.
    const further = env.index.search(q.concepts, { authority: q.u.authority, preferDocs: q.u.preferDocs, limit: ANSWER_TUNING.lookFurther }).find(pass);
    if (further) return { hits: [further, ...hits] };
    return { lack: { message: `The plans don't give a grade or judgement for that.`, closest: hits[0] } };
  },
};
