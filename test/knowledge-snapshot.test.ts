/**
 * The validated knowledge snapshot the bot starts from (loadKnowledgeCached):
 * used only when every YAML file is byte for byte what it was made from, so an
 * edit after it was written, valid or not, is always loaded (and checked) from
 * the YAML, and an invalid one still refuses start-up with file and line.
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge, loadKnowledgeCached, KnowledgeError } from '../knowledge/loader';
import { createApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { CONTENT_DIR, FIXTURES } from './helpers/paths';

describe('knowledge snapshot', () => {
  let work: string;
  let dir: string;
  let snapshot: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'plan-snapshot-'));
    dir = join(work, 'content');
    cpSync(join(FIXTURES, 'minimal'), dir, { recursive: true });
    snapshot = join(work, 'knowledge.snapshot.json');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const edit = (file: string, from: string, to: string) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    expect(text, `${file} holds ${from}`).to.include(from);
    writeFileSync(path, text.replace(from, to));
  };

  it('the first load reads the YAML and writes the snapshot; the next comes from the snapshot, identical', () => {
    const first = loadKnowledgeCached(dir, snapshot);
    expect(first).to.include({ source: 'yaml', miss: 'no snapshot yet', written: true });
    expect(existsSync(snapshot)).to.equal(true);
    const second = loadKnowledgeCached(dir, snapshot);
    expect(second.source).to.equal('snapshot');
    expect(second.knowledge).to.deep.equal(loadKnowledge(dir));
    expect(second.knowledge).to.deep.equal(first.knowledge);
  });

  it('round-trips the real knowledge exactly', () => {
    const real = join(work, 'real');
    cpSync(CONTENT_DIR, real, { recursive: true });
    expect(loadKnowledgeCached(real, snapshot).source).to.equal('yaml');
    const again = loadKnowledgeCached(real, snapshot);
    expect(again.source).to.equal('snapshot');
    expect(again.knowledge).to.deep.equal(loadKnowledge(real));
  });

  it('a valid edit after the snapshot was written is loaded from the YAML, and the snapshot rewritten', () => {
    loadKnowledgeCached(dir, snapshot);
    const title = loadKnowledge(dir).indicators[0].title;
    edit('doc.yaml', title, `${title} (edited)`);
    const r = loadKnowledgeCached(dir, snapshot);
    expect(r).to.include({ source: 'yaml', miss: 'the knowledge files changed', written: true });
    expect(r.knowledge.indicators[0].title).to.equal(`${title} (edited)`);
    const next = loadKnowledgeCached(dir, snapshot);
    expect(next.source).to.equal('snapshot');
    expect(next.knowledge.indicators[0].title).to.equal(`${title} (edited)`);
  });

  it('an invalid edit after the snapshot was written is refused with file, line and field; undoing it uses the snapshot again', () => {
    loadKnowledgeCached(dir, snapshot);
    const before = readFileSync(snapshot, 'utf8');
    const original = readFileSync(join(dir, 'doc.yaml'), 'utf8');
    const polarity = /polarity: (\w+)/.exec(original)?.[0];
    expect(polarity, 'the fixture has a polarity').to.be.a('string');
    edit('doc.yaml', polarity!, 'polarity: sideways');
    const line = readFileSync(join(dir, 'doc.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('polarity: sideways')) + 1;
    let error: unknown;
    try {
      loadKnowledgeCached(dir, snapshot);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(KnowledgeError);
    expect((error as Error).message).to.match(new RegExp(`doc\\.yaml:${line} at indicators\\.0\\.polarity`));
    expect(readFileSync(snapshot, 'utf8'), 'a failed load leaves the snapshot alone').to.equal(before);
    writeFileSync(join(dir, 'doc.yaml'), original);
    expect(loadKnowledgeCached(dir, snapshot).source).to.equal('snapshot');
  });

  it('a YAML syntax error after the snapshot was written is refused with the file and line', () => {
    loadKnowledgeCached(dir, snapshot);
    writeFileSync(join(dir, 'doc.yaml'), readFileSync(join(dir, 'doc.yaml'), 'utf8') + '\nbroken: [unclosed\n');
    expect(() => loadKnowledgeCached(dir, snapshot)).to.throw(KnowledgeError, /doc\.yaml:\d+ .*YAML syntax/);
  });

  it('a file added or removed after the snapshot was written means a full load', () => {
    loadKnowledgeCached(dir, snapshot);
    cpSync(join(FIXTURES, 'broken-refs', 'doc.yaml'), join(dir, 'extra.yaml'));
    expect(() => loadKnowledgeCached(dir, snapshot)).to.throw(KnowledgeError, /extra\.yaml/);
    unlinkSync(join(dir, 'extra.yaml'));
    expect(loadKnowledgeCached(dir, snapshot).source).to.equal('snapshot');
    unlinkSync(join(dir, 'plans.yaml'));
    expect(() => loadKnowledgeCached(dir, snapshot)).to.throw(KnowledgeError, /plans\.yaml/);
  });

  it('a snapshot made by other loader code, or unreadable, is not used: full load, then rewritten', () => {
    loadKnowledgeCached(dir, snapshot);
    const snap = JSON.parse(readFileSync(snapshot, 'utf8')) as { code: string; knowledge: { indicators: { title: string }[] } };
    snap.code = 'other';
    snap.knowledge.indicators[0].title = 'from another version';
    writeFileSync(snapshot, JSON.stringify(snap));
    const r = loadKnowledgeCached(dir, snapshot);
    expect(r).to.include({ source: 'yaml', miss: 'the snapshot was made by other code', written: true });
    expect(r.knowledge.indicators[0].title).to.not.equal('from another version');
    writeFileSync(snapshot, '{"format": 1, "code": "trunc');
    const u = loadKnowledgeCached(dir, snapshot);
    expect(u.source).to.equal('yaml');
    expect(u.miss).to.match(/^the snapshot is unreadable/);
    expect(loadKnowledgeCached(dir, snapshot).source).to.equal('snapshot');
  });

  it('refresh always reads the YAML', () => {
    loadKnowledgeCached(dir, snapshot);
    expect(loadKnowledgeCached(dir, snapshot, { refresh: true }).source).to.equal('yaml');
  });

  it('a snapshot that cannot be written does not stop the load', () => {
    const r = loadKnowledgeCached(dir, join(work, 'no-such-folder', 'snapshot.json'));
    expect(r.source).to.equal('yaml');
    expect(r.written).to.equal(false);
    expect(r.writeError).to.be.a('string');
    expect(r.knowledge.indicators.length).to.be.greaterThan(0);
  });

  it('the bot refuses to start, with file and line, on an invalid edit made after its snapshot was written', async () => {
    const start = async () => {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: join(work, 'data'), KNOWLEDGE_DIR: dir, HOST: '127.0.0.1', PORT: '0' });
      const app = createApp(config, silentLogger(), { knowledgeSnapshot: snapshot });
      try {
        await app.start();
        return app.knowledge;
      } finally {
        await app.close();
      }
    };
    expect((await start())?.indicators.length).to.be.greaterThan(0);
    expect(existsSync(snapshot), 'the first start wrote the snapshot').to.equal(true);
    edit('doc.yaml', 'id: mini-', 'id: Mini_');
    let error: unknown;
    try {
      await start();
    } catch (e) {
      error = e;
    }
    expect(error, 'start-up refused').to.be.instanceOf(KnowledgeError);
    expect((error as Error).message).to.match(/doc\.yaml:\d+ at \w+\.\d+\.id: ids use lower-case letters/);
  });
});
