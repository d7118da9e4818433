#!/usr/bin/env node
// The plan assistant's benchmark: `npm run bench` (after a build). One run
// measures everything the targets need, so ratios compare like with like on
// a shared, noisy machine:
//   1. accuracy on the dev set through the real HTTP endpoint;
//   2. closed-loop throughput and latency of POST /api/messages (expectReplies)
//      at 1, 10 and 50 conversations, for the bot and for a bare echo bot on
//      the same stack (bench/echo-bot.mjs), and their ratio;
//   3. in-process search latency, index build time and heap on the real
//      knowledge and on 10× and 100× synthetic knowledge (bench/search-bench.mjs);
//   4. start-up time (spawn → /healthz 200) and resident memory.
// Prints one Markdown report and writes it to bench/results.md.
//
// Options: --seconds S (per load level, default 6), --scales 1,10,100,
// --quick (2 s levels, scales 1,10: a smoke test), --out FILE.
// SHARED_DIR overrides where the shared eval folder is (default ../shared).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = process.env.SHARED_DIR ?? join(ROOT, '..', 'shared');
const EVAL = join(SHARED, 'eval');

const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const quick = args.includes('--quick');
const SECONDS = Number(opt('--seconds', quick ? 2 : 5));
const SCALES = opt('--scales', quick ? '1,10' : '1,10,100').split(',').map(Number);
const OUT = opt('--out', join(ROOT, 'bench', 'results.md'));
const LEVELS = [1, 10, 50];
// Not counted at the start of each level: connections opening and every conversation's first turn.
const RAMP_S = 1;
// Time budget for the measured questions of each knowledge size (the 100× index is slow to query).
const SEARCH_BUDGET_MS = { 1: quick ? 3000 : 6000, 10: quick ? 4000 : 10000, 100: 15000 };
// The bot's config caps these at 10,000 and 100,000 (bot/config.ts); larger values stop it at start-up.
const RATE_LIMIT = { RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const RATE_LIMITED = /faster than I can keep up|Still too fast/;

// ---------------------------------------------------------------------------
// Processes and temp dirs we start: always cleaned up, even on failure or ^C.
const children = new Set();
const tempDirs = new Set();
function tempDir(prefix) {
  const d = mkdtempSync(join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}
function killChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}
async function stopChild(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killChild(child, 'SIGTERM');
    const t = setTimeout(() => killChild(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
  children.delete(child);
}
function cleanupSync() {
  for (const c of children) killChild(c, 'SIGKILL');
  children.clear();
  for (const d of tempDirs) { try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ } }
  tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { cleanupSync(); process.exit(130); });

// ---------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const median = (xs) => pct(xs, 0.5);
const MB = (bytes) => bytes / 1e6;

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** VmRSS / VmHWM of a process, in bytes. */
function memOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** Spawns a server (node SCRIPT) on a free port and times spawn → GET /healthz 200. */
async function startServer(name, script, env = {}, { timeoutMs = 30000, nodeArgs = [] } = {}) {
  const port = await freePort();
  const cwd = tempDir(`plan-bench-${name}-`); // no .env from the repo leaks in; the bot's data lives here
  const t0 = performance.now();
  // The probe (bench/probe.mjs) answers CPU and allocation samples over the IPC channel.
  const child = spawn(process.execPath, [...nodeArgs, '--import', pathToFileURL(PROBE).href, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: os.tmpdir(), NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  children.add(child);
  let log = '';
  const keep = (d) => { log = (log + d).slice(-20000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${log.slice(-2000)}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > timeoutMs) { await stopChild(child); throw new Error(`${name} not ready after ${timeoutMs} ms:\n${log.slice(-2000)}`); }
    await sleep(5);
  }
  const startupMs = performance.now() - t0;
  return { name, child, pid: child.pid, base, cwd, startupMs, log: () => log, stop: () => stopChild(child), sample: () => sampleOf(child) };
}

/** The server's own counters, from the probe: CPU µs, bytes allocated, Answerer.answer calls and ms (bot only). */
function sampleOf(child) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { child.off('message', on); reject(new Error('no answer from the probe')); }, 5000);
    const on = (m) => { clearTimeout(t); child.off('message', on); resolve(m); };
    child.on('message', on);
    child.send('sample');
  });
}

/**
 * A private copy of the compiled app (dist/, the knowledge content, package.json; node_modules linked),
 * so every phase of the run measures the same code even if the shared working tree is rebuilt meanwhile.
 */
let APP = ROOT;
function snapshotApp() {
  const dir = tempDir('plan-bench-app-');
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'knowledge'));
  cpSync(join(ROOT, 'knowledge', 'content'), join(dir, 'knowledge', 'content'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const PROBE = join(ROOT, 'bench', 'probe.mjs');
/** The Node flags `npm start` runs the bot with (package.json "start"), so the bot is measured as it is deployed. */
function startFlags() {
  const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((a) => a.startsWith('--'));
}
const startBot = () => startServer('bot', join(APP, 'dist', 'bot', 'index.js'), { DATA_DIR: 'data', MicrosoftAppId: '', MicrosoftAppPassword: '', LOG_LEVEL: 'warn', ...RATE_LIMIT, BENCH_PROBE_ANSWERER: join(APP, 'dist', 'knowledge', 'answer.js') }, { nodeArgs: startFlags() });
// The same flags as the bot, so neither is favoured by its heap settings.
const startEcho = () => startServer('echo', join(ROOT, 'bench', 'echo-bot.mjs'), {}, { nodeArgs: startFlags() });

/**
 * Closed loop: `users` conversations, each asking the next question as soon as it has its answer.
 * The first `rampS` seconds (connections opening, every conversation's first turn) are not counted:
 * only requests sent after the ramp count, and throughput is over the time they took.
 */
async function closedLoop(BotClient, base, users, seconds, questions, { onTick, rampS = 0, server } = {}) {
  const client = new BotClient(base);
  // The server's counters from the end of the ramp to the end, over the replies completed in between.
  let first;
  let completed = 0;
  const firstSample = server ? sleep(rampS * 1000).then(() => server.sample()).then((x) => { first = x; completed = 0; }) : undefined;
  const lat = [];
  let errors = 0;
  let throttled = 0;
  let next = 0;
  const measureFrom = performance.now() + rampS * 1000;
  const end = measureFrom + seconds * 1000;
  const tick = onTick ? setInterval(onTick, 100) : null;
  async function user() {
    const conv = client.conversation();
    while (performance.now() < end) {
      const q = questions[next++ % questions.length];
      const t0 = performance.now();
      const counted = t0 >= measureFrom;
      let ok = false;
      let limited = false;
      try {
        const r = await conv.say(q);
        ok = r.status === 200 && r.replies.length > 0;
        if (ok && RATE_LIMITED.test(r.text)) { ok = false; limited = true; }
      } catch { /* counted below */ }
      completed++;
      if (!counted) continue;
      if (ok) lat.push(performance.now() - t0);
      else { errors++; if (limited) throttled++; }
    }
  }
  let last = measureFrom;
  try {
    await Promise.all(Array.from({ length: users }, () => user().then(() => { last = Math.max(last, performance.now()); })));
  } finally {
    if (tick) clearInterval(tick);
  }
  const wall = (last - measureFrom) / 1000;
  const out = { users, ok: lat.length, errors, throttled, rps: lat.length / wall, p50: pct(lat, 0.5), p95: pct(lat, 0.95), p99: pct(lat, 0.99) };
  if (server) {
    await firstSample;
    const n = completed;
    const end = await server.sample();
    out.cpuMs = (end.cpuUs - first.cpuUs) / 1000 / n;
    out.allocKB = (end.allocBytes - first.allocBytes) / 1024 / n;
    const calls = end.answerCalls - first.answerCalls;
    if (calls > 0) out.answerMs = (end.answerMs - first.answerMs) / calls;
  }
  return out;
}

/** One knowledge size, in a child process of its own (clean heap figures). */
async function searchBench(scale) {
  const budget = SEARCH_BUDGET_MS[scale] ?? 15000;
  const work = tempDir(`plan-bench-k${scale}-`); // synthetic YAML goes here; removed by us even if the child is killed
  const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'search-bench.mjs'), '--scale', String(scale), '--budget-ms', String(budget), '--set', join(EVAL, 'dev.json'), '--work', work], {
    cwd: ROOT,
    env: { ...process.env, BENCH_APP: APP },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  const limit = setTimeout(() => killChild(child, 'SIGKILL'), 240000);
  const code = await new Promise((r) => child.once('exit', (c, s) => r(c ?? s)));
  clearTimeout(limit);
  children.delete(child);
  if (code !== 0) throw new Error(`search bench ×${scale} failed (${code}): ${err.slice(-1500)}`);
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------------------------------------------------------------------------
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const ms = (x) => (!Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const mark = (ok) => (ok === undefined ? 'n/a' : ok ? '**met**' : '**not met**');

function gitInfo() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const diff = execFileSync('git', ['diff', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 2 ** 20 });
    // Identifies the working tree the figures are for when it has uncommitted changes.
    return diff ? `${sha} + uncommitted changes (diff ${createHash('sha1').update(diff).digest('hex').slice(0, 8)})` : sha;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const t00 = performance.now();
  if (!existsSync(join(ROOT, 'dist', 'bot', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does).');
  if (!existsSync(join(EVAL, 'dev.json'))) throw new Error(`no eval set at ${EVAL}: the shared folder must sit beside the repository (or set SHARED_DIR).`);
  APP = snapshotApp();
  const { BotClient } = await import(pathToFileURL(join(EVAL, 'botclient.mjs')).href);
  const { runEval } = await import(pathToFileURL(join(EVAL, 'score.mjs')).href);
  const items = JSON.parse(readFileSync(join(EVAL, 'dev.json'), 'utf8'));
  const questions = items.map((i) => i.question);
  const cpus = os.cpus();
  const env = {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    node: process.version,
    machine: `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()}`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    commit: gitInfo(),
  };
  const log = (s) => process.stderr.write(`[bench ${((performance.now() - t00) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);
  const R = { env, failures: [] };

  // 1, 2, 4: HTTP.
  let bot;
  let echo;
  try {
    log('starting the bot and the echo bot');
    bot = await startBot();
    R.startup = [bot.startupMs];
    await sleep(1000);
    R.botRest = memOf(bot.pid);
    echo = await startEcho();
    R.echoStartup = echo.startupMs;
    await sleep(1000);
    R.echoRest = memOf(echo.pid);

    log(`accuracy on ${items.length} dev questions`);
    const client = new BotClient(bot.base);
    R.eval = await runEval(items, async (q) => {
      const res = await client.conversation().say(q);
      if (res.status >= 400) throw new Error('HTTP ' + res.status + ' ' + res.raw.body.slice(0, 200));
      return res.text;
    });

    log('warm-up');
    await closedLoop(BotClient, bot.base, 10, 1, questions);
    await closedLoop(BotClient, echo.base, 10, 1, questions);
    R.load = [];
    for (const [i, users] of LEVELS.entries()) {
      // Alternate which goes first, so drift in the machine's load does not favour one.
      const order = i % 2 === 0 ? ['bot', 'echo'] : ['echo', 'bot'];
      const row = { users };
      for (const which of order) {
        const srv = which === 'bot' ? bot : echo;
        log(`${which}: ${users} conversation(s), ${SECONDS} s`);
        let peak = 0;
        const onTick = users === 50 ? () => { peak = Math.max(peak, memOf(srv.pid).rss); } : undefined;
        row[which] = await closedLoop(BotClient, srv.base, users, SECONDS, questions, { onTick, rampS: RAMP_S, server: srv });
        if (users === 50) row[which].peakRss = Math.max(peak, memOf(srv.pid).rss);
      }
      R.load.push(row);
    }
    R.botHwm = memOf(bot.pid).hwm;
    R.echoHwm = memOf(echo.pid).hwm;
  } catch (e) {
    R.failures.push(`HTTP: ${e.message}`);
    log(`HTTP phase failed: ${e.message}`);
  } finally {
    await bot?.stop();
    await echo?.stop();
  }

  // 4: two more cold starts, with the machine otherwise idle, for a median of three.
  try {
    for (let i = 0; i < 2; i++) {
      log(`start-up ${i + 2}/3`);
      const b = await startBot();
      (R.startup ??= []).push(b.startupMs);
      await b.stop();
    }
  } catch (e) {
    R.failures.push(`start-up: ${e.message}`);
  }

  // 3: in-process search.
  R.search = [];
  for (const scale of SCALES) {
    try {
      log(`in-process search, ${scale}× knowledge`);
      R.search.push(await searchBench(scale));
    } catch (e) {
      R.failures.push(e.message);
      log(e.message);
    }
  }
  R.totalS = (performance.now() - t00) / 1000;
  return R;
}

function report(R) {
  const L = [];
  const { env } = R;
  L.push(`## Plan assistant benchmark, ${env.date}`);
  L.push('');
  L.push(`Node ${env.node} · ${env.machine} · load average at start ${env.load} · commit ${env.commit} · run took ${f1(R.totalS)} s. Ratios compare figures from this one run; absolute figures vary with the machine and its load.`);
  L.push('');

  const l50 = R.load?.find((l) => l.users === 50);
  const ratio50 = l50 ? l50.bot.rps / l50.echo.rps : NaN;
  const s1 = R.search.find((s) => s.scale === 1);
  const s100 = R.search.find((s) => s.scale === 100);
  const startMed = R.startup?.length ? median(R.startup) : NaN;
  const rssPeak = Math.max(R.botRest?.rss ?? NaN, l50?.bot?.peakRss ?? NaN, R.botHwm ?? NaN);
  L.push('### Targets');
  L.push('');
  L.push('| target | figure | result |');
  L.push('| --- | --- | --- |');
  const p95x = l50 ? l50.bot.p95 / l50.echo.p95 : NaN;
  L.push(`| answer throughput ≥ 0.40× the echo bot at 50 conversations | ${f2(ratio50)}× (${f1(l50?.bot.rps)} vs ${f1(l50?.echo.rps)} answers/s) | ${mark(Number.isFinite(ratio50) ? ratio50 >= 0.4 : undefined)} |`);
  L.push(`| bot CPU ≤ 1.0 ms per answer at 50 conversations (server process) | ${ms(l50?.bot.cpuMs)} ms (echo bot ${ms(l50?.echo.cpuMs)} ms) | ${mark(Number.isFinite(l50?.bot.cpuMs) ? l50.bot.cpuMs <= 1.0 : undefined)} |`);
  L.push(`| p95 at 50 conversations < 2.5× the echo bot's | ${f2(p95x)}× (${ms(l50?.bot.p95)} vs ${ms(l50?.echo.p95)} ms) | ${mark(Number.isFinite(p95x) ? p95x < 2.5 : undefined)} |`);
  L.push(`| search p95 < 1 ms, real knowledge (concepts + search) | ${ms(s1?.conceptsSearch.p95)} ms | ${mark(s1 ? s1.conceptsSearch.p95 < 1 : undefined)} |`);
  L.push(`| search p95 < 10 ms, 100× knowledge | ${ms(s100?.conceptsSearch.p95)} ms${s100 ? ` (${s100.samples} questions)` : ''} | ${mark(s100 ? s100.conceptsSearch.p95 < 10 : undefined)} |`);
  L.push(`| start-up < 2 s (spawn → /healthz 200, median of ${R.startup?.length ?? 0}) | ${f2(startMed / 1000)} s (${(R.startup ?? []).map((x) => f2(x / 1000)).join(', ')}) | ${mark(Number.isFinite(startMed) ? startMed < 2000 : undefined)} |`);
  L.push(`| RSS < 200 MB, real knowledge (at rest; highest of peak under 50 conversations and VmHWM) | ${f1(MB(R.botRest?.rss))} MB at rest; ${f1(MB(rssPeak))} MB peak | ${mark(Number.isFinite(rssPeak) ? rssPeak < 200e6 : undefined)} |`);
  L.push('');

  if (R.eval) {
    const e = R.eval;
    L.push('### Accuracy: dev set through POST /api/messages');
    L.push('');
    L.push('| questions | correct | accuracy | by kind | latency p50 / p95 (one at a time) |');
    L.push('| --- | --- | --- | --- | --- |');
    L.push(`| ${e.n} | ${e.ok} | ${f1(100 * e.accuracy)}% | ${Object.entries(e.byKind).map(([k, v]) => `${k} ${v.ok}/${v.n}`).join(', ')} | ${ms(e.p50ms)} / ${ms(e.p95ms)} ms |`);
    L.push('');
  }

  if (R.load?.length) {
    L.push(`### HTTP throughput: closed loop, ${SECONDS} s measured per level after a ${RAMP_S} s ramp, dev questions cycled, expectReplies`);
    L.push('');
    L.push('| conversations | bot answers/s | bot p50 / p95 / p99 ms | bot errors | echo replies/s | echo p50 / p95 / p99 ms | echo errors | bot / echo |');
    L.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of R.load) {
      const lat = (x) => `${ms(x.p50)} / ${ms(x.p95)} / ${ms(x.p99)}`;
      const err = (x) => `${x.errors}${x.throttled ? ` (${x.throttled} rate-limited)` : ''} of ${x.ok + x.errors}`;
      L.push(`| ${r.users} | ${f1(r.bot.rps)} | ${lat(r.bot)} | ${err(r.bot)} | ${f1(r.echo.rps)} | ${lat(r.echo)} | ${err(r.echo)} | ${f2(r.bot.rps / r.echo.rps)}× |`);
    }
    L.push('');
    L.push('### Cost per reply inside the server (its own CPU time and V8 allocation, sampled over each measured level)');
    L.push('');
    L.push(`CPU is the server process's user + system time (all its threads: GC helpers and libuv too) divided by the replies it sent; allocation is bytes allocated on its V8 heap per reply. "answer() in the server" is the mean wall time inside \`Answerer.answer\` as the bot calls it under that load; the tight-loop figure beside it is the same call in a loop on its own (search table, real knowledge): ${ms(s1?.answer.p50)} ms p50, ${ms(s1?.answer.mean)} ms mean.`);
    L.push('');
    L.push('| conversations | bot CPU ms / answer | echo CPU ms / reply | bot / echo CPU | bot KB allocated / answer | echo KB allocated / reply | answer() in the server, mean ms |');
    L.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of R.load) {
      L.push(`| ${r.users} | ${ms(r.bot.cpuMs)} | ${ms(r.echo.cpuMs)} | ${f2(r.bot.cpuMs / r.echo.cpuMs)}× | ${f1(r.bot.allocKB)} | ${f1(r.echo.allocKB)} | ${ms(r.bot.answerMs)} |`);
    }
    L.push('');
  }

  if (R.search.length) {
    L.push('### In-process search: per question, dev questions and variants (typo, other authority, chattier)');
    L.push('');
    L.push('| knowledge | records / units / vocabulary | load + validate | index build | heap after build (index) | concepts p50 / p95 | search p50 / p95 | concepts + search p50 / p95 / p99 | Answerer.answer p50 / p95 | questions timed |');
    L.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of R.search) {
      const name = s.scale === 1 ? 'real (1×)' : `${s.scale}× (synthetic${s.yamlMiB ? `, ${f1(s.yamlMiB)} MiB YAML` : ''})`;
      L.push(`| ${name} | ${s.records} / ${s.counts.units} / ${s.counts.vocabulary} | ${ms(s.loadMs)} ms | ${ms(s.buildMs)} ms | ${f1(MB(s.heapAfterBuildMiB * 2 ** 20))} MB (${f1(MB(s.indexHeapMiB * 2 ** 20))} MB) | ${ms(s.concepts.p50)} / ${ms(s.concepts.p95)} ms | ${ms(s.search.p50)} / ${ms(s.search.p95)} ms | ${ms(s.conceptsSearch.p50)} / ${ms(s.conceptsSearch.p95)} / ${ms(s.conceptsSearch.p99)} ms | ${ms(s.answer.p50)} / ${ms(s.answer.p95)} ms | ${s.samples} (${s.questions} distinct${s.passes < 1 ? ', budget ran out' : ''}) |`);
    }
    L.push('');
  }

  if (R.startup?.length || R.botRest) {
    L.push('### Start-up and resident memory (RSS from /proc/<pid>/status)');
    L.push('');
    L.push('| process | start-up (spawn → /healthz 200) | RSS at rest | peak RSS under 50 conversations (sampled every 100 ms) | VmHWM at the end |');
    L.push('| --- | --- | --- | --- | --- |');
    L.push(`| bot (real knowledge) | ${(R.startup ?? []).map((x) => `${f2(x / 1000)} s`).join(', ')} | ${f1(MB(R.botRest?.rss))} MB | ${f1(MB(l50?.bot?.peakRss))} MB | ${f1(MB(R.botHwm))} MB |`);
    L.push(`| echo bot | ${f2(R.echoStartup / 1000)} s | ${f1(MB(R.echoRest?.rss))} MB | ${f1(MB(l50?.echo?.peakRss))} MB | ${f1(MB(R.echoHwm))} MB |`);
    L.push('');
  }
  if (R.failures.length) {
    L.push('### Failures');
    L.push('');
    for (const f of R.failures) L.push(`- ${f.split('\n')[0]}`);
    L.push('');
  }
  return L.join('\n');
}

try {
  const R = await main();
  const md = report(R);
  writeFileSync(OUT, md + '\n');
  process.stdout.write(md + '\n');
  process.stderr.write(`written to ${relative(process.cwd(), OUT) || OUT}\n`);
  process.exitCode = R.failures.length ? 1 : 0;
} catch (e) {
  process.stderr.write(`bench failed: ${e.stack ?? e}\n`);
  process.exitCode = 1;
} finally {
  cleanupSync();
}
