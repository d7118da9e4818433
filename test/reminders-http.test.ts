/**
 * Reminders end to end over real HTTP. The real server (in-process, on a
 * fixed clock) and a local fake Bot Framework connector: leads message the
 * bot with serviceUrl pointing at the connector (no expectReplies), so the
 * bot answers them through it and keeps their conversation reference; then
 * reminder passes send cards to that connector through the CloudAdapter, in
 * anonymous local mode. Exactly once across a restart, across the in-bot
 * schedule and `npm run remind` (a real child process), and across two
 * instances sharing PostgreSQL; "chase them" after a late list. On the
 * fixture plans (test/fixtures/next-plan: Q2 2019/20 is due 30 October 2019).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../bot/app';
import { loadConfig } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { openDatabase } from '../storage/sqlite';
import { SqliteReminderLog } from '../storage/sqliteReminders';
import { claimOptions } from '../updates/reminderLog';
import { startFakeConnector, reminderCards, type FakeConnector, type ReceivedActivity } from './helpers/fakeConnector';
import { TestConversation } from './helpers/server';
import { validateCard } from './helpers/adaptiveCard';
import { ensurePostgres, newSchema, TEST_DATABASE_URL, type TestSchema } from './helpers/postgres';
import { ROOT } from './helpers/paths';
import { NEXT_PLAN_DIR } from './helpers/knowledge';

const PRIYA = { id: 'user-priya', name: 'Priya Shah', aadObjectId: 'aad-priya' };
const TOM = { id: 'user-tom', name: 'Tom Reed', aadObjectId: 'aad-tom' };
const SAM = { id: 'user-sam', name: 'Sam Someone', aadObjectId: 'aad-sam' };
const MORGAN = { id: 'user-morgan', name: 'Morgan Hale', aadObjectId: 'aad-morgan' };
const RITA = { id: 'user-rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const PRIYAS_ITEMS = ['c21-p1-a1', 'c21-p1-hub-visits', 'c21-p2-a1', 'c21q2-p2-camhs-wait'];

interface Running {
  app: App;
  base: string;
  setNow(day: string, time?: string): void;
}

async function startServer(env: Record<string, string>, day: string, time = '09:00:00'): Promise<Running> {
  let now = new Date(`${day}T${time}Z`);
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', REVIEWERS: 'rev-1', KNOWLEDGE_DIR: NEXT_PLAN_DIR, ...env });
  const app = createApp(config, silentLogger(), { now: () => now, knowledgeSnapshot: join(env.DATA_DIR ?? tmpdir(), 'knowledge.snapshot.json') });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.start();
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, setNow: (d, t = '09:00:00') => (now = new Date(`${d}T${t}Z`)) };
}

/** A user messaging the bot as Teams does without expectReplies: the answer goes back through the connector at serviceUrl. */
async function messageThroughConnector(base: string, fake: FakeConnector, user: typeof PRIYA, text: string): Promise<string> {
  const before = fake.received.length;
  const conversation = new TestConversation(base, user);
  const r = await conversation.say(text, { serviceUrl: fake.serviceUrl, deliveryMode: undefined });
  expect(r.status).to.be.within(200, 202);
  await fake.waitFor((x) => x.length > before);
  return conversation.id;
}

const cardsFor = (fake: FakeConnector, user: typeof PRIYA): ReceivedActivity[] => reminderCards(fake.received).filter((r) => r.activity.recipient?.id === user.id);
const itemIdsOn = (r: ReceivedActivity): string[] => [...JSON.stringify(r.activity.attachments?.[0]?.content).matchAll(/"action":"updateNow","itemId":"([^"]+)"/g)].map((m) => m[1]).sort();

/** `npm run remind` as an external scheduler runs it: its own process, the same data. Asynchronous: the fake connector it sends to lives in this process. */
function remind(dataDir: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'remind.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, KNOWLEDGE_DIR: NEXT_PLAN_DIR, MicrosoftAppId: '', LOG_LEVEL: 'warn' }, cwd: dataDir, encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('reminders over HTTP (real server, fake connector, fixed clock)', function () {
  this.timeout(90_000);
  let fake: FakeConnector;
  let dataDir: string;
  let server: Running | undefined;

  beforeEach(async () => {
    fake = await startFakeConnector();
    dataDir = mkdtempSync(join(tmpdir(), 'plan-reminders-'));
  });
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a lead who messaged the bot gets exactly one reminder card, with only their items: across a restart and `npm run remind`', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25');
    const priyaChat = await messageThroughConnector(server.base, fake, PRIYA, 'hello');
    await messageThroughConnector(server.base, fake, TOM, 'hello');
    await messageThroughConnector(server.base, fake, SAM, 'hello');
    expect(fake.received.map((r) => r.replyTo), 'the greetings were replies').to.have.length(3);

    const first = await server.app.reminders!.runOnce();
    expect(first.sent.map((d) => d.to.name).sort()).to.deep.equal(['Priya Shah', 'Tom Reed']);
    const priya = cardsFor(fake, PRIYA);
    expect(priya).to.have.length(1);
    expect(priya[0].conversationId, 'into her own chat with the bot').to.equal(priyaChat);
    expect(itemIdsOn(priya[0])).to.deep.equal(PRIYAS_ITEMS);
    expect(priya[0].activity.text).to.equal('Reminder: 4 progress updates you lead are due by 30 October 2019.');
    expect(priya[0].authorization, 'anonymous local mode sends no token').to.equal(undefined);
    expect(validateCard(priya[0].activity.attachments![0].content)).to.deep.equal([]);
    expect(cardsFor(fake, SAM)).to.have.length(0);

    // Restart on the same data, and run again: nothing new.
    await server.app.close();
    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25', '15:00:00');
    const again = await server.app.reminders!.runOnce();
    expect(again.sent).to.deep.equal([]);
    expect(again.alreadyHandled).to.be.greaterThan(3);
    await server.app.close();
    server = undefined;

    // An external scheduler's run, the same day, in its own process: nothing new either.
    const cli = await remind(dataDir, '--now', '2019-10-25');
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(/2019-10-25: no reminders to send \(\d+ already sent\)\./);
    expect(cardsFor(fake, PRIYA)).to.have.length(1);

    // After the due date the script sends the overdue reminder, through the connector, once.
    const dry = await remind(dataDir, '--now', '2019-11-01', '--dry-run');
    expect(dry.stdout).to.include('would send Priya Shah (aad-priya) a reminder for 4 items');
    expect(cardsFor(fake, PRIYA), 'a dry run sends nothing').to.have.length(1);
    const overdue = await remind(dataDir, '--now', '2019-11-01');
    expect(overdue.status, overdue.stderr).to.equal(0);
    expect(overdue.stdout).to.include('sent Priya Shah (aad-priya) a reminder for 4 items').and.include('[overdue] Families seen at a family hub');
    expect((await remind(dataDir, '--now', '2019-11-01')).stdout).to.include('no reminders to send');
    const cards = cardsFor(fake, PRIYA);
    expect(cards.map((c) => c.activity.text)).to.deep.equal(['Reminder: 4 progress updates you lead are due by 30 October 2019.', 'Reminder: 4 progress updates you lead are overdue.']);
    expect(itemIdsOn(cards[1])).to.deep.equal(PRIYAS_ITEMS);
  });

  it('a run that died holding claims loses nothing and doubles nothing: the next run after the claim timeout sends once', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25');
    await messageThroughConnector(server.base, fake, PRIYA, 'hello');
    await server.app.close();
    // The dead run, in another process: claimed Priya's reminders at 09:00 and was killed before sending.
    const db = openDatabase(dataDir);
    const log = new SqliteReminderLog(db);
    await log.claim(PRIYAS_ITEMS.map((itemId) => ({ userId: PRIYA.aadObjectId, itemId, period: 'Q2 2019/20', kind: 'before' })), claimOptions('killed-run', new Date('2019-10-25T09:00:00Z')));
    db.close();

    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25', '09:04:00');
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, PRIYA), 'the claims are still the dead run’s').to.have.length(0);
    server.setNow('2019-10-25', '09:20:00');
    await server.app.reminders!.runOnce();
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, PRIYA)).to.have.length(1);
    expect(itemIdsOn(cardsFor(fake, PRIYA)[0])).to.deep.equal(PRIYAS_ITEMS);
  });

  it('a connector that refuses is tried again on the next pass; the card arrives once', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25');
    await messageThroughConnector(server.base, fake, PRIYA, 'hello');
    // 403, as Teams answers for a user who blocked the bot: not retried by the connector client (a 5xx would be, at once).
    fake.failNext(1, 403);
    const failed = await server.app.reminders!.runOnce();
    expect(failed.failed.map((f) => f.to.name)).to.deep.equal(['Priya Shah']);
    expect(cardsFor(fake, PRIYA)).to.have.length(0);
    await server.app.reminders!.runOnce();
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, PRIYA)).to.have.length(1);
  });

  it('REMINDERS=on: the in-bot schedule sends by itself, once, and stops when the app closes', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2019-10-25');
    await messageThroughConnector(server.base, fake, PRIYA, 'hello');
    await server.app.close();
    server = await startServer({ DATA_DIR: dataDir, REMINDERS: 'on', REMINDER_INTERVAL_MINUTES: '1' }, '2019-10-25');
    await fake.waitFor(() => cardsFor(fake, PRIYA).length > 0);
    await server.app.close();
    server = undefined;
    expect(cardsFor(fake, PRIYA)).to.have.length(1);
  });

  it('"chase them" after "overdue updates", as a reviewer: the reachable lead gets a card through the connector with only their late items', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2019-11-09');
    await messageThroughConnector(server.base, fake, MORGAN, 'hello');
    const rita = new TestConversation(server.base, RITA);
    const list = await rita.say('overdue updates for priority 2 in the city');
    expect(list.text).to.include('Late progress updates').and.include('Morgan Hale');
    const chase = await rita.say('chase them');
    expect(chase.text).to.match(/Sent reminders to 1 lead \(Morgan Hale\) for 1 late update\./).and.match(/1 lead has never talked to me, so I can't reach them: Robin Ash/);
    const john = cardsFor(fake, MORGAN);
    expect(john).to.have.length(1);
    expect(john[0].activity.text).to.equal('Reminder from Rita Reviewer: 1 progress update you lead is late.');
    expect(itemIdsOn(john[0])).to.deep.equal(['cc-p2-cp-plans']);
    expect((await rita.say('chase them')).text).to.include('Already chased today');
    expect(cardsFor(fake, MORGAN)).to.have.length(1);
  });
});

describe('reminders over HTTP: two instances sharing PostgreSQL', function () {
  this.timeout(90_000);
  let fake: FakeConnector;
  let schema: TestSchema;
  const servers: Running[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-reminders-pg-'));

  before(async () => {
    await ensurePostgres();
    fake = await startFakeConnector();
    schema = newSchema();
  });
  after(async () => {
    for (const s of servers) await s.app.close();
    await fake?.close();
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('both instances running passes at once send each lead one card', async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema };
    servers.push(...(await Promise.all([startServer(env, '2019-10-25'), startServer(env, '2019-10-25')])));
    const [a, b] = servers;
    await messageThroughConnector(a.base, fake, PRIYA, 'hello');
    await messageThroughConnector(b.base, fake, TOM, 'hello');
    await Promise.all([a.app.reminders!.runOnce(), b.app.reminders!.runOnce(), a.app.reminders!.runOnce(), b.app.reminders!.runOnce()]);
    expect(cardsFor(fake, PRIYA)).to.have.length(1);
    expect(cardsFor(fake, TOM)).to.have.length(1);
    expect(itemIdsOn(cardsFor(fake, PRIYA)[0])).to.deep.equal(PRIYAS_ITEMS);
  });
});
