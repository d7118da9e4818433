/**
 * Charts in cards (bot/charts.ts): an indicator answer's figures as bars (a
 * line when it has three or more dated figures of one measure), a summary's
 * RAG split as a donut. Each is checked against the Teams card schema and its
 * fallback must hold the same figures, except those the card's text states
 * already (test/helpers/adaptiveCard.ts); first, that the check itself catches
 * what it should.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerCard } from '../bot/cards';
import { answerChart, answerFigures, indicatorChart, ragDonut } from '../bot/charts';
import { summaryCard } from '../bot/summaryCards';
import { realKnowledge } from './helpers/knowledge';
import { chartErrors, validateCard } from './helpers/adaptiveCard';
import { ROOT } from './helpers/paths';

type Json = Record<string, unknown>;
const GOOD = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [] as unknown[] };
const withChart = (chart: Json) => ({ ...GOOD, body: [{ type: 'TextBlock', text: 'Figures', wrap: true }, chart] });
const bars = (extra: Json = {}) => ({
  type: 'Chart.VerticalBar',
  title: 'Waiting time',
  data: [
    { x: 'Latest', y: 10.9 },
    { x: 'Previous', y: 6.59 },
  ],
  fallback: { type: 'FactSet', facts: [{ title: 'Latest', value: '10.9 weeks (April)' }, { title: 'Previous', value: '6.59 weeks (January 2017)' }] },
  ...extra,
});
/** The charts of a card, wherever they are. */
function chartsOf(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      if (String((x as Json).type).startsWith('Chart.')) out.push(x as Json);
      else Object.values(x).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('the chart check: the Teams card schema, a fallback, the same figures', () => {
  it('accepts a chart with a fallback that holds its figures', () => {
    expect(validateCard(withChart(bars()))).to.deep.equal([]);
  });

  it('accepts a fallback with rows only for the figures the card does not state, or "drop" when it states them all', () => {
    const stating = (text: string, chart: Json) => ({ ...GOOD, body: [{ type: 'TextBlock', text, wrap: true }, chart] });
    expect(validateCard(stating('Latest 10.9 weeks (April)', bars({ fallback: { type: 'FactSet', facts: [{ title: 'Previous', value: '6.59 weeks (January 2017)' }] } })))).to.deep.equal([]);
    expect(validateCard(stating('10.9 weeks (April); previously 6.59 weeks (January 2017)', bars({ fallback: 'drop' })))).to.deep.equal([]);
  });

  const faults: [string, Json, RegExp][] = [
    ['a chart without a fallback', { ...bars(), fallback: undefined }, /needs a fallback/],
    ['a fallback that is another chart', bars({ fallback: { type: 'Chart.Donut', data: [{ legend: 'Latest', value: 10.9 }] } }), /fallback is another chart/],
    ['a fallback with another figure', bars({ fallback: { type: 'FactSet', facts: [{ title: 'Latest', value: '10.9 weeks' }, { title: 'Previous', value: '6.95 weeks' }] } }), /\("Previous"\) is 6.59 but its fallback row says "6.95 weeks"/],
    ['a fallback with a figure missing', bars({ fallback: { type: 'FactSet', facts: [{ title: 'Latest', value: '10.9 weeks' }] } }), /draws 2 figures but its fallback has 1 rows/],
    ['a fallback labelled otherwise', bars({ fallback: { type: 'FactSet', facts: [{ title: 'Now', value: '10.9 weeks' }, { title: 'Previous', value: '6.59 weeks' }] } }), /labelled "Latest" but its fallback row says "Now"/],
    ['a value the Teams schema refuses', bars({ data: [{ x: 'Latest', y: '10.9 weeks' }, { x: 'Previous', y: 6.59 }] }), /Chart.VerticalBar \(Teams card schema\): \/data\/0\/y must be number/],
    ['a property the Teams schema does not have', bars({ legendPosition: 'top' }), /must NOT have additional properties "legendPosition"/],
    ['a colour Teams does not have', bars({ color: 'hotPink' }), /\/color must match pattern/],
    ['a fallback Teams cannot render', bars({ fallback: { type: 'FactSet', facts: [{ title: 'Latest', value: 10.9 }, { title: 'Previous', value: '6.59' }] } }), /facts\[0\] needs title and value strings/],
    ['"drop" where the card does not state the figures', bars({ fallback: 'drop' }), /draws 2 figures but its fallback has 0 rows, and the card's text does not state "Latest" \(10.9\), "Previous" \(6.59\)/],
  ];
  for (const [what, chart, message] of faults) {
    it(`refuses ${what}`, () => {
      expect(validateCard(withChart(chart)).join('\n')).to.match(message);
    });
  }

  it('checks charts inside columns and ShowCard cards too', () => {
    const nested = { ...GOOD, body: [{ type: 'ColumnSet', columns: [{ type: 'Column', items: [{ ...bars(), fallback: undefined }] }] }] };
    expect(chartErrors(JSON.parse(JSON.stringify(nested)) as Json).join('\n')).to.match(/body\[0\]\.columns\[0\]\.items\[0\]: Chart.VerticalBar needs a fallback/);
  });
});

describe('an indicator answer carries its figures as a chart', () => {
  const { answerer, summariser, knowledge } = realKnowledge();

  it('latest and previous (and target, national) as bars, with no strings the figures do not need; the card\'s headline and facts state them, so the fallback is "drop"', () => {
    const a = answerer.answer('what is the latest CAMHS waiting time');
    const card = answerCard(a);
    expect(validateCard(card)).to.deep.equal([]);
    const [chart] = chartsOf(card);
    // No title or legend (the answer says what it is): the bars, their short labels and the unit.
    expect(chart).to.deep.equal({
      type: 'Chart.VerticalBar',
      yAxisTitle: 'weeks',
      showBarValues: true,
      data: [
        { x: 'Latest', y: 10.9, color: 'categoricalBlue' },
        { x: 'Previous', y: 6.59, color: 'categoricalLavender' },
      ],
      fallback: 'drop',
      spacing: 'Medium',
    });
    // The figures are in the card's text, once, not only in the picture: a client without charts shows them there.
    const rest = JSON.stringify((card.body as unknown[]).filter((x) => x !== chart));
    expect(rest).to.include('"10.9 weeks"').and.include('"April"').and.include('6.59 weeks (January 2017)');
    expect(JSON.stringify(card).match(/6\.59 weeks/g)).to.have.length(1);
    const cp = chartsOf(answerCard(answerer.answer('how many kids on a CP plan in the city')))[0];
    expect(cp.data).to.deep.equal([
      { x: 'Latest', y: 569, color: 'categoricalBlue' },
      { x: 'Target', y: 458, color: 'good' },
    ]);
  });

  it('a line when it has three or more dated figures of one measure, oldest first; figures of a related measure are left out', () => {
    const ae = chartsOf(answerCard(answerer.answer('trend in A&E attendances caused by deliberate injury for under 5s in the city')))[0];
    expect(ae.type).to.equal('Chart.Line');
    expect((ae.data as { values: unknown[] }[])[0].values).to.deep.equal([
      { x: '2013/14', y: 3114 },
      { x: '2014/15', y: 2284 },
      { x: '2015/16', y: 2076 },
      { x: '2016/17', y: 2345 },
      { x: '2017/18', y: 2848 },
    ]);
    // Every point is the answer's headline or one of its facts: nothing to repeat for a client without charts.
    expect(ae.fallback).to.equal('drop');
    expect(ae).to.not.have.property('title');
    expect((ae.data as Json[])[0]).to.not.have.property('legend');
    // The teenage conception rate by quarter: not the counts of conceptions the indicator also holds ("127 (rolling year to Q4 2016)").
    const tc = chartsOf(answerCard(answerer.answer('teenage conception rate trend in the city')))[0];
    expect((tc.data as { values: unknown[] }[])[0].values).to.deep.equal([
      { x: 'Q4 2015', y: 31.4 },
      { x: 'Q3 2016', y: 27 },
      { x: 'Q4 2016', y: 26.9 },
    ]);
  });

  it('no chart where it would say nothing or mislead: one figure, figures in other units, a target that is not a level, answers that are not figures', () => {
    expect(indicatorChart([{ label: 'Latest', value: '608', period: '2017/18' }])).to.equal(undefined);
    expect(indicatorChart([{ label: 'Latest', value: '23.0 percentage points', period: 'Q3 2017/18' }, { label: 'Previous', value: '22.6%', period: '2016' }])).to.equal(undefined);
    expect(indicatorChart([{ label: 'Latest', value: '445', period: 'Q4 2016/17' }, { label: 'Target', value: 'Lower than National' }])).to.equal(undefined);
    expect(indicatorChart([{ label: 'Latest', value: '10%' }, { label: 'Target', value: 'by 30%' }])).to.equal(undefined);
    // Two figures for one period are two measures, not a series: bars of latest and previous instead.
    const twoMeasures = indicatorChart([
      { label: 'Latest', value: '46%', period: '16/17' },
      { label: 'Previous', value: '47%', period: '15/16' },
      { label: 'Also', value: '54%', period: '16/17' },
    ]);
    expect(twoMeasures?.type).to.equal('Chart.VerticalBar');
    for (const q of ['who leads on breastfeeding', 'what does SHARP stand for', 'help']) expect(answerChart(answerer.answer(q)), q).to.deep.equal([]);
  });

  it('reads the figures as the answer states them: value, then its period in brackets; notes after a dash left out', () => {
    expect(answerFigures(answerer.answer('what is the latest CAMHS waiting time'))).to.deep.equal([
      { label: 'Latest', value: '10.9 weeks', period: 'April', stated: true },
      { label: 'Previous', value: '6.59 weeks', period: 'January 2017', stated: true },
    ]);
  });

  it('a figure the card does not state gets a fallback row, in the chart\'s order; those it states do not', () => {
    const line = indicatorChart([
      { label: 'Latest', value: '2,848', period: '2017/18', stated: true },
      { label: 'Previous', value: '2,345', period: '2016/17', stated: true },
      { label: 'Also', value: '2,284', period: '2014/15' },
      { label: 'Also', value: '3,114', period: '2013/14' },
    ])!;
    expect(line.fallback).to.deep.equal({ type: 'FactSet', facts: [{ title: '2013/14', value: '3,114' }, { title: '2014/15', value: '2,284' }] });
    const card = { ...GOOD, body: [{ type: 'TextBlock', text: '2,848 (2017/18), previously 2,345 (2016/17)', wrap: true }, line] };
    expect(validateCard(card)).to.deep.equal([]);
    // Had the card not stated the latest two, the check would say so.
    expect(validateCard({ ...card, body: [line] }).join('\n')).to.match(/does not state "2016\/17" \(2345\), "2017\/18" \(2848\)/);
  });

  it('every held-out-like question\'s answer card validates with its chart; many indicator answers carry one', () => {
    const questions = (JSON.parse(readFileSync(join(ROOT, 'test', 'eval', 'heldout-like.json'), 'utf8')) as { question: string }[]).map((q) => q.question);
    let withChart = 0;
    for (const q of questions) {
      const a = answerer.answer(q);
      if (a.kind !== 'answer') continue;
      const card = answerCard(a);
      expect(validateCard(card), q).to.deep.equal([]);
      if (chartsOf(card).length) withChart++;
    }
    expect(withChart).to.be.at.least(10);
  });

  it('every summary carries its RAG split as a donut whose fallback holds the same counts as the RAG line', () => {
    for (const plan of knowledge.plans) {
      for (const n of summariser.prioritiesOf(plan.id)) {
        const s = summariser.summarise(plan.id, n)!;
        const donut = ragDonut(s)!;
        const r = s.rollup;
        const counts = Object.fromEntries(donut.data.map((d) => [d.legend, d.value]));
        if (s.noTargets) expect(counts, `${plan.id} ${n}`).to.deep.include({ ...(r.improving ? { Improving: r.improving } : {}), ...(r.worse ? { Worse: r.worse } : {}) });
        else expect(counts, `${plan.id} ${n}`).to.deep.equal(Object.fromEntries(Object.entries({ 'On target': r.onTarget, 'Off target': r.offTarget, 'No target': r.noTarget, 'Not judged': r.unknown }).filter(([, v]) => v)));
        expect(donut.data.reduce((t, d) => t + d.value, 0)).to.equal(r.indicators);
        const card = summaryCard(s);
        expect(chartsOf(card).map((c) => c.type), `${plan.id} ${n}`).to.deep.equal(['Chart.Donut']);
        expect(validateCard(card), `${plan.id} ${n}`).to.deep.equal([]);
      }
    }
  });
});
