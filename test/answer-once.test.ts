/**
 * A question is read once per answer (knowledge/oneAnswer.ts): the understanding, corrected question and search
 * concepts of a text are worked out once while an answer is under way, and afresh for the next answer, so answers
 * are what they were and nothing is cached across questions. Stems are kept for every word seen.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { inOneAnswer, PerAnswer } from '../knowledge/oneAnswer';
import { SearchIndex } from '../knowledge/search';
import { stem } from '../knowledge/text';
import { realKnowledge } from './helpers/knowledge';

describe('one answer reads each text once', () => {
  afterEach(() => sinon.restore());

  it('PerAnswer computes once per owner and text inside an answer, afresh in the next one, every time outside', () => {
    const memo = new PerAnswer<string>();
    const owner = {};
    const other = {};
    let made = 0;
    const make = () => `v${++made}`;
    expect(memo.get(owner, 'a', make)).to.equal('v1');
    expect(memo.get(owner, 'a', make)).to.equal('v2');
    inOneAnswer(() => {
      expect(memo.get(owner, 'a', make)).to.equal('v3');
      expect(memo.get(owner, 'a', make)).to.equal('v3');
      expect(memo.get(other, 'a', make)).to.equal('v4');
      expect(memo.get(owner, 'b', make)).to.equal('v5');
      // A nested answer (a part of a two-part question) shares the outer one's.
      inOneAnswer(() => expect(memo.get(owner, 'a', make)).to.equal('v3'));
    });
    inOneAnswer(() => expect(memo.get(owner, 'a', make)).to.equal('v6'));
  });

  it('an answer reads the concepts of each text once, and the next answer reads them again', () => {
    const { answerer } = realKnowledge();
    const read = sinon.spy(SearchIndex.prototype as unknown as { readConcepts(text: string): unknown }, 'readConcepts');
    // Two parts, each answered and checked: the whole and each part are read, none twice.
    const question = 'what is the camhs waiting time and who leads on it';
    const first = answerer.answer(question);
    const texts = read.getCalls().map((c) => c.args[0] as string);
    expect(texts.length).to.be.greaterThan(0);
    expect(new Set(texts).size, texts.join(' | ')).to.equal(texts.length);
    read.resetHistory();
    const again = answerer.answer(question);
    expect(read.callCount, 'the next answer reads afresh').to.equal(texts.length);
    expect(again).to.deep.equal(first);
  });

  it('stems are remembered and are the same as worked out', () => {
    for (const w of ['waiting', 'families', "children's", 'located', 'implementation', 'cases', 'constructor']) expect(stem(w)).to.equal(stem(w));
    expect(stem('waiting')).to.equal('wait');
    expect(stem('families')).to.equal('family');
    expect(stem('located')).to.equal(stem('location'));
  });
});
