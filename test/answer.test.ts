/**
 * Answers, table-driven: the kinds of question staff ask, with what the answer
 * must and must not contain. Built on the real knowledge.
 */
import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import type { Answer } from '../knowledge/answer';

const visible = (a: Answer) => [a.text, ...a.facts.map((f) => `${f.label}: ${f.value}`), ...a.quotes.map((q) => q.text)].join('\n');

describe('answering', () => {
  const { answerer } = realKnowledge();

  const cases: { q: string; has: string[]; not?: string[]; kind?: Answer['kind'] }[] = [
    { q: 'what is the latest CAMHS waiting time', has: ['10.9 weeks', 'April', '6.59 weeks', 'January 2017'] },
    { q: 'camhs wiating time', has: ['10.9 weeks'] },
    { q: 'how many kids on a CP plan in the city', has: ['569'] },
    { q: 'NEET rate notts', has: ['1.5%', 'Q4 2016/17', '1.8%', '2.0%'], not: ['5.4%'] },
    { q: 'who leads on self-harm admissions 10-24 in the city', has: ['Claire Tagg'] },
    { q: 'when was the online counselling service due', has: ['Online counselling service live', 'December 2016'] },
    { q: 'what are the KPIs for the LAC strategy', has: ['Percentage of Care Leavers in suitable accommodation'] },
    { q: 'whats TETC', has: ['Tackling Emerging Threats to Children'] },
    { q: 'KS2 reading writing maths 2016 - county vs national in the performance report', has: ['53.8%', '54.0%'] },
    { q: 'future in mind - how much extra investment a year? (mid-year review)', has: ['£1½ million'] },
    { q: 'younger adults in long term residential & nursing care - latest no.?', has: ['635', '648', '650'] },
    { q: 'what % of household waste was recycled in 2019/20?', has: ["couldn't find a figure for 2019/20"], kind: 'notFound' },
    { q: "when's the next ofsted inspection of notts county children's services due?", has: ["couldn't find"], kind: 'notFound' },
    { q: 'what is the price of fish in grimsby', has: ["couldn't find"], kind: 'notFound' },
  ];
  for (const c of cases) {
    it(`"${c.q}"`, () => {
      const a = answerer.answer(c.q);
      const text = visible(a);
      if (c.kind) expect(a.kind).to.equal(c.kind);
      else expect(a.kind, a.text).to.equal('answer');
      for (const h of c.has) expect(text, `expected "${h}"`).to.include(h);
      for (const n of c.not ?? []) expect(text).not.to.include(n);
      if (a.kind === 'answer') expect(a.sources.length, 'cites a source').to.be.greaterThan(0);
    });
  }

  it('never gives a figure as the answer when it cannot find it: the nearest comes after saying so, labelled', () => {
    const a = answerer.answer('what % of household waste was recycled in 2019/20?');
    expect(a.kind).to.equal('notFound');
    expect(a.text).to.match(/^I couldn't find a figure for 2019\/20/);
    const figure = a.text.indexOf('44.70%');
    if (figure >= 0) expect(a.text.lastIndexOf('The nearest they have', figure)).to.be.greaterThan(0);
    expect(a.choices.length).to.be.within(1, 3);
  });

  it('shows both authorities when an indicator exists for each and the question does not say which', () => {
    const a = answerer.answer('whats the NEET rate');
    expect(a.text).to.include('5.4%').and.include('1.5%');
  });

  it('answers the figure first, with its period, then compares with target and national', () => {
    const a = answerer.answer('no. of tailored interventions to protect vulnerable residents Q4?');
    expect(a.text).to.match(/^Number of tailored interventions.*: 280 \(Q4 2016\/17\), previously 206/);
    expect(a.headline).to.deep.include({ value: '280', period: 'Q4 2016/17' });
    expect(a.facts).to.deep.include({ label: 'Target', value: '250' });
    expect(a.facts).to.deep.include({ label: 'Good is', value: 'higher is better' });
    expect(a.facts).to.deep.include({ label: 'Direction of travel', value: 'improving' });
    expect(a.facts).to.deep.include({ label: 'Against target', value: 'on target' });
  });

  it('judges direction by polarity: lower is better for road casualties', () => {
    const a = answerer.answer('people killed or seriously injured in road traffic collisions');
    expect(a.facts).to.deep.include({ label: 'Direction of travel', value: 'worse' });
    expect(a.facts).to.deep.include({ label: 'Against target', value: 'on target' });
  });

  describe('follow-ups lean on the last answer', () => {
    it('"and the target?"', () => {
      const first = answerer.answer('repeat CP plans within 2 yrs in the city');
      const a = answerer.answer('and the target?', first.context);
      expect(a.text).to.include('8.0%');
    });
    it('"who leads it?"', () => {
      const first = answerer.answer('self-harm admissions 10-24 in the city');
      const a = answerer.answer('who leads it?', first.context);
      expect(a.text).to.include('Claire Tagg');
    });
    it('"what about the city?"', () => {
      const first = answerer.answer('NEET rate notts');
      expect(first.text).to.include('1.5%');
      const a = answerer.answer('what about the city?', first.context);
      expect(a.text).to.include('5.4%');
      expect(a.text).not.to.include('1.5%');
    });
    it('a new full question is not treated as a follow-up', () => {
      const first = answerer.answer('NEET rate notts');
      const a = answerer.answer('who leads on breastfeeding', first.context);
      expect(a.text).to.include('Helene Denness');
    });
  });
});
