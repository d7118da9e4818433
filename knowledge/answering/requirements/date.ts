/**
 * "When" needs a date: if no confident match gives one, the plans don't say.
 * The dated sentence must be about the thing asked: no heavy word of the
 * question that names something in the plans may be missing from it (the
 * event words of a "when" question, "start", "held", "updated", may be: the
 * plans say "since March 2017", "took place on October 20th 2017").
 *
 * "When does a child get a trigger plan?" asks for a rule, not a date: with no
 * dated answer, a sentence that states the condition answers it.
 */
import type { Hit } from '../../search';
import type { AnswerEnv } from '../env';
import { EVENT_WORDS, whatWasAsked, type Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { DATE_WORDS, isNaming } from '../words';
import { normalise } from '../../text';
import { preferring, type Requirement } from './requirement';

/** A "when" that asks for a rule or a trigger: present tense, "what triggers", "at what point", "how often". */
export function asksCondition(q: Question): boolean {
  // "When does the new service start?" asks for a date: the event is named.
  if (q.concepts.some((c) => c.alternatives.some((a) => a.via === 'word' && a.tokens.every((t) => EVENT_WORDS.has(t))))) return false;
  return (
    /\bwhen (does|do|is|are|can|should|would|will) (a|an|the|they|you|we|it|someone|people|children|kids|young people)\b/.test(q.t) && !/\b(due|deadline|expected|planned|scheduled|next)\b/.test(q.t)
  ) || /\b(what triggers|what'?s the trigger|what is the trigger|at what point|in what circumstances|under what circumstances|what happens when|how often|how soon|within how long|how many times)\b/.test(q.t);
}

/** Words that state a rule: a condition, a threshold, a frequency. */
const CONDITION = /\b(if|when|where|once|after|within|every|each|whenever|unless|x in \d+|\d+ ?x\b|times in|more than|at least|monthly|weekly|annually|quarterly|fortnightly|daily)\b/i;

export const aDate: Requirement = {
  name: 'date',
  applies: (q) => q.u.intent === 'date',
  check(q, hits, env: AnswerEnv) {
    const heaviest = Math.max(...q.concepts.map((c) => c.weight));
    const heavy = new Set(
      q.concepts
        .filter((c) => c.weight >= ANSWER_TUNING.heavyWordShare * heaviest)
        .filter((c) => !c.alternatives.some((a) => a.via === 'word' && a.tokens.every((t) => EVENT_WORDS.has(t) || env.index.namingRecords(t) === 0)))
        .map((c) => c.word),
    );
    // A heavy word may be in the sentence before, in the same paragraph: "Parkwood Leisure … Rufford Abbey. A 15-year
    // agreement commenced on the 1st of February 2017."
    const before = (h: Hit) => {
      const around = env.index.neighbours(h.unit);
      const i = around.findIndex((x) => x.id === h.unit.id);
      return i > 0 ? around[i - 1].tokens : undefined;
    };
    const inBefore = (h: Hit, word: string) => {
      const tokens = before(h);
      const c = q.concepts.find((x) => x.word === word);
      return !!tokens && !!c && c.alternatives.some((a) => a.tokens.every((t) => tokens.has(t)));
    };
    const about = (h: Hit) => h.coverage >= ANSWER_TUNING.confidence && !h.missing.some((w) => heavy.has(w) && !inBefore(h, w));
    // The period asked about, named in a sentence ("the 2017/18 Annual Action Plan"), is no date it answers with.
    const askedPeriods = q.u.periods.map((p) => p.text);
    const withoutAsked = (text: string) => askedPeriods.reduce((x, p) => x.split(p).join(' '), normalise(text));
    // An activity named outright whose key actions carry dates required by answers with those dates.
    const top = hits[0];
    const named = top.record.kind === 'activity' && isNaming(top.unit) && top.about >= ANSWER_TUNING.namesRecord && top.record.record.actions.some((x) => x.due);
    // A list of evidence documents or leads names reports' dates, not when the thing asked about happened.
    const dated = (h: Hit) => (h.unit.field !== 'evidence' && h.unit.field !== 'lead' && DATE_WORDS.test(withoutAsked(h.unit.text))) || (h.unit.field === 'action' && /\(by /.test(h.unit.text));
    const pass = (h: Hit) => (named && h === top) || (about(h) && dated(h));
    // "When does a child get a trigger plan?": the rule comes before any date.
    const rule = (h: Hit) => about(h) && CONDITION.test(h.unit.text);
    if (asksCondition(q) && hits.some(rule)) return { hits: preferring(hits, rule) };
    if (hits.some(pass)) return { hits: preferring(hits, pass) };
    // "When were the actions on X and Y due?": two dated key actions of one activity, each saying part of it.
    const actions = hits.filter((h) => h.unit.field === 'action' && /\(by /.test(h.unit.text) && h.coverage >= ANSWER_TUNING.confidence);
    for (const h of actions) {
      const together = actions.filter((x) => x.record.id === h.record.id);
      if (together.length > 1 && [...heavy].every((w) => together.some((x) => !x.missing.includes(w)))) {
        const best = together[0];
        return { hits: [{ ...best, missing: best.missing.filter((w) => !heavy.has(w)) }, ...hits.filter((x) => x !== best)] };
      }
    }
    return { lack: { message: `I couldn't find a date for ${whatWasAsked(q)} in the plans.`, closest: top } };
  },
};
