#!/usr/bin/env node
// The build: `npm run build` (always) and, before `npm start`, `npm test` and
// every tool (`npm run ask|summary|chat|...`), `node scripts/build.mjs --if-changed`.
//
//   1. tsc -p tsconfig.json, incremental (tsconfig's tsBuildInfoFile, in dist/): only what changed is re-emitted;
//   2. compiled files whose source is gone are removed (so a deleted test does not run);
//   3. the knowledge snapshot (dist/knowledge/snapshot-cli.js), when the project has one;
//   4. a fingerprint of every input (path and bytes) is written to dist/.build-inputs.
//
// With --if-changed, nothing runs when the inputs' fingerprint equals the one
// written by the last build that succeeded: about 0.1 s with Node's start-up,
// where even an up-to-date `tsc --incremental` or `tsc -b` takes 1.5-6 s to load
// TypeScript and the program (which is why this check is ours, not tsc's). The fingerprint is of contents, not times, so an edit is always seen,
// whatever its timestamp; a file added, renamed or deleted changes it too.
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-inputs');
/** Folders that are not inputs: dependencies, outputs, data and git itself. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'data', 'screenshots', 'coverage']);
/** Files outside knowledge/content that change what the build makes. */
const isInput = (rel) =>
  (rel.endsWith('.ts') && !rel.startsWith(`bench${sep}`)) ||
  rel.startsWith(join('knowledge', 'content') + sep) ||
  ['tsconfig.json', 'package-lock.json', join('scripts', 'build.mjs')].includes(rel);

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out);
    } else if (isInput(relative(ROOT, p))) out.push(p);
  }
  return out;
}

/** sha256 over every input's path and bytes, in a fixed order. */
function fingerprint() {
  const h = createHash('sha256');
  for (const p of walk(ROOT, []).sort()) h.update(relative(ROOT, p).split(sep).join('/')).update('\0').update(readFileSync(p)).update('\0');
  return h.digest('hex');
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Removes dist/**\/*.js (and its .map) whose .ts source no longer exists. */
function pruneOrphans(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) pruneOrphans(p);
    else if (e.name.endsWith('.js') && !existsSync(join(ROOT, relative(DIST, p)).replace(/\.js$/, '.ts'))) {
      rmSync(p);
      rmSync(`${p}.map`, { force: true });
    }
  }
}

const ifChanged = process.argv.includes('--if-changed');
const inputs = fingerprint();
if (ifChanged && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === inputs) process.exit(0);
if (ifChanged) console.error('Compiling: the sources changed since the last build.');

rmSync(STAMP, { force: true }); // a build that fails half-way leaves no fingerprint behind
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
run([tsc, '-p', join(ROOT, 'tsconfig.json')]);
pruneOrphans(DIST);
const snapshot = join(DIST, 'knowledge', 'snapshot-cli.js');
if (existsSync(snapshot)) run([snapshot]);
writeFileSync(STAMP, inputs);
