/**
 * Run by `npm run build`: makes the knowledge snapshot the bot starts from
 * (see loadKnowledgeCached), so the first start after a build skips the YAML.
 * Quiet when the snapshot is current. Knowledge with problems does not fail
 * the build: the bot will refuse to start and say why, and
 * `npm run knowledge:check` lists every problem.
 */
import { KnowledgeError, loadKnowledgeCached, DEFAULT_CONTENT_DIR } from './loader';

const dir = process.argv[2] ?? DEFAULT_CONTENT_DIR;
try {
  const r = loadKnowledgeCached(dir);
  if (r.source === 'yaml' && !r.written) console.warn(`knowledge snapshot not written (${r.writeError}): the bot will load the YAML at each start`);
} catch (e) {
  if (!(e instanceof KnowledgeError)) throw e;
  console.warn(`knowledge snapshot not made: ${e.problems.length} problem(s) in the knowledge files (npm run knowledge:check lists them)`);
}
