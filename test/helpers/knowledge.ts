import { loadKnowledge, type Knowledge } from '../../knowledge/loader';
import { SearchIndex } from '../../knowledge/search';
import { Answerer } from '../../knowledge/answer';
import { Summariser } from '../../knowledge/summary';
import { CONTENT_DIR } from './paths';

let cached: { knowledge: Knowledge; index: SearchIndex } | undefined;

/** The real knowledge, loaded once per test run (it is read-only). */
export function realKnowledge(): { knowledge: Knowledge; index: SearchIndex; answerer: Answerer; summariser: Summariser } {
  if (!cached) {
    const knowledge = loadKnowledge(CONTENT_DIR);
    cached = { knowledge, index: new SearchIndex(knowledge) };
  }
  return { ...cached, answerer: new Answerer(cached.index), summariser: new Summariser(cached.knowledge, cached.index) };
}
