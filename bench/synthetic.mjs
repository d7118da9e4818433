// Synthetic plan knowledge for the search benchmark: N× the real knowledge.
//
// The real documents are kept as they are (so the dev questions still have
// their answers) and (N-1) synthetic copies of every document are added, in
// the same schema: new plans, documents, priorities, activities, indicators
// and passages whose text is made from the real text —
//   - titles and aliases are the real ones with a few words swapped for other
//     words of real titles, or with a real qualifier added, so there are many
//     indicators with similar names ("Percentage of girls reporting smoking at
//     14 weeks" beside "Percentage of women reporting smoking at time of
//     delivery");
//   - narratives are drawn from a word-bigram chain trained on the real
//     narratives (same vocabulary, same sentence lengths);
//   - every number is varied, every year shifted, leads are new pairings of
//     real first names and surnames, lead organisations and authorities are
//     shuffled;
//   - the vocabulary grows like real text does (Heaps' law, ~√N): a pool of
//     new words (derived forms of real words, new place and programme names)
//     is mixed in, so the typo layer sees a realistically larger vocabulary.
// Everything is seeded: the same scale gives the same knowledge on every run.
//
// As a module: generateFiles(real, scale), writeKnowledge(dir, real, realDir, scale)
// (YAML for the real loader) and buildKnowledge(real, scale) (in memory, schema-validated).
// As a command (validates with the real loader and prints counts):
//   node bench/synthetic.mjs --scale 10 [--out DIR]
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the compiled app is: the repository, or the snapshot of it that bench/run.mjs takes (BENCH_APP). */
export const APP = process.env.BENCH_APP ?? ROOT;
const require = createRequire(join(ROOT, 'package.json'));
const { stringify } = require('yaml');

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  next.chance = (p) => next() < p;
  return next;
}

const STOP = new Set('a an the of in on at to for from by with and or but not no is are was were be been have has had it its this that these those their they our we who which what when where how all any each other than more most less such as per into over under between'.split(' '));
const isContent = (w) => /^[A-Za-z][a-z]{3,}$/.test(w) && !STOP.has(w.toLowerCase());

/** Re-states the numbers and years of a text: years shift by `shift`, quantities vary by up to ±40%. */
export function varyNumbers(text, r, shift) {
  return text
    .replace(/\b(20)(\d\d)(\s*[/-]\s*)(20)?(\d\d)\b/g, (m, c, a, sep, c2, b) => {
      const y1 = Number(a) + shift;
      const y2 = Number(b) + shift;
      return `${c}${String(y1).padStart(2, '0')}${sep}${c2 ?? ''}${String(y2).padStart(2, '0')}`;
    })
    .replace(/(?<![\d/.-])\b(20[0-4]\d)\b(?![/.-]?\d)/g, (m) => String(Number(m) + shift))
    .replace(/(?<![\w/.-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/]|\.\d)/g, (m) => {
      const plain = m.replace(/,/g, '');
      const n = Number(plain);
      if (!Number.isFinite(n) || (n >= 2000 && n <= 2049 && !m.includes('.'))) return m;
      const dec = plain.includes('.') ? plain.split('.')[1].length : 0;
      const v = Math.max(0, n * (0.6 + 0.8 * r()));
      const s = dec ? v.toFixed(dec) : String(Math.max(n === 0 ? 0 : 1, Math.round(v)));
      return m.includes(',') ? Number(s).toLocaleString('en-GB') : s;
    });
}

/** Word-bigram chain over real sentences: plausible new sentences in the documents' own words. */
class Chain {
  constructor(texts) {
    this.next = new Map();
    this.starts = [];
    this.lengths = [];
    for (const t of texts) {
      const w = t.split(/\s+/).filter(Boolean);
      if (w.length < 3) continue;
      this.starts.push(w[0]);
      this.lengths.push(w.length);
      for (let i = 0; i + 1 < w.length; i++) {
        let l = this.next.get(w[i]);
        if (!l) this.next.set(w[i], (l = []));
        l.push(w[i + 1]);
      }
    }
  }

  sentence(r) {
    const target = r.pick(this.lengths);
    const out = [r.pick(this.starts)];
    while (out.length < Math.max(target, 4) + 12) {
      const l = this.next.get(out[out.length - 1]);
      if (!l) break;
      const w = r.pick(l);
      out.push(w);
      if (out.length >= target && /[.!?]$/.test(w)) break;
    }
    let s = out.join(' ');
    if (!/[.!?:]$/.test(s)) s += '.';
    return s[0].toUpperCase() + s.slice(1);
  }
}

const PREFIXES = ['non', 're', 'pre', 'post', 'multi', 'inter', 'sub', 'co', 'under', 'over', 'cross', 'semi', 'counter', 'mid', 'out', 'self', 'neo', 'pro', 'anti', 'micro'];
const SUFFIXES = ['based', 'led', 'wide', 'ness', 'ship', 'hood', 'ward', 'wise', 'work', 'line', 'ful', 'less'];
const SYLLABLES = ['best', 'wick', 'ash', 'field', 'ton', 'ley', 'bury', 'worth', 'stan', 'ford', 'mere', 'dale', 'holm', 'thorp', 'brid', 'gate', 'cliff', 'wood', 'bran', 'sher', 'well', 'moor', 'lea', 'combe', 'hurst', 'ham', 'ing', 'kirk', 'by', 'den', 'marsh', 'ridge', 'stow', 'cot', 'wel', 'beck'];

/** Words the real knowledge does not have, about (√scale − 1) × its vocabulary: derived forms and new names. */
function newWordPool(realWords, scale, r) {
  const known = new Set(realWords);
  const want = Math.round(realWords.length * (Math.sqrt(scale) - 1));
  const pool = new Set();
  const bases = realWords.filter((w) => w.length >= 4 && w.length <= 10);
  let guard = 0;
  while (pool.size < want && guard++ < want * 20) {
    const kind = r();
    let w;
    if (kind < 0.45) w = r.pick(PREFIXES) + r.pick(bases);
    else if (kind < 0.7) w = r.pick(bases) + r.pick(SUFFIXES);
    else w = r.pick(SYLLABLES) + r.pick(SYLLABLES) + (r.chance(0.4) ? r.pick(SYLLABLES) : '');
    if (w.length < 5 || known.has(w)) continue;
    pool.add(w);
  }
  return [...pool];
}

/**
 * Builds the synthetic document files (objects in the schema of knowledge/content/*.yaml)
 * and the synthetic plans, from the real Knowledge (as loadKnowledge returns it).
 */
export function generateFiles(real, scale, seed = 20240601) {
  const r = rng(seed + scale);
  const strip = ({ doc: _doc, ...rest }) => rest;
  const sentencesOf = (narr) => narr.flatMap((n) => n.text.split(/(?<=[.!?])\s+(?=[A-Z])/));
  const narratives = [
    ...real.activities.flatMap((a) => sentencesOf(a.progress)),
    ...real.indicators.flatMap((x) => sentencesOf(x.commentary)),
    ...real.priorities.flatMap((p) => sentencesOf(p.summary)),
    ...real.passages.flatMap((p) => sentencesOf([p])),
  ];
  const chain = new Chain(narratives);
  const actionChain = new Chain(real.activities.flatMap((a) => a.actions.map((x) => x.text)));
  const titles = [...real.indicators, ...real.activities].flatMap((x) => [x.title, ...x.aliases]);
  const titleWords = [...new Set(titles.flatMap((t) => t.split(/\s+/)).filter(isContent))];
  const qualifiers = [
    ...new Set(
      titles
        .map((t) => t.match(/\s((?:in|at|by|for|aged|per|within|from|of)\s[^,;()]{6,40})$/)?.[1])
        .filter(Boolean),
    ),
    '(rolling 12 months)', '(provisional)', 'in the most deprived wards', 'at Key Stage 2', 'aged 10-17', 'per 10,000 population',
  ];
  const allWords = [...new Set([...titles, ...narratives].flatMap((t) => t.toLowerCase().match(/[a-z]+/g) ?? []))];
  const pool = newWordPool(allWords, scale, r);
  const people = [...new Set([...real.activities.flatMap((a) => a.leads), ...real.indicators.flatMap((x) => x.leads)])];
  const firstNames = [...new Set(people.map((p) => p.split(/\s+/)[0]).filter((w) => /^[A-Z][a-z]+$/.test(w)))];
  const surnames = [...new Set(people.map((p) => p.split(/\s+/).slice(-1)[0]).filter((w) => /^[A-Z][a-z]+$/.test(w)))];
  const orgs = [...new Set([...real.activities, ...real.indicators].map((x) => x.leadOrganisation).filter(Boolean))];
  const groups = [...new Set(real.activities.map((a) => a.governanceGroup).filter(Boolean))];
  const authorities = ['county', 'city'];
  let poolAt = 0;
  const fresh = () => pool[poolAt++ % Math.max(pool.length, 1)];

  // A few words of a text swapped for fresh vocabulary, at a rate that uses the whole pool.
  // Each new word appears about twice in the whole synthetic text.
  const contentWords = [...titles, ...narratives].reduce((n, t) => n + (t.match(/\b[a-z]{4,}\b/g)?.length ?? 0), 0);
  const freshRate = pool.length ? Math.min(0.1, (2 * pool.length) / Math.max(1, (scale - 1) * contentWords)) : 0;
  const sprinkle = (text) =>
    freshRate ? text.replace(/\b[a-z]{4,}\b/g, (w) => (!STOP.has(w) && r.chance(freshRate) ? fresh() : w)) : text;
  const person = () => `${r.pick(firstNames)} ${r.pick(surnames)}`;
  const similar = (title, shift) => {
    let words = title.split(/\s+/);
    const swaps = 1 + r.int(2);
    for (let i = 0; i < swaps; i++) {
      const at = words.map((w, j) => (isContent(w) ? j : -1)).filter((j) => j >= 0);
      if (!at.length) break;
      const j = r.pick(at);
      const w = r.chance(0.1) && pool.length ? fresh() : r.pick(titleWords);
      words[j] = /^[a-z]/.test(words[j]) && /^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w;
    }
    if (r.chance(0.35)) words = [...words, r.pick(qualifiers)];
    return varyNumbers(words.join(' '), r, shift);
  };
  const text = (shift, n = 1 + r.int(3), c = chain) => varyNumbers(sprinkle(Array.from({ length: n }, () => c.sentence(r)).join(' ')), r, shift);
  const narrativesLike = (list, shift, section) =>
    list.map((n) => ({
      text: text(shift, Math.max(1, Math.min(6, sentencesOf([n]).length + r.int(3) - 1))),
      ...(n.period ? { period: varyNumbers(n.period, r, shift) } : {}),
      ...(n.kind ? { kind: n.kind } : {}),
      source: { section, ref: `line ${1 + r.int(900)}` },
    }));
  const figure = (f, shift) => f && { ...f, value: varyNumbers(f.value, r, shift), ...(f.period ? { period: varyNumbers(f.period, r, shift) } : {}), ...(f.note ? { note: varyNumbers(f.note, r, shift) } : {}) };

  const plans = [];
  const files = [];
  for (let k = 1; k < scale; k++) {
    const shift = 1 + (k % 9);
    const pre = `s${k}-`;
    const planAuthority = new Map();
    for (const p of real.plans) {
      const authority = r.pick(authorities);
      planAuthority.set(p.id, authority);
      plans.push({ ...p, id: pre + p.id, title: varyNumbers(p.title, r, shift), period: varyNumbers(p.period, r, shift), authority, aliases: p.aliases.map((a) => `${a} ${k}`) });
    }
    for (const d of real.documents) {
      const mine = (x) => x.doc === d.id;
      const section = (s) => s.section;
      const indicatorIds = new Set(real.indicators.filter(mine).map((x) => x.id));
      files.push({
        name: `${pre}${d.id}.yaml`,
        content: {
          document: {
            ...d,
            id: pre + d.id,
            file: `synthetic-${k}-${d.file}`,
            title: varyNumbers(d.title, r, shift),
            date: varyNumbers(d.date, r, shift),
            ...(d.period ? { period: varyNumbers(d.period, r, shift) } : {}),
            authority: d.authority === 'partnership' ? 'partnership' : planAuthority.get(d.plan),
            plan: pre + d.plan,
            notes: ['Synthetic benchmark content: not from any real document.'],
          },
          priorities: real.priorities.filter(mine).map((p) => ({
            ...strip(p),
            id: pre + p.id,
            plan: pre + p.plan,
            ...(p.title ? { title: similar(p.title, shift) } : {}),
            outcomes: p.outcomes.map((o) => ({ ...o, text: similar(o.text, shift) })),
            success: p.success.map(() => text(shift, 1)),
            summary: narrativesLike(p.summary, shift, p.source.section),
          })),
          activities: real.activities.filter(mine).map((a) => ({
            ...strip(a),
            id: pre + a.id,
            priority: pre + a.priority,
            title: similar(a.title, shift),
            aliases: a.aliases.map((x) => (r.chance(0.5) ? similar(x, shift) : x)),
            ...(a.leadOrganisation ? { leadOrganisation: r.pick(orgs) } : {}),
            ...(a.governanceGroup ? { governanceGroup: r.pick(groups) } : {}),
            partners: a.partners.map(() => r.pick(orgs)),
            leads: a.leads.map(person),
            actions: a.actions.map((x) => ({ ...x, text: text(shift, 1, actionChain), ...(x.due ? { due: varyNumbers(x.due, r, shift) } : {}) })),
            measures: a.measures.map((m) => ({ text: similar(m.text, shift), ...(m.indicator && indicatorIds.has(m.indicator) ? { indicator: pre + m.indicator } : {}) })),
            evidenceSources: a.evidenceSources.map((e) => varyNumbers(e, r, shift)),
            progress: narrativesLike(a.progress, shift, section(a.source)),
          })),
          indicators: real.indicators.filter(mine).map((x) => ({
            ...strip(x),
            id: pre + x.id,
            priority: pre + x.priority,
            title: similar(x.title, shift),
            aliases: x.aliases.map((a) => (r.chance(0.5) ? similar(a, shift) : a)),
            polarity: r.chance(0.7) ? x.polarity : r.pick(['high', 'low', 'none']),
            ...(x.national ? { national: figure(x.national, shift) } : {}),
            ...(x.target ? { target: figure(x.target, shift) } : {}),
            values: x.values.map((v) => figure(v, shift)),
            ...(x.leadOrganisation ? { leadOrganisation: r.pick(orgs) } : {}),
            leads: x.leads.map(person),
            commentary: narrativesLike(x.commentary, shift, section(x.source)),
          })),
          passages: real.passages.filter(mine).map((x) => ({
            ...strip(x),
            id: pre + x.id,
            ...(x.priority ? { priority: pre + x.priority } : {}),
            ...(x.heading ? { heading: similar(x.heading, shift) } : {}),
            text: text(shift, Math.max(1, sentencesOf([x]).length)),
            ...(x.period ? { period: varyNumbers(x.period, r, shift) } : {}),
          })),
        },
      });
    }
  }
  return { plans, files, newWords: pool.length };
}

/**
 * Writes N× knowledge into `dir` as the loader expects it: the real files
 * copied, plans.yaml with the synthetic plans added, one YAML file per
 * synthetic document. Returns what was written.
 */
export function writeKnowledge(dir, real, realDir, scale) {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(realDir).filter((f) => /\.ya?ml$/.test(f) && f !== 'plans.yaml')) copyFileSync(join(realDir, f), join(dir, f));
  const { plans, files, newWords } = generateFiles(real, scale);
  writeFileSync(join(dir, 'plans.yaml'), stringify({ authorities: real.authorities ?? [], plans: [...real.plans, ...plans] }));
  let bytes = 0;
  for (const f of files) {
    const y = '# Synthetic benchmark content (bench/synthetic.mjs).\n' + stringify(f.content, { lineWidth: 0 });
    bytes += y.length;
    writeFileSync(join(dir, f.name), y);
  }
  return { files: files.length, bytes, newWords };
}

/**
 * The same N× knowledge built in memory, without the YAML round trip (which
 * takes most of a minute at 100×): every synthetic file is validated with the
 * content's zod schemas (DocumentFileSchema, PlansFileSchema) exactly as the
 * loader validates a parsed file, and the cross-references the loader checks
 * are checked here too. Throws on the first invalid file.
 */
export function buildKnowledge(real, scale) {
  const { DocumentFileSchema, PlansFileSchema } = require(join(APP, 'dist', 'knowledge', 'schema.js'));
  const { plans, files, newWords } = generateFiles(real, scale);
  const k = {
    authorities: real.authorities ?? [],
    plans: PlansFileSchema.parse({ plans: [...real.plans, ...plans] }).plans,
    documents: [...real.documents],
    priorities: [...real.priorities],
    activities: [...real.activities],
    indicators: [...real.indicators],
    passages: [...real.passages],
    glossary: real.glossary,
  };
  for (const f of files) {
    const r = DocumentFileSchema.safeParse(f.content);
    if (!r.success) throw new Error(`synthetic ${f.name} is not valid: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const c = r.data;
    const doc = c.document.id;
    k.documents.push(c.document);
    for (const p of c.priorities) k.priorities.push({ ...p, doc });
    for (const a of c.activities) k.activities.push({ ...a, doc });
    for (const x of c.indicators) k.indicators.push({ ...x, doc });
    for (const x of c.passages) k.passages.push({ ...x, doc });
  }
  const ids = new Set();
  const has = { plan: new Set(k.plans.map((p) => p.id)), priority: new Set(k.priorities.map((p) => p.id)), indicator: new Set(k.indicators.map((x) => x.id)) };
  const problems = [];
  for (const x of [...k.documents, ...k.priorities, ...k.activities, ...k.indicators, ...k.passages]) {
    if (ids.has(x.id)) problems.push(`duplicate id ${x.id}`);
    ids.add(x.id);
  }
  for (const d of k.documents) if (!has.plan.has(d.plan)) problems.push(`${d.id}: unknown plan ${d.plan}`);
  for (const p of k.priorities) if (!has.plan.has(p.plan)) problems.push(`${p.id}: unknown plan ${p.plan}`);
  for (const x of [...k.activities, ...k.indicators]) if (!has.priority.has(x.priority)) problems.push(`${x.id}: unknown priority ${x.priority}`);
  for (const x of k.passages) if (x.priority && !has.priority.has(x.priority)) problems.push(`${x.id}: unknown priority ${x.priority}`);
  for (const a of k.activities) for (const m of a.measures) if (m.indicator && !has.indicator.has(m.indicator)) problems.push(`${a.id}: unknown indicator ${m.indicator}`);
  if (problems.length) throw new Error(`synthetic knowledge has ${problems.length} reference problem(s): ${problems.slice(0, 5).join('; ')}`);
  return { knowledge: k, newWords, files: files.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
  const scale = Number(opt('--scale', 10));
  const out = opt('--out');
  const dir = out ?? mkdtempSync(join(tmpdir(), 'plan-synthetic-'));
  const { loadKnowledge, knowledgeCounts, DEFAULT_CONTENT_DIR } = require(join(APP, 'dist', 'knowledge', 'loader.js'));
  try {
    const real = loadKnowledge(DEFAULT_CONTENT_DIR);
    let t = performance.now();
    const w = writeKnowledge(dir, real, DEFAULT_CONTENT_DIR, scale);
    console.log(`wrote ${w.files} synthetic files (${(w.bytes / 2 ** 20).toFixed(1)} MiB, ${w.newWords} new words) in ${(performance.now() - t).toFixed(0)} ms to ${dir}`);
    t = performance.now();
    const k = loadKnowledge(dir); // throws KnowledgeError naming every problem
    console.log(`valid: loadKnowledge in ${(performance.now() - t).toFixed(0)} ms`, knowledgeCounts(k));
  } finally {
    if (!out) rmSync(dir, { recursive: true, force: true });
  }
}
