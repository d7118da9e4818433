/**
 * No import cycles between the code's modules (type imports count: they tie the modules' designs together as
 * much as value imports do). madge reads the TypeScript sources with the project's tsconfig, the same as
 * `npx madge --circular --extensions ts --ts-config tsconfig.json bot knowledge dialogs storage updates reports scripts`.
 */
import { expect } from 'chai';
import madge from 'madge';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths';

const CODE = ['bot', 'knowledge', 'dialogs', 'storage', 'updates', 'reports', 'scripts'];

async function cycles(dir: string, folders: string[], tsConfig?: string): Promise<string[]> {
  const graph = await madge(
    folders.map((f) => join(dir, f)),
    { baseDir: dir, fileExtensions: ['ts'], ...(tsConfig ? { tsConfig } : {}) },
  );
  return graph.circular().map((c) => c.join(' > '));
}

describe('import cycles', function () {
  this.timeout(60_000);

  it('there are none among bot/, knowledge/, dialogs/, storage/, updates/, reports/ and scripts/', async () => {
    const found = await cycles(ROOT, CODE, join(ROOT, 'tsconfig.json'));
    expect(found, 'import cycles: move what both sides need into a module of its own').to.deep.equal([]);
  });

  it('the check can fail: two modules that import each other are a cycle, a type import included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b?: B }\n");
      writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a?: A }\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport const c: A = {};\n");
      expect(await cycles(dir, ['.'])).to.deep.equal(['a.ts > b.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
