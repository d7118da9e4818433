import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import { understand } from '../knowledge/understand';
import { editDistance } from '../knowledge/editDistance';

describe('search index', () => {
  const { index } = realKnowledge();
  const top = (q: string) => {
    const u = understand(q);
    return index.search(index.concepts(u.searchText), { authority: u.authority, preferDocs: u.preferDocs })[0];
  };

  it('corrects typos through the vocabulary, and only close ones', () => {
    expect(index.corrections('wiating')).to.include('waiting');
    expect(index.corrections('frist')).to.include('first');
    expect(index.corrections('safegaurding')).to.include('safeguarding');
    expect(index.corrections('councelling')).to.include('counselling');
    expect(index.corrections('xyzzyplugh')).to.deep.equal([]);
    expect(editDistance('frist', 'first')).to.equal(1);
  });

  it('expands acronyms from the glossary', () => {
    const cp = index.concepts('cp plan').find((c) => c.word.split(' ').includes('cp'))!;
    expect(cp.alternatives.map((a) => a.tokens.join(' '))).to.include('child protection');
    const lac = index.concepts('lac').find((c) => c.word === 'lac')!;
    expect(lac.alternatives.map((a) => a.tokens.join(' '))).to.include('look child');
  });

  it('lets a rare key term outweigh common words and numbers', () => {
    const [camhs] = index.concepts('camhs');
    const [children] = index.concepts('children');
    const [twelve] = index.concepts('12');
    expect(camhs.weight).to.be.greaterThan(children.weight * 2);
    expect(camhs.weight).to.be.greaterThan(twelve.weight * 2);
  });

  const cases: [string, string | string[]][] = [
    // The county CAMHS waiting time: the indicator with its figures, or the improvement plan's activity named for it.
    ['camhs wiating time', ['ce-p4', 'cip-p2']],
    ['volunter hours for natural and historic environment projects', 'cp-p2-volunteer'],
    ['% of adult safegaurding service users asked what outcomes they wanted', 'cp-p1-safeguarding-outcomes-asked'],
    ['kooth face to face councelling in the city', 'cy-p1'],
    ['how many kids on a CP plan in the city', 'cy-p2'],
    ['NEET rate notts', 'cp-p3-neet'],
  ];
  for (const [q, prefix] of cases) {
    it(`finds "${q}" in ${[prefix].flat().join(' or ')}…`, () => {
      const h = top(q);
      expect(h, q).to.exist;
      expect([prefix].flat().some((p) => h.record.id.startsWith(p)), `${h.record.id}: ${h.unit.text}`).to.equal(true);
      expect(h.coverage).to.be.at.least(0.6);
    });
  }

  it('keeps unrelated questions below the confidence threshold', () => {
    for (const q of ['what is the price of fish in grimsby', 'football results this weekend', 'quantum chromodynamics lecture']) {
      const h = top(q);
      expect(h?.coverage ?? 0, q).to.be.lessThan(0.6);
    }
  });
});
