/**
 * What the question rules out stays out: "the actual %, not the gap" is never
 * answered with the gap. When everything the plans have is what was ruled
 * out, the reply says so, and shows the nearest (labelled as such).
 */
import type { Hit } from '../../search';
import { stem } from '../../text';
import { ANSWER_TUNING } from '../tuning';
import { isNaming } from '../words';
import type { Requirement } from './requirement';

export const nothingRuledOut: Requirement = {
  name: 'exclusions',
  applies: (q) => q.u.exclude.words.length > 0,
  check(q, hits) {
    const ruled = q.u.exclude.words.map(stem);
    // Named by it: its title, or the sentence itself (aliases are staff words, and a figure of the record may still
    // be the one asked for: "obese, not incl overweight" is the obesity indicator's other figure).
    const title = (h: Hit) => new Set(h.record.titleTokens);
    const named = (h: Hit) => ruled.some((t) => title(h).has(t) || (!isNaming(h.unit) && h.unit.tokens.has(t)));
    const allowed = hits.filter((h) => !named(h));
    if (allowed.some((h) => h.coverage >= ANSWER_TUNING.confidence)) return { hits: allowed };
    return { lack: { message: `The plans don't have that apart from the ${q.u.exclude.words.join(' ')}, which you ruled out.`, closest: hits[0] } };
  },
};
