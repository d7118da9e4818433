import { join } from 'node:path';
import { loadKnowledge, type Knowledge } from '../../knowledge/loader';
import { SearchIndex } from '../../knowledge/search';
import { Answerer } from '../../knowledge/answer';
import { Summariser } from '../../knowledge/summary';
import { CONTENT_DIR, FIXTURES } from './paths';

const cache = new Map<string, { knowledge: Knowledge; index: SearchIndex }>();

function loaded(dir: string): { knowledge: Knowledge; index: SearchIndex } {
  let c = cache.get(dir);
  if (!c) {
    const knowledge = loadKnowledge(dir);
    c = { knowledge, index: new SearchIndex(knowledge) };
    cache.set(dir, c);
  }
  return c;
}

/** The real knowledge, loaded once per test run (it is read-only). */
export function realKnowledge(): { knowledge: Knowledge; index: SearchIndex; answerer: Answerer; summariser: Summariser } {
  const c = loaded(CONTENT_DIR);
  return { ...c, answerer: new Answerer(c.index), summariser: new Summariser(c.knowledge, c.index) };
}

/** The fixture knowledge for behaviour tests (test/fixtures/next-plan: an older plan, the next one, a later report). */
export const NEXT_PLAN_DIR = join(FIXTURES, 'next-plan');
/** The day the fixture's tests run on: inside the 2018-21 plan's calendar (Q2 2019/20 is due 30 October 2019). */
export const NEXT_PLAN_TODAY = '2019-10-20';

/** The fixture knowledge, with a summariser on a fixed day (default NEXT_PLAN_TODAY). */
export function fixtureKnowledge(day = NEXT_PLAN_TODAY): { knowledge: Knowledge; index: SearchIndex; answerer: Answerer; summariser: Summariser } {
  const c = loaded(NEXT_PLAN_DIR);
  const now = () => new Date(`${day}T09:00:00Z`);
  return { ...c, answerer: new Answerer(c.index), summariser: new Summariser(c.knowledge, c.index, { now }) };
}
