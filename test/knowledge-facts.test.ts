/**
 * Facts read from the five documents (test/facts/*.yaml, see its README) must
 * be in the knowledge on the right record, and must be in the seed document
 * word for word: a figure on the wrong record, or one not in the source, fails.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { realKnowledge } from './helpers/knowledge';
import { ROOT, SEEDS_DIR } from './helpers/paths';
import { squash } from '../knowledge/text';

const Fact = z
  .object({
    record: z.string(),
    field: z.enum(['value', 'national', 'target', 'lead', 'leadOrganisation', 'due', 'text', 'title']),
    period: z.string().optional(),
    expect: z.string(),
    quote: z.string().optional(),
    action: z.string().optional(),
  })
  .strict();
type Fact = z.infer<typeof Fact>;

const factsDir = join(ROOT, 'test', 'facts');
const files = readdirSync(factsDir).filter((f) => f.endsWith('.yaml'));
const all: { file: string; fact: Fact }[] = files.flatMap((file) =>
  (parse(readFileSync(join(factsDir, file), 'utf8')) as { facts: unknown[] }).facts.map((f) => ({ file, fact: Fact.parse(f) })),
);

/** Every string anywhere in a record: for "text" facts. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === 'object') return Object.entries(x).filter(([k]) => k !== 'source' && k !== 'id').flatMap(([, v]) => strings(v));
  return [];
}

describe('facts from the documents', () => {
  const { knowledge } = realKnowledge();
  const records = new Map<string, Record<string, unknown> & { doc: string }>();
  for (const r of [...knowledge.priorities, ...knowledge.activities, ...knowledge.indicators, ...knowledge.passages]) records.set(r.id, r as never);
  const seedText = new Map<string, string>();
  for (const d of knowledge.documents) {
    const path = join(SEEDS_DIR, d.file);
    if (existsSync(path)) seedText.set(d.id, squash(readFileSync(path, 'utf8')));
  }

  it('has at least 150 facts spread over all five documents', () => {
    expect(all.length).to.be.at.least(150);
    const docs = new Set(all.map((f) => records.get(f.fact.record)?.doc));
    expect(docs.size).to.equal(5);
  });

  for (const { file, fact } of all) {
    const label = `${file}: ${fact.record} ${fact.field}${fact.period ? ` ${fact.period}` : ''} = ${fact.expect.slice(0, 60)}`;
    it(label, () => {
      const r = records.get(fact.record);
      expect(r, `record ${fact.record} exists`).to.exist;
      const rec = r as Record<string, unknown>;
      switch (fact.field) {
        case 'value': {
          const values = rec.values as { value: string; period?: string }[];
          const match = values.find((v) => v.value === fact.expect && (!fact.period || v.period === fact.period));
          expect(match, `values of ${fact.record}: ${JSON.stringify(values.map((v) => [v.value, v.period]))}`).to.exist;
          break;
        }
        case 'national':
        case 'target':
          expect((rec[fact.field] as { value: string } | undefined)?.value).to.equal(fact.expect);
          break;
        case 'lead':
          expect((rec.leads as string[]).some((l) => l.includes(fact.expect)), `leads ${JSON.stringify(rec.leads)}`).to.equal(true);
          break;
        case 'leadOrganisation':
          expect(String(rec.leadOrganisation ?? '')).to.include(fact.expect);
          break;
        case 'due': {
          const actions = rec.actions as { text: string; due?: string }[];
          const match = actions.find((a) => a.due === fact.expect && (!fact.action || squash(a.text).toLowerCase().includes(squash(fact.action).toLowerCase())));
          expect(match, `actions ${JSON.stringify(actions.map((a) => [a.text.slice(0, 40), a.due]))}`).to.exist;
          break;
        }
        case 'title':
          expect(squash(String(rec.title ?? ''))).to.include(squash(fact.expect));
          break;
        case 'text':
          expect(strings(rec).some((s) => squash(s).includes(squash(fact.expect))), 'text somewhere in the record').to.equal(true);
          break;
      }
      const seed = seedText.get(r!.doc);
      if (seed !== undefined) {
        const needle = squash(fact.quote ?? fact.expect);
        expect(seed.includes(needle), `"${needle.slice(0, 80)}" is in ${r!.doc}'s seed text`).to.equal(true);
      }
    });
  }
});
