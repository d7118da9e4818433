/**
 * "When" needs a date: if no confident match gives one, the plans don't say.
 * The dated sentence must be about the thing asked: no heavy word of the
 * question missing from it.
 */
import type { Hit } from '../../search';
import { ANSWER_TUNING } from '../tuning';
import { DATE_WORDS, isNaming } from '../words';
import { preferring, type Requirement } from './requirement';

export const aDate: Requirement = {
  name: 'date',
  applies: (q) => q.u.intent === 'date',
  check(q, hits) {
    const heaviest = Math.max(...q.concepts.map((c) => c.weight));
    const heavy = new Set(q.concepts.filter((c) => c.weight >= ANSWER_TUNING.heavyWordShare * heaviest).map((c) => c.word));
    // An activity named outright whose key actions carry dates required by answers with those dates.
    const top = hits[0];
    const named = top.record.kind === 'activity' && isNaming(top.unit) && top.about >= ANSWER_TUNING.namesRecord && top.record.record.actions.some((x) => x.due);
    const pass = (h: Hit) =>
      (named && h === top) ||
      (h.coverage >= ANSWER_TUNING.confidence && !h.missing.some((w) => heavy.has(w)) && (DATE_WORDS.test(h.unit.text) || (h.unit.field === 'action' && /\(by /.test(h.unit.text))));
    if (!hits.some(pass)) return { lack: { message: `I couldn't find a date for that in the plans.`, closest: top } };
    return { hits: preferring(hits, pass) };
  },
};
