import { expect } from 'chai';
import { join } from 'node:path';
import { loadKnowledge, KnowledgeError, knowledgeCounts } from '../knowledge/loader';
import { CONTENT_DIR, FIXTURES } from './helpers/paths';

function problemsOf(dir: string): string {
  try {
    loadKnowledge(join(FIXTURES, dir));
  } catch (e) {
    expect(e).to.be.instanceOf(KnowledgeError);
    return (e as Error).message;
  }
  throw new Error('expected a KnowledgeError');
}

describe('knowledge loader', () => {
  it('loads and validates all five documents, the plans and the glossary', () => {
    const k = loadKnowledge(CONTENT_DIR);
    const c = knowledgeCounts(k);
    expect(c.documents).to.equal(5);
    expect(c.plans).to.equal(3);
    expect(c.priorities).to.be.at.least(20);
    expect(c.indicators).to.be.at.least(100);
    expect(c.activities).to.be.at.least(60);
    expect(c.glossaryTerms).to.be.at.least(50);
    expect(new Set(k.documents.map((d) => d.file)).size).to.equal(5);
  });

  it('reports YAML syntax errors with the file and line', () => {
    const msg = problemsOf('broken-syntax');
    expect(msg).to.match(/doc\.yaml:\d+ .*YAML syntax/);
  });

  it('reports schema errors with file, line and field path', () => {
    const msg = problemsOf('broken-schema');
    expect(msg).to.include('doc.yaml:18 at indicators.0.polarity');
    expect(msg).to.include('indicators.1.id: ids use lower-case letters, digits and dashes only');
    expect(msg).to.include('indicators.1.title: must not be empty');
  });

  it('reports unresolved references and duplicate ids', () => {
    const msg = problemsOf('broken-refs');
    expect(msg).to.include('at document.plan: unknown plan "no-such-plan"');
    expect(msg).to.include('at activities.0.priority: unknown priority "c-p9"');
    expect(msg).to.include('at activities.0.measures.0.indicator: unknown indicator "c-missing"');
    expect(msg).to.match(/activities\.1\.id: duplicate id "c-p1" \(first defined in doc\.yaml:\d+\)/);
  });

  it('keeps the document id on every record for citing sources', () => {
    const k = loadKnowledge(join(FIXTURES, 'minimal'));
    expect(k.indicators[0].doc).to.equal('mini');
  });
});
