/**
 * A target question is answered by an indicator that has one (looked for
 * further down when the best matches have none: "vacancy rate target" beside
 * a narrative about recruitment), or by a sentence about a target.
 */
import type { Hit, IndexedRecord } from '../../search';
import { ANSWER_TUNING } from '../tuning';
import { missesKey, whatWasAsked } from '../question';
import { isNaming, truncate, unitHasFigure } from '../words';
import type { Requirement } from './requirement';

const hasTargetRecord = (r: IndexedRecord) => r.kind === 'indicator' && !!r.record.target;

export const aTarget: Requirement = {
  name: 'target',
  applies: (q) => q.u.intent === 'target',
  check(q, hits, env) {
    const { u } = q;
    const T = ANSWER_TUNING;
    if (!hasTargetRecord(hits[0].record)) {
      const further =
        hits.find((h) => hasTargetRecord(h.record) && h.coverage >= T.confidence && !missesKey(q, h)) ??
        env.index
          .search(q.concepts, { authority: u.authority, preferDocs: u.preferDocs, limit: 3, filter: hasTargetRecord })
          .find((h) => h.coverage >= T.confidence && !missesKey(q, h));
      if (further) hits = [further, ...hits.filter((h) => h.record.id !== further.record.id)];
    }
    // An indicator's target answers only when the indicator is what was asked about, not one whose commentary mentions it:
    // its name matched, or the sentence matched is its commentary stating its own figure ("uptake … is 68.5%").
    const top = hits[0];
    const ownFigureSentence = top.record.kind === 'indicator' && top.unit.field === 'text' && top.direct >= T.minDirect && unitHasFigure(top.unit, top.record.record);
    if ((top.record.kind === 'indicator' && (top.about >= T.aboutRecord || isNaming(top.unit) || ownFigureSentence)) || (top.direct >= T.minDirect && /\btargets?\b/i.test(top.unit.text))) return { hits };
    const withTarget = hits.find(
      (h: Hit) => h.coverage >= T.confidence && ((h.record.kind === 'indicator' && h.about >= T.aboutRecord) || (h.direct >= T.minDirect && /\btargets?\b/i.test(h.unit.text))),
    );
    if (withTarget) return { hits: [withTarget, ...hits.filter((h) => h !== withTarget)] };
    const n = T.names.inMessage;
    const message =
      top.unit.field === 'measure'
        ? `The plans don't have a target for "${truncate(top.unit.text, n)}": it is listed as a key performance measure of "${truncate(top.record.title, n)}", with no target.`
        : `I couldn't find a target for ${whatWasAsked(q)} in the plans.`;
    return { lack: { message, closest: top } };
  },
};
