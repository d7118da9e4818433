/**
 * A figure for a narrower group than the question names is a neighbour, not
 * the answer: "Nottingham City's Progress 8 score" is not answered by "the
 * percentage of Children in Care achieving their Progress 8 score", nor "the
 * attainment gap" by the gap for White British children from low income
 * families. The groups are data (glossary.yaml `populations`), so a new plan
 * that narrows its measures to another group adds a line there, not code.
 */
import type { Hit } from '../../search';
import type { Knowledge } from '../../loader';
import { normalise } from '../../text';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { FIGURE_INTENTS, truncate } from '../words';
import { preferring, type Requirement } from './requirement';

interface Population {
  /** The group's first name, as the reply says it. */
  name: string;
  /** Any way of writing it, on word boundaries. */
  pattern: RegExp;
}

/** Words and spaces only, so a pattern matches "looked-after" and "looked after" alike. */
const plain = (s: string) => ` ${normalise(s).replace(/[^a-z0-9]+/g, ' ').trim()} `;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const cache = new WeakMap<Knowledge, Population[]>();
function populations(k: Knowledge): Population[] {
  let out = cache.get(k);
  if (!out) {
    out = k.glossary.populations.map((names) => ({
      name: names[0],
      pattern: new RegExp(names.map((n) => `\\s${escape(plain(n).trim())}\\s`).join('|')),
    }));
    cache.set(k, out);
  }
  return out;
}

/** What the hit's figure is of: an indicator's name, else the words quoted. */
function subject(h: Hit): string {
  if (h.record.kind === 'indicator' && h.unit.field !== 'text') return h.record.title;
  return h.unit.field === 'title' || h.unit.field === 'alias' ? h.record.title : h.unit.text;
}

/** The groups the hit's figure is narrowed to that the question does not name. */
export function narrowerGroups(q: Question, h: Hit, env: AnswerEnv): string[] {
  const all = populations(env.knowledge);
  if (!all.length) return [];
  const asked = plain(q.u.text);
  const about = plain(subject(h));
  return all.filter((p) => p.pattern.test(about) && !p.pattern.test(asked)).map((p) => p.name);
}

/** First: among the confident candidates, those for the whole group asked about come first. */
export const preferWholeGroup: Requirement = {
  name: 'whole group first',
  applies: (q) => FIGURE_INTENTS.has(q.u.intent),
  check(q, hits, env) {
    if (!narrowerGroups(q, hits[0], env).length) return { hits };
    return { hits: preferring(hits, (h) => h.coverage >= ANSWER_TUNING.confidence && !narrowerGroups(q, h, env).length) };
  },
};

/** Last: a figure for a narrower group is offered as the nearest, after saying the plans lack the one asked for. */
export const theWholeGroup: Requirement = {
  name: 'whole group',
  applies: (q) => FIGURE_INTENTS.has(q.u.intent),
  check(q, hits, env) {
    const narrower = narrowerGroups(q, hits[0], env);
    if (!narrower.length) return { hits };
    const what = q.u.intent === 'target' ? 'a target' : 'a figure';
    const asked = q.key ? `"${truncate(q.key.word, ANSWER_TUNING.names.inMessage)}"` : 'that';
    return { lack: { message: `The plans don't have ${what} for ${asked} across all children, only one for ${narrower.join(' and ')}.`, closest: hits[0] } };
  },
};
