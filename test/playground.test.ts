/**
 * `npm run playground` (scripts/playground.ts) as a person runs it: it prints
 * the URL to open, and Ctrl-C stops the bot and the Playground; if either of
 * them dies, the other is stopped too. Ctrl-C is SIGINT to the terminal's
 * whole process group, so the script runs in a group of its own here.
 * No browser is needed (test/browser.test.ts covers the chat itself).
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/process';
import { ROOT } from './helpers/paths';
import { demoAadObjectId, PLAYGROUND_DEFAULT_USER } from '../scripts/localIdentity';

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

  async function startScript(extra: string[] = []): Promise<Running> {
    const [botPort, playgroundPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'playground.js'), '--bot-port', String(botPort), '--port', String(playgroundPort), ...extra], {
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

  it('--as "<lead name>" --reviewer: the Playground\'s user is that lead (by a demo id the bot knows) and a reviewer', async () => {
    const r = await startScript(['--as', 'claire tagg', '--reviewer']);
    expect(r.output()).to.include('(you are "Claire Tagg")').and.include('a lead and a reviewer, known to the bot by a demo id');
    // The Playground validated the generated configuration (it exits on a bad one) and its current user is the lead.
    const { config } = (await (await fetch(`${r.url}/_internal/v1/config`)).json()) as { config: { currentUser: { id: string; name: string; aadObjectId: string }; personalChat: { id: string } } };
    expect(config.currentUser).to.include({ name: 'Claire Tagg', aadObjectId: demoAadObjectId('Claire Tagg') });
    expect(config.currentUser.aadObjectId).to.not.equal(PLAYGROUND_DEFAULT_USER.aadObjectId);
    // A message typed in the Playground (its own API, as its page sends it) reaches the bot from that user, who is recognised
    // by id as the lead and as a reviewer: the replies come back through the Playground's connector, into its log.
    const log = () => readFileSync(/Playground log: (\S+)/.exec(r.output())![1], 'utf8');
    for (const [text, reply] of [
      ["what's due from me", /\d+ updates? (is|are) due from you/],
      ['review updates', /There are no updates waiting for review\./],
    ] as const) {
      const sent = await fetch(`${r.url}/_conversation/v1/conversations/${config.personalChat.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: { id: config.currentUser.id }, text, textFormat: 'plain' }) });
      expect(sent.status, await sent.clone().text()).to.equal(200);
      const t0 = Date.now();
      while (!reply.test(log()) && Date.now() - t0 < 20_000) await sleep(100);
      expect(log(), `the reply to "${text}"`).to.match(reply);
    }
    expect(log()).to.include(`"aadObjectId":"${demoAadObjectId('Claire Tagg')}"`).and.not.include('only the plan\'s reviewers');
    process.kill(-r.child.pid!, 'SIGINT');
    await expectAllStopped(r);
  });

  it('--as with a name the people file does not have is refused with the usage (and a near miss gets "did you mean"), before anything starts', () => {
    for (const [name, pattern] of [
      ['Clare Tag', /no one of that name in .*people\.yaml\. Did you mean "Claire Tagg"/],
      ['Nobody Atall', /Give a name exactly as the people file lists it/],
    ] as const) {
      const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'playground.js'), '--as', name], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd } });
      expect(run.status, run.stderr).to.equal(2);
      expect(run.stderr).to.match(pattern).and.include('usage: npm run playground');
    }
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
