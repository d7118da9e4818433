/** The command-line tools, run as a user would run them. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, FIXTURES } from './helpers/paths';
import { documentXml, partText } from './helpers/docx';
import { openDatabase, SqliteUnansweredLog } from '../storage/sqlite';

const run = (script: string, args: string[], env: Record<string, string> = {}, cwd?: string) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', ...script.split('/')), ...args], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });

/** A SQLite unanswered log under `dir` holding `question` asked `times` times. */
async function seedUnanswered(dir: string, question: string, times: number): Promise<void> {
  const db = openDatabase(dir);
  const log = new SqliteUnansweredLog(db);
  for (let i = 0; i < times; i++) await log.record({ question, reason: 'notFound', suggestions: [] });
  db.close();
}

describe('command-line tools', () => {
  describe('every tool parses its command line the same way (util.parseArgs)', () => {
    const tools: [script: string, command: string][] = [
      ['scripts/ask.js', 'npm run ask'],
      ['scripts/summary.js', 'npm run summary'],
      ['scripts/chat.js', 'npm run chat'],
      ['scripts/unanswered.js', 'npm run unanswered'],
      ['scripts/remind.js', 'npm run remind'],
      ['scripts/playground.js', 'npm run playground'],
      ['scripts/package.js', 'npm run package'],
      ['scripts/make-icons.js', 'npm run icons'],
      ['knowledge/check-cli.js', 'npm run knowledge:check'],
    ];
    for (const [script, command] of tools) {
      it(`${command}: --help prints the usage (exit 0); an unknown option is named, with the usage (exit 2)`, () => {
        const help = run(script, ['--help']);
        expect(help.status, help.stderr).to.equal(0);
        expect(help.stdout).to.match(new RegExp(`^usage: ${command}\\b`));
        const bad = run(script, ['--frobnicate']);
        expect(bad.status).to.equal(2);
        expect(bad.stdout).to.equal('');
        expect(bad.stderr).to.include("Unknown option '--frobnicate'").and.include(`usage: ${command}`);
      });
    }

    it('a value that is missing or of the wrong kind is refused with the usage (exit 2)', () => {
      const cases: [string, string[], string][] = [
        ['scripts/summary.js', ['--plan'], "Option '--plan <value>' argument missing"],
        ['scripts/summary.js', ['--plan', 'city', '--priority', 'two'], '--priority needs a whole number, not "two"'],
        ['scripts/unanswered.js', ['--limit', '0'], '--limit needs a whole number of at least 1, not "0"'],
        ['scripts/ask.js', [], 'Give at least one question.'],
        ['scripts/package.js', ['extra'], "Unexpected argument 'extra'"],
      ];
      for (const [script, args, message] of cases) {
        const r = run(script, args);
        expect(r.status, `${script} ${args.join(' ')}`).to.equal(2);
        expect(r.stderr, `${script} ${args.join(' ')}`).to.include(message).and.include('usage: npm run');
      }
    });
  });

  it('npm run summary -- --plan city --priority 4 prints the summary as plain text', () => {
    const r = run('scripts/summary.js', ['--plan', 'city', '--priority', '4']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('Empowering families to be strong and achieve economic wellbeing').and.include('Needs attention').and.include('Indicators').and.not.include('| ');
  });

  it('npm run summary -- … --docx <file> also writes the Word board report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-cli-docx-'));
    try {
      const file = join(dir, 'report.docx');
      const r = run('scripts/summary.js', ['--plan', 'council', '--priority', '1', '--docx', file]);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr).to.include(`Word board report written to ${file}`);
      expect(partText(documentXml(readFileSync(file)))).to.include('RAG table: indicators').and.include('Needs attention');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run summary refuses bad arguments with usage', () => {
    expect(run('scripts/summary.js', ['--plan', 'nowhere', '--priority', '1']).status).to.equal(2);
    const r = run('scripts/summary.js', ['--plan', 'city', '--priority', '9']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('it has 1, 2, 3, 4');
  });

  it('npm run unanswered lists what could not be answered, with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
    try {
      const db = openDatabase(dir);
      const log = new SqliteUnansweredLog(db);
      await log.record({ question: 'ofsted rating city', reason: 'notFound', suggestions: [] });
      await log.record({ question: 'ofsted rating city', reason: 'notFound', suggestions: [] });
      db.close();
      const r = run('scripts/unanswered.js', [], { DATA_DIR: dir });
      expect(r.status).to.equal(0);
      expect(r.stdout).to.match(/\s2\s+notFound\s+\S+\s+ofsted rating city/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run unanswered reads .env in its working directory, as the bot does; the environment wins over it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'plan-cli-env-'));
    try {
      // A deployment's .env points DATA_DIR (with DATABASE_URL it would be PostgreSQL) away from ./data.
      const configured = join(cwd, 'deployed-data');
      mkdirSync(configured);
      await seedUnanswered(configured, 'ofsted rating county', 3);
      writeFileSync(join(cwd, '.env'), `# as deployed\nDATA_DIR=${configured}\nLOG_LEVEL=warn\n`);
      const r = run('scripts/unanswered.js', [], {}, cwd);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/\s3\s+notFound\s+\S+\s+ofsted rating county/);

      const other = join(cwd, 'from-environment');
      mkdirSync(other);
      await seedUnanswered(other, 'school nurse numbers', 1);
      const overridden = run('scripts/unanswered.js', [], { DATA_DIR: other }, cwd);
      expect(overridden.status, overridden.stderr).to.equal(0);
      expect(overridden.stdout).to.match(/\s1\s+notFound\s+\S+\s+school nurse numbers/).and.not.include('ofsted');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('npm run summary reads KNOWLEDGE_DIR from .env, as the bot does', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'plan-cli-env-'));
    try {
      writeFileSync(join(cwd, '.env'), `KNOWLEDGE_DIR=${join(FIXTURES, 'minimal')}\n`);
      const r = run('scripts/summary.js', ['--plan', 'council', '--priority', '1'], {}, cwd);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('Children are safe').and.include('Children subject to a child protection plan');
      writeFileSync(join(cwd, '.env'), 'KNOWLEDGE_DIR=\nLOG_LEVEL=loud\n');
      const bad = run('scripts/summary.js', ['--plan', 'council', '--priority', '1'], {}, cwd);
      expect(bad.status).to.equal(2);
      expect(bad.stderr).to.include('LOG_LEVEL');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('npm run remind refuses bad arguments with usage (exit 2); on an empty database there is nothing to send (exit 0)', () => {
    for (const args of [['--now', '25/04/2018'], ['--now', '2018-02-30'], ['--now'], ['--soon']]) {
      const r = run('scripts/remind.js', args);
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr).to.include('usage: npm run remind -- [--now YYYY-MM-DD] [--dry-run]');
    }
    const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'remind.js'), '--now', '2018-04-25', '--dry-run'], { cwd: dir, env: { PATH: process.env.PATH, DATA_DIR: dir }, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('2018-04-25: no reminders to send.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run summary -- --plan <authority> is that authority\'s children\'s plan on PLAN_TODAY; a name two plans share is the current one', () => {
    const env = { KNOWLEDGE_DIR: join(FIXTURES, 'next-plan'), PLAN_TODAY: '2019-10-20' };
    for (const plan of ['county', 'cypf', 'cypf-2018-21', 'new CYPF plan']) {
      const r = run('scripts/summary.js', ['--plan', plan, '--priority', '1'], env);
      expect(r.status, `${plan}: ${r.stderr}`).to.equal(0);
      expect(r.stdout, plan).to.include('Children, Young People and Families Plan 2018-2021, priority 1');
    }
    expect(run('scripts/summary.js', ['--plan', 'county', '--priority', '1'], { ...env, PLAN_TODAY: '2017-06-01' }).stdout).to.include('Children, Young People and Families Plan 2016-2018, priority 1');
    expect(run('scripts/summary.js', ['--plan', 'council', '--priority', '2'], env).stdout).to.include('Exampleshire County Council Plan, priority 2');
    const usage = run('scripts/summary.js', ['--plan', 'nowhere', '--priority', '1'], env);
    expect(usage.status).to.equal(2);
    expect(usage.stderr).to.include('cypf-2018-21 (CYPF 2018-21)');
    expect(run('scripts/summary.js', ['--plan', 'county', '--priority', '1'], { ...env, PLAN_TODAY: '2019-13-01' }).stderr).to.include('PLAN_TODAY is not a real date');
  });

  it('npm run knowledge:check (KNOWLEDGE_DIR, PLAN_TODAY) warns per plan and document what a new plan lacks, with file and line', () => {
    const r = run('knowledge/check-cli.js', [], { KNOWLEDGE_DIR: join(FIXTURES, 'incomplete-plan'), PLAN_TODAY: '2019-10-20' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('as on 2019-10-20 (PLAN_TODAY): 8 warnings');
    const next = r.stdout.slice(r.stdout.indexOf('plan next-plan'), r.stdout.indexOf('plan old-plan'));
    expect(next).to.include('warning next-plan.yaml:15: priority 2 has no indicators');
    expect(next).to.include('document next-plan-doc (next-plan.yaml): 2 priorities, 1 activities, 2 indicators, 0 passages');
    expect(next).to.include('warning next-plan.yaml:27: indicator np-p1-visits: its latest figure (120) has no period');
    expect(next).to.include('warning next-plan.yaml:34: indicator np-p1-checks: its latest figure\'s period "April" has no year');
    expect(next).to.include('warning next-plan.yaml:21: np-p2-a1 names no lead person (only the organisation "County Council"): nobody is asked for its updates');
    expect(next, 'its calendar covers the day').to.not.include('calendar ended');
    const old = r.stdout.slice(r.stdout.indexOf('plan old-plan'), r.stdout.indexOf('plan no-calendar'));
    expect(old).to.include('warning plans.yaml:10: its reporting calendar ended on 31 March 2016').and.include('no document reports on this plan yet');
    expect(r.stdout.slice(r.stdout.indexOf('plan no-calendar'))).to.include('it has no reporting calendar (`reporting`): its leads are never asked for updates');
    // A later day: the new plan's calendar has ended too.
    expect(run('knowledge/check-cli.js', [], { KNOWLEDGE_DIR: join(FIXTURES, 'incomplete-plan'), PLAN_TODAY: '2021-06-01' }).stdout).to.include('warning plans.yaml:3: its reporting calendar ended on 31 March 2021');
  });

  it('npm run knowledge:check stops on a series that loops, a `continues` to nowhere and a plan period it cannot read, with file and line', () => {
    const r = run('knowledge/check-cli.js', [join(FIXTURES, 'broken-continues')]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('plans.yaml:9 at plans.1.period: "soon" is not a period the bot can read');
    expect(r.stderr).to.include('doc.yaml:25 at indicators.2.continues: "continues" must name another indicator; "d-p1-nowhere" is not one');
    expect(r.stderr).to.match(/doc\.yaml:\d+ at indicators\.0\.continues: indicators d-p1-a -> d-p1-b -> d-p1-a continue each other in a loop/);
  });

  it('npm run knowledge:check passes on the real content and names file, line and field on broken content', () => {
    const ok = run('knowledge/check-cli.js', []);
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.include('knowledge OK');
    const bad = run('knowledge/check-cli.js', [join(FIXTURES, 'broken-refs')]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.match(/doc\.yaml:\d+ at activities\.0\.priority: unknown priority "c-p9"/);
  });
});
