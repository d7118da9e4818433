// In-process search benchmark for one knowledge size. Run by bench/run.mjs in a
// child process per size (so heap figures are the index's, not the harness's):
//   node --expose-gc bench/search-bench.mjs --scale 10 [--budget-ms 15000] [--via loader|schema] [--work DIR]
// At --scale 1 it uses the real knowledge; above, real + synthetic copies
// (bench/synthetic.mjs) written as YAML to a temp dir and loaded (and so
// validated) with the real loader. Times, per question of the dev set and its
// variants: concepts() (with the typo layer), search(), the two together, and
// the full Answerer.answer(); plus index build time and heap after build.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, ROOT, buildKnowledge, rng, writeKnowledge } from './synthetic.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { loadKnowledge, DEFAULT_CONTENT_DIR } = require(join(APP, 'dist', 'knowledge', 'loader.js'));
const { SearchIndex } = require(join(APP, 'dist', 'knowledge', 'search.js'));
const { Answerer, SEARCH_LIMIT } = require(join(APP, 'dist', 'knowledge', 'answer.js'));
const { understand } = require(join(APP, 'dist', 'knowledge', 'understand.js'));

const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const scale = Number(opt('--scale', 1));
const budgetMs = Number(opt('--budget-ms', 10000));
const maxPasses = Number(opt('--max-passes', 10));
const setFile = opt('--set', join(ROOT, '..', 'shared', 'eval', 'dev.json'));
const breakdown = args.includes('--breakdown');
// How synthetic knowledge is validated: written as YAML and read with the real loader, or
// built in memory and checked with the zod schemas (the YAML round trip takes most of a minute at 100×).
const via = opt('--via', scale <= 10 ? 'loader' : 'schema');

/** The dev questions and three variants of each: a typo, another authority, chattier wording. */
export function questionsWithVariants(items) {
  const out = [];
  for (const { question: q } of items) {
    out.push(q);
    // A typo: swap two inner letters of the longest word.
    const words = q.match(/[A-Za-z]{6,}/g) ?? [];
    const w = words.sort((a, b) => b.length - a.length)[0];
    if (w) {
      const i = Math.floor(w.length / 2);
      out.push(q.replace(w, w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1)));
    }
    if (/\bcity\b/i.test(q)) out.push(q.replace(/\bcity\b/i, 'county'));
    else if (/\b(county|notts|nottinghamshire)\b/i.test(q)) out.push(q.replace(/\b(county|notts|nottinghamshire)\b/i, 'city'));
    else out.push(q.replace(/\?*\s*$/, ' in the city?'));
    out.push('can you tell me ' + q.charAt(0).toLowerCase() + q.slice(1));
  }
  return out;
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
// Full GCs with turns of the event loop between them, so garbage from loading and generating is gone.
const gc = async () => {
  if (!global.gc) return;
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
};
const mib = (b) => b / 2 ** 20;

async function main() {
  const result = { scale };
  let dir;
  try {
    let t = performance.now();
    let knowledge;
    result.via = scale > 1 ? via : 'loader';
    if (scale > 1 && via === 'schema') {
      const real = loadKnowledge(DEFAULT_CONTENT_DIR);
      t = performance.now();
      knowledge = buildKnowledge(real, scale).knowledge; // generated and validated with the zod schemas
      result.generateMs = performance.now() - t;
      result.loadMs = result.generateMs;
    } else {
      if (scale > 1) {
        dir = opt('--work') ?? mkdtempSync(join(tmpdir(), `plan-bench-k${scale}-`));
        const real = loadKnowledge(DEFAULT_CONTENT_DIR);
        const w = writeKnowledge(dir, real, DEFAULT_CONTENT_DIR, scale);
        result.generateMs = performance.now() - t;
        result.yamlMiB = mib(w.bytes);
        t = performance.now();
      }
      // The real loader: parses and validates every file (throws KnowledgeError on any problem).
      knowledge = loadKnowledge(dir ?? DEFAULT_CONTENT_DIR);
      result.loadMs = performance.now() - t;
    }

    const builds = scale <= 1 ? 5 : scale <= 10 ? 3 : 1;
    const buildTimes = [];
    let index;
    for (let i = 0; i < builds; i++) {
      index = undefined;
      await gc();
      const t0 = performance.now();
      index = new SearchIndex(knowledge);
      buildTimes.push(performance.now() - t0);
    }
    await gc();
    const heapWithIndex = process.memoryUsage().heapUsed;
    result.buildMs = pct(buildTimes, 0.5);
    result.heapAfterBuildMiB = mib(heapWithIndex);
    result.counts = index.counts();
    result.records = index.records.length;

    let answerer = new Answerer(index);
    const items = JSON.parse(readFileSync(setFile, 'utf8'));
    const questions = questionsWithVariants(items);
    result.questions = questions.length;
    // With the catalogue, as the bot reads questions: plan and document names steer the search.
    const understood = questions.map((q) => understand(q, answerer.catalogue));

    // A fixed shuffle, so a run cut short by the time budget still samples every kind of question.
    const order = questions.map((_, i) => i);
    const r = rng(7);
    for (let i = order.length - 1; i > 0; i--) { const j = r.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }

    const conceptsMs = [];
    const searchMs = [];
    const bothMs = [];
    const answerMs = [];
    // The typo layer caches corrections per word: empty that cache before each question, so a typo
    // costs what a user's new typo costs (the IDF cache, bounded by the vocabulary, stays warm).
    const coldTypos = () => { if (index.correctionCache instanceof Map) index.correctionCache.clear(); };
    result.coldTypos = index.correctionCache instanceof Map;
    const ask = (i, record) => {
      const u = understood[i];
      coldTypos();
      const t0 = performance.now();
      const c = index.concepts(u.searchText);
      const t1 = performance.now();
      index.search(c, { authority: u.authority, preferDocs: u.preferDocs, limit: SEARCH_LIMIT });
      const t2 = performance.now();
      coldTypos();
      answerer.answer(questions[i]);
      const t3 = performance.now();
      if (record) {
        conceptsMs.push(t1 - t0);
        searchMs.push(t2 - t1);
        bothMs.push(t2 - t0);
        answerMs.push(t3 - t2);
      }
    };
    // Warm-up (JIT): a pass over the questions, or a fifth of the budget if that is shorter.
    const tw = performance.now();
    for (let n = 0; n < order.length && performance.now() - tw < budgetMs / 5; n++) ask(order[n], false);
    result.warmupMs = performance.now() - tw;
    // Measured: questions in the shuffled order, cycling, until the budget is spent or maxPasses passes are done.
    const start = performance.now();
    let n = 0;
    while (n < maxPasses * order.length && performance.now() - start < budgetMs) ask(order[n++ % order.length], true);
    result.passes = n / order.length;
    result.samples = bothMs.length;
    for (const [k, xs] of Object.entries({ concepts: conceptsMs, search: searchMs, conceptsSearch: bothMs, answer: answerMs })) {
      result[k] = { p50: pct(xs, 0.5), p95: pct(xs, 0.95), p99: pct(xs, 0.99), mean: xs.reduce((s, x) => s + x, 0) / xs.length };
    }

    if (breakdown) {
      // Where concepts() spends its time: the fuse.js typo layer (corrections) vs the rest.
      let corrMs = 0;
      let corrCalls = 0;
      const orig = index.corrections.bind(index);
      index.corrections = (w, max) => { const t0 = performance.now(); try { return orig(w, max); } finally { corrMs += performance.now() - t0; corrCalls++; } };
      let cMs = 0;
      let aMs = 0;
      const tb = performance.now();
      for (let i = 0; i < questions.length && performance.now() - tb < budgetMs / 2; i++) {
        const t0 = performance.now();
        index.concepts(understood[i].searchText);
        const t1 = performance.now();
        answerer.answer(questions[i]);
        aMs += performance.now() - t1;
        cMs += t1 - t0;
      }
      index.corrections = orig;
      result.breakdown = { correctionsMs: corrMs, correctionsCalls: corrCalls, conceptsMs: cMs, answerMs: aMs };
    }
    // The index's share: the heap after the build minus the heap once the index is dropped (knowledge kept).
    index = undefined;
    answerer = undefined;
    await gc();
    result.indexHeapMiB = mib(heapWithIndex - process.memoryUsage().heapUsed);
    if (!knowledge.plans.length) throw new Error('no plans'); // keeps the knowledge alive until here
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
