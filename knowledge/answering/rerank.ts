/**
 * Orders near-equal candidates by what the kind of question needs (a number,
 * a date, a lead, a list), and picks the unit of a record that answers: a
 * pure function of the question and the hits, every weight in ANSWER_TUNING.
 */
import { SEARCH_TUNING, type Concept, type Hit, type Unit } from '../search';
import { periodMatches } from '../text';
import type { AnswerEnv } from './env';
import type { Question } from './question';
import { ANSWER_TUNING } from './tuning';

const C = ANSWER_TUNING.unitChoice;
import { asksYet, DATE_WORDS, isCount, isNaming, MEASURE_WORDS, STATUS_WORDS, STILL_TO_DO } from './words';

/** Prefers, among near-equal hits, those that carry what the intent needs (a number, a date, a lead). */
export function rerank(hits: Hit[], q: Question, env: AnswerEnv): Hit[] {
  const R = ANSWER_TUNING.rerank;
  const { u, t: text } = q;
  const wantsMeasures = MEASURE_WORDS.test(text);
  const yet = asksYet(u);
  const startAsked = /\b(start|starts|begin|begins|launch|launches|open|opens|go live|goes live|commence|commences|available)\b/.test(text);
  const pastTense = /\bwhen (was|were|did|had|has|have)\b/.test(text) && !/\b(due|supposed|meant|planned|expected|deadline)\b/.test(text);
  const need = (h: Hit): number => {
    const t = h.unit.text;
    const r = h.record;
    switch (u.intent) {
      case 'figure':
      case 'compare':
      case 'trend':
      case 'target':
        return (
          (u.intent !== 'target' && h.unit.digits ? R.digits : 0) +
          (u.intent !== 'target' && r.kind === 'indicator' && h.about >= ANSWER_TUNING.aboutRecord ? R.indicator : 0) +
          (u.intent === 'target' && r.kind === 'indicator' && r.record.target ? R.hasTarget : 0) +
          // "How many …": an indicator that counts beats a percentage about the same thing.
          (u.countOf && r.kind === 'indicator' ? (isCount(r.record) ? R.counts : R.notACount) : 0)
        );
      case 'lookup':
        return r.kind === 'indicator' && h.about >= ANSWER_TUNING.aboutRecord ? R.indicator : 0;
      case 'status':
        // "Is it still running?", "has it been approved?": a sentence that says what happened answers it.
        // A record with progress recorded against it can say what happened; a plan's list of intentions cannot.
        return (STATUS_WORDS.test(t) ? R.statusWords : 0) + (r.kind === 'activity' && r.record.progress.length > 0 ? R.hasProgress : 0) + (yet && STILL_TO_DO.test(t) ? R.stillToDo : 0);
      case 'date':
        // "When does the new service start?": a dated sentence about starting ("will be available from 1 April 2017").
        if (startAsked && h.unit.field === 'text' && STARTS.test(t) && DATE_WORDS.test(t)) return R.datedFit + R.eventFit;
        // "When was it done?" is answered by what happened, with its date; "when is it due?" by the plan's date.
        if (pastTense && h.unit.field === 'text' && DATE_WORDS.test(t)) return R.datedFit;
        // "Is there a deadline?": a key action's date required by is the plan's own answer.
        if (!pastTense && h.unit.field === 'action' && /\(by /.test(t)) return R.datedFit;
        // …and so are the dues of the activity named outright, even when they say "Ongoing".
        if (!pastTense && r.kind === 'activity' && isNaming(h.unit) && h.about >= ANSWER_TUNING.namesRecord && r.record.actions.some((x) => x.due)) return R.datedFit;
        return DATE_WORDS.test(t) ? R.dated : 0;
      case 'lead': {
        // A record that names its lead (or, when partners are asked about, its partners) answers "who".
        const partners = /\bpartners?\b/.test(text) && r.kind === 'activity' && r.record.partners.length > 0;
        return env.leadsOf(r).length || partners ? R.namesLead : 0;
      }
      case 'list': {
        // "What are the KPIs for…" wants a record with measures; "key actions for…" one with actions.
        const has = r.kind === 'activity' && (wantsMeasures ? r.record.measures.length > 0 : r.record.actions.length > 0);
        return (has ? R.hasList : 0) + (h.unit.field === 'action' || h.unit.field === 'measure' || /,.*,| and /.test(t) ? R.listLike : 0);
      }
      default:
        return 0;
    }
  };
  // A unit that names the period asked about is a better answer than one that does not.
  const periods = u.periods.filter((p) => p.from !== 0 || p.quarter);
  const periodBonus = (h: Hit) =>
    (periods.length && periods.every((p) => periodMatches(p, env.periodsInPlans(h.unit.text))) ? R.period : 0) + (u.priorityNumber !== undefined && h.record.priorityNumber === u.priorityNumber ? R.priority : 0);
  // A sentence that says it in its own words is better evidence than one that leans on its record's name.
  return hits.map((h) => ({ ...h, score: h.score + need(h) + periodBonus(h) + R.direct * h.direct })).sort((a, b) => b.score - a.score);
}

/**
 * When the best match is a record's name (title, alias), the answer is in its
 * content: pick the sentence or action of that record that says most about
 * the question, preferring what the intent needs (a number, a date).
 */
export function contentUnitFor(hit: Hit, concepts: Concept[], q: Question, hasFigures = hit.record.kind === 'indicator' && hit.record.record.values.length > 0): Unit {
  const { u } = q;
  // "Is it still running?": the sentence of the record that says it ended or goes on answers, wherever it is.
  // "… yet?": a sentence saying what is still to do comes first.
  if (asksStill(q)) {
    const yet = asksYet(u);
    // "Is it up and running yet?": a sentence saying it started answers first.
    if (ASKS_STARTED.test(q.t)) {
      if (STARTED.test(hit.unit.text)) return hit.unit;
      const started = bestUnit(hit, concepts, (x) => !isNaming(x) && STARTED.test(x.text));
      if (started) return started;
    }
    if (yet && STILL_TO_DO.test(hit.unit.text)) return hit.unit;
    const said = (yet ? bestUnit(hit, concepts, (x) => !isNaming(x) && STILL_TO_DO.test(x.text)) : undefined) ??
      (ENDS_OR_GOES_ON.test(hit.unit.text) ? undefined : bestUnit(hit, concepts, (x) => !isNaming(x) && ENDS_OR_GOES_ON.test(x.text)));
    if (said) return said;
  }
  // "Self-harm admissions in the city": the indicator's name says it all; a sentence of its commentary that says less
  // of the question in its own words is not the answer, the figures are.
  if (hasFigures && hit.record.kind === 'indicator' && hit.unit.field === 'text' && ['lookup', 'figure', 'compare', 'trend'].includes(u.intent) && hit.about >= ANSWER_TUNING.namesRecord && hit.direct < hit.about) {
    return hit.record.units.find((x) => x.field === 'title') ?? hit.unit;
  }
  if (!isNaming(hit.unit)) return hit.unit;
  // An indicator's name answers a figure question; a status or list question wants what its commentary says.
  if (hit.record.kind === 'indicator' && !['status', 'list'].includes(u.intent)) return hit.unit;
  let best: Unit | undefined;
  let bestScore = 0;
  const yet = asksYet(u);
  for (const x of hit.record.units) {
    if (isNaming(x)) continue;
    let score = 0;
    for (const c of concepts) if (c.alternatives.some((a) => a.tokens.every((t) => x.tokens.has(t)))) score += c.weight;
    if ((u.intent === 'figure' || u.intent === 'compare') && x.digits) score += C.needs;
    if (u.intent === 'date' && DATE_WORDS.test(x.text)) score += C.needs;
    // "… yet?": a sentence about the thing that says what is still to do beats any other.
    if (score > 0 && yet && STILL_TO_DO.test(x.text)) score += C.stillToDo;
    if (score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  if (hit.record.kind === 'indicator') return best ?? hit.unit;
  return best ?? hit.record.units.find((x) => x.field === 'text') ?? hit.unit;
}

/** "Is it still running?", "is it in place yet?", "has it carried on?". */
const STILL = /\bstill\b|\b(yet|in place|carry(ing)? on|carried on|continu\w*|ongoing|ended|stopped|finished)\b|\b(happened|happend|become|became) (to|of|with)\b/;
function asksStill(q: Question): boolean {
  return q.u.intent === 'status' && STILL.test(q.t);
}
/** A sentence saying when something starts or started. */
const STARTS = /\b(starts?|started|begins?|began|commences?|commenced|available|launch(es|ed)?|open(s|ed)?|go(es)? live|went live|from (\d|1st|january|february|march|april|may|june|july|august|september|october|november|december))\b/i;
/** "Up and running", "started", "launched", "in place", "live": a question whether something has begun. */
const ASKS_STARTED = /\b(up and running|started|begun|begin|launched|set up|in place|live|operational|open|running)\b/;
/** A sentence saying something began. */
const STARTED = /\b(launched|established|set up|started|began|commenced|opened|went live|gone live|in place|operational|up and running|introduced|now (live|open|running))\b/i;
/** A sentence saying a thing ended or goes on. */
const ENDS_OR_GOES_ON = /\b(loss of|lost|ended|ending|ceased|stopped|decommissioned|not (been )?renewed|no longer|closed|continues?|continued|carry on|carried on|until|remains?|still|in place|went live|launched|liquidation|taken over|take over)\b/i;

/**
 * The record's unit, among those `accept` allows, that says most of the question in its own words: at least half of
 * what the hit's own unit says, so a sentence about something else in the same record is never taken.
 */
function bestUnit(hit: Hit, concepts: Concept[], accept: (u: Unit) => boolean): Unit | undefined {
  // What a unit says of the question, its record's name counting for it as in the search.
  const context = hit.record.context;
  const says = (x: Unit) =>
    concepts.reduce((sum, c) => {
      let best = 0;
      for (const a of c.alternatives) {
        if (!a.tokens.every((t) => x.tokens.has(t) || x.before?.has(t) || context.has(t))) continue;
        best = Math.max(best, a.tokens.every((t) => x.tokens.has(t) || x.before?.has(t)) ? 1 : SEARCH_TUNING.credit.context);
      }
      return sum + best * c.weight;
    }, 0);
  const floor = C.floorShare * says(hit.unit);
  let best: Unit | undefined;
  let bestScore = 0;
  for (const x of hit.record.units) {
    if (!accept(x)) continue;
    const score = says(x) + (x.group === hit.unit.group ? C.sameParagraph : 0);
    if (score > bestScore && score >= floor && score > C.sameParagraph) {
      best = x;
      bestScore = score;
    }
  }
  return best;
}
