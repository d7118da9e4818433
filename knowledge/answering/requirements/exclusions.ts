/**
 * What the question rules out stays out: "the actual %, not the gap" is never
 * answered with the gap. When everything the plans have is what was ruled
 * out, the reply says so, and shows the nearest (labelled as such).
 */
import type { Hit } from '../../search';
import { stem } from '../../text';
import { ANSWER_TUNING } from '../tuning';
import type { Requirement } from './requirement';

export const nothingRuledOut: Requirement = {
  name: 'exclusions',
  applies: (q) => q.u.exclude.words.length > 0,
  check(q, hits) {
    const ruled = q.u.exclude.words.map(stem);
    const named = (h: Hit) => ruled.some((t) => h.record.context.has(t) || h.unit.tokens.has(t));
    const allowed = hits.filter((h) => !named(h));
    if (allowed.some((h) => h.coverage >= ANSWER_TUNING.confidence)) return { hits: allowed };
    return { lack: { message: `The plans don't have that apart from the ${q.u.exclude.words.join(' ')}, which you ruled out.`, closest: hits[0] } };
  },
};
