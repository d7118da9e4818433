/**
 * The build (scripts/build.mjs): `npm start`, `npm test` and every tool run
 * `node scripts/build.mjs --if-changed` first, which compiles only when an
 * input changed. Here it builds a small project of its own in a temporary
 * folder, so the repository's dist/ (which these tests run from) is left alone.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths';

const GATE = 'node scripts/build.mjs --if-changed';

describe('the build', () => {
  it('runs before npm start, npm test and every tool that runs compiled code', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prestart).to.equal(GATE);
    expect(scripts.pretest).to.equal(GATE);
    const usingDist = Object.entries(scripts).filter(([name, cmd]) => /\bdist\/|bench\/run|run-eval/.test(cmd) && !['start', 'test'].includes(name));
    expect(usingDist.map(([name]) => name)).to.include.members(['ask', 'summary', 'chat', 'remind', 'unanswered', 'playground', 'package', 'icons', 'knowledge:check']);
    for (const [name, cmd] of usingDist) expect(cmd, name).to.match(new RegExp(`^${GATE} && `));
  });

  describe('node scripts/build.mjs --if-changed, on a project of its own', () => {
    let dir: string;
    const build = () => spawnSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), '--if-changed'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const greet = () => spawnSync(process.execPath, [join(dir, 'dist', 'src', 'greet.js')], { encoding: 'utf8' }).stdout.trim();
    const snapshotRuns = () => readFileSync(join(dir, 'dist', 'snapshot-runs.txt'), 'utf8').length;
    // No @types/node (loading it would make each compile seconds slower): what the sources use is declared here.
    const NODE = 'export {};\ndeclare const console: { log(s: unknown): void };\ndeclare function require(m: string): any;\ndeclare const __dirname: string;\n';
    const source = (word: string) => `${NODE}const word: string = '${word}';\nconsole.log(word);\n`;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'plan-build-'));
      mkdirSync(join(dir, 'scripts'));
      mkdirSync(join(dir, 'src'));
      mkdirSync(join(dir, 'knowledge'));
      copyFileSync(join(ROOT, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const compilerOptions = { target: 'ES2022', module: 'commonjs', lib: ['ES2022'], outDir: 'dist', rootDir: '.', strict: true, incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo', types: [] };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src/**/*.ts', 'knowledge/**/*.ts'] }));
      writeFileSync(join(dir, 'src', 'greet.ts'), source('one'));
      // The knowledge snapshot step: here it only counts its runs.
      writeFileSync(join(dir, 'knowledge', 'snapshot-cli.ts'), `${NODE}require('node:fs').appendFileSync(__dirname + '/../snapshot-runs.txt', 'x');\n`);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('compiles and makes the snapshot the first time', () => {
      const r = build();
      expect(r.status, r.stderr + r.stdout).to.equal(0);
      expect(r.stderr).to.include('Compiling');
      expect(greet()).to.equal('one');
      expect(snapshotRuns()).to.equal(1);
    });

    it('does nothing when nothing changed', () => {
      const compiled = statSync(join(dir, 'dist', 'src', 'greet.js')).mtimeMs;
      const r = build();
      expect(r.status).to.equal(0);
      expect(r.stderr + r.stdout).to.equal('');
      expect(statSync(join(dir, 'dist', 'src', 'greet.js')).mtimeMs).to.equal(compiled);
      expect(snapshotRuns()).to.equal(1);
    });

    it('picks up an edit to a .ts file, even one whose timestamp is older than the last build', () => {
      const file = join(dir, 'src', 'greet.ts');
      writeFileSync(file, source('two'));
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(file, anHourAgo, anHourAgo);
      const r = build();
      expect(r.status, r.stderr + r.stdout).to.equal(0);
      expect(greet()).to.equal('two');
      expect(snapshotRuns()).to.equal(2);
    });

    it('fails on a type error, and is not taken as built the next time', () => {
      writeFileSync(join(dir, 'src', 'greet.ts'), `${NODE}const word: number = 'three';\nconsole.log(word);\n`);
      const first = build();
      expect(first.status).to.not.equal(0);
      expect(first.stdout).to.include('TS2322');
      const again = build();
      expect(again.status).to.not.equal(0);
      expect(again.stdout).to.include('TS2322');
    });

    it('removes the compiled file of a deleted source, so nothing stale runs', () => {
      rmSync(join(dir, 'src', 'greet.ts'));
      writeFileSync(join(dir, 'src', 'other.ts'), source('other'));
      const r = build();
      expect(r.status, r.stderr + r.stdout).to.equal(0);
      expect(existsSync(join(dir, 'dist', 'src', 'greet.js'))).to.equal(false);
      expect(existsSync(join(dir, 'dist', 'src', 'other.js'))).to.equal(true);
    });
  });
});
