/**
 * `npm run knowledge:check`: validates the knowledge files without starting
 * the bot, printing every problem with its file, line and field path. It always
 * reads the YAML, and when it is valid refreshes the snapshot the bot starts from.
 */
import { KnowledgeError, knowledgeCounts, loadKnowledgeCached, DEFAULT_CONTENT_DIR } from './loader';
import { parseCliArgs, usageError } from '../scripts/cliArgs';

const USAGE = 'usage: npm run knowledge:check [-- <knowledge dir>]   (default knowledge/content)';
const { positionals } = parseCliArgs(USAGE, { allowPositionals: true });
if (positionals.length > 1) usageError(USAGE, 'Give at most one knowledge folder.');
const dir = positionals[0] ?? DEFAULT_CONTENT_DIR;
try {
  const k = loadKnowledgeCached(dir, undefined, { refresh: true }).knowledge;
  const counts = knowledgeCounts(k);
  console.log(`knowledge OK in ${dir}`);
  for (const d of k.documents) {
    const n = (xs: { doc: string }[]) => xs.filter((x) => x.doc === d.id).length;
    console.log(`  ${d.file} (${d.id}): ${n(k.priorities)} priorities, ${n(k.activities)} activities, ${n(k.indicators)} indicators, ${n(k.passages)} passages`);
  }
  console.log('  totals: ' + Object.entries(counts).map(([key, v]) => `${key} ${v}`).join(', '));
} catch (e) {
  if (e instanceof KnowledgeError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
