/**
 * The bounded search (block bounds, a heap, light concepts bounded loosely)
 * must return exactly what scoring every unit returns: the same units, in the
 * same order, with the same scores. Checked on every question of the
 * repository's question sets, with and without an authority and a document
 * preferred, and at the answerer's limit.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realKnowledge } from './helpers/knowledge';
import { ROOT } from './helpers/paths';
import { understand } from '../knowledge/understand';
import { ANSWER_TUNING } from '../knowledge/answer';
import type { Hit } from '../knowledge/search';

const SETS = ['heldout-like.json', 'fresh-h.json', 'fresh-i.json'];
const questions: string[] = SETS.flatMap((f) => (JSON.parse(readFileSync(join(ROOT, 'test', 'eval', f), 'utf8')) as { question: string }[]).map((x) => x.question));

const ranked = (hits: Hit[]) => hits.map((h) => `${h.unit.id} ${h.score.toFixed(12)}`);

describe('search: bounded top-k equals exhaustive scoring', function () {
  this.timeout(120_000);
  const { index } = realKnowledge();

  it(`on ${questions.length} questions as asked (authority, documents, limit ${ANSWER_TUNING.searchLimit})`, () => {
    let compared = 0;
    for (const q of questions) {
      const u = understand(q);
      const concepts = index.concepts(u.searchText);
      if (!concepts.length) continue;
      const opts = { authority: u.authority, preferDocs: u.preferDocs, limit: ANSWER_TUNING.searchLimit };
      expect(ranked(index.search(concepts, opts)), q).to.deep.equal(ranked(index.searchExhaustive(concepts, opts)));
      compared++;
    }
    expect(compared).to.be.greaterThan(250);
  });

  it('with each authority and a small limit, where pruning cuts deepest', () => {
    for (const q of questions.slice(0, 120)) {
      const concepts = index.concepts(understand(q).searchText);
      if (!concepts.length) continue;
      for (const authority of ['city', 'county'] as const) {
        const opts = { authority, limit: 3 };
        expect(ranked(index.search(concepts, opts)), `${q} (${authority})`).to.deep.equal(ranked(index.searchExhaustive(concepts, opts)));
      }
    }
  });

  it('with a filter (indicators that have a target)', () => {
    for (const q of questions.slice(0, 80)) {
      const concepts = index.concepts(understand(q).searchText);
      if (!concepts.length) continue;
      const opts = { limit: 3, filter: (r: Hit['record']) => r.kind === 'indicator' && !!r.record.target };
      expect(ranked(index.search(concepts, opts)), q).to.deep.equal(ranked(index.searchExhaustive(concepts, opts)));
    }
  });
});
