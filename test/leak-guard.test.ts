/**
 * The suite runs without mocha's `exit: true`: it must end by itself, and
 * test/helpers/leakGuard.ts turns a leak into a failure that names it. Here
 * mocha runs small specs of its own with the guard, as .mocharc.json loads it.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths';

const MOCHA = join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const GUARD = join(ROOT, 'dist', 'test', 'helpers', 'leakGuard.js');

describe('the test run ends by itself', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'plan-leak-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runSpec = (name: string, body: string) => {
    const file = join(dir, `${name}.test.js`);
    writeFileSync(file, body);
    return spawnSync(process.execPath, [MOCHA, '--no-config', '--require', GUARD, file], { cwd: dir, env: { ...process.env, LEAK_GRACE_MS: '500' }, encoding: 'utf8', timeout: 60_000 });
  };

  it('.mocharc.json runs without exit: true, with the leak guard', () => {
    const rc = JSON.parse(readFileSync(join(ROOT, '.mocharc.json'), 'utf8')) as { exit?: boolean; require?: string[] };
    expect(rc.exit).to.equal(undefined);
    expect(rc.require).to.include('dist/test/helpers/leakGuard.js');
  });

  it('a spec that closes what it opens ends, passing', () => {
    const r = runSpec('tidy', "const net = require('node:net');\nit('opens a server and closes it', (done) => { const s = net.createServer().listen(0, '127.0.0.1', () => s.close(done)); });\n");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('1 passing');
    expect(r.stderr).not.to.include('did not end by itself');
  });

  it('a spec that leaves a server listening fails, naming it, instead of hanging', () => {
    const r = runSpec('leaky', "const net = require('node:net');\nit('opens a server and never closes it', (done) => { net.createServer().listen(0, '127.0.0.1', done); });\n");
    expect(r.status).to.equal(1);
    expect(r.stdout).to.include('1 passing');
    expect(r.stderr).to.include('did not end by itself').and.match(/Server listening on \{"address":"127\.0\.0\.1"/);
  });

  it('a spec that leaves an interval running fails, naming it', () => {
    const r = runSpec('ticking', "it('starts an interval and never clears it', () => { setInterval(function poll() {}, 60000); });\n");
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('did not end by itself').and.match(/open resources by kind: .*Timeout/);
  });
});
