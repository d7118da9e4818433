/**
 * `npm run playground` (scripts/playground.ts) as a person runs it: it prints
 * the URL to open, and Ctrl-C stops the bot and the Playground; if either of
 * them dies, the other is stopped too. Ctrl-C is SIGINT to the terminal's
 * whole process group, so the script runs in a group of its own here.
 * No browser is needed (test/browser.test.ts covers the chat itself).
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/process';
import { ROOT } from './helpers/paths';

interface Running {
  child: ChildProcess;
  output: () => string;
  url: string;
  botPort: number;
  playgroundPort: number;
  /** The bot's and the Playground's process ids. */
  children: number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts connections on the port (on loopback). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

describe('npm run playground', function () {
  this.timeout(90_000);
  let cwd: string;
  const started: Running[] = [];

  before(() => {
    // Its own working folder: the script reads .env from there, as the bot does (DATA_DIR here, so nothing is written to ./data).
    cwd = mkdtempSync(join(tmpdir(), 'playground-cli-'));
    // PLAN_TODAY too: the bot the script starts runs the reporting cycle on that day, and the script says so.
    writeFileSync(join(cwd, '.env'), `DATA_DIR=${join(cwd, 'data')}\nPLAN_TODAY=2019-10-20\n`);
  });
  after(() => {
    for (const r of started) for (const pid of [r.child.pid!, ...r.children]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });

  async function startScript(): Promise<Running> {
    const [botPort, playgroundPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'playground.js'), '--bot-port', String(botPort), '--port', String(playgroundPort)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a process group of its own, like a terminal's foreground job
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const t0 = Date.now();
    let url = '';
    while (!url) {
      url = /open: +(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      if (child.exitCode !== null) throw new Error(`npm run playground exited (${child.exitCode}): ${output.slice(-2000)}`);
      if (Date.now() - t0 > 60_000) throw new Error(`npm run playground printed no URL within 60 s: ${output.slice(-2000)}`);
      await sleep(100);
    }
    const r: Running = { child, output: () => output, url, botPort, playgroundPort, children: childrenOf(child.pid!), exited };
    started.push(r);
    return r;
  }

  async function expectAllStopped(r: Running, ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exit = await Promise.race([r.exited, sleep(ms).then(() => undefined)]);
    expect(exit, `still running after ${ms / 1000} s:\n${r.output().slice(-1500)}`).to.not.equal(undefined);
    for (const pid of r.children) expect(alive(pid), `child ${pid} still running`).to.equal(false);
    expect(await listening(r.botPort), 'the bot still listens').to.equal(false);
    expect(await listening(r.playgroundPort), 'the Playground still listens').to.equal(false);
    return exit!;
  }

  it('prints the URL of the Playground, which serves the page and talks to the bot; Ctrl-C stops both', async () => {
    const r = await startScript();
    expect(r.url).to.equal(`http://127.0.0.1:${r.playgroundPort}`);
    expect(r.output()).to.include(`bot:   http://127.0.0.1:${r.botPort}/api/messages`).and.include('Ctrl-C stops both.');
    expect(r.children, 'the bot and the Playground').to.have.length(2);
    expect((await fetch(r.url)).status).to.equal(200);
    const health = await fetch(`http://127.0.0.1:${r.botPort}/healthz`);
    expect(health.status).to.equal(200);
    expect(((await health.json()) as { today?: string }).today, 'PLAN_TODAY from .env reaches the bot').to.equal('2019-10-20');
    expect(r.output()).to.include('today: 2019-10-20 (PLAN_TODAY)');
    // Its bot's message extension results come without a tap on their previews: this Playground shows none that have one.
    expect(r.output()).to.include('"Search Command": the "Search the plans" message extension');
    const search = await fetch(`http://127.0.0.1:${r.botPort}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'invoke', name: 'composeExtension/query', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/unused', from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: 'c1' }, value: { parameters: [{ value: 'camhs' }] } }),
    });
    const results = ((await search.json()) as { composeExtension: { attachments: { preview: { content: Record<string, unknown> } }[] } }).composeExtension.attachments;
    expect(results.length).to.be.above(0);
    for (const a of results) expect(a.preview.content).not.to.have.property('tap');

    process.kill(-r.child.pid!, 'SIGINT'); // what Ctrl-C in the terminal does: SIGINT to the whole foreground group
    const exit = await expectAllStopped(r);
    expect(exit.code).to.equal(0);
    expect(r.output()).to.include('Stopping the bot and the Playground');
  });

  it('SIGINT or SIGTERM to the script alone (a process manager) stops both too', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const r = await startScript();
      r.child.kill(signal);
      expect((await expectAllStopped(r)).code, signal).to.equal(0);
    }
  });

  it('if the bot dies, the Playground is stopped and the script exits 1', async () => {
    const r = await startScript();
    const [bot] = r.children.filter((pid) => spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.includes(join('dist', 'bot', 'index.js')));
    expect(bot, 'the bot process').to.be.a('number');
    process.kill(bot, 'SIGKILL');
    const exit = await expectAllStopped(r);
    expect(exit.code).to.equal(1);
    expect(r.output()).to.include('The bot stopped (SIGKILL); stopping the Playground.');
  });
});
