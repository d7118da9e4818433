// Preloaded into the bot and the echo bot by bench/run.mjs (node --import),
// never by `npm start`: answers the benchmark over the IPC channel with the
// server process's own counters, so CPU and allocation per answer come from
// the server, not from the load-generating client on the same machine.
//   { cpuUs }        user + system CPU of the whole process (process.cpuUsage)
//   { allocBytes }   bytes allocated on the V8 heap since the probe started:
//                    heap used now, plus everything each GC freed (v8.GCProfiler
//                    gives the heap before and after every GC)
//   { answer }       in the bot only: calls of Answerer.answer and the wall time
//                    spent inside them (synchronous, so it is main-thread time:
//                    the answering cost as the server pays it, cache misses and
//                    GC pauses included)
import { createRequire } from 'node:module';
import v8 from 'node:v8';

const require = createRequire(import.meta.url);

const used = () => v8.getHeapStatistics().used_heap_size;
const profiler = new v8.GCProfiler();
profiler.start();
let freed = 0;
const base = used();
function allocated() {
  // stop() returns the GCs since start(); start again at once to keep counting.
  const { statistics } = profiler.stop();
  profiler.start();
  for (const s of statistics) freed += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize);
  return used() + freed - base;
}

const answer = { calls: 0, ms: 0 };
const answerJs = process.env.BENCH_PROBE_ANSWERER;
if (answerJs) {
  // The bot's modules are CommonJS (dist/): wrapping the prototype method here wraps it for the whole process.
  const { Answerer } = require(answerJs);
  const inner = Answerer.prototype.answer;
  Answerer.prototype.answer = function (...args) {
    const t0 = performance.now();
    try {
      return inner.apply(this, args);
    } finally {
      answer.ms += performance.now() - t0;
      answer.calls++;
    }
  };
}

process.on('message', (m) => {
  if (m !== 'sample' || !process.send) return;
  const cpu = process.cpuUsage();
  process.send({ cpuUs: cpu.user + cpu.system, allocBytes: allocated(), answerCalls: answer.calls, answerMs: answer.ms });
});
// The IPC channel must not keep the server alive once it means to exit.
process.channel?.unref();
