import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { realKnowledge } from './helpers/knowledge';
import { summaryCard, cardBytes, exportData, overviewCard, CARD_BYTE_BUDGET, CHANGES_SHOWN } from '../bot/summaryCards';
import { parseSince, Summariser } from '../knowledge/summary';
import { summaryText } from '../reports/summaryText';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import { validateCard, validateReplyCards } from './helpers/adaptiveCard';

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

  it("puts the report's own summary of a council plan priority on the card itself", () => {
    const s = summariser.summarise('county-council-plan', 5)!;
    expect(s.planSummary[0].text).to.match(/^The council continues to invest in the future/);
    const body = JSON.stringify((summaryCard(s) as { body: unknown[] }).body);
    expect(body).to.include('Key Stage 2 and Key Stage 4');
    // A plan without its own priority summaries shows none.
    expect(summariser.summarise('city-cypp-2016-20', 4)!.planSummary).to.deep.equal([]);
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

  it('exports the same summary as plain text: no Markdown, no empty fields, no paragraph twice', () => {
    const txt = summaryText(summariser.summarise('county-council-plan', 1)!);
    expect(txt).to.include('Needs attention').and.include('Indicators').and.include('280').and.include('\nSources\n');
    expect(txt).to.not.match(/\|\s*\||\*\*|###|\]\(/);
    // Fields an indicator does not have are left out, not shown empty.
    expect(txt).to.not.match(/(Previous|Target|National|Lead): (;|$)/m);
    // The mid-year review's paragraph about the Future in Mind plan is filed under the priority and an activity: said once,
    // and its Markdown link and emphasis ("[Future in Mind …](#)", "*Take 5*") read as plain words.
    const cypf2 = summaryText(summariser.summarise('county-cypf-2016-18', 2)!);
    const paragraphs = cypf2.split('\n').filter((l) => l.startsWith('- ') && l.length > 120);
    expect(new Set(paragraphs).size).to.equal(paragraphs.length);
    expect(cypf2).to.include('The Take 5 resilience programme').and.include('The Future in Mind Transformation Plan 2015-2020 outlines');
    expect(cypf2).to.not.include('*Take 5*');
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
      const summariser = new Summariser(knowledge, index, { updates: f.published });
      const { submission } = await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '46,000', period: 'Q1 2017/18', status: 'on track', narrative: 'Crime fell after the new neighbourhood teams started.' }, { id: 'lead-1', name: 'Lee Lead' }, 'k1');
      await f.service.review(submission.id, 'approved', { id: 'rev-1', name: 'Rita' });
      const r = summariser.request('what changed in priority 1 of the council plan since Q3 2016/17');
      expect(r.kind).to.equal('summary');
      if (r.kind !== 'summary') return;
      const c = r.summary.changes!;
      expect(c.entries.filter((x) => x.kind === 'update').map((u) => [u.title, u.what, u.who, u.approvedBy])).to.deep.equal([['All recorded crime (Q4)', '46,000 for Q1 2017/18, on track', 'Lee Lead', 'Rita']]);
      expect(c.entries.filter((x) => x.kind === 'figure').map((x) => x.what)).to.include('280 for Q4 2016/17');
      const crime = r.summary.indicators.find((i) => i.id === 'cp-p1-recorded-crime')!;
      expect(crime.latest).to.equal('46,000 (Q1 2017/18)');
      expect(r.summary.narratives[0]).to.deep.include({ origin: 'approved update', text: 'Crime fell after the new neighbourhood teams started.' });
      expect(summaryText(r.summary)).to.include('What changed since the start of Q3 2016/17 (1 October 2016)');
    } finally {
      f.close();
    }
  });
});

// Which plan and priority a request means (Summariser.request) is tested on the fixture plans: test/plan-catalogue.test.ts.

describe('summaries through the Teams handler', () => {
  let f: UpdatesFixture;
  let unanswered: MemoryUnansweredLog;
  let adapter: TestAdapter;
  beforeEach(() => {
    f = updatesFixture(['rev-1']);
    unanswered = new MemoryUnansweredLog();
    const { knowledge, index, answerer } = realKnowledge();
    const bot = new PlanBot({ answerer, summariser: new Summariser(knowledge, index, { updates: f.published }), conversationState: new ConversationState(new MemoryStorage()), unanswered, updates: f.service, logger: silentLogger() });
    adapter = new TestAdapter(async (ctx) => bot.run(ctx));
  });
  afterEach(() => f.close());
  async function say(input: string | Record<string, unknown>): Promise<Partial<Activity>[]> {
    await adapter.send(typeof input === 'string' ? input : { type: 'message', value: input });
    return adapter.activeQueue.splice(0);
  }

  it('a bare "summary" gets a card of plans and priorities, and is not logged as unanswered', async () => {
    const replies = await say('summary');
    expect(replies).to.have.length(1);
    expect(validateReplyCards(replies)).to.deep.equal([]);
    const text = visibleText(replies[0] as never);
    expect(text).to.include('Which plan and priority').and.include("Children and Young People's Plan 2016-2020").and.include('Nottinghamshire County Council Plan');
    expect(unanswered.entries).to.deep.equal([]);
  });

  it('a suggested follow-up ("Summarise priority 4 for the county" under a CYPF priority 4 answer) summarises that plan\'s priority; asked afresh, the county\'s children\'s plan, saying so', async () => {
    await say('what is the latest CAMHS waiting time');
    const [followUp] = await say('Summarise priority 4 for the county');
    expect(followUp.text).to.match(/^Nottinghamshire County Council, Children, Young People and Families Plan 2016-2018, priority 4/);
    expect(validateReplyCards([followUp])).to.deep.equal([]);
    // A different number is not a follow-up on the same priority: the county's children's plan, saying which, with the council plan one tap away.
    const [afresh] = await say('Summarise priority 2 for the county');
    expect(afresh.text).to.match(/^From the Children, Young People and Families Plan 2016-2018 \(CYPF 2016-18\), the county's most recent children's plan \(none is running on \d+ \w+ \d{4}\)\. Nottinghamshire County Council, Children, Young People and Families Plan 2016-2018, priority 2/);
    expect(validateReplyCards([afresh])).to.deep.equal([]);
    expect(visibleText(afresh as never)).to.include('Switch to Council Plan 2016/17 · P2');
    const { summariser } = realKnowledge();
    const fresh = summariser.request('Summarise priority 4 for the county', 'county');
    expect(fresh.kind === 'summary' && [fresh.summary.planId, fresh.defaulted?.alternatives.map((c) => c.planId)]).to.deep.equal(['county-cypf-2016-18', ['county-council-plan']]);
    const r = summariser.request('Summarise priority 4 for the county', 'county', { priorityId: realKnowledge().knowledge.priorities.find((p) => p.plan === 'county-council-plan' && p.number === 4)!.id });
    expect(r.kind === 'summary' && r.summary.planId).to.equal('county-council-plan');
  });

  it('"summarise mental health" asks which plan, with both', async () => {
    const replies = await say('summarise mental health');
    const text = visibleText(replies[0] as never);
    expect(text).to.include('Which plan do you mean?').and.include('City · CYPP 2016-20 · P1 Promoting the health and wellbeing of…').and.include('County · CYPF 2016-18 · P2 Happy and healthy');
  });

  it('"what changed in priority 1 since …" lists the changes of every plan\'s priority 1; its summary button keeps "since", and so does "Export as text"', async () => {
    const { submission } = await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '46,000', period: 'Q1 2017/18', status: 'on track', narrative: 'Crime fell after the new neighbourhood teams started.' }, { id: 'lead-1', name: 'Lee Lead' }, 'k1');
    await f.service.review(submission.id, 'approved', { id: 'rev-1', name: 'Rita' });
    const [changes] = await say('what changed in priority 1 since Q3 2016/17');
    expect(validateReplyCards([changes])).to.deep.equal([]);
    expect(changes.text).to.match(/^Since the start of Q3 2016\/17 \(1 October 2016\): 1 approved update, \d+ new figures and 0 RAG changes in \d of 3 priorities\.$/);
    expect(visibleText(changes as never)).to.include('Update: All recorded crime (Q4): 46,000 for Q1 2017/18, on track (reported by Lee Lead, approved by Rita on');
    const buttons = (changes.attachments![0].content as { actions: { title: string; data?: Record<string, unknown> }[] }).actions;
    const council = buttons.find((b) => b.data?.planId === 'county-council-plan')!;
    expect(council.data).to.deep.equal({ action: 'summary', planId: 'county-council-plan', priority: 1, since: { from: '2016-10-01', label: 'the start of Q3 2016/17' } });
    const [summary] = await say(council.data!);
    expect(validateReplyCards([summary])).to.deep.equal([]);
    expect(visibleText(summary as never)).to.include('What changed since the start of Q3 2016/17').and.include('Update: All recorded crime (Q4): 46,000 for Q1 2017/18, on track');
    const card = summary.attachments![0].content as { actions: { title: string; data?: Record<string, unknown> }[] };
    const exportButton = card.actions.find((a) => a.title === 'Export as text')!;
    expect(exportButton.data).to.deep.equal({ action: 'exportSummary', planId: 'county-council-plan', priority: 1, since: { from: '2016-10-01', label: 'the start of Q3 2016/17' } });
    const [txt] = await say(exportButton.data!);
    expect(txt.textFormat).to.equal('plain');
    expect(txt.text).to.include('What changed since the start of Q3 2016/17 (1 October 2016)').and.include('46,000');
    // Without "since", no changes; a damaged "since" is ignored rather than trusted.
    expect((await say({ action: 'exportSummary', planId: 'county-council-plan', priority: 1 }))[0].text).to.not.include('What changed');
    expect((await say({ action: 'exportSummary', planId: 'county-council-plan', priority: 1, since: { from: 'yesterday<script>', label: 'x' } }))[0].text).to.not.include('What changed');
  });
});

describe('"what changed since" stays within the card size limit', () => {
  it('with many approved and pending updates and figures: capped on the card, the rest under "Show all", all in the export; pending ones only for a reviewer, marked', async () => {
    const f = updatesFixture(['rev-1']);
    try {
      const { knowledge, index } = realKnowledge();
      const everyone = new Summariser(knowledge, index, { updates: f.published });
      // As a reviewer sees it: pending updates too (others see only approved ones: pending-visibility.test.ts).
      const reviewer = everyone.seenBy(() => true);
      const items = f.service.itemsIn('county-cypf-2016-18', 1);
      const long = 'The service has continued to develop this work with partners across the county, '.repeat(40);
      let n = 0;
      let approved = 0;
      for (const item of items) {
        for (const period of ['Q1 2017/18', 'Q2 2017/18', 'Q3 2017/18', 'Q4 2017/18']) {
          const pending = n % 3 === 0;
          const { submission } = await f.service.submit({ itemId: item.id, value: item.kind === 'indicator' ? String(100 + n) : undefined, period, status: 'at risk', narrative: long, reason: 'Staff vacancies.', recovery: 'Recruiting.' }, { id: 'lead-1', name: `${pending ? 'Pending' : 'Approved'} lead number ${n}` }, `k${n++}`);
          if (!pending) {
            await f.service.review(submission.id, 'approved', { id: 'rev-1', name: 'Rita Reviewer' });
            approved++;
          }
        }
      }
      const since = { from: '2016-04-01', label: 'the start of 2016/17' };
      for (const [who, summariser, updatesSeen] of [['a reviewer', reviewer, items.length * 4], ['anyone else', everyone, approved]] as const) {
        const s = summariser.summarise('county-cypf-2016-18', 1, since)!;
        const updates = s.changes!.entries.filter((x) => x.kind === 'update');
        expect(updates.length, who).to.equal(updatesSeen);
        expect(updates.filter((x) => x.reviewState === 'pending').length, who).to.equal(updatesSeen - approved);
        expect(s.narratives.filter((x) => x.origin === 'approved update').length, who).to.equal(items.length);
        const card = summaryCard(s);
        expect(validateCard(card), who).to.deep.equal([]);
        expect(cardBytes(card), who).to.be.below(CARD_BYTE_BUDGET + 1);
        const json = JSON.stringify(card);
        expect(json, who).to.include(`Further changes (${s.changes!.entries.length - CHANGES_SHOWN})`);
        const txt = summaryText(s);
        expect(txt.match(/^- Update: /gm), who).to.have.length(approved);
        expect(txt.match(/^- Update \(pending review, not published\): /gm) ?? [], who).to.have.length(updatesSeen - approved);
        if (summariser === everyone) {
          expect(json).to.not.include('Pending lead');
          expect(txt).to.not.include('Pending lead');
        } else expect(txt).to.include('Pending lead');
        expect(exportData(s)).to.deep.equal({ action: 'exportSummary', planId: 'county-cypf-2016-18', priority: 1, since });
        expect(summaryText(summariser.summarise('county-cypf-2016-18', 1, summariser.sinceFromCard(exportData(s).since))!)).to.equal(txt);
      }
    } finally {
      f.close();
    }
  });

  it('every priority of every plan, with "what changed since" and approved updates on every item, validates and fits', async () => {
    const f = updatesFixture(['rev-1']);
    try {
      const { knowledge, index } = realKnowledge();
      const summariser = new Summariser(knowledge, index, { updates: f.published });
      let n = 0;
      for (const item of f.service.allItems()) {
        const { submission } = await f.service.submit({ itemId: item.id, value: item.kind === 'indicator' ? '12' : undefined, period: 'Q4 2017/18', status: 'on track', narrative: 'Progress reported in full for the board. '.repeat(50) }, { id: 'lead-1', name: 'Lee Lead' }, `k${n++}`);
        await f.service.review(submission.id, 'approved', { id: 'rev-1', name: 'Rita' });
      }
      for (const plan of knowledge.plans) {
        for (const number of summariser.prioritiesOf(plan.id)) {
          const card = summaryCard(summariser.summarise(plan.id, number, { from: '2015-04-01', label: 'the start of 2015/16' })!);
          expect(validateCard(card), `${plan.id} ${number}`).to.deep.equal([]);
          expect(cardBytes(card), `${plan.id} ${number}`).to.be.below(CARD_BYTE_BUDGET + 1);
        }
      }
    } finally {
      f.close();
    }
  });
});

describe('summaries of a document and of a priority named by its title', () => {
  const { summariser } = realKnowledge();

  it('summarises a named document priority by priority, in its own words, with sources', () => {
    const r = summariser.request('summarise the jan 2017 mid-year review of the cypf plan', 'county');
    expect(r.kind).to.equal('overview');
    if (r.kind !== 'overview') return;
    expect(r.overview.document.date).to.equal('19 January 2017');
    expect(r.overview.sections.map((s) => s.number)).to.deep.equal([1, 2, 3, 4]);
    expect(r.overview.sections[1].title).to.equal('Children and young people are happy and healthy');
    const all = r.overview.sections.flatMap((s) => s.points);
    expect(all.some((p) => p.text.startsWith('Future in Mind Transformation Plan 2015-2020: Progress to date includes the integration of CAMHS Tier 2 and 3'))).to.equal(true);
    for (const p of all) expect(p.source.document).to.equal('trust-mid-year-review-2017');
    const c = overviewCard(r.overview);
    expect(validateCard(c)).to.deep.equal([]);
    expect(JSON.stringify(c)).to.include('SEND Accountability Board');
  });

  it('picks the plan whose priority title the request quotes, or whose document it names', () => {
    const byTitle = summariser.request('summarise what the county achieved under priority 1 (children and young people are safe)', 'county');
    expect(byTitle.kind === 'summary' && byTitle.summary.planId).to.equal('county-cypf-2016-18');
    const byDocument = summariser.request('summarise priority 1 of the evidence of achievement', 'county');
    expect(byDocument.kind === 'summary' && byDocument.summary.planId).to.equal('county-cypf-2016-18');
    // Neither: the county has two plans with a priority 2; without a plan named, its children's plan, saying so.
    const neither = summariser.request('summarise priority 2 for the county', 'county');
    expect(neither.kind === 'summary' && neither.summary.planId).to.equal('county-cypf-2016-18');
    expect(neither.kind === 'summary' && neither.defaulted?.message).to.match(/^From the Children, Young People and Families Plan 2016-2018 \(CYPF 2016-18\), the county's most recent children's plan/);
  });
});
