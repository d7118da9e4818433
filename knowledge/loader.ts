/**
 * Loads the knowledge YAML files, validates them against the schema and checks
 * cross-references. Errors name the file, the line and the field path, because
 * the people who fix them are editing YAML by hand.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import {
  DocumentFileSchema,
  GlossaryFileSchema,
  PlansFileSchema,
  type Activity,
  type DocumentFile,
  type GlossaryFile,
  type Indicator,
  type Passage,
  type Plan,
  type Priority,
  type SourceDocument,
} from './schema';

export interface KnowledgeProblem {
  file: string;
  line?: number;
  path: string;
  message: string;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(
      `${problems.length} problem(s) in the knowledge files:\n` +
        problems.map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''} ${p.path ? `at ${p.path}: ` : ''}${p.message}`).join('\n'),
    );
    this.name = 'KnowledgeError';
  }
}

/** Records keep the id of the document they came from, so every answer can cite it. */
export type WithDoc<T> = T & { doc: string };

export interface Knowledge {
  plans: Plan[];
  documents: SourceDocument[];
  priorities: WithDoc<Priority>[];
  activities: WithDoc<Activity>[];
  indicators: WithDoc<Indicator>[];
  passages: WithDoc<Passage>[];
  glossary: GlossaryFile;
}

export function emptyKnowledge(): Knowledge {
  return { plans: [], documents: [], priorities: [], activities: [], indicators: [], passages: [], glossary: { terms: [], synonyms: [] } };
}

export const DEFAULT_CONTENT_DIR = join(__dirname, '..', '..', 'knowledge', 'content');

interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

function parseYaml(path: string, problems: KnowledgeProblem[]): ParsedFile | undefined {
  const file = basename(path);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      problems.push({ file, line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  return { file, doc, lines };
}

/** The line of the node at `path`, or of its nearest ancestor that exists. */
function lineOf(parsed: ParsedFile, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = parsed.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return parsed.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function validate<T extends z.ZodTypeAny>(schema: T, parsed: ParsedFile, problems: KnowledgeProblem[]): z.infer<T> | undefined {
  const result = schema.safeParse(parsed.doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({ file: parsed.file, line: lineOf(parsed, issue.path), path: issue.path.join('.'), message: issue.message });
  }
  return undefined;
}

/**
 * Loads every *.yaml in `dir`: plans.yaml, glossary.yaml and one file per
 * source document. Throws KnowledgeError listing every problem found.
 */
export function loadKnowledge(dir: string = DEFAULT_CONTENT_DIR): Knowledge {
  const problems: KnowledgeProblem[] = [];
  const k = emptyKnowledge();
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  // Where each id was defined, for duplicate and reference messages.
  const where = new Map<string, { file: string; path: (string | number)[]; parsed: ParsedFile }>();
  const docFiles: { parsed: ParsedFile; content: DocumentFile }[] = [];

  for (const f of files) {
    const parsed = parseYaml(join(dir, f), problems);
    if (!parsed) continue;
    if (f === 'plans.yaml') {
      const plans = validate(PlansFileSchema, parsed, problems);
      if (plans) k.plans.push(...plans.plans);
    } else if (f === 'glossary.yaml') {
      const g = validate(GlossaryFileSchema, parsed, problems);
      if (g) k.glossary = g;
    } else {
      const content = validate(DocumentFileSchema, parsed, problems);
      if (content) docFiles.push({ parsed, content });
    }
  }

  const define = (id: string, parsed: ParsedFile, path: (string | number)[]) => {
    const prior = where.get(id);
    if (prior) {
      problems.push({ file: parsed.file, line: lineOf(parsed, path), path: path.join('.'), message: `duplicate id "${id}" (first defined in ${prior.file}:${lineOf(prior.parsed, prior.path) ?? '?'})` });
    } else {
      where.set(id, { file: parsed.file, path, parsed });
    }
  };

  for (const { parsed, content } of docFiles) {
    const docId = content.document.id;
    define(docId, parsed, ['document', 'id']);
    k.documents.push(content.document);
    content.priorities.forEach((p, i) => { define(p.id, parsed, ['priorities', i, 'id']); k.priorities.push({ ...p, doc: docId }); });
    content.activities.forEach((a, i) => { define(a.id, parsed, ['activities', i, 'id']); k.activities.push({ ...a, doc: docId }); });
    content.indicators.forEach((x, i) => { define(x.id, parsed, ['indicators', i, 'id']); k.indicators.push({ ...x, doc: docId }); });
    content.passages.forEach((x, i) => { define(x.id, parsed, ['passages', i, 'id']); k.passages.push({ ...x, doc: docId }); });
  }

  // Cross-references: every reference must resolve to a record of the right kind.
  const planIds = new Set(k.plans.map((p) => p.id));
  const priorityIds = new Set(k.priorities.map((p) => p.id));
  const indicatorIds = new Set(k.indicators.map((p) => p.id));
  const docIds = new Set(k.documents.map((d) => d.id));
  for (const { parsed, content } of docFiles) {
    const check = (ok: boolean, path: (string | number)[], message: string) => {
      if (!ok) problems.push({ file: parsed.file, line: lineOf(parsed, path), path: path.join('.'), message });
    };
    check(planIds.has(content.document.plan), ['document', 'plan'], `unknown plan "${content.document.plan}" (plans are defined in plans.yaml)`);
    content.priorities.forEach((p, i) => check(planIds.has(p.plan), ['priorities', i, 'plan'], `unknown plan "${p.plan}"`));
    content.activities.forEach((a, i) => {
      check(priorityIds.has(a.priority), ['activities', i, 'priority'], `unknown priority "${a.priority}"`);
      a.measures.forEach((m, j) => {
        if (m.indicator) check(indicatorIds.has(m.indicator), ['activities', i, 'measures', j, 'indicator'], `unknown indicator "${m.indicator}"`);
      });
    });
    content.indicators.forEach((x, i) => check(priorityIds.has(x.priority), ['indicators', i, 'priority'], `unknown priority "${x.priority}"`));
    content.passages.forEach((x, i) => {
      if (x.priority) check(priorityIds.has(x.priority), ['passages', i, 'priority'], `unknown priority "${x.priority}"`);
    });
  }
  k.glossary.terms.forEach((t) => {
    if (t.source && !docIds.has(t.source.document)) {
      problems.push({ file: 'glossary.yaml', path: `terms.${t.term}.source.document`, message: `unknown document "${t.source.document}"` });
    }
  });
  if (!files.includes('plans.yaml')) problems.push({ file: 'plans.yaml', path: '', message: 'missing: the plans file is required' });

  if (problems.length) throw new KnowledgeError(problems);
  return k;
}

export function knowledgeCounts(k: Knowledge): Record<string, number> {
  return {
    plans: k.plans.length,
    documents: k.documents.length,
    priorities: k.priorities.length,
    activities: k.activities.length,
    indicators: k.indicators.length,
    passages: k.passages.length,
    glossaryTerms: k.glossary.terms.length,
  };
}
