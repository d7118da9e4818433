/** An activity's key actions (with their dates required by) or performance measures, in the plan's words. */
import type { ActivityRecord, Unit } from '../../search';
import { contentTokens } from '../../text';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { byDate, DATE_WORDS, MEASURE_WORDS, truncate } from '../words';

export function actionsAnswer(env: AnswerEnv, record: ActivityRecord, unit: Unit | undefined, q: Question): Answer {
  const { u } = q;
  const act = record.record;
  const a = blank('answer', u.intent, '');
  a.title = act.title;
  const n = ANSWER_TUNING.names;
  const wantsMeasures = MEASURE_WORDS.test(q.t);
  if (u.intent === 'list' && wantsMeasures && act.measures.length) {
    a.text = `Key performance measures for "${truncate(act.title, n.inSentence)}": ${act.measures.map((m) => m.text).join('; ')}.`;
  } else if (u.intent === 'date' && unit?.field === 'action') {
    const matchedAction = act.actions[unit.position];
    a.text = !matchedAction.due
      ? `The plans don't have a date for "${matchedAction.text}".`
      : DATE_WORDS.test(matchedAction.due)
        ? `"${matchedAction.text}" was due by ${matchedAction.due}.`
        : `"${matchedAction.text}" has no date in the plan: ${matchedAction.due}.`;
    const sameDue = act.actions.filter((x) => x !== matchedAction && x.due);
    if (sameDue.length) a.text += ` Other key actions under "${truncate(act.title, n.otherAction)}": ${sameDue.map((x) => `${x.text} (${x.due})`).join('; ')}.`;
  } else {
    // The action the question matched first ("which locality groups …"), then the others.
    const matched = unit?.field === 'action' ? act.actions[unit.position] : undefined;
    const ordered = matched ? [matched, ...act.actions.filter((x) => x !== matched)] : act.actions;
    a.text = `Key actions for "${truncate(act.title, n.inSentence)}": ${ordered.map((x) => `${x.text}${x.due ? ` (${byDate(x.due)})` : ''}`).join('; ')}.`;
  }
  // "Is there a deadline?" when none of them has a date: the measures say what the plan expects instead.
  if (u.intent === 'date' && !act.actions.some((x) => x.due && DATE_WORDS.test(x.due)) && act.measures.length) {
    a.text += ` None of its key actions has a date; the plan's measures: ${act.measures.map((m) => m.text).join('; ')}.`;
  }
  if (u.intent === 'status' && act.measures.length) a.text += ` Key performance measures: ${act.measures.map((m) => m.text).join('; ')}.`;
  // "What's the status of the transitions protocol?" matched the strategy the activity delivers: what the plan says of it first.
  if (u.intent === 'status' && act.strategicPlan) {
    const inTitle = new Set(contentTokens(act.title));
    const asked = contentTokens(u.searchText).filter((t) => !inTitle.has(t));
    const strategy = new Set(contentTokens(act.strategicPlan));
    if (asked.filter((t) => strategy.has(t)).length >= 2) a.text = `Strategic plan: ${act.strategicPlan}. ${a.text}`;
  }
  for (const x of act.actions) a.facts.push({ label: x.due ? byDate(x.due).replace(/^b/, 'B') : 'Action', value: x.text });
  for (const m of act.measures) a.facts.push({ label: 'Measure', value: m.text });
  env.addActivityFacts(a, act);
  env.addPlanFacts(a, record);
  a.sources.push(env.sourceOf(record, unit));
  return a;
}
