/**
 * Scale-out on PostgreSQL: two real bot processes on different ports, one
 * database (a fresh schema per run, dropped afterwards), as behind a load
 * balancer. A dialog whose turns alternate between the instances; concurrent
 * turns of one conversation on both; 200 concurrent card submissions spread
 * over both; an approval on one instance answered on the other within a
 * second; and a database outage mid-run, losing nothing that was
 * acknowledged. The outage is simulated for two instances of its own, which
 * reach PostgreSQL through a TCP proxy that cuts and refuses their
 * connections: the shared server is never stopped, so other tests and
 * processes using it carry on.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startBotProcess, type BotProcess } from './helpers/process';
import { TestConversation } from './helpers/server';
import { PG_MIGRATIONS } from '../storage/postgres';
import { dropStaleSchemas, ensurePostgres, newSchema, serverAddress, sql, TEST_DATABASE_URL, urlVia, type TestSchema } from './helpers/postgres';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';

const REVIEWER = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const LEAD = { id: 'lead-1', name: 'Claire Tagg', aadObjectId: 'lead-1' };
const SAVE_FAILED = "I couldn't save that just now, nothing was saved, please try again";
const DATABASE_DOWN = "I can't reach my database just now";
/** How long the simulated outage lasts at least. */
const OUTAGE_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same conversation (id and user), talking to another instance: what a load balancer does to Teams traffic. */
function via(bot: BotProcess, conv: TestConversation): TestConversation {
  const c = new TestConversation(bot.base, conv.user);
  (c as unknown as { id: string }).id = conv.id;
  return c;
}

function lead(n: number) {
  return { id: `lead-${n}`, name: `Lead ${n}`, aadObjectId: `lead-${n}` };
}

async function submitForm(bot: BotProcess, formId: string, user = LEAD, value = '40', period = 'Q3 2017/18') {
  // The user's own chat with the bot: a card pressed again (on any instance) is pressed in the same conversation.
  const c = new TestConversation(bot.base, user, { id: `conv-${user.id}` });
  return c.submit({ action: 'confirmUpdateForm', formId, itemId: 'cy-p1-self-harm', value, period, status: 'on track', narrative: 'SHARP clinics now run in twelve schools.', evidence: '' });
}

async function health(bot: BotProcess): Promise<{ status: number; body: { status?: string; detail?: string } }> {
  try {
    const r = await fetch(bot.base + '/healthz', { signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: (await r.json()) as { status?: string; detail?: string } };
  } catch (e) {
    return { status: 0, body: { detail: String(e) } };
  }
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>, every = 100): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

describe('PostgreSQL scale-out: two instances, one database', function () {
  this.timeout(120_000);
  let schema: TestSchema;
  let dataDir: string;
  let A: BotProcess;
  let B: BotProcess;
  let env: Record<string, string>;
  /** The outage test's own instances, and the proxy between them and PostgreSQL. */
  let proxy: TcpProxy | undefined;
  const outageBots: BotProcess[] = [];
  const retries = () => (A.log() + B.log()).split('conversation state changed during the turn').length - 1;
  // Keys are "form:<conversation>:<form id>" (updates/service.ts idempotencyKey): returned as "form:<form id>".
  const stored = async (likeKey: string) => (await sql<{ idempotency_key: string; id: string }>('SELECT id, idempotency_key FROM submissions WHERE idempotency_key LIKE $1', [likeKey], schema.schema)).map((r) => r.idempotency_key.replace(/^form:[^:]*:/, 'form:'));

  before(async function () {
    this.timeout(90_000);
    await ensurePostgres();
    await dropStaleSchemas();
    schema = newSchema();
    dataDir = mkdtempSync(join(tmpdir(), 'plan-pg-'));
    env = {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema.schema,
      DATA_DIR: dataDir, // unused with DATABASE_URL: nothing may be written here
      REVIEWERS: 'rev-1',
      RATE_LIMIT_BURST: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    // Started together: their migrations race for the advisory lock on an empty schema.
    [A, B] = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  });

  after(async () => {
    await Promise.all([A?.kill(), B?.kill(), ...outageBots.map((b) => b.kill())]);
    await proxy?.close();
    await schema?.drop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('started together, the instances migrated the schema once, and report the database healthy', async () => {
    const versions = await sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version', [], schema.schema);
    expect(versions.map((v) => v.version)).to.deep.equal(PG_MIGRATIONS.map((m) => m.version));
    for (const bot of [A, B]) expect(await health(bot)).to.deep.include({ status: 200 });
  });

  it('a submission dialog whose turns alternate between the instances completes, and saves once', async () => {
    const onA = new TestConversation(A.base, LEAD);
    const onB = via(B, onA);
    const steps: [TestConversation, string, string][] = [
      [onA, 'update on self-harm admissions in the city', 'Is this update for'],
      [onB, 'yes', 'What is the new value'],
      [onA, '40', 'Which period'],
      [onB, 'Q3 2017/18', 'What is the status'],
      [onA, 'on track', 'Describe the progress'],
      [onB, 'Clinics are running in twelve schools now.', 'Any evidence'],
      [onA, 'none', 'Check your update'],
      [onB, 'confirm', 'Saved.'],
    ];
    for (const [conv, text, expected] of steps) {
      const r = await conv.say(text);
      expect(r.status, text).to.equal(200);
      expect(r.text, `${text} on ${conv.base}`).to.include(expected);
    }
    const mine = await via(A, onA).say('my updates');
    expect(mine.text).to.include('Number of hospital admissions for self-harm').and.include('pending');
    const rows = await sql('SELECT 1 FROM submissions WHERE submitter_id = $1', [LEAD.aadObjectId], schema.schema);
    expect(rows).to.have.length(1);
    expect(A.log() + B.log()).not.to.match(/turn failed/);
  });

  it('two turns of one conversation at once on both instances: one runs after the other, no reply is based on overwritten state', async () => {
    const before = retries();
    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      const onA = new TestConversation(A.base, lead(100 + i));
      const onB = via(B, onA);
      expect((await onA.say('update on self-harm admissions in the city')).text).to.include('Is this update for');
      // "yes" twice at once: whichever commits second must see the first's state (now asking for the value), so it reads "yes" as a value.
      const [a, b] = await Promise.all([onA.say('yes'), onB.say('yes')]);
      for (const r of [a, b]) expect(r.text).to.include('What is the new value');
      expect([a, b].filter((r) => r.text.includes('I need a number'))).to.have.length(1);
      expect((await onB.say('40')).text).to.include('Which period');
    }
    console.log(`      postgres: ${rounds} pairs of concurrent turns in one conversation, ${retries() - before} re-run after an eTag conflict, none lost`);
  });

  it('200 concurrent card-form submissions spread over both instances are stored exactly once each, also when re-sent to the other instance', async () => {
    const forms = Array.from({ length: 200 }, (_, i) => ({ formId: `load-${i}-${randomUUID()}`, user: lead(i % 25), first: i % 2 ? B : A, other: i % 2 ? A : B }));
    // Every fourth form is pressed again at the same moment on the other instance.
    const requests = forms.flatMap((f, i) => [submitForm(f.first, f.formId, f.user).then((r) => ({ f, r })), ...(i % 4 === 0 ? [submitForm(f.other, f.formId, f.user).then((r) => ({ f, r }))] : [])]);
    const t0 = Date.now();
    const results = await Promise.all(requests);
    const ms = Date.now() - t0;
    for (const { r } of results) expect(r.status).to.equal(200);
    const saved = results.filter(({ r }) => r.text.includes('Saved.'));
    const already = results.filter(({ r }) => r.text.includes('already received'));
    expect(saved.length + already.length, results.filter(({ r }) => !/Saved\.|already received/.test(r.text)).map(({ r }) => r.text)[0]).to.equal(requests.length);
    expect(saved).to.have.length(200);
    expect(new Set(saved.map(({ f }) => f.formId)).size).to.equal(200);
    expect(already).to.have.length(50);

    const keys = await stored('form:%:load-%');
    const distinct = new Set(keys);
    const lost = forms.filter((f) => !distinct.has(`form:${f.formId}`)).length;
    const duplicates = keys.length - distinct.size;
    console.log(`      postgres: 2 instances, 200 submissions, ${distinct.size} stored, lost ${lost}, duplicates ${duplicates} (${requests.length} requests incl. 50 re-sent to the other instance, ${ms} ms)`);
    expect(distinct.size).to.equal(200);
    expect(lost).to.equal(0);
    expect(duplicates).to.equal(0);
    const audit = await sql<{ n: number }>("SELECT COUNT(*)::int AS n FROM audit WHERE action = 'submit' AND after LIKE '%form:%:load-%'", [], schema.schema);
    expect(audit[0].n).to.equal(200);
  });

  it('an update approved on one instance is used in answers on the other within a second', async () => {
    const formId = `fresh-${randomUUID()}`;
    expect((await submitForm(B, formId, LEAD, '37', 'Q4 2017/18')).text).to.include('Saved.');
    const asker = new TestConversation(B.base);
    expect((await asker.say('self-harm admissions in the city')).replies[0].text).not.to.include('37 for Q4 2017/18');
    const [{ id }] = await sql<{ id: string }>('SELECT id FROM submissions WHERE idempotency_key LIKE $1', [`form:%:${formId}`], schema.schema);

    const approved = await new TestConversation(A.base, REVIEWER).submit({ action: 'reviewUpdate', id, decision: 'approved' });
    expect(approved.text).to.include('Approved');
    const t0 = Date.now();
    const answer = await until('the approval to reach the other instance', 1000, async () => {
      const r = await asker.say('self-harm admissions in the city');
      return r.replies[0]?.text?.includes('37 for Q4 2017/18') && r;
    }, 20);
    const ms = Date.now() - t0;
    console.log(`      postgres: approved on A, answered with the new figure on B after ${ms} ms`);
    expect(answer.replies[0].text).to.include('Claire Tagg');
    expect(ms).to.be.below(1000);
  });

  it('a database outage mid-run (through a proxy; the server keeps running) loses no acknowledged submission; /healthz is 503 while it lasts and 200 after; the bot and its LISTEN connection recover by themselves', async function () {
    this.timeout(150_000);
    // Two instances of their own, reaching the database only through the proxy (info logs: the listener says when it reconnects).
    proxy = await startTcpProxy(serverAddress());
    const through = { ...env, DATABASE_URL: urlVia(proxy.port), LOG_LEVEL: 'info' };
    const [C, D] = await Promise.all([startBotProcess(through), startBotProcess(through)]);
    outageBots.push(C, D);
    const reconnects = (bot: BotProcess) => bot.log().split('"msg":"database listener reconnected"').length - 1;

    const acked = new Set<string>();
    const refused = new Set<string>();
    /** Who sent each form: a retry is the same person pressing again (idempotency keys are per user). */
    const sender = new Map<string, ReturnType<typeof lead>>();
    const unexpected: string[] = [];
    let stop = false;
    let n = 0;
    const worker = async () => {
      while (!stop) {
        const i = n++;
        const formId = `outage-${i}-${randomUUID()}`;
        sender.set(formId, lead(i % 25));
        const r = await submitForm(i % 2 ? D : C, formId, sender.get(formId)).catch((e: unknown) => ({ status: 0, text: String(e) }));
        if (r.text.includes('Saved.')) acked.add(formId);
        else if (r.text.includes(SAVE_FAILED)) refused.add(formId);
        else unexpected.push(`${r.status} ${r.text.slice(0, 200)}`);
        await sleep(25);
      }
    };

    // A dialog waiting at its confirmation when the database goes away.
    const onC = new TestConversation(C.base, lead(900));
    for (const text of ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'on track', 'Clinics are running in twelve schools now.']) await onC.say(text);
    expect((await onC.say('none')).text).to.include('Check your update');

    const workers = [worker(), worker(), worker(), worker()];
    let downFor: number;
    let backAfter: number;
    let ackedBefore: number;
    let refusedWhileDown: number;
    let ackedWhileDown: number;
    let cut: number;
    let healthWhileDown: string;
    let othersDuringOutage: boolean;
    try {
      await until('some acknowledged submissions', 20_000, async () => acked.size >= 20);
      ackedBefore = acked.size;
      const t0 = Date.now();
      await proxy.down();
      cut = proxy.cut;
      let last: unknown;
      const down = await until('/healthz 503 on both instances', 15_000, async () => {
        const hs = await Promise.all([health(C), health(D)]);
        last = hs;
        return hs.every((h) => h.status === 503) && hs;
      }).catch((e: Error) => {
        throw new Error(`${e.message}; last /healthz: ${JSON.stringify(last)}; proxy up ${proxy?.isUp}, open ${proxy?.open}; C: ${C.log().slice(-1500)}; D: ${D.log().slice(-1500)}`);
      });
      for (const h of down) expect(h.body.detail).to.match(/database unreachable since .*ECONNREFUSED|database unreachable/);
      healthWhileDown = down[0].body.detail ?? '';
      await until('submissions refused while the database is unreachable', 15_000, async () => refused.size >= 6);
      // The dialog cannot be confirmed now, is told nothing was saved, and keeps its place.
      const whileDown = await via(D, onC).say('confirm');
      expect(whileDown.text).to.include(DATABASE_DOWN).and.include('nothing from it was saved');
      expect(whileDown.text).not.to.include('Saved.');
      // Questions get the same clear message rather than an error.
      expect((await new TestConversation(C.base).say('camhs waiting time')).text).to.include(DATABASE_DOWN);
      // Everyone else using the server is unaffected: the instances that connect directly still answer and save.
      expect((await health(A)).status).to.equal(200);
      othersDuringOutage = (await submitForm(A, `during-outage-${randomUUID()}`, lead(950))).text.includes('Saved.');
      expect(othersDuringOutage, 'an instance not behind the proxy saves during the outage').to.equal(true);
      // An outage of a few seconds at least: every submission in it is refused, none acknowledged.
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - t0)));
      refusedWhileDown = refused.size;
      ackedWhileDown = acked.size - ackedBefore;
      downFor = Date.now() - t0;

      const t1 = Date.now();
      await proxy.up();
      await until('/healthz 200 on both instances', 30_000, async () => (await Promise.all([health(C), health(D)])).every((h) => h.status === 200));
      backAfter = Date.now() - t1;
      const ackedAtRestart = acked.size;
      await until('new submissions acknowledged after the outage', 20_000, async () => acked.size >= ackedAtRestart + 20);
    } finally {
      stop = true;
      await Promise.allSettled(workers);
      await proxy.up();
    }

    // The LISTEN connection of each instance reconnected: it says so, and an approval on one reaches the other's answers again.
    await until('both listeners to report reconnecting', 10_000, async () => reconnects(C) >= 1 && reconnects(D) >= 1);
    const formId = `after-outage-${randomUUID()}`;
    expect((await submitForm(D, formId, LEAD, '33', 'Q1 2018/19')).text).to.include('Saved.');
    const [{ id }] = await sql<{ id: string }>('SELECT id FROM submissions WHERE idempotency_key LIKE $1', [`form:%:${formId}`], schema.schema);
    expect((await new TestConversation(C.base, REVIEWER).submit({ action: 'reviewUpdate', id, decision: 'approved' })).text).to.include('Approved');
    const t2 = Date.now();
    await until('the approval on C to reach D through its reconnected LISTEN', 2000, async () => (await new TestConversation(D.base).say('self-harm admissions in the city')).replies[0]?.text?.includes('33 for Q1 2018/19'), 20);
    const notifiedMs = Date.now() - t2;

    // The dialog carries on where it was: confirming now saves it, once.
    expect((await onC.say('confirm')).text).to.include('Saved.');
    expect(await sql('SELECT 1 FROM submissions WHERE submitter_id = $1', ['lead-900'], schema.schema)).to.have.length(1);

    const keys = await stored('form:%:outage-%');
    const distinct = new Set(keys);
    const lost = [...acked].filter((k) => !distinct.has(`form:${k}`)).length;
    const duplicates = keys.length - distinct.size;
    const refusedButStored = [...refused].filter((k) => distinct.has(`form:${k}`)).length;
    // The users try again: every refused form is now saved (or, had its commit been lost in flight, recognised).
    const retried = await Promise.all([...refused].map((k, i) => submitForm(i % 2 ? C : D, k, sender.get(k))));
    const retriedOk = retried.filter((r) => /Saved\.|already received/.test(r.text)).length;
    console.log(
      `      postgres outage (proxy ${proxy.port} -> ${serverAddress().host}:${serverAddress().port}, server kept running): ${acked.size} acknowledged (${ackedBefore} before the outage, ${ackedWhileDown} while it lasted, ${acked.size - ackedBefore - ackedWhileDown} after), ` +
        `${refused.size} refused ("couldn't save … nothing was saved"; ${refusedWhileDown} by the end of the outage), lost ${lost}, duplicates ${duplicates}, refused-but-stored ${refusedButStored}; ` +
        `${cut} connections cut; down ${(downFor / 1000).toFixed(1)} s, /healthz 200 again ${(backAfter / 1000).toFixed(1)} s after the proxy accepted again; ` +
        `listener reconnected on both (C ${reconnects(C)}, D ${reconnects(D)}), approval on C in D's answers ${notifiedMs} ms later; ${retriedOk}/${refused.size} retries saved; ` +
        `an instance not behind the proxy saved during the outage: ${othersDuringOutage ? 'yes' : 'no'}`,
    );
    console.log(`      /healthz while down: ${healthWhileDown}`);
    expect(unexpected, unexpected[0]).to.have.length(0);
    expect(refused.size).to.be.greaterThan(0);
    expect(lost).to.equal(0);
    expect(duplicates).to.equal(0);
    expect(retriedOk).to.equal(refused.size);
    expect((await stored('form:%:outage-%')).length).to.equal(acked.size + refused.size);
  });
});
