/**
 * Runs the real bot as a child process (node dist/bot/index.js), for tests that
 * kill and restart it. Waits for /healthz to say ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './paths';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface BotProcess {
  child: ChildProcess;
  base: string;
  log: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startBotProcess(env: Record<string, string>, port?: number): Promise<BotProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'bot', 'index.js')], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(p), LOG_LEVEL: 'warn', MicrosoftAppId: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${p}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited (${child.exitCode}): ${log.slice(-2000)}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 30_000) throw new Error('bot did not become ready: ' + log.slice(-2000));
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    base,
    log: () => log,
    kill: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
