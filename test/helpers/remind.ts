/** `npm run remind` in its own process, and the conversation reference a lead's first message would leave. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../../storage/sqlite';
import { SqliteConversationStore } from '../../storage/sqliteReminders';
import { ROOT } from './paths';

/** Runs `npm run remind` with this environment (no .env: the working directory is the data folder). */
export function remind(dataDir: string, env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'remind.js'), ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, MicrosoftAppId: '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Keeps a lead's conversation reference in the data folder's SQLite file, so a reminder pass can reach them. */
export async function knownLead(dataDir: string, p: { aadObjectId: string; name: string }): Promise<void> {
  const db = openDatabase(dataDir);
  try {
    await new SqliteConversationStore(db).upsert({ userId: p.aadObjectId, userName: p.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `conv-${p.aadObjectId}` } } }, new Date());
  } finally {
    db.close();
  }
}
