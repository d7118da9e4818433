/** "Year 6 obesity city 2017/18?": a question that names an indicator and says nothing else asks for its figure. */
import { ANSWER_TUNING } from '../tuning';
import { isNaming } from '../words';
import type { Requirement } from './requirement';

export const namedIndicatorIsAFigure: Requirement = {
  name: 'named indicator',
  applies: (q) => q.u.intent === 'lookup',
  check(q, hits) {
    const top = hits[0];
    if (top.record.kind === 'indicator' && isNaming(top.unit) && top.about >= ANSWER_TUNING.namesRecord) return { hits, question: { ...q, u: { ...q.u, intent: 'figure' } } };
    return { hits };
  },
};
