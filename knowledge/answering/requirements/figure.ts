/**
 * "How many" / "what %" needs a figure: a sentence that states a quantity, or
 * an indicator with values, about the question's key term. "How many …" needs
 * a count of that thing ("4,000 taxi drivers"), not any number near it; "how
 * much funding" needs an amount of money.
 */
import type { Concept, Hit } from '../../search';
import { ANSWER_TUNING } from '../tuning';
import { missesKey, whatWasAsked } from '../question';
import { countsOf, isCount, isNaming, isPercentage, truncate } from '../words';
import { narrowerGroups } from './population';
import { droppedQualifiers, figureMaterial } from './qualifiers';
import type { Requirement } from './requirement';

/** Does the hit's record name the counted thing ("the number of agency staff" counts no vacancies)? */
const names = (h: Hit, head: Concept) => head.alternatives.some((a) => a.tokens.every((t) => h.record.context.has(t)));

const PERCENT_ASKED = /(^|\s)%|\bper ?cent(age)?\b|\bproportion\b|\bwhat share\b/;
const MONEY_ASKED = /\b(funding|funded|budget|budgets|cost|costs|spend|spent|money|investment|invested|£)/;
const MONEY_GIVEN = /£|\b(million|billion|thousand)\b|\d\s*(m|k|bn)\b/i;

const CHANGE_ASKED = /\b(reduc\w*|increas\w*|decreas\w*|chang\w*|fall|fallen|fell|drop\w*|rise|risen|rose|improv\w*|worse\w*|by how much|gone (up|down)|come down|narrow\w*|widen\w*|difference|trend|compared?|vs|versus|since)\b/;
const CHANGE_GIVEN = /\b(reduction|increase|decrease|change|narrowing|widening)$/i;
const CHANGED_BY = /\b(reduced|increased|decreased|fallen|fell|risen|rose|dropped|gone (up|down)|come down|improved) by (at least |over |more than |around |about )?\d/i;
/** Is the hit's figure a change ("% reduction", "reduced by 70%") rather than a level? */
function isChange(h: Hit): boolean {
  // An indicator's answer shows its own figures, whichever of its sentences matched.
  if (h.record.kind === 'indicator') {
    const ind = h.record.record;
    return CHANGE_GIVEN.test((ind.unit ?? '').trim()) || /:\s*(reduction|increase|decrease|change)$/i.test(ind.title);
  }
  return CHANGED_BY.test(h.unit.text) && !/\d\s*%?\s*(to|from)\s*\d/.test(h.unit.text);
}

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
    // A sentence of commentary gives a percentage only if it says one ("post 16 pathways" under a percentage measure does not).
    const hasPercent = (h: Hit) => (h.record.kind === 'indicator' && h.unit.field !== 'text' && isPercentage(h.record.record)) || (!isNaming(h.unit) && /\d\s*%|per ?cent/i.test(h.unit.text));
    // An indicator met through a sentence of its commentary ("… an assessment team to improve … wait times" under
    // the number of CAMHS referrals): its figures are of what its name says, so they answer only when that holds
    // every qualifier of the question.
    const figureIsOfKey = (h: Hit) => h.unit.field !== 'text' || !droppedQualifiers(q, h, env, figureMaterial).length;
    // "What's the vacancy rate?" asks where a measure stands; "vacancies reduced by at least 50%" says how it moved.
    const level = !CHANGE_ASKED.test(q.t);
    const hasFigure = (h: Hit) =>
      !missesKey(q, h) &&
      (!level || !isChange(h)) &&
      (!money || hasMoney(h)) &&
      (!percent || hasPercent(h)) &&
      ((h.record.kind === 'indicator' && h.record.record.values.length > 0 && figureIsOfKey(h) && (!head || (isCount(h.record.record) && names(h, head)))) ||
        // A number in a name ("Reduce … by 30%") is an aim, not a figure reported.
        (!isNaming(h.unit) && h.direct >= ANSWER_TUNING.minDirect && env.statesQuantity(h.unit) && (!head || countsOf(h.unit.text, head))));
    if (hasFigure(hits[0])) return { hits };
    // Not a figure for a narrower group than the question's (population.ts): that is a neighbour.
    const withNumber = hits.find((h) => h.coverage >= ANSWER_TUNING.confidence && hasFigure(h) && !narrowerGroups(q, h, env).length);
    if (withNumber) return { hits: [withNumber, ...hits.filter((h) => h !== withNumber)] };
    const top = hits[0];
    const n = ANSWER_TUNING.names.inMessage;
    // A key performance measure the plans name but give no figure for: say exactly that.
    const measure =
      top.unit.field === 'measure' ? `The plans don't have a figure for "${truncate(top.unit.text, n)}": it is listed as a key performance measure of "${truncate(top.record.title, n)}", with no figure.` : undefined;
    // The record's name only when it is what was asked about: a neighbour's name would read as the question.
    const what = top.record.kind === 'indicator' && top.about >= ANSWER_TUNING.namesRecord ? `"${truncate(top.record.title, n)}"` : u.countOf ? `the number of ${u.countOf}` : whatWasAsked(q);
    const quotable = top.record.kind !== 'activity' || top.record.record.measures.length > 0;
    return { lack: { message: measure ?? `I couldn't find a figure for ${what} in ${u.authority ? `${env.catalogue.authorityName(u.authority)}'s plans` : 'the plans'}.`, closest: quotable ? top : undefined } };
  },
};
