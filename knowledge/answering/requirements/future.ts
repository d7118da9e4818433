/** A question about something still to come ("what's next for…") needs evidence of a future event. */
import { ANSWER_TUNING } from '../tuning';
import { missesKey } from '../question';
import { FUTURE_MARKERS } from '../words';
import type { Requirement } from './requirement';

export const futureEvent: Requirement = {
  name: 'future',
  applies: (q) => q.u.future,
  check(q, hits) {
    const ok = hits.some((h) => h.coverage >= ANSWER_TUNING.confidence && FUTURE_MARKERS.test(h.unit.text) && !missesKey(q, h) && h.matched.length >= hits[0].matched.length - 1);
    return ok ? { hits } : { lack: { message: `I couldn't find anything in the plans about what is next or due for that.` } };
  },
};
