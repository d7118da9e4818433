/**
 * Reminders end to end over real HTTP. The real server (in-process, on a
 * fixed clock) and a local fake Bot Framework connector: leads message the
 * bot with serviceUrl pointing at the connector (no expectReplies), so the
 * bot answers them through it and keeps their conversation reference; then
 * reminder passes send cards to that connector through the CloudAdapter, in
 * anonymous local mode. Exactly once across a restart, across the in-bot
 * schedule and `npm run remind` (a real child process), and across two
 * instances sharing PostgreSQL; "chase them" after a late list.
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
import { writePeopleFile } from './helpers/people';

/** Claire, Helene and John are leads by their AAD object ids (the plans only name them). */
const PEOPLE_FILE = writePeopleFile();

const CLAIRE = { id: 'user-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const HELENE = { id: 'user-helene', name: 'Helene Denness', aadObjectId: 'aad-helene' };
const SAM = { id: 'user-sam', name: 'Sam Someone', aadObjectId: 'aad-sam' };
const JOHN = { id: 'user-john', name: 'John Matravers', aadObjectId: 'aad-john' };
const RITA = { id: 'user-rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const CLAIRES_ITEMS = ['cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions', 'cy-p1-self-harm'];

interface Running {
  app: App;
  base: string;
  setNow(day: string, time?: string): void;
}

async function startServer(env: Record<string, string>, day: string, time = '09:00:00'): Promise<Running> {
  let now = new Date(`${day}T${time}Z`);
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', REVIEWERS: 'rev-1', PEOPLE_FILE, ...env });
  const app = createApp(config, silentLogger(), { now: () => now });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.start();
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, setNow: (d, t = '09:00:00') => (now = new Date(`${d}T${t}Z`)) };
}

/** A user messaging the bot as Teams does without expectReplies: the answer goes back through the connector at serviceUrl. */
async function messageThroughConnector(base: string, fake: FakeConnector, user: typeof CLAIRE, text: string): Promise<string> {
  const before = fake.received.length;
  const conversation = new TestConversation(base, user);
  const r = await conversation.say(text, { serviceUrl: fake.serviceUrl, deliveryMode: undefined });
  expect(r.status).to.be.within(200, 202);
  await fake.waitFor((x) => x.length > before);
  return conversation.id;
}

const cardsFor = (fake: FakeConnector, user: typeof CLAIRE): ReceivedActivity[] => reminderCards(fake.received).filter((r) => r.activity.recipient?.id === user.id);
const itemIdsOn = (r: ReceivedActivity): string[] => [...JSON.stringify(r.activity.attachments?.[0]?.content).matchAll(/"action":"updateNow","itemId":"([^"]+)"/g)].map((m) => m[1]).sort();

/** `npm run remind` as an external scheduler runs it: its own process, the same data. Asynchronous: the fake connector it sends to lives in this process. */
function remind(dataDir: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'remind.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, MicrosoftAppId: '', LOG_LEVEL: 'warn', PEOPLE_FILE }, cwd: dataDir, encoding: 'utf8', timeout: 60_000 },
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
    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25');
    const claireChat = await messageThroughConnector(server.base, fake, CLAIRE, 'hello');
    await messageThroughConnector(server.base, fake, HELENE, 'hello');
    await messageThroughConnector(server.base, fake, SAM, 'hello');
    expect(fake.received.map((r) => r.replyTo), 'the greetings were replies').to.have.length(3);

    const first = await server.app.reminders!.runOnce();
    expect(first.sent.map((d) => d.to.name).sort()).to.deep.equal(['Claire Tagg', 'Helene Denness']);
    const claire = cardsFor(fake, CLAIRE);
    expect(claire).to.have.length(1);
    expect(claire[0].conversationId, 'into her own chat with the bot').to.equal(claireChat);
    expect(itemIdsOn(claire[0])).to.deep.equal(CLAIRES_ITEMS);
    expect(claire[0].activity.text).to.equal('Reminder: 3 progress updates you lead are due by 30 April 2018.');
    expect(claire[0].authorization, 'anonymous local mode sends no token').to.equal(undefined);
    expect(validateCard(claire[0].activity.attachments![0].content)).to.deep.equal([]);
    expect(cardsFor(fake, SAM)).to.have.length(0);

    // Restart on the same data, and run again: nothing new.
    await server.app.close();
    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25', '15:00:00');
    const again = await server.app.reminders!.runOnce();
    expect(again.sent).to.deep.equal([]);
    expect(again.alreadyHandled).to.be.greaterThan(3);
    await server.app.close();
    server = undefined;

    // An external scheduler's run, the same day, in its own process: nothing new either.
    const cli = await remind(dataDir, '--now', '2018-04-25');
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(/2018-04-25: no reminders to send \(\d+ already sent\)\./);
    expect(cardsFor(fake, CLAIRE)).to.have.length(1);

    // After the due date the script sends the overdue reminder, through the connector, once.
    const dry = await remind(dataDir, '--now', '2018-05-02', '--dry-run');
    expect(dry.stdout).to.include('would send Claire Tagg (aad-claire) a reminder for 3 items');
    expect(cardsFor(fake, CLAIRE), 'a dry run sends nothing').to.have.length(1);
    const overdue = await remind(dataDir, '--now', '2018-05-02');
    expect(overdue.status, overdue.stderr).to.equal(0);
    expect(overdue.stdout).to.include('sent Claire Tagg (aad-claire) a reminder for 3 items').and.include('[overdue] Number of hospital admissions for self-harm');
    expect((await remind(dataDir, '--now', '2018-05-02')).stdout).to.include('no reminders to send');
    const cards = cardsFor(fake, CLAIRE);
    expect(cards.map((c) => c.activity.text)).to.deep.equal(['Reminder: 3 progress updates you lead are due by 30 April 2018.', 'Reminder: 3 progress updates you lead are overdue.']);
    expect(itemIdsOn(cards[1])).to.deep.equal(CLAIRES_ITEMS);
  });

  it('a run that died holding claims loses nothing and doubles nothing: the next run after the claim timeout sends once', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25');
    await messageThroughConnector(server.base, fake, CLAIRE, 'hello');
    await server.app.close();
    // The dead run, in another process: claimed Claire's reminders at 09:00 and was killed before sending.
    const db = openDatabase(dataDir);
    const log = new SqliteReminderLog(db);
    await log.claim(CLAIRES_ITEMS.map((itemId) => ({ userId: CLAIRE.aadObjectId, itemId, period: 'Q4 2017/18', kind: 'before' })), claimOptions('killed-run', new Date('2018-04-25T09:00:00Z')));
    db.close();

    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25', '09:04:00');
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, CLAIRE), 'the claims are still the dead run’s').to.have.length(0);
    server.setNow('2018-04-25', '09:20:00');
    await server.app.reminders!.runOnce();
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, CLAIRE)).to.have.length(1);
    expect(itemIdsOn(cardsFor(fake, CLAIRE)[0])).to.deep.equal(CLAIRES_ITEMS);
  });

  it('a connector that refuses is tried again on the next pass; the card arrives once', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25');
    await messageThroughConnector(server.base, fake, CLAIRE, 'hello');
    // 403, as Teams answers for a user who blocked the bot: not retried by the connector client (a 5xx would be, at once).
    fake.failNext(1, 403);
    const failed = await server.app.reminders!.runOnce();
    expect(failed.failed.map((f) => f.to.name)).to.deep.equal(['Claire Tagg']);
    expect(cardsFor(fake, CLAIRE)).to.have.length(0);
    await server.app.reminders!.runOnce();
    await server.app.reminders!.runOnce();
    expect(cardsFor(fake, CLAIRE)).to.have.length(1);
  });

  it('REMINDERS=on: the in-bot schedule sends by itself, once, and stops when the app closes', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2018-04-25');
    await messageThroughConnector(server.base, fake, CLAIRE, 'hello');
    await server.app.close();
    server = await startServer({ DATA_DIR: dataDir, REMINDERS: 'on', REMINDER_INTERVAL_MINUTES: '1' }, '2018-04-25');
    await fake.waitFor(() => cardsFor(fake, CLAIRE).length > 0);
    await server.app.close();
    server = undefined;
    expect(cardsFor(fake, CLAIRE)).to.have.length(1);
  });

  it('"chase them" after "overdue updates", as a reviewer: the reachable lead gets a card through the connector with only their late items', async () => {
    server = await startServer({ DATA_DIR: dataDir }, '2018-05-10');
    await messageThroughConnector(server.base, fake, JOHN, 'hello');
    const rita = new TestConversation(server.base, RITA);
    const list = await rita.say('overdue updates for priority 2 in the city');
    expect(list.text).to.include('Late progress updates').and.include('John Matravers');
    const chase = await rita.say('chase them');
    expect(chase.text).to.match(/Sent reminders to 1 lead \(John Matravers\) for 1 late update\./).and.match(/leads have never talked to me, so I can't reach them: .*Racheal Osborne/);
    const john = cardsFor(fake, JOHN);
    expect(john).to.have.length(1);
    expect(john[0].activity.text).to.equal('Reminder from Rita Reviewer: 1 progress update you lead is late.');
    expect(itemIdsOn(john[0])).to.deep.equal(['cy-p2-child-protection-plans']);
    expect((await rita.say('chase them')).text).to.include('Already chased today');
    expect(cardsFor(fake, JOHN)).to.have.length(1);
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
    servers.push(...(await Promise.all([startServer(env, '2018-04-25'), startServer(env, '2018-04-25')])));
    const [a, b] = servers;
    await messageThroughConnector(a.base, fake, CLAIRE, 'hello');
    await messageThroughConnector(b.base, fake, HELENE, 'hello');
    await Promise.all([a.app.reminders!.runOnce(), b.app.reminders!.runOnce(), a.app.reminders!.runOnce(), b.app.reminders!.runOnce()]);
    expect(cardsFor(fake, CLAIRE)).to.have.length(1);
    expect(cardsFor(fake, HELENE)).to.have.length(1);
    expect(itemIdsOn(cardsFor(fake, CLAIRE)[0])).to.deep.equal(CLAIRES_ITEMS);
  });
});
