/**
 * Loads the knowledge YAML files, validates them against the schema and checks
 * cross-references. Errors name the file, the line and the field path, because
 * the people who fix them are editing YAML by hand.
 *
 * The bot starts from a validated snapshot when it can (loadKnowledgeCached):
 * the full load takes about a second (YAML with line positions, then zod), the
 * snapshot a few milliseconds, and it is only used when every YAML file's bytes
 * and the loader's own code are exactly those it was made from.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import type { LineCounter, Document } from 'yaml';
import { z } from 'zod';
import {
  DocumentFileSchema,
  GlossaryFileSchema,
  PlansFileSchema,
  type Activity,
  type AuthorityNames,
  type DocumentFile,
  type GlossaryFile,
  type Indicator,
  type Passage,
  type Plan,
  type Priority,
  type SourceDocument,
} from './schema';
import { spanOf } from './periods';

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
  /** How each authority is named (plans.yaml `authorities`); see catalogue.ts for the defaults. */
  authorities: AuthorityNames[];
  plans: Plan[];
  documents: SourceDocument[];
  priorities: WithDoc<Priority>[];
  activities: WithDoc<Activity>[];
  indicators: WithDoc<Indicator>[];
  passages: WithDoc<Passage>[];
  glossary: GlossaryFile;
}

export function emptyKnowledge(): Knowledge {
  return { authorities: [], plans: [], documents: [], priorities: [], activities: [], indicators: [], passages: [], glossary: { terms: [], synonyms: [], populations: [] } };
}

export const DEFAULT_CONTENT_DIR = join(__dirname, '..', '..', 'knowledge', 'content');

let yamlModule: typeof import('yaml') | undefined;
/** The YAML parser, loaded on first use: a start-up from the snapshot never needs it (about 40 ms of require). */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof import('yaml'));
}

interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** One knowledge file as read from disk: the bytes that are parsed are the bytes that are hashed. */
interface ContentFile {
  name: string;
  bytes: Buffer;
}

/** The people file (leads' ids) is read on its own, by knowledge/people.ts: it is not plan content. */
const NOT_CONTENT = new Set(['people.yaml']);

function readContent(dir: string): ContentFile[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !NOT_CONTENT.has(f))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

function parseYaml({ name: file, bytes }: ContentFile, problems: KnowledgeProblem[]): ParsedFile | undefined {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
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
    if (yaml().isNode(node) && node.range) return parsed.lines.linePos(node.range[0]).line;
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
  return loadFiles(readContent(dir)).knowledge;
}

/** Where a record, plan or document is written: its file and line, for authoring messages. */
export type Locate = (id: string) => { file: string; line?: number } | undefined;

/** The full load, with where each id is written (for `npm run knowledge:check`, which names file and line). */
export function loadKnowledgeWithLocations(dir: string = DEFAULT_CONTENT_DIR): { knowledge: Knowledge; locate: Locate } {
  return loadFiles(readContent(dir));
}

/** plans.yaml, or a file of its own for a plan: plans-<name>.yaml. */
export const isPlansFile = (name: string) => name === 'plans.yaml' || /^plans-[\w.-]+\.ya?ml$/.test(name);

function loadFiles(content: ContentFile[]): { knowledge: Knowledge; locate: Locate } {
  const problems: KnowledgeProblem[] = [];
  const k = emptyKnowledge();
  const files = content.map((c) => c.name);
  // Where each id was defined, for duplicate and reference messages.
  const where = new Map<string, { file: string; path: (string | number)[]; parsed: ParsedFile }>();
  const docFiles: { parsed: ParsedFile; content: DocumentFile }[] = [];
  const planWhere = new Map<string, { file: string; line?: number }>();

  for (const c of content) {
    const f = c.name;
    const parsed = parseYaml(c, problems);
    if (!parsed) continue;
    if (isPlansFile(f)) {
      const plans = validate(PlansFileSchema, parsed, problems);
      if (plans) {
        plans.plans.forEach((p, i) => {
          const prior = planWhere.get(p.id);
          if (prior) problems.push({ file: f, line: lineOf(parsed, ['plans', i, 'id']), path: `plans.${i}.id`, message: `duplicate plan id "${p.id}" (first defined in ${prior.file}:${prior.line ?? '?'})` });
          else planWhere.set(p.id, { file: f, line: lineOf(parsed, ['plans', i, 'id']) });
          // The years a plan runs decide which plan is current: they must be readable.
          if (!spanOf(p.period)) problems.push({ file: f, line: lineOf(parsed, ['plans', i, 'period']), path: `plans.${i}.period`, message: `"${p.period}" is not a period the bot can read: write the years the plan runs, e.g. 2018-2021 or 2018/19` });
        });
        plans.authorities.forEach((a, i) => {
          if (k.authorities.some((x) => x.id === a.id)) problems.push({ file: f, line: lineOf(parsed, ['authorities', i, 'id']), path: `authorities.${i}.id`, message: `the names of "${a.id}" are given twice` });
        });
        // plans.yaml's plans first, then those in files of their own, in file order.
        if (f === 'plans.yaml') k.plans.unshift(...plans.plans);
        else k.plans.push(...plans.plans);
        k.authorities.push(...plans.authorities);
      }
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
    content.indicators.forEach((x, i) => {
      check(priorityIds.has(x.priority), ['indicators', i, 'priority'], `unknown priority "${x.priority}"`);
      if (x.continues) check(indicatorIds.has(x.continues) && x.continues !== x.id, ['indicators', i, 'continues'], `"continues" must name another indicator; "${x.continues}" is not one`);
    });
    content.passages.forEach((x, i) => {
      if (x.priority) check(priorityIds.has(x.priority), ['passages', i, 'priority'], `unknown priority "${x.priority}"`);
    });
  }
  k.glossary.terms.forEach((t) => {
    if (t.source && !docIds.has(t.source.document)) {
      problems.push({ file: 'glossary.yaml', path: `terms.${t.term}.source.document`, message: `unknown document "${t.source.document}"` });
    }
  });
  // A series of indicators ("continues") must end somewhere: a loop would have no first figure.
  const continues = new Map(k.indicators.filter((x) => x.continues).map((x) => [x.id, x.continues!]));
  for (const start of continues.keys()) {
    const path = [start];
    let at = continues.get(start);
    while (at && !path.includes(at)) {
      path.push(at);
      at = continues.get(at);
    }
    // Said once per loop: by its first id in sort order.
    if (at === start && start === [...path].sort()[0]) {
      const w = where.get(start);
      const at = w ? [...w.path.slice(0, -1), 'continues'] : ['continues'];
      problems.push({ file: w?.file ?? '?', line: w ? lineOf(w.parsed, at) : undefined, path: at.join('.'), message: `indicators ${path.join(' -> ')} -> ${start} continue each other in a loop: a series needs a first indicator` });
    }
  }
  if (!files.includes('plans.yaml')) problems.push({ file: 'plans.yaml', path: '', message: 'missing: the plans file is required' });

  if (problems.length) throw new KnowledgeError(problems);
  const locate: Locate = (id) => {
    const w = where.get(id);
    if (w) return { file: w.file, line: lineOf(w.parsed, w.path) };
    return planWhere.get(id);
  };
  return { knowledge: k, locate };
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

// ---------------------------------------------------------------------------
// The validated snapshot: the loaded Knowledge as JSON, with what it was made from.

/** Where the build and the bot keep the snapshot: beside the compiled code (dist/), one file whatever the folder. */
export const DEFAULT_SNAPSHOT_FILE = join(__dirname, '..', 'knowledge.snapshot.json');

/** Bump when the snapshot file's layout changes. */
const SNAPSHOT_FORMAT = 2;

interface SnapshotFile {
  format: number;
  /** The loader's and the schema's compiled code and the yaml and zod versions: a snapshot made by other code is never used. */
  code: string;
  /** Every knowledge file's name and the SHA-256 of its bytes, in load order. */
  files: { name: string; sha256: string }[];
  knowledge: Knowledge;
}

let codeHash: string | undefined;
function loaderCode(): string {
  if (!codeHash) {
    const h = createHash('sha256');
    for (const f of [__filename, require.resolve('./schema'), require.resolve('./periods'), require.resolve('yaml/package.json'), require.resolve('zod/package.json')]) h.update(readFileSync(f)).update('\0');
    codeHash = h.digest('hex');
  }
  return codeHash;
}

export interface CachedLoad {
  knowledge: Knowledge;
  /** `snapshot` when the snapshot matched every file; `yaml` after a full load (YAML, schema and reference checks). */
  source: 'snapshot' | 'yaml';
  /** After a full load: why the snapshot could not be used. */
  miss?: string;
  /** After a full load: where each id is written (file and line), for authoring messages. */
  locate?: Locate;
  /** After a full load: whether the snapshot was rewritten (and why not, if it could not be). */
  written?: boolean;
  writeError?: string;
}

/**
 * The knowledge in `dir`, from the snapshot when every YAML file's bytes (and
 * the set of files), the loader's and schema's code and the snapshot format are
 * exactly those it was made from; otherwise the full load, which throws
 * KnowledgeError with file, line and field for any problem, then rewrites the
 * snapshot. A snapshot is only ever written after a full load succeeded, so an
 * edited file, valid or not, is always loaded and checked from its YAML.
 * `refresh` skips the snapshot and always does the full load.
 */
export function loadKnowledgeCached(dir: string = DEFAULT_CONTENT_DIR, snapshotFile: string = DEFAULT_SNAPSHOT_FILE, options: { refresh?: boolean } = {}): CachedLoad {
  const content = readContent(dir);
  const files = content.map((c) => ({ name: c.name, sha256: createHash('sha256').update(c.bytes).digest('hex') }));
  const code = loaderCode();
  let miss = 'refresh asked for';
  if (!options.refresh) {
    try {
      const snap = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Partial<SnapshotFile> | null;
      const k = snap?.knowledge;
      if (!snap || snap.format !== SNAPSHOT_FORMAT || snap.code !== code) miss = 'the snapshot was made by other code';
      else if (!Array.isArray(snap.files) || snap.files.length !== files.length || snap.files.some((f, i) => f?.name !== files[i].name || f?.sha256 !== files[i].sha256)) miss = 'the knowledge files changed';
      else if (!k || !Array.isArray(k.authorities) || !Array.isArray(k.plans) || !Array.isArray(k.documents) || !Array.isArray(k.indicators) || !k.glossary) miss = 'the snapshot is incomplete';
      else return { knowledge: k, source: 'snapshot' };
    } catch (err) {
      miss = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no snapshot yet' : `the snapshot is unreadable (${(err as Error).message})`;
    }
  }
  const { knowledge, locate } = loadFiles(content);
  const snapshot: SnapshotFile = { format: SNAPSHOT_FORMAT, code, files, knowledge };
  // Written whole under another name, then renamed: a reader (another instance starting) never sees half a file.
  const tmp = `${snapshotFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(snapshot));
    renameSync(tmp, snapshotFile);
    return { knowledge, source: 'yaml', miss, locate, written: true };
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
    return { knowledge, source: 'yaml', miss, locate, written: false, writeError: `${dirname(snapshotFile)}: ${(err as Error).message}` };
  }
}
