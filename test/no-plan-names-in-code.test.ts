/**
 * Next year's plan is data, not code: no plan id, document id or plan title
 * of the shipped knowledge may be written in the bot's TypeScript (outside
 * the tests and the knowledge files). Everything that names a plan reads the
 * catalogue built from the YAML (knowledge/catalogue.ts). `git grep` over the
 * code folders, for every id and title in knowledge/content.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { realKnowledge } from './helpers/knowledge';
import { ROOT } from './helpers/paths';

const CODE = ['knowledge', 'bot', 'dialogs', 'updates', 'storage', 'scripts'].map((d) => `${d}/*.ts`);

describe('no plan or document written into the code', () => {
  it('git grep finds no plan id, document id or plan title of knowledge/content in knowledge/, bot/, dialogs/, updates/, storage/ or scripts/ TypeScript', function () {
    if (spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT }).status !== 0) this.skip();
    const { knowledge } = realKnowledge();
    const names = [...knowledge.plans.flatMap((p) => [p.id, p.title]), ...knowledge.documents.map((d) => d.id)];
    expect(names.length).to.be.at.least(3 + 3 + 5);
    const r = spawnSync('git', ['grep', '-n', '-I', '-F', ...names.flatMap((n) => ['-e', n]), '--', ...CODE], { cwd: ROOT, encoding: 'utf8' });
    // git grep exits 1 when nothing matches, 0 with matches, higher on an error.
    expect(r.status, r.stderr).to.be.oneOf([0, 1]);
    expect(r.stdout.split('\n').filter(Boolean), 'plans belong in knowledge/content, read through the catalogue').to.deep.equal([]);
  });

  it('the check can fail: it finds a plan id where one is written', () => {
    const r = spawnSync('git', ['grep', '-n', '-F', '-e', 'county-cypf-2016-18', '--', 'knowledge/content/plans.yaml'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).to.include('county-cypf-2016-18');
  });
});
