/** The repository itself: what is tracked. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers/paths';

describe('the repository', () => {
  it('tracks no scratch file (*.tmp.*, which .gitignore ignores but `git add -f` can still add)', function () {
    const r = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
    if (r.error || r.status !== 0) this.skip(); // not a git checkout (e.g. an unpacked release)
    const files = r.stdout.split('\0').filter(Boolean);
    expect(files, 'git ls-files').to.include('package.json');
    expect(files.filter((f) => /(^|\/)[^/]*\.tmp\.[^/]*$/.test(f))).to.deep.equal([]);
  });
});
