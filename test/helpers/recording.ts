/**
 * The real HTTP server in-process (as startTestServer), with a logger that
 * keeps warnings and errors in memory, so a test can see which turns failed
 * and why (onTurnError logs "turn failed" with the error).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import type { TestServer } from './server';

export interface LogRecord {
  level: number;
  msg: string;
  err?: { type?: string; message?: string; stack?: string };
  [k: string]: unknown;
}

export interface RecordingServer extends TestServer {
  logs: LogRecord[];
}

/** Starts the server on a free port; `dataRoot` lets a test put the SQLite file on a RAM disk. */
export async function startRecordingServer(env: Record<string, string> = {}, dataRoot = tmpdir()): Promise<RecordingServer> {
  const dataDir = mkdtempSync(join(dataRoot, 'plan-assistant-rec-'));
  const logs: LogRecord[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env });
  const app = createApp(config, logger);
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.start();
  const port = (app.server.address() as AddressInfo).port;
  return {
    app,
    logs,
    base: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** "turn failed" records (the error path, which apologises to the user) grouped by error message (first line), most frequent first. */
export function turnFailures(logs: LogRecord[]): [string, number][] {
  return grouped(logs, 'turn failed');
}

/** "reply not delivered" records (the connector refused or could not be reached; no apology) grouped by error message. */
export function undeliveredReplies(logs: LogRecord[]): [string, number][] {
  return grouped(logs, 'reply not delivered');
}

function grouped(logs: LogRecord[], msg: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const l of logs) {
    if (l.msg !== msg) continue;
    const key = `${l.err?.type ?? 'Error'}: ${(l.err?.message ?? '').split('\n')[0].slice(0, 120)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
