/**
 * A figure for a narrower group than the question names is a neighbour, not
 * the answer: "Nottingham City's Progress 8 score" is not answered by "the
 * percentage of Children in Care achieving their Progress 8 score", nor "the
 * attainment gap" by the gap for White British children from low income
 * families. The groups are data (glossary.yaml `populations`), so a new plan
 * that narrows its measures to another group adds a line there, not code.
 */
import type { Hit, Unit } from '../../search';
import type { Understanding } from '../../understand';
import type { Knowledge } from '../../loader';
import { escapeRegExp, normalise } from '../../text';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { truncate } from '../words';
import { figureTest, type Requirement } from './requirement';

interface Population {
  /** The group's first name, as the reply says it. */
  name: string;
  /** Any way of writing it, on word boundaries. */
  pattern: RegExp;
}

/** Words and spaces only, so a pattern matches "looked-after" and "looked after" alike. */
const plain = (s: string) => ` ${normalise(s).replace(/[^a-z0-9]+/g, ' ').trim()} `;

const cache = new WeakMap<Knowledge, Population[]>();
function populations(k: Knowledge): Population[] {
  let out = cache.get(k);
  if (!out) {
    out = k.glossary.populations.map((names) => ({
      name: names[0],
      pattern: new RegExp(names.map((n) => `\\s${escapeRegExp(plain(n).trim())}\\s`).join('|')),
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
  const asked = groupsNamed(namedByQuestion, q.u, all, () => q.u.text);
  const about = groupsNamed(namedByUnit, h.unit, all, () => subject(h));
  return all.filter((p) => about.has(p) && !asked.has(p)).map((p) => p.name);
}

/**
 * The groups a question names, and those each sentence of the plans is about (a unit's subject is its record's
 * name or its own words): read once, not for every candidate the question is checked against.
 */
const namedByQuestion = new WeakMap<Understanding, Set<Population>>();
const namedByUnit = new WeakMap<Unit, Set<Population>>();

function groupsNamed<K extends object>(memo: WeakMap<K, Set<Population>>, key: K, all: Population[], text: () => string): Set<Population> {
  let named = memo.get(key);
  if (!named) {
    const t = plain(text());
    memo.set(key, (named = new Set(all.filter((p) => p.pattern.test(t)))));
  }
  return named;
}

/** The figure is for the whole group asked about: candidates that are come first; a narrower one is offered as the nearest. */
const wholeGroup = figureTest('whole group', narrowerGroups, (q, narrower) => {
  const asked = q.key ? `"${truncate(q.key.word, ANSWER_TUNING.names.inMessage)}"` : 'that';
  return `The plans don't have ${q.u.intent === 'target' ? 'a target' : 'a figure'} for ${asked} across all children, only one for ${narrower.join(' and ')}.`;
});
export const preferWholeGroup: Requirement = wholeGroup.first;
export const theWholeGroup: Requirement = wholeGroup.last;
