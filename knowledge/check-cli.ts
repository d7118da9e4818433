/**
 * `npm run knowledge:check`: validates the knowledge files without starting
 * the bot, printing every problem with its file, line and field path. It always
 * reads the YAML, and when it is valid refreshes the snapshot the bot starts from.
 * It also checks the people file (the leads' Teams ids) and says which leads have none.
 */
import { join } from 'node:path';
import { KnowledgeError, knowledgeCounts, loadKnowledgeCached, DEFAULT_CONTENT_DIR } from './loader';
import { parseCliArgs, usageError } from '../scripts/cliArgs';
import { loadPeople, PEOPLE_FILE_NAME } from './people';

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
  // The leads' ids (people.yaml) are checked too; a lead without an id cannot be recognised by the bot.
  const people = loadPeople(join(dir, PEOPLE_FILE_NAME));
  const leads = [...new Set([...k.activities, ...k.indicators].flatMap((r) => r.leads))];
  const missing = people.withoutId(leads);
  console.log(`  ${PEOPLE_FILE_NAME}: ${people.entries.length} entries; ${leads.length - missing.length} of the ${leads.length} leads the plans name have a Teams id${missing.length ? ` (none yet for: ${missing.join(', ')})` : ''}`);
} catch (e) {
  if (e instanceof KnowledgeError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
