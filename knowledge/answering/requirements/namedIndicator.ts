/**
 * "Year 6 obesity city 2017/18?": a question that names an indicator and says nothing else asks for its figure.
 * Not one asking for a judgement: "the ofsted rating of children's services" names "school Ofsted ratings" but
 * asks for a grade of something else (the judgement requirement sees to it).
 */
import { ANSWER_TUNING } from '../tuning';
import { isNaming } from '../words';
import type { Requirement } from './requirement';
import { asksJudgement } from './judgement';

export const namedIndicatorIsAFigure: Requirement = {
  name: 'named indicator',
  applies: (q) => q.u.intent === 'lookup' && !asksJudgement(q),
  check(q, hits) {
    const top = hits[0];
    if (top.record.kind === 'indicator' && isNaming(top.unit) && top.about >= ANSWER_TUNING.namesRecord) return { hits, question: { ...q, u: { ...q.u, intent: 'figure' } } };
    return { hits };
  },
};
