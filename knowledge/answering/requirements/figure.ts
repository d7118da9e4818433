/**
 * "How many" / "what %" needs a figure: a sentence that states a quantity, or
 * an indicator with values, about the question's key term. "How many …" needs
 * a count of that thing ("4,000 taxi drivers"), not any number near it; "how
 * much funding" needs an amount of money.
 */
import type { Concept, Hit } from '../../search';
import { hasQuantity } from '../../text';
import { ANSWER_TUNING } from '../tuning';
import { missesKey } from '../question';
import { countsOf, isCount, isNaming, isPercentage, truncate } from '../words';
import type { Requirement } from './requirement';

/** Does the hit's record name the counted thing ("the number of agency staff" counts no vacancies)? */
const names = (h: Hit, head: Concept) => head.alternatives.some((a) => a.tokens.every((t) => h.record.context.has(t)));

const PERCENT_ASKED = /(^|\s)%|\bper ?cent(age)?\b|\bproportion\b|\bwhat share\b/;
const MONEY_ASKED = /\b(funding|funded|budget|budgets|cost|costs|spend|spent|money|investment|invested|£)/;
const MONEY_GIVEN = /£|\b(million|billion|thousand)\b|\d\s*(m|k|bn)\b/i;

export const aFigure: Requirement = {
  name: 'figure',
  applies: (q) => q.u.intent === 'figure',
  check(q, hits, env) {
    const { u } = q;
    const counted = u.countOf ? env.index.concepts(u.countOf) : [];
    const head = counted[counted.length - 1];
    const money = MONEY_ASKED.test(q.t);
    const hasMoney = (h: Hit) => MONEY_GIVEN.test(h.unit.text) || (h.record.kind === 'indicator' && /£/.test(h.record.record.unit ?? ''));
    // "What %": a percentage, not any number near the words (16 campaigns are no share of five year olds).
    const percent = PERCENT_ASKED.test(q.t) && u.exclude.measure !== 'percentage';
    const hasPercent = (h: Hit) => (h.record.kind === 'indicator' && isPercentage(h.record.record)) || (!isNaming(h.unit) && /\d\s*%|per ?cent/i.test(h.unit.text));
    const hasFigure = (h: Hit) =>
      !missesKey(q, h) &&
      (!money || hasMoney(h)) &&
      (!percent || hasPercent(h)) &&
      ((h.record.kind === 'indicator' && h.record.record.values.length > 0 && (!head || (isCount(h.record.record) && names(h, head)))) ||
        (h.direct >= ANSWER_TUNING.minDirect && hasQuantity(h.unit.text) && (!head || countsOf(h.unit.text, head))));
    if (hasFigure(hits[0])) return { hits };
    const withNumber = hits.find((h) => h.coverage >= ANSWER_TUNING.confidence && hasFigure(h));
    if (withNumber) return { hits: [withNumber, ...hits.filter((h) => h !== withNumber)] };
    const top = hits[0];
    const n = ANSWER_TUNING.names.inMessage;
    // A key performance measure the plans name but give no figure for: say exactly that.
    const measure =
      top.unit.field === 'measure' ? `The plans don't have a figure for "${truncate(top.unit.text, n)}": it is listed as a key performance measure of "${truncate(top.record.title, n)}", with no figure.` : undefined;
    // The record's name only when it is what was asked about: a neighbour's name would read as the question.
    const what = top.record.kind === 'indicator' && top.about >= ANSWER_TUNING.namesRecord ? `"${truncate(top.record.title, n)}"` : u.countOf ? `the number of ${u.countOf}` : 'that';
    const quotable = top.record.kind !== 'activity' || top.record.record.measures.length > 0;
    return { lack: { message: measure ?? `I couldn't find a figure for ${what} in the plans.`, closest: quotable ? top : undefined } };
  },
};
