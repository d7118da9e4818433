/**
 * `npm run unanswered`: the questions the bot could not answer, and the "none
 * of these" clicks, with counts: what the knowledge authors should add next.
 */
import { loadConfig } from '../bot/config';
import { openDatabase, SqliteUnansweredLog } from '../storage/sqlite';

const config = loadConfig();
const db = openDatabase(config.DATA_DIR);
const limit = Number(process.argv[2] ?? 100);
const rows = new SqliteUnansweredLog(db).list(limit);
if (!rows.length) console.log('No unanswered questions recorded yet.');
else {
  console.log('count  reason        last asked            question');
  for (const r of rows) console.log(`${String(r.count).padStart(5)}  ${r.reason.padEnd(12)}  ${r.lastAsked.slice(0, 19)}  ${r.question}`);
}
db.close();
