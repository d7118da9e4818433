/** The command-line tools, run as a user would run them. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, FIXTURES } from './helpers/paths';
import { openDatabase, SqliteUnansweredLog } from '../storage/sqlite';

const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', ...script.split('/')), ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });

describe('command-line tools', () => {
  it('npm run summary -- --plan city --priority 4 prints the Markdown summary', () => {
    const r = run('scripts/summary.js', ['--plan', 'city', '--priority', '4']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('Empowering families to be strong and achieve economic wellbeing').and.include('| Indicator | Latest |');
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

  it('npm run knowledge:check passes on the real content and names file, line and field on broken content', () => {
    const ok = run('knowledge/check-cli.js', []);
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.include('knowledge OK');
    const bad = run('knowledge/check-cli.js', [join(FIXTURES, 'broken-refs')]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.match(/doc\.yaml:\d+ at activities\.0\.priority: unknown priority "c-p9"/);
  });
});
