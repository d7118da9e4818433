/**
 * The next plan through the real HTTP server, as Teams would ask: the fixture
 * knowledge (test/fixtures/next-plan) with KNOWLEDGE_DIR and a set day
 * (PLAN_TODAY), and `npm run remind` as a child process on the same data. Then
 * the shipped knowledge on today's real date, when no plan's calendar covers
 * it: "what's due from me", "overdue updates", "chase them" and `remind` each
 * say plainly why nothing is due.
 */
import { expect } from 'chai';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { writePeopleFile } from './helpers/people';
import { NEXT_PLAN_DIR } from './helpers/knowledge';
import { knownLead, remind } from './helpers/remind';
import { validateReplyCards } from './helpers/adaptiveCard';
import { submitDataIn } from './helpers/assertions';
import { longDate } from '../knowledge/periods';

const PRIYA = { id: 'user-priya', name: 'Priya Shah', aadObjectId: 'aad-priya' };
const CLAIRE = { id: 'user-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const RITA = { id: 'user-rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' };

describe('the next plan through the HTTP server (fixture knowledge, PLAN_TODAY=2019-10-20)', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ KNOWLEDGE_DIR: NEXT_PLAN_DIR, PLAN_TODAY: '2019-10-20', REVIEWERS: 'rev-1' });
  });
  after(async () => s?.stop());

  it('/healthz says the day it runs on', async () => {
    expect(await (await fetch(s.base + '/healthz')).json()).to.deep.include({ status: 'ok', today: '2019-10-20' });
  });

  it('"latest" is the newer report\'s figure, the older plan\'s is its previous, each with its source', async () => {
    const r = await new TestConversation(s.base).say('what is the latest CAMHS waiting time?');
    expect(r.replies[0].text).to.match(/^Average waiting time for a first CAMHS appointment: 9 weeks \(Q2 2019\/20\), previously 12\.5 weeks \(Q4 2016\/17, Children, Young People and Families Plan 2016-2018 improvement plan\)/);
    // Both sources, behind the card's "Sources" button.
    expect(r.text).to.include('CYPF Plan 2018-2021 performance report, quarter 2 2019/20 (October 2019), Priority 2, indicators').and.include('Children, Young People and Families Plan 2016-2018 improvement plan (2016-2018), Priority 2, indicators');
    expect(validateReplyCards(r.replies as never)).to.deep.equal([]);
  });

  it('the new plan is found by its names and summarised; "who leads" is its lead', async () => {
    const c = new TestConversation(s.base);
    const summary = await c.say('summarise priority 1 of the new CYPF plan');
    expect(summary.replies[0].text).to.match(/^Exampleshire County Council, Children, Young People and Families Plan 2018-2021, priority 1: Children and young people are safe\./);
    const typo = await c.say('sumarise priority 1 of the cypf plan 2018-21');
    expect(typo.replies[0].text).to.match(/^Exampleshire County Council, Children, Young People and Families Plan 2018-2021, priority 1/);
    expect((await c.say('who leads on family hubs?')).replies[0].text).to.match(/^Priya Shah \(Exampleshire County Council\) leads on "Open the family hubs in every district"/);
  });

  it('"summarise priority 2 for the county" is the plan running today, says so, and switches with one tap', async () => {
    const c = new TestConversation(s.base);
    const r = await c.say('summarise priority 2 for the county');
    expect(r.replies[0].text).to.match(/^From the Children, Young People and Families Plan 2018-2021 \(CYPF 2018-21\), the county's children's plan running on 20 October 2019\. Exampleshire County Council, Children, Young People and Families Plan 2018-2021, priority 2/);
    expect(validateReplyCards(r.replies as never)).to.deep.equal([]);
    expect(r.text).to.include('Switch to CYPF 2016-18 · P2 Happy and healthy').and.include('Switch to Council Plan 2016/17 · P2');
    const toOld = submitDataIn(r.replies).find((d) => d.planId === 'old-cypf')!;
    const switched = await c.submit(toOld);
    expect(switched.replies[0].text).to.match(/^Exampleshire County Council, Children, Young People and Families Plan 2016-2018, priority 2/);
  });

  it('the help card names the plans from the catalogue', async () => {
    const r = await new TestConversation(s.base).say('help');
    expect(r.text).to.include("Exampleshire County's Children, Young People and Families Plan 2018-2021").and.include('Summarise priority 2 of the CYPF plan 2016-18');
  });

  it('"what\'s due from me" lists the new plan\'s items its lead owes, due 30 October 2019', async () => {
    const r = await new TestConversation(s.base, PRIYA).say("what's due from me");
    expect(r.replies[0].text).to.equal('4 updates are due from you.');
    expect(r.text).to.include('30 October 2019, in 10 days').and.include('Families seen at a family hub').and.include('Q2 2019/20');
  });

  it('`npm run remind -- --dry-run` honours PLAN_TODAY and KNOWLEDGE_DIR: the new plan\'s lead would be reminded', async () => {
    await knownLead(s.dataDir, PRIYA);
    const r = remind(s.dataDir, { KNOWLEDGE_DIR: NEXT_PLAN_DIR, PLAN_TODAY: '2019-10-25' }, '--dry-run');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('2019-10-25: would send Priya Shah (aad-priya) a reminder for 4 items').and.include('[before] Families seen at a family hub (Q2 2019/20, due 2019-10-30)');
    // --now still wins over PLAN_TODAY.
    expect(remind(s.dataDir, { KNOWLEDGE_DIR: NEXT_PLAN_DIR, PLAN_TODAY: '2019-10-25' }, '--dry-run', '--now', '2019-10-01').stdout).to.include('2019-10-01: no reminders to send.');
  });
});

describe('late updates and "chase them" through the HTTP server (fixture knowledge, PLAN_TODAY=2019-11-09)', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ KNOWLEDGE_DIR: NEXT_PLAN_DIR, PLAN_TODAY: '2019-11-09', REVIEWERS: 'rev-1' });
  });
  after(async () => s?.stop());

  it('"overdue updates" lists the late items of every plan whose calendar covers the day, and "chase them" chases their leads', async () => {
    const rita = new TestConversation(s.base, RITA);
    const list = await rita.say('overdue updates');
    expect(list.replies[0].text).to.equal('9 late updates: Every plan with a reporting calendar.');
    expect(list.text).to.include('Priya Shah').and.include('Morgan Hale').and.include('30 October 2019, 10 days ago (overdue)');
    const chase = await rita.say('chase them');
    expect(chase.text).to.match(/leads have never talked to me, so I can't reach them: .*Priya Shah/);
  });
});

describe("on today's real date, with the shipped knowledge: no plan's calendar covers it", function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ REVIEWERS: 'rev-1', PEOPLE_FILE: writePeopleFile() });
  });
  after(async () => s?.stop());
  const today = longDate(new Date().toISOString());
  const stopped = (what: string) =>
    new RegExp(
      `^No plan's reporting calendar covers ${today}, so ${what}: the last one to end, the Children and Young People's Plan 2016-2020's, ended on 31 March 2020\\. To restart it, add the next plan to the knowledge with a \`reporting\` calendar, or move a plan's \`reporting\\.until\` later`,
    );

  it('"what\'s due from me", "overdue updates" and "chase them" each say why nothing is due, in a full sentence, and how to extend the calendar', async () => {
    expect((await new TestConversation(s.base, CLAIRE).say("what's due from me")).text).to.match(stopped('nothing is due from you for the 3 items you lead'));
    const rita = new TestConversation(s.base, RITA);
    expect((await rita.say('overdue updates')).text).to.match(stopped('nothing can be late in any plan'));
    expect((await rita.say('overdue updates in the city')).text).to.match(stopped("nothing can be late in Nottingham City's plans"));
    expect((await rita.say('chase them')).text).to.match(stopped('no update is late and there is no one to chase'));
  });

  it('`npm run remind` says the same, naming the day the last calendar ended', async () => {
    await knownLead(s.dataDir, CLAIRE);
    const r = remind(s.dataDir, {}, '--dry-run');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.match(new RegExp(`^\\d{4}-\\d\\d-\\d\\d: ${stopped('no reminders are due').source.slice(1)}`));
  });
});
