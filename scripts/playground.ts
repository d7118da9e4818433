/**
 * `npm run playground`: the bot and Microsoft 365 Agents Playground together,
 * both on loopback, so you can talk to the bot as in Teams (its Adaptive Cards
 * rendered as Teams renders them) without an Azure bot or a tunnel.
 *
 * The Playground acts as the channel: it POSTs activities to the bot's
 * /api/messages and the bot replies through the Playground's connector
 * (serviceUrl), the normal Teams reply path. It runs offline: no browser is
 * opened (TEAMSAPPTESTER_BROWSER=none), telemetry is off (--disable-telemetry),
 * and it listens on 127.0.0.1 only (it would otherwise listen on every
 * interface). Its log goes to a temporary folder, not the working tree.
 *
 *   npm run playground                            # bot on 3978, Playground on 56150 (any free port if taken)
 *   npm run playground -- --bot-port 3979 --port 56151
 *   npm run playground -- --as "Claire Tagg"      # be that lead (scripts/localIdentity.ts); --reviewer: a reviewer too
 *
 * BOT_PORT and PLAYGROUND_PORT work too. Ctrl-C (SIGINT) or SIGTERM stops
 * both; if either dies, the other is stopped as well.
 *
 * startPlayground() is also used by the browser tests (test/browser.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { planTodayProblem } from '../knowledge/clock';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs } from './cliArgs';
import { isoDay } from '../knowledge/periods';
import { identityFromArgs, playgroundConfig, PLAYGROUND_DEFAULT_USER, type LocalUser } from './localIdentity';

const ROOT = join(__dirname, '..', '..');
export const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

/**
 * Preloaded into the Playground's process: a server listen() with a port and
 * no host binds to 127.0.0.1 instead of every interface (the CLI has no option
 * for it). Its port probe is bound the same way, so a port taken on loopback
 * counts as taken.
 */
const LOOPBACK_ONLY = [
  "import net from 'node:net';",
  'const listen = net.Server.prototype.listen;',
  'net.Server.prototype.listen = function (...args) {',
  "  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) args.splice(1, 0, '127.0.0.1');",
  '  return listen.apply(this, args);',
  '};',
].join('\n');

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  endpoint: string;
  /** Port for the Playground's web page and connector; if it is taken, the Playground picks a free one. */
  port?: number;
  /** Working folder: the Playground reads `.m365agentsplayground.yml` (its users, teams, chats) from there if present. */
  cwd?: string;
  /** Who the Playground's user is (its configuration is written for it); else its built-in Alex Wilber. */
  user?: LocalUser;
  /** Each line the Playground prints (its detailed log goes to logFile). */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export interface Playground {
  child: ChildProcess;
  port: number;
  /** The page to open. */
  url: string;
  /** The Playground's own log (requests, replies, warnings about unsupported card features). */
  logFile: string;
  log(): string;
  /** Stops it (SIGTERM, then SIGKILL after 3 s) and removes its temporary folder. */
  stop(): Promise<void>;
}

/** Starts Agents Playground for the bot at `endpoint` and resolves when its page is served. */
export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const dir = mkdtempSync(join(tmpdir(), 'playground-'));
  const logFile = join(dir, 'm365agentsplayground.log');
  // Its configuration file is where its current user is set (it has no option for it); read from this path before the working folder's.
  const configPath = opts.user ? join(dir, '.m365agentsplayground.yml') : undefined;
  if (configPath && opts.user) writeFileSync(configPath, playgroundConfig(opts.user));
  const args = ['--import', `data:text/javascript,${encodeURIComponent(LOOPBACK_ONLY)}`, PLAYGROUND_CLI];
  args.push('--app-endpoint', opts.endpoint, '--channel-id', 'msteams', '--disable-telemetry');
  if (opts.port) args.push('--port', String(opts.port));
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: logFile, NODE_NO_WARNINGS: '1', ...(configPath ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let port = 0;
  const onData = (d: Buffer) => {
    const s = String(d);
    output += s;
    for (const line of s.split('\n')) {
      if (!line.trim()) continue;
      const m = /^Listening on (\d+)/.exec(line);
      if (m) port = Number(m[1]);
      opts.onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const log = () => {
    try {
      return output + readFileSync(logFile, 'utf8');
    } catch {
      return output;
    }
  };
  let removed = false;
  const cleanUp = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  const stop = () => stopChild(child).then(cleanUp);

  const t0 = Date.now();
  const timeout = opts.timeoutMs ?? 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const l = log();
      cleanUp();
      throw new Error(`Agents Playground exited (${child.exitCode ?? child.signalCode}): ${l.slice(-2000)}`);
    }
    if (port) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        if (r.ok) break;
      } catch {
        /* not serving yet */
      }
    }
    if (Date.now() - t0 > timeout) {
      const l = log();
      await stop();
      throw new Error(`Agents Playground did not start within ${timeout / 1000} s: ${l.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, url: `http://127.0.0.1:${port}`, logFile, log, stop };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export function stopChild(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The port asked for (it must be free), else the default if free, else any free port. */
async function choosePort(name: string, asked: string | undefined, preferred: number): Promise<number> {
  if (asked) {
    const p = Number(asked);
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`${name} must be a port number (1-65535), not "${asked}"`);
    if (!(await isFree(p))) throw new Error(`${name} ${p} is already in use on 127.0.0.1`);
    return p;
  }
  return (await isFree(preferred)) ? preferred : anyFreePort();
}

function prefixed(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WritableStream) {
  let rest = '';
  stream?.on('data', (d: Buffer) => {
    const lines = (rest + String(d)).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) out.write(`${prefix} ${l}\n`);
  });
}

const USAGE = [
  'usage: npm run playground [-- --bot-port N] [--port N] [--as "<lead name>"] [--reviewer]',
  '  --bot-port N   the bot\'s port (else BOT_PORT, else 3978 if free, else any free port)',
  '  --port N       the Playground\'s port (else PLAYGROUND_PORT, else 56150 if free, else any free port)',
  '  --as NAME      be that lead, named as people.yaml lists them (a demo id if it gives none)',
  '  --reviewer     be a reviewer too (your id is added to REVIEWERS)',
].join('\n');

async function main(): Promise<void> {
  const { values } = parseCliArgs(USAGE, { options: { 'bot-port': { type: 'string' }, port: { type: 'string' }, as: { type: 'string' }, reviewer: { type: 'boolean' } } });
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Who you are in the Playground: its configuration, and the bot's people file and REVIEWERS to match (by id).
  const identity = identityFromArgs(values, USAGE, PLAYGROUND_DEFAULT_USER);
  // The day the bot runs the reporting cycle on: said up front, and a bad one refused before anything starts.
  const planToday = process.env.PLAN_TODAY?.trim() || undefined;
  const dayProblem = planToday && planTodayProblem(planToday);
  if (dayProblem) {
    console.error(`PLAN_TODAY ${dayProblem}, got "${planToday}" (for example PLAN_TODAY=2019-10-20; unset for today's real date).`);
    process.exit(2);
  }
  const botPort = await choosePort('bot port', values['bot-port'] ?? process.env.BOT_PORT, 3978);
  const playgroundPort = await choosePort('Playground port', values.port ?? process.env.PLAYGROUND_PORT, 56150);

  let stopping = false;
  let playground: Playground | undefined;
  // The bot as `npm start` runs it (its .env and configuration), but on loopback and without an app id:
  // the Playground sends no Bot Framework token. The message extension's previews go without a tap: this
  // Playground shows no search results at all when a preview has one (Teams calls selectItem with it).
  const bot = spawn(process.execPath, [join(ROOT, 'dist', 'bot', 'index.js')], {
    cwd: process.cwd(),
    env: { ...process.env, ...identity?.env, PORT: String(botPort), HOST: '127.0.0.1', MicrosoftAppId: '', MicrosoftAppPassword: '', NODE_ENV: 'development', MESSAGE_EXTENSION_SELECT_ITEM: 'false', FORM_TYPEAHEAD: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixed(bot.stdout, '[bot]', process.stdout);
  prefixed(bot.stderr, '[bot]', process.stderr);
  // Whatever happens to this process, its children go with it.
  process.on('exit', () => {
    bot.kill('SIGKILL');
    playground?.child.kill('SIGKILL');
  });

  const shutdown = async (code: number, why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) console.error(why);
    await Promise.all([stopChild(bot), playground?.stop()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0, '\nStopping the bot and the Playground...'));
  process.on('SIGTERM', () => void shutdown(0));
  bot.on('exit', (code, signal) => {
    if (!stopping) void shutdown(code === 0 ? 0 : 1, `The bot stopped (${signal ?? `exit code ${code}`}); stopping the Playground.`);
  });

  const base = `http://127.0.0.1:${botPort}`;
  const t0 = Date.now();
  for (;;) {
    if (stopping) return;
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 60_000) return shutdown(1, 'The bot did not become ready within 60 s.');
    await new Promise((r) => setTimeout(r, 100));
  }

  try {
    playground = await startPlayground({ endpoint: `${base}/api/messages`, port: playgroundPort, user: identity?.user, onLine: (l) => console.log(`[playground] ${l}`) });
  } catch (e) {
    return shutdown(1, e instanceof Error ? e.message : String(e));
  }
  if (stopping) return;
  const pg = playground;
  pg.child.on('exit', (code, signal) => {
    if (!stopping) void shutdown(code === 0 ? 0 : 1, `The Playground stopped (${signal ?? `exit code ${code}`}); stopping the bot.\n${pg.log().slice(-1500)}`);
  });
  console.log(
    [
      '',
      'Plan assistant in Microsoft 365 Agents Playground',
      `  open:  ${pg.url}   <- chat with the bot here, as in Teams (you are "${identity?.user.name ?? PLAYGROUND_DEFAULT_USER.name}")`,
      ...(identity ? [`  as:    ${identity.description}`] : ['         (--as "<lead name>" to be a lead, --reviewer to be a reviewer)']),
      '         the + beside the compose box, then "Search Command": the "Search the plans" message extension',
      `  bot:   ${base}/api/messages`,
      planToday
        ? `  today: ${planToday} (PLAN_TODAY): due dates, reminders and the current plan are as on that day`
        : `  today: ${isoDay(new Date())} (set PLAN_TODAY=YYYY-MM-DD to run the reporting cycle on another day)`,
      `  Playground log: ${pg.logFile}`,
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
