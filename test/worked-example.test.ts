/**
 * Done when: a plan and a quarterly report added to a copy of
 * knowledge/content as YAML only, in the documented format (the worked
 * example of knowledge/README.md, knowledge/examples/cypf-2018-21), with
 * KNOWLEDGE_DIR pointing at it, are checked by `npm run knowledge:check`,
 * answered, preferred as latest, summarised and run in the reporting cycle
 * by the real server, with no code changed. Without them, the same day has
 * no current reporting calendar: reminders resume once the plan is added.
 */
import { expect } from 'chai';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { CONTENT_DIR, ROOT } from './helpers/paths';
import { knownLead, remind } from './helpers/remind';

const EXAMPLE_DIR = join(ROOT, 'knowledge', 'examples', 'cypf-2018-21');
const DAY = '2020-10-20';
const PRIYA = { id: 'user-priya', name: 'Priya Shah', aadObjectId: 'aad-priya' };

describe('the worked example: next year\'s plan and a quarterly report added as YAML only', function () {
  this.timeout(90_000);
  let dir: string;
  let s: TestServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-worked-example-'));
    for (const f of readdirSync(CONTENT_DIR).filter((x) => x.endsWith('.yaml'))) copyFileSync(join(CONTENT_DIR, f), join(dir, f));
    for (const f of readdirSync(EXAMPLE_DIR)) copyFileSync(join(EXAMPLE_DIR, f), join(dir, f));
    // The author adds the new plan's lead to people.yaml as well (knowledge/README.md): here, Priya Shah's id.
    appendFileSync(join(dir, 'people.yaml'), '  - name: Priya Shah\n    aadObjectId: aad-priya\n');
    s = await startTestServer({ KNOWLEDGE_DIR: dir, PLAN_TODAY: DAY, REVIEWERS: 'rev-1' });
  });
  after(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('`npm run knowledge:check` reads KNOWLEDGE_DIR from .env and reports the new plan and its documents, with nothing missing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'plan-check-env-'));
    try {
      writeFileSync(join(cwd, '.env'), `KNOWLEDGE_DIR=${dir}\nPLAN_TODAY=${DAY}\n`);
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'knowledge', 'check-cli.js')], { cwd, env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`knowledge OK in ${dir}: plans 4, documents 7`).and.include(`as on ${DAY} (PLAN_TODAY)`);
      const block = r.stdout.slice(r.stdout.indexOf('plan county-cypf-2018-21'), r.stdout.indexOf('\nplan ', r.stdout.indexOf('plan county-cypf-2018-21') + 1));
      expect(block).to.include('document county-cypf-2018-21-plan (cypf-2018-21-plan.yaml): 2 priorities, 2 activities, 2 indicators').and.include('document county-cypf-2018-21-q2-2019-20 (cypf-2018-21-q2-2019-20.yaml)');
      expect(block, 'the example lacks nothing').to.not.include('warning');
      // The older plans' calendars have ended by then: said as warnings, per plan.
      expect(r.stdout).to.include('its reporting calendar ended on 31 March 2020');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('"latest" prefers the new report; the older plan\'s figure is its previous, with its source', async () => {
    const r = await new TestConversation(s.base).say('what is the latest agency spend on social work?');
    expect(r.replies[0].text).to.match(/^Agency spend \(social work\): £3\.6m \(2018\/19\), previously £4m \(2017\/18, County CYPF Plan 2016-18 evidence of achievement\)/);
    expect(r.text).to.include('County CYPF Plan 2018-21 report, Q2 2019/20 (October 2019), Priority 1, indicators').and.include('County CYPF Plan 2016-18 evidence of achievement (2018)');
    // Asked for the older period, the older figure.
    expect((await new TestConversation(s.base).say('agency spend on social work in 2017/18')).replies[0].text).to.include('£4m');
  });

  it('its figures, leads, dates and priorities are answered from it', async () => {
    const c = new TestConversation(s.base);
    expect((await c.say('how many families were seen at a family hub?')).replies[0].text).to.match(/^Families seen at a family hub: 640 \(Q1 2019\/20\)/);
    expect((await c.say('who leads on the family hubs?')).replies[0].text).to.match(/^Priya Shah \(Nottinghamshire County Council\) leads on "Open a family hub in every district"/);
    expect((await c.say('when are the first family hubs due to open?')).text).to.include('September 2019');
    const priorities = await c.say('what are the priorities of the new CYPF plan?');
    expect(priorities.replies[0].text).to.match(/^The Children, Young People and Families Plan 2018-2021 \(Nottinghamshire County Council\) has 2 priorities: 1\. Children and young people are safe; 2\. Children and young people are happy and healthy\./);
  });

  it('"summarise priority 1 of <its alias>" summarises it; "the CYPF plan", a name it shares, is it while it runs', async () => {
    const c = new TestConversation(s.base);
    for (const q of ['summarise priority 1 of the CYPF plan 2018-21', 'summarise priority 1 of the new cypf plan']) {
      expect((await c.say(q)).replies[0].text, q).to.match(/^Nottinghamshire County Council, Children, Young People and Families Plan 2018-2021, priority 1: Children and young people are safe\./);
    }
    const shared = await c.say('summarise priority 2 of the CYPF plan');
    expect(shared.replies[0].text).to.match(/^From the Children, Young People and Families Plan 2018-2021 \(CYPF 2018-21\), the county's children's plan running on 20 October 2020\./);
    expect(shared.text).to.include('Switch to CYPF 2016-18 · P2 Happy and healthy');
    // The older plan by its own name.
    expect((await c.say('summarise priority 2 of the CYPF 2016-18 plan')).replies[0].text).to.match(/^Nottinghamshire County Council, Children, Young People and Families Plan 2016-2018, priority 2/);
  });

  it('its calendar drives "what\'s due from me"; reminders resume once it is added', async () => {
    const due = await new TestConversation(s.base, PRIYA).say("what's due from me");
    expect(due.replies[0].text).to.equal('3 updates are due from you.');
    expect(due.text).to.include('30 October 2020, in 10 days').and.include('Q2 2020/21');
    await knownLead(s.dataDir, PRIYA);
    const withPlan = remind(s.dataDir, { KNOWLEDGE_DIR: dir, PLAN_TODAY: '2020-10-25' }, '--dry-run');
    expect(withPlan.stdout, withPlan.stderr).to.include('2020-10-25: would send Priya Shah (aad-priya) a reminder for 3 items');
    const without = remind(s.dataDir, { PLAN_TODAY: '2020-10-25' }, '--dry-run');
    expect(without.stdout).to.include("2020-10-25: No plan's reporting calendar covers 25 October 2020, so no reminders are due: the last one to end, the Children and Young People's Plan 2016-2020's, ended on 31 March 2020.");
  });
});
