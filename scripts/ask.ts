/**
 * Debugging aid for knowledge authors: shows how a question is understood,
 * which concepts it becomes, how the top units score, each step of answering
 * and the answer.
 *   npm run ask -- "what is the latest camhs waiting time"
 * It reads the knowledge the bot reads (KNOWLEDGE_DIR from the environment or .env),
 * from the snapshot when it is current, as the bot does.
 */
import { loadConfig, loadDotEnv } from '../bot/config';
import { DEFAULT_CONTENT_DIR, loadKnowledgeCached } from '../knowledge/loader';
import { SearchIndex } from '../knowledge/search';
import { Answerer } from '../knowledge/answer';
import { understand } from '../knowledge/understand';
import { parseCliArgs, usageError } from './cliArgs';

const USAGE = 'usage: npm run ask -- "<question>" ["<question>" ...]\n  shows how each question is understood, the top-scoring units and the answer';
const { positionals: questions } = parseCliArgs(USAGE, { allowPositionals: true });
if (!questions.length) usageError(USAGE, 'Give at least one question.');
loadDotEnv();
const index = new SearchIndex(loadKnowledgeCached(loadConfig().KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR).knowledge);
const answerer = new Answerer(index);
for (const q of questions) {
  const u = understand(q, answerer.catalogue);
  console.log(`\n## ${q}`);
  for (const h of index.search(index.concepts(u.searchText), { authority: u.authority, preferDocs: u.preferDocs, limit: 6 })) {
    console.log(`  ${h.score.toFixed(3)} cov ${h.coverage.toFixed(3)} ${h.record.id} [${h.unit.field}] ${h.unit.text.slice(0, 110)}  missing: ${h.missing.join(',')}`);
  }
  const trace: string[] = [];
  const a = answerer.answer(q, undefined, trace);
  for (const line of trace) console.log(`  - ${line}`);
  console.log(`=> ${a.kind} (${a.confidence.toFixed(2)}): ${a.text.slice(0, 400)}`);
}
