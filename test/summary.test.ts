import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import { summaryCard, cardBytes, CARD_BYTE_BUDGET } from '../bot/summaryCards';
import { summaryMarkdown, parseSince, Summariser } from '../knowledge/summary';
import { updatesFixture } from './helpers/updates';
import { validateCard } from './helpers/adaptiveCard';

describe('priority summaries', () => {
  const { knowledge, summariser } = realKnowledge();

  it('can be produced for every priority of every plan, as a valid card under the Teams size limit', () => {
    let n = 0;
    for (const plan of knowledge.plans) {
      for (const number of summariser.prioritiesOf(plan.id)) {
        const s = summariser.summarise(plan.id, number)!;
        expect(s, `${plan.id} ${number}`).to.exist;
        const card = summaryCard(s);
        expect(validateCard(card as never), `${plan.id} ${number}`).to.deep.equal([]);
        expect(cardBytes(card), `${plan.id} ${number}`).to.be.below(CARD_BYTE_BUDGET + 1);
        n++;
      }
    }
    expect(n).to.equal(4 + 4 + 5);
  });

  it('city priority 4: figures, leads and roll-up from the city plan', () => {
    const s = summariser.summarise('city-cypp-2016-20', 4)!;
    expect(s.title).to.match(/economic wellbeing/);
    const pf = s.indicators.find((i) => /priority families/i.test(i.title) && i.target);
    expect(pf, 'a Priority Families indicator with a target').to.exist;
    expect(s.rollup.indicators).to.equal(s.indicators.length);
    expect(s.rollup.onTarget + s.rollup.offTarget + s.rollup.noTarget + s.rollup.unknown).to.equal(s.indicators.length);
    expect(s.sources.map((x) => x.document)).to.deep.equal(['city-cypp-action-plan']);
  });

  it('county CYPF priority 1: brings together the improvement plan, the evidence and the mid-year review', () => {
    const s = summariser.summarise('county-cypf-2016-18', 1)!;
    expect([...new Set(s.sources.map((x) => x.document))]).to.include.members(['county-cip-2016-18', 'county-evidence-2016-18']);
    const mash = s.actions.find((a) => a.text.startsWith('Co-location of'));
    expect(mash?.due).to.equal('March 2017');
    expect(s.outcomes.length).to.be.greaterThan(3);
  });

  it('council plan priority 1: statuses computed from target and polarity', () => {
    const s = summariser.summarise('county-council-plan', 1)!;
    const interventions = s.indicators.find((i) => i.title.startsWith('Number of tailored interventions'))!;
    expect(interventions.latest).to.include('280');
    expect(interventions.status).to.equal('on target');
    expect(interventions.direction).to.equal('improving');
    const crime = s.indicators.find((i) => i.title.startsWith('All recorded crime'))!;
    expect(crime.status).to.equal('off target');
    expect(crime.direction).to.equal('worse');
    expect(s.rollup.onTarget).to.be.greaterThan(0);
    expect(s.rollup.offTarget).to.be.greaterThan(0);
  });

  it('exports the same summary as Markdown', () => {
    const md = summaryMarkdown(summariser.summarise('county-council-plan', 1)!);
    expect(md).to.include('| Indicator | Latest |');
    expect(md).to.include('280');
    expect(md).to.include('### Sources');
  });

  it('recognises requests by number, theme and plan, and asks when the plan is unclear', () => {
    const byNumber = summariser.request('summarise priority 4 of the city CYPP');
    expect(byNumber.kind).to.equal('summary');
    if (byNumber.kind === 'summary') expect(byNumber.summary.planId).to.equal('city-cypp-2016-20');
    const byTheme = summariser.request('how is safeguarding doing in the city', 'city');
    expect(byTheme.kind).to.equal('summary');
    if (byTheme.kind === 'summary') expect(byTheme.summary.number).to.equal(2);
    const unclear = summariser.request('summarise priority 2');
    expect(unclear.kind).to.equal('choose');
    if (unclear.kind === 'choose') expect(unclear.choices.map((c) => c.planId)).to.include.members(['city-cypp-2016-20', 'county-cypf-2016-18']);
  });
});

describe('what changed since', () => {
  it('reads "since" as a date, a period or a relative period', () => {
    const now = new Date('2018-05-15T00:00:00Z');
    expect(parseSince('what changed in priority 1 since Q3 2017/18', now)).to.deep.equal({ from: '2017-10-01', label: 'the start of Q3 2017/18' });
    expect(parseSince('changes since March 2018?', now)).to.deep.include({ from: '2018-03-01' });
    expect(parseSince('what changed since last quarter', now)).to.deep.include({ from: '2018-01-01' });
    expect(parseSince('summarise priority 2', now)).to.equal(undefined);
    expect(parseSince('since whenever', now)).to.have.property('error');
  });

  it('lists updates and the plan figures after the date', async () => {
    const f = updatesFixture(['rev-1']);
    try {
      const { knowledge, index } = realKnowledge();
      const summariser = new Summariser(knowledge, index, f.published);
      const { submission } = await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '46,000', period: 'Q1 2017/18', status: 'on track', narrative: 'Crime fell after the new neighbourhood teams started.' }, { id: 'lead-1', name: 'Lee Lead' }, 'k1');
      await f.service.review(submission.id, 'approved', { id: 'rev-1', name: 'Rita' });
      const r = summariser.request('what changed in priority 1 of the council plan since Q3 2016/17');
      expect(r.kind).to.equal('summary');
      if (r.kind !== 'summary') return;
      const c = r.summary.changes!;
      expect(c.updates.map((u) => [u.title, u.value, u.reviewState])).to.deep.equal([['All recorded crime (Q4)', '46,000', 'approved']]);
      expect(c.figures.map((x) => x.value)).to.include('280');
      const crime = r.summary.indicators.find((i) => i.id === 'cp-p1-recorded-crime')!;
      expect(crime.latest).to.equal('46,000 (Q1 2017/18)');
      expect(r.summary.narratives[0]).to.deep.include({ origin: 'approved update', text: 'Crime fell after the new neighbourhood teams started.' });
      expect(summaryMarkdown(r.summary)).to.include('### What changed since the start of Q3 2016/17');
    } finally {
      f.close();
    }
  });
});
