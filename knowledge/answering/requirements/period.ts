/**
 * A named period must be one the plans have a figure or statement for. For a
 * figure, the sentence for that period must itself state a quantity about the
 * thing asked: "50 local safety schemes funded during 2016/17" is no count of
 * workshop attendees, and "During 2016 …" is no 2017 figure.
 */
import type { Hit } from '../../search';
import { periodMatches } from '../../text';
import { ANSWER_TUNING } from '../tuning';
import { countsOf, FIGURE_INTENTS, isNaming } from '../words';
import { preferring, type Requirement } from './requirement';

export const namedPeriod: Requirement = {
  name: 'period',
  applies: (q) => q.u.periods.some((p) => p.from !== 0),
  check(q, hits, env) {
    const { u } = q;
    const years = u.periods.filter((p) => p.from !== 0);
    // When the question names an indicator, a sentence about it must say most of the question itself to stand in
    // for the indicator's own figures ("In 2017/18, universal services … (2-4 years)" is no obesity rate)…
    const aboutIndicator = hits[0].record.kind === 'indicator' && hits[0].about >= ANSWER_TUNING.namesRecord;
    // …unless it counts exactly what a "how many" asks about ("reaching 4094 children").
    const countedHead = u.countOf ? env.index.concepts(u.countOf).at(-1) : undefined;
    const countsAsked = (h: Hit) => !!countedHead && countsOf(h.unit.text, countedHead);
    const speaksFor = (h: Hit) =>
      !FIGURE_INTENTS.has(u.intent) ||
      (h.record.kind === 'indicator' && isNaming(h.unit)) ||
      (h.direct >= (aboutIndicator && !countsAsked(h) ? ANSWER_TUNING.minDirectBesideIndicator : ANSWER_TUNING.minDirect) && env.statesQuantity(h.unit));
    const pass = (h: Hit) => h.coverage >= ANSWER_TUNING.confidence && speaksFor(h) && years.every((p) => periodMatches(p, env.periodsAround(h, u)));
    if (!hits.some(pass)) return { lack: { message: `I couldn't find a figure for ${years.map((p) => p.text).join(', ')} in the plans.`, closest: hits[0] } };
    return { hits: preferring(hits, pass) };
  },
};
