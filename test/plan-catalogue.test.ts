/**
 * The catalogue of plans built from the YAML (knowledge/catalogue.ts) and
 * what reads it, on the fixture plans (test/fixtures/next-plan: an older
 * county plan 2016-18, the next one 2018-21 with a later quarterly report
 * that carries on the older plan's CAMHS waiting time, a council plan and a
 * city plan), on a set day: periods read into dates, names matched loosely
 * from the aliases, which plan a request means on the day, labels that lead
 * with what differs, "latest" across plans, and the answers that use them.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { readWhen } from '../knowledge/periods';
import { NameMatcher } from '../knowledge/names';
import { distanceWithin, editDistance } from '../knowledge/editDistance';
import { Catalogue, catalogueOf } from '../knowledge/catalogue';
import { loadKnowledge } from '../knowledge/loader';
import { normalise } from '../knowledge/text';
import { summaryChoiceCard, summaryCard } from '../bot/summaryCards';
import { withDefaultedPlan } from '../bot/defaultPlanCard';
import type { SummaryRequest } from '../knowledge/summary';
import { fixtureKnowledge, realKnowledge } from './helpers/knowledge';
import { FIXTURES } from './helpers/paths';
import { validateCard } from './helpers/adaptiveCard';
import { submitDataIn } from './helpers/assertions';

const day = (d: string) => new Date(`${d}T09:00:00Z`);

describe('periods read into dates, once, at load', () => {
  const cases: [string, string, string, string][] = [
    ['Q4 2016/17', '2017-01-01', '2017-03-31', 'Q4 2016/17'],
    ['Quarter 2 2017/18', '2017-07-01', '2017-09-30', 'Q2 2017/18'],
    ['end of 2017/18 Quarter 3', '2017-10-01', '2017-12-31', 'Q3 2017/18'],
    ['16/17', '2016-04-01', '2017-03-31', '2016/17'],
    ['2017-18', '2017-04-01', '2018-03-31', '2017/18'],
    ['End of Year Update for 2017-2018', '2017-04-01', '2018-03-31', 'End of Year Update for 2017-2018'],
    ['first six months of 2016 – 2017', '2016-04-01', '2017-03-31', 'first six months of 2016 – 2017'],
    ['First 2 Quarters of 2017/18', '2017-04-01', '2017-09-30', 'First 2 Quarters of 2017/18'],
    ['2016-2018', '2016-04-01', '2018-03-31', '2016-2018'],
    ['2018-21', '2018-04-01', '2021-03-31', '2018-21'],
    ['April 2018', '2018-04-01', '2018-04-30', 'April 2018'],
    ['By December 2017', '2017-12-01', '2017-12-31', 'December 2017'],
    ['Oct 2016', '2016-10-01', '2016-10-31', 'October 2016'],
    ['19 January 2017', '2017-01-19', '2017-01-19', '19 January 2017'],
    ['As of 10/05/18', '2018-05-10', '2018-05-10', '10 May 2018'],
    ['Q4 2016', '2016-10-01', '2016-12-31', 'Q4 2016'],
    ['rolling year to Q4 2016', '2016-01-01', '2016-12-31', 'rolling year to Q4 2016'],
    ['October to December 2017', '2017-10-01', '2017-12-31', 'October to December 2017'],
    ['end of the Spring Term 2018', '2018-01-01', '2018-04-30', 'end of the Spring Term 2018'],
    ['Between 2005 and 2013', '2005-01-01', '2013-12-31', 'Between 2005 and 2013'],
    ['2011 census', '2011-01-01', '2011-12-31', '2011 census'],
    ['2016', '2016-01-01', '2016-12-31', '2016'],
  ];
  for (const [text, from, to, label] of cases) {
    it(`"${text}" is ${from} to ${to}, said "${label}"`, () => {
      expect(readWhen(text)).to.deep.equal({ kind: 'dated', span: { from, to, label } });
    });
  }

  it('a period without a year is kept as words; no period is nothing', () => {
    for (const t of ['April', 'Q3', 'Quarter 3', 'first 12 months']) expect(readWhen(t)).to.deep.equal({ kind: 'yearless', text: t });
    expect(readWhen(undefined)).to.equal(undefined);
    expect(readWhen('  ')).to.equal(undefined);
  });
});

describe('names of plans and documents, matched loosely from the aliases', () => {
  const names = new NameMatcher([
    { alias: 'continuous improvement plan', target: { kind: 'plan', id: 'cip' } },
    { alias: 'performance report', target: { kind: 'document', id: 'perf' } },
    { alias: 'Q4 report', target: { kind: 'document', id: 'q4' } },
    { alias: 'mid-year review', target: { kind: 'document', id: 'myr' } },
    { alias: 'CIP', target: { kind: 'plan', id: 'cip' } },
    { alias: 'CYPF plan', target: { kind: 'plan', id: 'old' } },
    { alias: 'new CYPF plan', target: { kind: 'plan', id: 'new' } },
  ]);
  const found = (text: string) => names.find(normalise(text)).map((f) => `${f.targets.map((t) => t.id).join('+')}:${f.text}`);

  it('finds a name with a slip or two, in any spacing ("continous improvment plan", "perfomance reprot", "midyear review")', () => {
    expect(found('priority 3 in the continous improvment plan')).to.deep.equal(['cip:continous improvment plan']);
    expect(found('in the perfomance reprot')).to.deep.equal(['perf:perfomance reprot']);
    expect(found('the midyear review, jan 2017')).to.deep.equal(['myr:midyear review']);
    expect(found('the mid year reviews')).to.deep.equal(['myr:mid year reviews']);
  });

  it('a name is compared within its few edits exactly as the full edit distance would (swaps of neighbours included)', () => {
    const pairs: [string, string][] = [
      ['continousimprovmentplan', 'continuousimprovementplan'],
      ['perfomancereprot', 'performancereport'],
      ['midyearreview', 'midyearreveiw'],
      ['cypfplan', 'cyfpplan'],
      ['abc', 'xyz'],
      ['', 'abcd'],
      ['newcypfplan', 'cypfplan'],
      ['qfourreport', 'q4report'],
    ];
    for (const [a, b] of pairs) {
      for (const max of [0, 1, 2, 3]) {
        const full = editDistance(a, b);
        expect(distanceWithin(a, b, max), `${a} ${b} within ${max}`).to.equal(full <= max ? full : max + 1);
      }
    }
  });

  it('short names and digits must be exact: "CIPP" is not CIP, the "Q3 report" is not the Q4 report', () => {
    expect(found('the CIPP')).to.deep.equal([]);
    expect(found('the q3 report')).to.deep.equal([]);
    expect(found('the q4 report')).to.deep.equal(['q4:q4 report']);
  });

  it('the longest name wins where names overlap ("the new CYPF plan" is only the new plan)', () => {
    expect(found('summarise priority 1 of the new cypf plan')).to.deep.equal(['new:new cypf plan']);
    expect(found('the cypf plan')).to.deep.equal(['old:cypf plan']);
    expect(names.knowsWord('CIP')).to.equal(true);
    expect(names.knowsWord('MMR')).to.equal(false);
  });
});

describe('the catalogue of the fixture plans', () => {
  const { knowledge } = fixtureKnowledge();
  const c = catalogueOf(knowledge);

  it('is built once per loaded knowledge', () => {
    expect(catalogueOf(knowledge)).to.equal(c);
  });

  it('names authorities from plans.yaml; an authority it does not name is its id, capitalised (a partnership is never "County")', () => {
    expect([c.authorityName('county'), c.authorityLabel('county'), c.authorityPlace('city'), c.authorityPhrase('city')]).to.deep.equal(['Exampleshire County Council', 'County', 'Example City', 'the city']);
    expect(c.authorityLabel('partnership')).to.equal('Partnership');
    const bare = new Catalogue(loadKnowledge(join(FIXTURES, 'minimal')));
    expect([bare.authorityLabel('partnership'), bare.authorityName('county'), bare.authorityPhrase('city')]).to.deep.equal(['Partnership', 'County', 'the city']);
  });

  it('knows when each plan runs: from its period, to its reporting calendar\'s last day', () => {
    expect(c.plans.map((p) => [p.id, p.runs.from, p.runs.to])).to.deep.equal([
      ['old-cypf', '2016-04-01', '2018-03-31'],
      ['cypf-2018-21', '2018-04-01', '2021-03-31'],
      ['council-plan', '2016-04-01', '2017-03-31'],
      ['city-cypp', '2016-04-01', '2020-03-31'],
    ]);
  });

  it("an authority's default plan is its children's plan running on the day, else the most recent; a council plan never is", () => {
    const pick = (authority: string, d: string) => {
      const r = c.defaultPlan(authority, day(d));
      return r && `${r.plan.id}${r.running ? ' running' : ''}`;
    };
    expect(pick('county', '2017-06-01')).to.equal('old-cypf running');
    expect(pick('county', '2019-10-20')).to.equal('cypf-2018-21 running');
    expect(pick('county', '2026-12-06')).to.equal('cypf-2018-21');
    expect(pick('city', '2026-12-06')).to.equal('city-cypp');
    expect(pick('partnership', '2019-10-20')).to.equal(undefined);
  });

  it('reads which plans and documents a question names; naming a document wins over naming its plan', () => {
    const named = (q: string) => {
      const n = c.named(q);
      return { plans: c.plansNamed(n), docs: c.preferredDocuments(n) };
    };
    expect(named('in the new CYPF plan')).to.deep.equal({ plans: ['cypf-2018-21'], docs: ['cypf-2018-21-plan', 'cypf-2018-21-q2-2019-20'] });
    expect(named('the CYPF plan 2016-18')).to.deep.equal({ plans: ['old-cypf'], docs: ['old-cypf-plan'] });
    expect(named('the Q2 perfomance report of the new CYPF plan')).to.deep.equal({ plans: ['cypf-2018-21'], docs: ['cypf-2018-21-q2-2019-20'] });
    // A name two plans share names both: which one it means is decided on the day.
    expect(named('the CYPF plan').plans).to.deep.equal(['old-cypf', 'cypf-2018-21']);
  });

  it('names a plan in suggestions so that reading it back finds the same plan', () => {
    expect(c.plans.map((p) => c.planPhrase(p.id))).to.deep.equal(['of the CYPF plan 2016-18', 'of the CYPF plan 2018-21', 'of the council plan', 'for the city']);
    for (const p of c.plans.filter((x) => x.authority === 'county')) expect(c.plansNamed(c.named(c.planPhrase(p.id)))).to.deep.equal([p.id]);
  });

  it('labels choices by what differs: the authority and plan only when they differ; priorities without the words their plan\'s share', () => {
    expect(c.choiceLabels([{ planId: 'cypf-2018-21', priority: 2 }, { planId: 'city-cypp', priority: 2 }])).to.deep.equal(['County · CYPF 2018-21 · P2 Happy and healthy', 'City · CYPP 2016-20 · P2 Safeguarding children']);
    expect(c.choiceLabels([{ planId: 'cypf-2018-21', priority: 1 }, { planId: 'council-plan', priority: 1 }])).to.deep.equal(['CYPF 2018-21 · P1 Safe', 'Council Plan 2016/17 · P1']);
    expect(c.choiceLabels([{ planId: 'cypf-2018-21', priority: 1 }, { planId: 'cypf-2018-21', priority: 2 }])).to.deep.equal(['P1 Safe', 'P2 Happy and healthy']);
  });

  it('"as at" (the period under a figure) says a full period, or that the source gives no year, or that it is the document\'s date', () => {
    expect(c.asAt('16/17', 'old-cypf-plan')).to.equal('2016/17');
    expect(c.asAt('Q2 2026/27', undefined)).to.equal('Q2 2026/27');
    expect(c.asAt('By December 2017', undefined)).to.equal('December 2017');
    expect(c.asAt('April', 'old-cypf-plan')).to.equal('April (the source gives no year)');
    expect(c.asAt(undefined, 'cypf-2018-21-plan')).to.equal('2018-2021 (period of the document)');
    expect(c.asAt(undefined, 'council-plan-q4')).to.equal('Q4 2016/17 (period of the document)');
  });
});

describe('newer figures lead: a measure carried on by a later report (`continues`)', () => {
  const { knowledge, answerer } = fixtureKnowledge();
  const m = catalogueOf(knowledge).measures;

  it('one series, whichever record is asked about: the current figure is the newest period across plans, the older ones its history', () => {
    for (const id of ['oc-p2-camhs-wait', 'c21q2-p2-camhs-wait']) {
      expect(m.series(id).sort()).to.deep.equal(['c21q2-p2-camhs-wait', 'oc-p2-camhs-wait']);
      expect(m.currentFigure(id)).to.deep.include({ indicatorId: 'c21q2-p2-camhs-wait', doc: 'cypf-2018-21-q2-2019-20' });
      expect(m.currentFigure(id)?.figure.value).to.equal('9 weeks');
      expect(m.history(id).map((h) => [h.figure.value, h.figure.period, h.doc])).to.deep.equal([
        ['12.5 weeks', 'Q4 2016/17', 'old-cypf-plan'],
        ['13 weeks', 'Q3 2016/17', 'old-cypf-plan'],
      ]);
    }
    // Without `continues`, an indicator is a series of its own.
    expect(m.series('cc-p1-breastfeeding')).to.deep.equal(['cc-p1-breastfeeding']);
    expect(m.newest('cc-p1-breastfeeding')).to.equal('cc-p1-breastfeeding');
  });

  it('"what is the latest CAMHS waiting time" answers the newer report\'s figure, with the older plan\'s as previous and its source', () => {
    const a = answerer.answer('what is the latest CAMHS waiting time');
    expect(a.text).to.match(/^Average waiting time for a first CAMHS appointment: 9 weeks \(Q2 2019\/20\), previously 12\.5 weeks \(Q4 2016\/17, Children, Young People and Families Plan 2016-2018 improvement plan\)/);
    expect(a.headline).to.deep.equal({ value: '9 weeks', period: 'Q2 2019/20', label: 'Average waiting time for a first CAMHS appointment' });
    const facts = Object.fromEntries(a.facts.map((f) => [f.label, f.value]));
    expect(facts).to.deep.include({ Previous: '12.5 weeks (Q4 2016/17, Children, Young People and Families Plan 2016-2018 improvement plan)', 'Direction of travel': 'improving' });
    expect(a.sources.map((s) => s.document)).to.deep.equal(['cypf-2018-21-q2-2019-20', 'old-cypf-plan']);
    expect(a.context?.recordId).to.equal('c21q2-p2-camhs-wait');
    expect(a.suggestions).to.include('Show the trend');
  });

  it('the trend lists every figure of the measure, newest first, each with its document; a period asked for is that period\'s figure', () => {
    const trend = answerer.answer('show the trend in CAMHS waiting times');
    expect(trend.text).to.include('Figures in the plans, newest first: 9 weeks (Q2 2019/20), CYPF Plan 2018-2021 performance report, quarter 2 2019/20; 12.5 weeks (Q4 2016/17), Children, Young People and Families Plan 2016-2018 improvement plan; 13 weeks (Q3 2016/17), Children, Young People and Families Plan 2016-2018 improvement plan.');
    const then = answerer.answer('what was the CAMHS waiting time in Q4 2016/17');
    expect(then.text).to.match(/^Average waiting time for a first CAMHS appointment: 12\.5 weeks for Q4 2016\/17/);
  });

  it('the period under the figure is said in full ("16/17" is 2016/17), as the document writes it in the sentence', () => {
    const a = answerer.answer('breastfeeding at 6 to 8 weeks in the city');
    expect(a.text).to.match(/^Breastfeeding at 6 to 8 weeks: 48\.4% \(16\/17\)/);
    expect(a.headline).to.deep.include({ value: '48.4%', period: '2016/17' });
  });

  it('the older plan\'s own document, named, answers from that document', () => {
    const a = answerer.answer('CAMHS waiting time in the CYPF plan 2016-18');
    expect(a.text).to.match(/^Average waiting time for a first CAMHS appointment: 12\.5 weeks \(Q4 2016\/17\), previously 13 weeks \(Q3 2016\/17\)/);
  });
});

describe('answers about the next plan, found by its names', () => {
  const { answerer } = fixtureKnowledge();

  it('its leads answer "who leads"; its suggestions name it', () => {
    const a = answerer.answer('who leads on the family hubs?');
    expect(a.text).to.match(/^Priya Shah \(Exampleshire County Council\) leads on "Open the family hubs in every district"/);
    expect(a.facts).to.deep.include({ label: 'Authority', value: 'Exampleshire County Council' });
    const hubs = answerer.answer('how many families were seen at a family hub');
    expect(hubs.text).to.match(/^Families seen at a family hub: 640 \(Q1 2019\/20\)/);
    expect(hubs.suggestions).to.include('Summarise priority 1 of the CYPF plan 2018-21');
  });

  it('"in the new CYPF plan" prefers its documents', () => {
    const a = answerer.answer('when are the first mental health support teams due in the new cypf plan');
    expect(a.sources[0].document).to.equal('cypf-2018-21-plan');
    expect(a.text).to.include('January 2020');
  });
});

describe('summary requests: which plan (fixture plans, 20 October 2019)', () => {
  const { summariser } = fixtureKnowledge();
  const keys = (r: SummaryRequest) => (r.kind === 'choose' ? r.choices.map((c) => `${c.planId}#${c.priority}`) : r.kind === 'summary' ? [`${r.summary.planId}#${r.summary.number}`] : []);

  it('asks when a theme is covered by more than one authority\'s plan ("mental health")', () => {
    const r = summariser.request('summarise mental health');
    expect(r.kind).to.equal('choose');
    expect(keys(r)).to.have.members(['city-cypp#1', 'cypf-2018-21#2']);
    if (r.kind === 'choose') expect(r.choices.map((c) => c.title)).to.have.members(['City · CYPP 2016-20 · P1 Promoting health and wellbeing', 'County · CYPF 2018-21 · P2 Happy and healthy']);
  });

  it('"summarise priority 2 for the county" is the county\'s children\'s plan running on the day, and says so, with the others one tap away', () => {
    const r = summariser.request('summarise priority 2 for the county');
    expect(keys(r)).to.deep.equal(['cypf-2018-21#2']);
    if (r.kind !== 'summary') return;
    expect(r.defaulted?.message).to.equal("From the Children, Young People and Families Plan 2018-2021 (CYPF 2018-21), the county's children's plan running on 20 October 2019.");
    expect(r.defaulted?.alternatives.map((c) => [c.planId, c.priority, c.title])).to.deep.equal([
      ['old-cypf', 2, 'CYPF 2016-18 · P2 Happy and healthy'],
      ['council-plan', 2, 'Council Plan 2016/17 · P2'],
    ]);
    const card = withDefaultedPlan(summaryCard(r.summary), r.defaulted!, r.summary);
    expect(validateCard(card)).to.deep.equal([]);
    expect(submitDataIn(card as never).filter((d) => d.action === 'summary')).to.deep.equal([
      { action: 'summary', planId: 'old-cypf', priority: 2 },
      { action: 'summary', planId: 'council-plan', priority: 2 },
    ]);
  });

  it('on another day, another plan: the one running then, else the most recent', () => {
    const in2017 = fixtureKnowledge('2017-06-01').summariser.request('summarise priority 2 for the county');
    expect(keys(in2017)).to.deep.equal(['old-cypf#2']);
    expect(in2017.kind === 'summary' && in2017.defaulted?.message).to.include("the county's children's plan running on 1 June 2017");
    const later = fixtureKnowledge('2026-12-06').summariser.request('summarise priority 2 for the county');
    expect(keys(later)).to.deep.equal(['cypf-2018-21#2']);
    expect(later.kind === 'summary' && later.defaulted?.message).to.include("the county's most recent children's plan (none is running on 6 December 2026)");
  });

  it('a name two plans share ("the CYPF plan") is the one running on the day, saying so; a plan named by its own name is that plan', () => {
    const shared = summariser.request('summarise priority 1 of the CYPF plan');
    expect(keys(shared)).to.deep.equal(['cypf-2018-21#1']);
    expect(shared.kind === 'summary' && shared.defaulted?.alternatives.map((c) => c.planId)).to.deep.equal(['old-cypf']);
    const direct: [string, string][] = [
      ['summarise priority 1 of the new CYPF plan', 'cypf-2018-21#1'],
      ['summarise priority 1 of the cypf plan 2018-21', 'cypf-2018-21#1'],
      ['summarise priority 1 of the CYPF plan 2016-18', 'old-cypf#1'],
      ['summarise priority 2 of the council plan', 'council-plan#2'],
      ['summarise priority 2 of the county council plan', 'council-plan#2'],
      ['summarise outcome 2 of the council plan', 'council-plan#2'],
      ['summarise priority 2 of the CYPP', 'city-cypp#2'],
      ['summarise priority 2 for the city', 'city-cypp#2'],
      ['summarise mental health in the city', 'city-cypp#1'],
    ];
    for (const [q, key] of direct) {
      const r = summariser.request(q);
      expect(r.kind, q).to.equal('summary');
      expect(keys(r), q).to.deep.equal([key]);
      expect(r.kind === 'summary' && r.defaulted, q).to.equal(undefined);
    }
  });

  it('asks when no authority is named and the plans span authorities, with labels that lead with what differs; or when told not to default', () => {
    const r = summariser.request('summarise priority 2');
    expect(r.kind).to.equal('choose');
    if (r.kind === 'choose') {
      expect(r.choices.map((c) => c.title)).to.deep.equal(['County · CYPF 2016-18 · P2 Happy and healthy', 'County · CYPF 2018-21 · P2 Happy and healthy', 'County · Council Plan 2016/17 · P2', 'City · CYPP 2016-20 · P2 Safeguarding children']);
    }
    expect(summariser.request('summarise priority 2 for the county', undefined, undefined, { defaults: false }).kind).to.equal('choose');
  });

  it('answers a bare "summary" with every plan\'s priorities to choose from, grouped by plan', () => {
    const r = summariser.request('summary');
    expect(keys(r)).to.have.length(8);
    expect(keys(summariser.request('summary for the county', 'county'))).to.have.length(6);
    expect(keys(summariser.request('summarise the city plan'))).to.deep.equal(['city-cypp#1', 'city-cypp#2']);
    if (r.kind !== 'choose') throw new Error('expected a choice');
    const card = summaryChoiceCard(r);
    expect(validateCard(card)).to.deep.equal([]);
    expect(card.actions?.map((a) => a.title)).to.deep.equal([
      'County: Children, Young People and Families Plan 2016-2018',
      'County: Children, Young People and Families Plan 2018-2021',
      'County: Exampleshire County Council Plan',
      "City: Children and Young People's Plan 2016-2020",
    ]);
  });

  it('says plainly when no plan has the priority or the theme', () => {
    expect(summariser.request('summarise priority 9')).to.deep.equal({ kind: 'notFound', message: 'None of the plans has a priority 9.' });
    expect(summariser.request('summarise priority 5 of the CYPP').kind).to.equal('notFound');
    const fish = summariser.request('summarise [fish](http://x.example) prices');
    expect(fish.kind).to.equal('notFound');
    if (fish.kind === 'notFound') expect(fish.message).to.not.match(/[[\]()]/);
  });

  it('keeps "since" on the choices, so a choice still shows what changed', () => {
    const r = summariser.request('what changed in priority 1 since Q3 2016/17');
    expect(r.kind).to.equal('choose');
    if (r.kind !== 'choose') return;
    expect(r.since).to.deep.equal({ from: '2016-10-01', label: 'the start of Q3 2016/17' });
    const card = summaryChoiceCard(r);
    expect(validateCard(card)).to.deep.equal([]);
    const data = (card.actions ?? []).map((a) => (a as { data?: unknown }).data as Record<string, unknown>);
    expect(data).to.have.length(4);
    for (const d of data) expect(d).to.deep.include({ action: 'summary', since: { from: '2016-10-01', label: 'the start of Q3 2016/17' } });
  });
});

describe('the shipped knowledge: every alias names its plan or document', () => {
  const { knowledge } = realKnowledge();
  const c = catalogueOf(knowledge);

  it('each plan alias and document alias is found in a sentence and names what it belongs to', () => {
    for (const p of knowledge.plans) {
      for (const alias of p.aliases) expect(c.plansNamed(c.named(`what is in the ${alias} please`)), alias).to.include(p.id);
    }
    for (const d of knowledge.documents) {
      for (const alias of d.aliases) expect(c.named(`what is in the ${alias} please`).documents, alias).to.include(d.id);
    }
  });
});
