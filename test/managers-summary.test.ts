/**
 * The managers' summary: what needs attention first (as-at date, RAG line,
 * exceptions, progress), the rest behind "Show all", a priority without
 * targets judged by direction of travel, and the Word board report and text
 * export that hold the same. On a small fixture with every kind of exception
 * (test/fixtures/managers), on a fixed clock, and on the real plans.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { loadKnowledge } from '../knowledge/loader';
import { SearchIndex } from '../knowledge/search';
import { dueBy, parseSince, Summariser, type LateUpdate } from '../knowledge/summary';
import { ragLine, summaryText } from '../reports/summaryText';
import { boardReport, reportFileName } from '../reports/boardReport';
import { runs, plain } from '../reports/markup';
import { DETAILS_ID, summaryCard } from '../bot/summaryCards';
import { FIXTURES } from './helpers/paths';
import { realKnowledge } from './helpers/knowledge';
import { validateCard } from './helpers/adaptiveCard';
import { docxParts, partText } from './helpers/docx';

const MAY_10 = new Date('2018-05-10T09:00:00Z');
const LATE: LateUpdate[] = [{ title: 'School clinics run', period: 'Q4 2017/18', due: '2018-04-30', leads: ['Pat Example'] }];

function fixture(now = MAY_10, late: LateUpdate[] = LATE) {
  const knowledge = loadKnowledge(join(FIXTURES, 'managers'));
  return new Summariser(knowledge, new SearchIndex(knowledge), { now: () => now, lateUpdates: (_plan, n) => (n === 1 ? late : []) });
}

type Json = Record<string, unknown>;
/** Every string under a card node (its visible text), joined. */
const words = (x: unknown): string => (typeof x === 'string' ? x : Array.isArray(x) ? x.map(words).join('\n') : x && typeof x === 'object' ? Object.values(x).map(words).join('\n') : '');

describe('a priority summary leads with what a manager must act on', () => {
  it('as-at date, the RAG line, and the exceptions, most serious first: off target (and worse), worse, past due with no progress, updates overdue', () => {
    const s = fixture().summarise('county-council-plan', 1)!;
    expect(s.asAt).to.equal('2018-05-10');
    expect(ragLine(s)).to.equal('3 indicators: 1 on target, 1 off target, 1 no target; 1 improving, 2 worse.');
    expect(s.exceptions.map((e) => [e.kind, e.title, e.detail])).to.deep.equal([
      ['off target', 'All recorded crime', '47,583 (Q4 2016/17) against a target of 40,873, worse than 45,012 (Q3 2016/17)'],
      ['worse', 'People killed or seriously injured on the roads', '323 (2016/17), worse than 320 (2015/16)'],
      ['past due', 'Co-locate the hub teams', 'due March 2017; no progress recorded (Set up the multi-agency hub)'],
      ['updates overdue', '1 update overdue', 'for Q4 2017/18, due 2018-04-30: School clinics run (Pat Example)'],
    ]);
    // "Ongoing" has no date to miss; an action whose activity reports progress is not late; one due in September is not due yet.
    expect(s.exceptions.map((e) => e.title)).to.not.include.members(['Review the hub', 'Train all licensed drivers', 'Train new drivers']);
    // A year earlier nothing was past due, and without late updates there is nothing overdue.
    const earlier = fixture(new Date('2017-01-01T09:00:00Z'), []).summarise('county-council-plan', 1)!;
    expect(earlier.exceptions.map((e) => e.kind)).to.deep.equal(['off target', 'worse']);
  });

  it('reads a key action\'s due date as the last day it allows', () => {
    expect(dueBy('March 2017')).to.equal('2017-03-31');
    expect(dueBy('Between October 2016 and end March 2017')).to.equal('2017-03-31');
    expect(dueBy('Q4 2016/17')).to.equal('2017-03-31');
    expect(dueBy('2016/17')).to.equal('2017-03-31');
    expect(dueBy('Ongoing')).to.equal(undefined);
    expect(dueBy('Begins May 2016')).to.equal('2016-05-31');
  });

  it('a priority with no targets says so once and judges direction of travel instead', () => {
    const s = fixture().summarise('county-council-plan', 2)!;
    expect(s.noTargets).to.equal(true);
    expect(ragLine(s)).to.equal("No targets are set for this priority's 2 indicators, so they are judged by direction of travel: 1 improving, 0 worse, 1 without an earlier figure to compare.");
    const txt = summaryText(s);
    expect(txt.match(/no targets? /gi)).to.have.length(1);
    expect(txt).to.include('Direction: improving');
    const card = summaryCard(s);
    expect(validateCard(card)).to.deep.equal([]);
    expect(JSON.stringify(card)).to.not.include('no target');
    const donut = JSON.stringify(card).match(/"type":"Chart.Donut".*?"data":(\[.*?\])/)![1];
    expect(JSON.parse(donut)).to.deep.equal([
      { legend: 'Improving', value: 1, color: 'good' },
      { legend: 'Not comparable', value: 1, color: 'categoricalLavender' },
    ]);
  });

  it('gives a few lines of progress, each with its period, the report\'s own summary first; a paragraph filed twice is given once', () => {
    const s = fixture().summarise('county-council-plan', 1)!;
    expect(s.progress.map((p) => [p.title, p.period])).to.deep.equal([
      ['Summary', 'Q4 2017/18'],
      ['Train taxi drivers', '2017/18'],
    ]);
    expect(s.narratives.filter((n) => n.text.startsWith('4,000 drivers were trained'))).to.have.length(1);
  });

  it('the card: the first screen holds the RAG line, its donut and the exceptions; everything else opens in place with "Show all"', () => {
    const s = fixture().summarise('county-council-plan', 1)!;
    const card = summaryCard(s);
    expect(validateCard(card)).to.deep.equal([]);
    const body = card.body as unknown as Json[];
    const details = body.find((x) => x.id === DETAILS_ID)!;
    expect(details.isVisible).to.equal(false);
    const first = words(body.filter((x) => x !== details));
    expect(first).to.include('RAG: 3 indicators: 1 on target, 1 off target, 1 no target; 1 improving, 2 worse.').and.include('Needs attention');
    expect(first).to.include('Off target: All recorded crime: 47,583 (Q4 2016/17) against a target of 40,873, worse than 45,012 (Q3 2016/17)');
    expect(first).to.include('Overdue: 1 update overdue: for Q4 2017/18, due 2018-04-30: School clinics run (Pat Example)');
    expect(first).to.include('as at 10 May 2018').and.include('Progress');
    expect(first).to.not.include('Indicators (3)');
    const hidden = words(details);
    expect(hidden).to.include('Indicators (3)').and.include('Key actions (4)').and.include('Progress narratives').and.include('Sources');
    expect(hidden).to.include('All recorded crime').and.include('Co-locate the hub teams').and.include('4,000 drivers were trained');
    // The exceptions all fit on the first screen here, so they are not listed again.
    expect(hidden).to.not.include('All that needs attention');
    expect(card.actions).to.deep.equal([
      { type: 'Action.ToggleVisibility', title: 'Show all', targetElements: [DETAILS_ID] },
      { type: 'Action.Submit', title: 'Export as Word', data: { action: 'exportDocument', planId: 'county-council-plan', priority: 1 } },
      { type: 'Action.Submit', title: 'Export as text', data: { action: 'exportSummary', planId: 'county-council-plan', priority: 1 } },
    ]);
    // The donut beside the RAG line holds the same counts as the line.
    const donut = JSON.stringify(body).match(/"type":"Chart.Donut".*?"data":(\[.*?\])/)![1];
    expect((JSON.parse(donut) as { legend: string; value: number }[]).map((d) => `${d.value} ${d.legend.toLowerCase()}`)).to.deep.equal(['1 on target', '1 off target', '1 no target']);
  });
});

describe('"since" in a request', () => {
  const now = new Date('2018-05-15T10:00:00Z');
  it('reads a month on its own as its last start, a day in any common form, and "the last board" as the start of last quarter, saying so', () => {
    expect(parseSince('any news on priority 3 since september', now)).to.deep.equal({ from: '2017-09-01', label: 'the start of September 2017' });
    expect(parseSince('what changed since may', now)).to.deep.equal({ from: '2018-05-01', label: 'the start of May 2018' });
    expect(parseSince('what changed since 2018-01-01', now)).to.deep.equal({ from: '2018-01-01', label: '2018-01-01' });
    expect(parseSince('what has changed since 1 April 2018 in the city', now)).to.deep.equal({ from: '2018-04-01', label: '2018-04-01' });
    expect(parseSince("what's changed since the last board?", now)).to.deep.equal({ from: '2018-01-01', label: 'the last board (taken as the start of last quarter)' });
    expect(parseSince('what changed since priority 3', now)).to.have.property('error');
  });
});

describe('the exports hold what the card holds', () => {
  it('the Word board report opens, with title, as-at date, the RAG table, what needs attention, progress and sources as footnotes', async () => {
    const s = fixture().summarise('county-council-plan', 1)!;
    const parts = docxParts(await boardReport(s));
    const doc = partText(parts['word/document.xml']);
    expect(doc).to.include('Nottinghamshire County Council Plan: priority 1').and.include('Children are safe').and.include('As at 10 May 2018');
    expect(parts['word/document.xml']).to.include('<w:tbl>');
    // The RAG table: a row per indicator, with its status; columns no indicator has are left out.
    expect(doc).to.include('Indicator | Latest | Previous | Target | National | RAG | Direction | \n');
    expect(doc).to.include('\nAll recorded crime | 47,583 (Q4 2016/17) | 45,012 (Q3 2016/17) | 40,873 |  | off target | worse | \n');
    expect(doc).to.include('\nChildren subject to a child protection plan (rate per 10,000) | 38.5 (Q4 2016/17) | 42.1 (Q3 2016/17) | 40.0 | 43.3 | on target | improving | \n');
    expect(doc).to.include('On target | Off target | No target | Improving | Worse | \n1 | 1 | 1 | 1 | 2 | ');
    // What needs attention, in the same words as the card.
    expect(doc).to.include('Needs attention');
    expect(doc).to.include('Off target: All recorded crime: 47,583 (Q4 2016/17) against a target of 40,873, worse than 45,012 (Q3 2016/17)');
    expect(doc).to.include('Past due: Co-locate the hub teams: due March 2017; no progress recorded (Set up the multi-agency hub)');
    expect(doc).to.include('Overdue: 1 update overdue: for Q4 2017/18, due 2018-04-30: School clinics run (Pat Example)');
    expect(doc).to.include('Progress').and.include('Key actions');
    // Sources are footnotes, each cited where it is used.
    const notes = partText(parts['word/footnotes.xml']);
    expect(notes).to.include('Managers test report (March 2018), Key indicators, line 4').and.include('Managers test report (March 2018), Priority 1 summary');
    expect((parts['word/document.xml'].match(/<w:footnoteReference /g) ?? []).length).to.be.at.least(s.indicators.length + s.exceptions.length - 1);
    // The extraction's Markdown is formatting, never marks: *Take 5* in italics, [the training plan](#) as its words.
    expect(doc).to.not.match(/\*\*|\]\(#\)|\*Take/);
    expect(parts['word/document.xml']).to.match(/<w:i\/>.*?<w:t[^>]*>Take 5<\/w:t>/);
    expect(reportFileName(s)).to.equal('Nottinghamshire County Nottinghamshire County Council Plan priority 1 2018-05-10.docx');
  });

  it('a priority without targets has no RAG column of "no target" and says once that it is judged by direction', async () => {
    const doc = partText(docxParts(await boardReport(fixture().summarise('county-council-plan', 2)!))['word/document.xml']);
    expect(doc).to.include('Indicator | Latest | Previous | Direction | \n');
    expect(doc).to.include('Improving | Worse | No change | Not comparable | \n1 | 0 | 0 | 1 | ');
    expect(doc.match(/no target/gi)).to.have.length(1);
  });

  it('every priority of the real plans makes a Word document that opens and holds its indicators', async () => {
    const { knowledge, summariser } = realKnowledge();
    for (const plan of knowledge.plans) {
      for (const n of summariser.prioritiesOf(plan.id)) {
        const s = summariser.summarise(plan.id, n)!;
        const doc = partText(docxParts(await boardReport(s))['word/document.xml']);
        expect(doc, `${plan.id} ${n}`).to.include(`${plan.title}: priority ${n}`);
        for (const i of s.indicators) expect(doc, `${plan.id} ${n}`).to.include(plain(i.title));
      }
    }
  });

  it('reads the extraction\'s Markdown as formatting: bold, italic, a link\'s words; a lone asterisk is text', () => {
    expect(runs('The *Take 5* and **StSS** teams, see [the plan](#).')).to.deep.equal([
      { text: 'The ' },
      { text: 'Take 5', italic: true },
      { text: ' and ' },
      { text: 'StSS', bold: true },
      { text: ' teams, see the plan.' },
    ]);
    expect(plain('5 A*-C grades')).to.equal('5 A*-C grades');
  });
});
