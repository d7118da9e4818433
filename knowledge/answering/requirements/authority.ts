/** A named authority must be answered from that authority's plans ("… in the city"). */
import { ANSWER_TUNING } from '../tuning';
import { whatWasAsked } from '../question';
import type { Requirement } from './requirement';

export const namedAuthority: Requirement = {
  name: 'authority',
  applies: (q) => !!q.u.authority,
  check(q, hits, env) {
    const authority = q.u.authority!;
    const same = hits.filter((h) => h.record.authority === authority || h.record.kind === 'glossary');
    if (!same.some((h) => h.coverage >= ANSWER_TUNING.confidence)) {
      const best = hits[0];
      return { lack: { message: `I couldn't find ${whatWasAsked(q)} for ${env.catalogue.authorityName(authority)} in the plans.`, closest: best.record.kind === 'glossary' ? undefined : best } };
    }
    return { hits: same };
  },
};
