/**
 * The managers' view end to end over real HTTP (the real server, in-process):
 * "what changed since 2018-01-01" and the weekly digest on SQLite and on
 * PostgreSQL; the Word export by file consent (a local HTTP server stands in
 * for the OneDrive upload URL Teams returns) and by signed download link,
 * which expires and refuses a tampered signature.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../bot/app';
import { loadConfig } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { FILE_CONSENT_CARD, FILE_INFO_CARD, userTimeZone } from '../bot/managerView';
import { digestDue, digestReader, localTime } from '../updates/digest';
import { startFakeConnector, type FakeConnector } from './helpers/fakeConnector';
import { TestConversation, visibleText, type Reply } from './helpers/server';
import { validateCard, validateReplyCards } from './helpers/adaptiveCard';
import { ensurePostgres, newSchema, sql, TEST_DATABASE_URL, type TestSchema } from './helpers/postgres';
import Database from 'better-sqlite3';
import { documentXml, partText } from './helpers/docx';

const CLAIRE = { id: 'user-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const HELENE = { id: 'user-helene', name: 'Helene Denness', aadObjectId: 'aad-helene' };
const RITA = { id: 'user-rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const MANAGER = { id: 'user-mo', name: 'Mo Manager', aadObjectId: 'aad-mo' };
/** Teams' connector for the UK: any https serviceUrl that is not this machine is Teams itself (file consent works there). */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/uk/';

interface Running {
  app: App;
  base: string;
  setNow(iso: string): void;
}

/** The real server on a free loopback port, on a clock the test moves (undefined: the system clock). */
async function startServer(env: Record<string, string>, at?: string): Promise<Running> {
  let now = at ? new Date(at) : undefined;
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', REVIEWERS: 'rev-1', RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000', ...env });
  const app = createApp(config, silentLogger(), { now: () => now ?? new Date() });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.start();
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, setNow: (iso) => (now = new Date(iso)) };
}

/** A lead's update through the one-card form, then a reviewer's approval through the review card (unless `approve` is false). */
async function reportUpdate(base: string, lead: typeof CLAIRE, update: Record<string, string>, approve = true): Promise<void> {
  const saved = await new TestConversation(base, lead).submit({ action: 'confirmUpdateForm', formId: randomUUID(), narrative: 'Reported for the test.', ...update });
  expect(saved.text).to.include('pending review');
  if (!approve) return;
  const list = await new TestConversation(base, RITA).say('review updates');
  const ids = [...JSON.stringify(list.replies).matchAll(/"action":"reviewUpdate","id":"([^"]+)","decision":"approved"/g)].map((m) => m[1]);
  for (const id of ids) expect((await new TestConversation(base, RITA).submit({ action: 'reviewUpdate', id, decision: 'approved' })).text).to.include('Approved update');
}

/** The digest subscriptions as stored, from the SQLite file or the PostgreSQL schema the server uses. */
async function storedSubscriptions(dataDir: string, pgSchema?: string): Promise<{ user_id: string; user_name: string; reference: string }[]> {
  const query = 'SELECT user_id, user_name, reference FROM digest_subscriptions ORDER BY user_id';
  if (pgSchema) return sql<{ user_id: string; user_name: string; reference: string }>(query, [], pgSchema);
  const db = new Database(join(dataDir, 'plan-assistant.db'), { readonly: true });
  try {
    return db.prepare(query).all() as { user_id: string; user_name: string; reference: string }[];
  } finally {
    db.close();
  }
}

const cardOf = (r: Reply) => r.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  describe(`what changed since a date, and the weekly digest, over HTTP on ${backend}`, function () {
    this.timeout(90_000);
    let dataDir: string;
    let schema: TestSchema | undefined;
    let server: Running | undefined;
    let fake: FakeConnector;
    const env = () => ({ DATA_DIR: dataDir, ...(schema ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema } : {}) });

    before(async () => {
      if (backend === 'PostgreSQL') await ensurePostgres();
    });
    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'plan-managers-'));
      schema = backend === 'PostgreSQL' ? newSchema() : undefined;
      fake = await startFakeConnector();
    });
    afterEach(async () => {
      await server?.app.close();
      server = undefined;
      await fake.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('"what changed since 2018-01-01": approved updates, new figures and RAG changes, per priority, newest first, each with who reported it and when; unreviewed ones only for their submitter and reviewers', async () => {
      server = await startServer(env());
      await reportUpdate(server.base, CLAIRE, { itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track' });
      await reportUpdate(server.base, CLAIRE, { itemId: 'cy-p1-self-harm', value: '44', period: 'Q4 2017/18', status: 'at risk', reason: 'Two clinics closed.', recovery: 'Reopening in May.' });
      // Another lead's update, not yet reviewed: no change anyone reads about.
      await reportUpdate(server.base, HELENE, { itemId: 'cy-p1-breastfeeding', value: '75%', period: 'Q4 2017/18', status: 'on track' }, false);

      const r = await new TestConversation(server.base, MANAGER).say('what changed since 2018-01-01');
      expect(r.status).to.equal(200);
      expect(validateReplyCards(r.replies)).to.deep.equal([]);
      expect(r.replies[0].text).to.match(/^Since 2018-01-01 \(1 January 2018\): 2 approved updates, \d+ new figures? and 1 RAG change in \d+ of 13 priorities\.$/);
      const card = visibleText(r.replies[0]);
      expect(card).to.include("City: Children and Young People's Plan 2016-2020, priority 1: Promoting the health and wellbeing of babies, children and young people");
      const lines = card.split('\n').flatMap((l) => l.split(/\n?- /)).filter((l) => /^(Update|RAG change): Number of hospital admissions for self-harm/.test(l));
      // Newest first: the Q4 update, and its change of status, before the Q3 one; each says who reported it and who approved it, when.
      expect(lines.map((l) => l.replace(/ on \d{4}-\d\d-\d\d/g, ' on <day>'))).to.deep.equal([
        'Update: Number of hospital admissions for self-harm (10-24 years): 44 for Q4 2017/18, at risk (reported by Claire Tagg, approved by Rita Reviewer on <day>)',
        'RAG change: Number of hospital admissions for self-harm (10-24 years): reported status on track → at risk (reported by Claire Tagg, approved by Rita Reviewer on <day>)',
        'Update: Number of hospital admissions for self-harm (10-24 years): 40 for Q3 2017/18, on track (reported by Claire Tagg, approved by Rita Reviewer on <day>)',
      ]);
      expect(card).to.not.include('75%').and.not.include('Helene').and.not.include('not yet approved').and.not.include('pending');
      // Helene's own unreviewed update is shown to her and to a reviewer (updates/visibility.ts), marked, and is no change of status.
      for (const who of [HELENE, RITA]) {
        const theirs = await new TestConversation(server.base, who).say('what changed since 2018-01-01');
        expect(theirs.replies[0].text, who.name).to.match(/: 2 approved updates, 1 update not yet approved, \d+ new figures? and 1 RAG change in /);
        expect(visibleText(theirs.replies[0]), who.name).to.match(/Update \(pending review, not published\): [^\n]+: 75% for Q4 2017\/18, on track \(reported by Helene Denness on \d{4}-\d\d-\d\d\)/);
      }
      // The priority's summary since the date, one click away.
      expect(JSON.stringify(cardOf(r.replies[0]))).to.include('"action":"summary","planId":"city-cypp-2016-20","priority":1,"since":{"from":"2018-01-01","label":"2018-01-01"}');

      // One priority, named loosely; every plan that has a priority 1.
      const p1 = await new TestConversation(server.base, MANAGER).say('any news on priority 1 since september 2017');
      expect(p1.replies[0].text).to.match(/in \d of 3 priorities\.$/);
      expect(visibleText(p1.replies[0])).to.include('44 for Q4 2017/18').and.not.include('priority 2:');
      // "Since the last board": a date the bot says it took.
      const board = await new TestConversation(server.base, MANAGER).say("what's changed since the last board?");
      expect(visibleText(board.replies[0])).to.include('What changed since the last board (taken as the start of last quarter)');
      // A date it cannot read is said so, plainly.
      expect((await new TestConversation(server.base, MANAGER).say('what changed since whenever')).text).to.include('I couldn\'t read "whenever" as a date or period');
    });

    it('the weekly digest: opted into with the time zone Teams gives, sent on Monday morning there, once, through the connector; and stopped', async () => {
      // Friday 11 May 2018, 17:00 in London.
      server = await startServer(env(), '2018-05-11T16:00:00Z');
      await reportUpdate(server.base, CLAIRE, { itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track' });
      // Helene's update, not reviewed yet: in a reviewer's digest, marked; not in anyone else's.
      await reportUpdate(server.base, HELENE, { itemId: 'cy-p1-breastfeeding', value: '75%', period: 'Q4 2017/18', status: 'on track' }, false);
      const mo = new TestConversation(server.base, MANAGER);
      const optIn = await mo.say('send me a weekly digest', { serviceUrl: fake.serviceUrl, deliveryMode: undefined, localTimezone: 'America/New_York', locale: 'en-US', entities: [{ type: 'clientInfo', locale: 'en-US', platform: 'Web' }] });
      expect(optIn.status).to.be.within(200, 202);
      await fake.waitFor((x) => x.some((a) => /every Monday morning/.test(a.activity.text ?? '')));
      expect(fake.received.at(-1)!.activity.text).to.include('from 08:00, America/New_York');
      const rita = new TestConversation(server.base, RITA);
      await rita.say('send me a weekly digest', { serviceUrl: fake.serviceUrl, deliveryMode: undefined });
      await fake.waitFor((x) => x.some((a) => a.conversationId === rita.id && /every Monday morning/.test(a.activity.text ?? '')));
      const digests = () => fake.received.filter((a) => a.activity.text?.startsWith('Your weekly digest') && a.conversationId === mo.id);

      // Kept by id (never the name), with the conversation reference trimmed to what a proactive message needs.
      const stored = await storedSubscriptions(dataDir, schema?.schema);
      expect(stored.map((x) => x.user_id)).to.deep.equal(['aad-mo', 'rev-1']);
      const reference = JSON.parse(stored[0].reference) as Record<string, Record<string, unknown>>;
      expect(reference).to.have.all.keys('channelId', 'serviceUrl', 'conversation', 'user', 'bot');
      expect(reference.conversation).to.deep.equal({ id: mo.id, conversationType: 'personal', tenantId: 't1' });
      expect(reference.user).to.deep.equal({ id: MANAGER.id, aadObjectId: MANAGER.aadObjectId });

      // Monday 14 May: 07:00 in New York is not yet morning there; 09:00 is (and 14:00 in London, for Rita).
      server.setNow('2018-05-14T11:00:00Z');
      expect((await server.app.digests!.runOnce()).sent).to.deep.equal(['rev-1']);
      server.setNow('2018-05-14T13:00:00Z');
      expect((await server.app.digests!.runOnce()).sent).to.deep.equal(['aad-mo']);
      expect(digests()).to.have.length(1);
      const ritas = fake.received.filter((a) => a.activity.text?.startsWith('Your weekly digest') && a.conversationId === rita.id);
      expect(ritas).to.have.length(1);
      expect(JSON.stringify(ritas[0].activity.attachments)).to.match(/Update \(pending review, not published\): [^"]+: 75% for Q4 2017\/18, on track/);
      const digest = digests()[0];
      expect(JSON.stringify(digest.activity)).to.not.include('75%').and.not.include('not yet approved');
      expect(digest.conversationId, 'into the chat the manager asked in').to.equal(mo.id);
      expect(digest.activity.text).to.match(/^Your weekly digest\. Since Monday 2018-05-07 \(7 May 2018\): 1 approved update/);
      const card = digest.activity.attachments![0].content;
      expect(validateCard(card)).to.deep.equal([]);
      expect(JSON.stringify(card)).to.include('Your weekly digest: what changed since Monday 2018-05-07').and.include('40 for Q3 2017/18, on track').and.include('Stop the weekly digest');
      // Again the same Monday (another pass, another instance): not sent twice. Tuesday: nothing.
      expect((await server.app.digests!.runOnce()).alreadyHandled).to.equal(2);
      server.setNow('2018-05-15T13:00:00Z');
      await server.app.digests!.runOnce();
      expect(digests()).to.have.length(1);

      // Stopped, the next Monday brings nothing.
      const stop = await new TestConversation(server.base, MANAGER).say('stop the weekly digest');
      expect(stop.text).to.include('no more weekly digests');
      expect((await new TestConversation(server.base, MANAGER).say('stop the weekly digest')).text).to.include('nothing to stop');
      server.setNow('2018-05-21T13:00:00Z');
      expect((await server.app.digests!.runOnce()).sent).to.deep.equal(['rev-1']);
      expect(digests()).to.have.length(1);
    });
  });
}

describe('the weekly digest: its clock, and whose view it shows', () => {
  it('Monday morning is read in the subscriber\'s own time zone, summer time included', () => {
    // 07:30 UTC on Monday 14 May 2018 is 08:30 in London (BST), 03:30 in New York, 17:30 in Sydney.
    const at = new Date('2018-05-14T07:30:00Z');
    expect(localTime(at, 'Europe/London')).to.deep.equal({ date: '2018-05-14', weekday: 'Mon', hour: 8 });
    expect(digestDue(at, 'Europe/London')).to.equal('2018-05-14');
    expect(digestDue(at, 'America/New_York')).to.equal(undefined);
    expect(digestDue(at, 'Australia/Sydney')).to.equal('2018-05-14');
    // In winter London is on GMT: 07:30 UTC is 07:30 there, not yet.
    expect(digestDue(new Date('2018-01-15T07:30:00Z'), 'Europe/London')).to.equal(undefined);
  });

  it("shows its subscriber's view of unreviewed updates only in their own chat: in a chat others share, approved updates only", () => {
    const sub = (conversationType: string) => ({ userId: 'rev-1', userName: 'Rita Reviewer', timeZone: 'Europe/London', subscribedAt: '2018-05-11T16:00:00Z', reference: { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'c1', conversationType }, user: { id: '29:rita', aadObjectId: 'rev-1' } } });
    expect(digestReader(sub('personal'))).to.deep.equal({ id: 'rev-1', aadObjectId: 'rev-1', channelUserId: '29:rita', name: 'Rita Reviewer' });
    expect(digestReader(sub('groupChat'))).to.equal(undefined);
    expect(digestReader(sub('channel'))).to.equal(undefined);
  });

  it('takes the time zone from the activity, or its clientInfo entity; a made-up one is no time zone', () => {
    expect(userTimeZone({ localTimezone: 'Europe/London' })).to.equal('Europe/London');
    expect(userTimeZone({ entities: [{ type: 'clientInfo', timezone: 'Asia/Kolkata' }] })).to.equal('Asia/Kolkata');
    expect(userTimeZone({ localTimezone: 'Mars/Olympus_Mons' })).to.equal(undefined);
    expect(userTimeZone({})).to.equal(undefined);
  });
});

/** A stand-in for the OneDrive upload session Teams gives in uploadInfo.uploadUrl: records each PUT. */
async function startUploadServer(status = 201): Promise<{ url: string; received: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[]; close(): Promise<void> }> {
  const received: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'drive-item', name: 'report.docx' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/session-1`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the Word export over HTTP', function () {
  this.timeout(60_000);
  let dataDir: string;
  let server: Running;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-exports-'));
    server = await startServer({ DATA_DIR: dataDir, EXPORT_LINK_MINUTES: '15' }, '2018-05-10T09:00:00Z');
  });
  after(async () => {
    await server.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const EXPORT = { action: 'exportDocument', planId: 'county-council-plan', priority: 1 };

  describe('in a Teams personal chat: the file consent flow', () => {
    const inTeams = () => new TestConversation(server.base, MANAGER);
    const personal = (c: TestConversation, extra: Record<string, unknown>) => c.post(c.activity({ serviceUrl: TEAMS_SERVICE_URL, ...extra }));
    const consent = (c: TestConversation, value: Record<string, unknown>) => personal(c, { type: 'invoke', name: 'fileConsent/invoke', value });

    it('offers a file consent card; accepted, it uploads the report to the URL Teams gives and posts a file info card', async () => {
      const upload = await startUploadServer();
      try {
        const c = inTeams();
        const offer = await personal(c, { value: EXPORT });
        const card = offer.replies[0].attachments?.find((a) => a.contentType === FILE_CONSENT_CARD);
        expect(card, 'a file consent card').to.exist;
        const content = card!.content as { description: string; sizeInBytes: number; acceptContext: Record<string, unknown>; declineContext: Record<string, unknown> };
        expect((card as { name?: string }).name).to.equal('Nottinghamshire County Nottinghamshire County Council Plan priority 1 2018-05-10.docx');
        expect(content.description).to.equal('Board report: Nottinghamshire County Council Plan, priority 1, as at 2018-05-10');
        expect(content.acceptContext).to.deep.equal({ planId: 'county-council-plan', priority: 1 });
        expect(content.sizeInBytes).to.be.greaterThan(5000);
        expect(offer.replies[0].text).to.include('Allow me to save it to your OneDrive');

        // Teams' invoke when the user allows it: the upload session in their OneDrive.
        const uploadInfo = { name: 'Council plan priority 1.docx', uploadUrl: upload.url, contentUrl: 'https://contoso-my.sharepoint.com/personal/mo/Documents/Applications/Plan%20assistant/Council%20plan%20priority%201.docx', uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C8C', fileType: 'docx' };
        const accepted = await consent(c, { type: 'fileUpload', action: 'accept', context: content.acceptContext, uploadInfo });
        expect(accepted.status).to.equal(200);
        expect(upload.received).to.have.length(1);
        const put = upload.received[0];
        expect(put.method).to.equal('PUT');
        expect(put.url).to.equal('/upload/session-1');
        expect(put.headers['content-range']).to.equal(`bytes 0-${put.body.length - 1}/${put.body.length}`);
        expect(Number(put.headers['content-length'])).to.equal(put.body.length);
        const doc = partText(documentXml(put.body));
        expect(doc).to.include('RAG table: indicators').and.include('All recorded crime (Q4) | 47,583 (Q4 2016/17)').and.include('Off target: All recorded crime (Q4)');
        const info = accepted.replies[0].attachments?.find((a) => a.contentType === FILE_INFO_CARD) as { contentUrl?: string; name?: string; content: Record<string, unknown> } | undefined;
        expect(info, 'a file info card').to.exist;
        expect(info!.contentUrl).to.equal(uploadInfo.contentUrl);
        expect(info!.name).to.equal(uploadInfo.name);
        expect(info!.content).to.deep.equal({ uniqueId: uploadInfo.uniqueId, fileType: 'docx' });
        expect(accepted.replies[0].text).to.equal('Your board report is in your OneDrive: Council plan priority 1.docx.');
      } finally {
        await upload.close();
      }
    });

    it('declined, it says so politely and uploads nothing; a failed upload says nothing was saved; only https upload addresses are used', async () => {
      const upload = await startUploadServer(500);
      try {
        const c = inTeams();
        const context = { planId: 'county-council-plan', priority: 1 };
        const declined = await consent(c, { type: 'fileUpload', action: 'decline', context });
        expect(declined.replies.filter((r) => r.type === 'message').map((r) => r.text)).to.deep.equal(['No problem: I have not saved anything to your OneDrive. Press "Export as Word" again whenever you want the report, or use "Export as text".']);
        const uploadInfo = { name: 'r.docx', uploadUrl: upload.url, contentUrl: 'https://contoso-my.sharepoint.com/r.docx', uniqueId: 'x', fileType: 'docx' };
        const failed = await consent(c, { type: 'fileUpload', action: 'accept', context, uploadInfo });
        expect(failed.replies[0].text).to.include("I couldn't save the report to your OneDrive (the upload was refused (HTTP 500)). Nothing was saved");
        expect(upload.received).to.have.length(1);
        const plainHttp = await consent(c, { type: 'fileUpload', action: 'accept', context, uploadInfo: { ...uploadInfo, uploadUrl: 'http://example.org/upload' } });
        expect(plainHttp.replies[0].text).to.include('the upload address is not https');
        // A malformed answer is refused with 400, as Teams expects of an invoke it cannot use.
        const bad = await personal(c, { type: 'invoke', name: 'fileConsent/invoke', value: { action: 'maybe' }, deliveryMode: undefined });
        expect(bad.status, bad.body).to.equal(400);
      } finally {
        await upload.close();
      }
    });
  });

  describe('elsewhere (a group chat, the Playground): a signed link to the bot\'s own server', () => {
    let url: URL;

    before(async () => {
      const group = new TestConversation(server.base, MANAGER);
      const r = await group.post(group.activity({ value: EXPORT, conversation: { id: group.id, conversationType: 'groupChat', isGroup: true } }));
      expect(validateReplyCards(r.replies)).to.deep.equal([]);
      expect(r.replies[0].text).to.equal('The Word board report for Nottinghamshire County Council Plan, priority 1 is ready: the download link works for 15 minutes (until 09:15 UTC).');
      const link = JSON.stringify(cardOf(r.replies[0])).match(/"type":"Action.OpenUrl","title":"Download the Word document","url":"([^"]+)"/)?.[1];
      expect(link, 'a download button').to.be.a('string');
      url = new URL(link!);
    });

    it('serves the Word document: no data in the URL, only an id, its expiry and a signature', async () => {
      expect(`${url.origin}`).to.equal(server.base);
      expect(url.pathname).to.match(/^\/exports\/[0-9a-f-]{36}$/);
      expect([...url.searchParams.keys()]).to.deep.equal(['exp', 'sig']);
      expect(Number(url.searchParams.get('exp'))).to.equal(Date.parse('2018-05-10T09:15:00Z') / 1000);
      const res = await fetch(url);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(res.headers.get('content-disposition')).to.equal('attachment; filename="Nottinghamshire County Nottinghamshire County Council Plan priority 1 2018-05-10.docx"');
      expect(res.headers.get('cache-control')).to.equal('no-store');
      const doc = partText(documentXml(Buffer.from(await res.arrayBuffer())));
      expect(doc).to.include('Needs attention').and.include('Worse: People killed or seriously injured in road traffic collisions (Annual 2016/17): 323 (2016/17), worse than 320');
    });

    it('refuses a tampered signature, another id, a later expiry with the old signature, or no signature (403)', async () => {
      const sig = url.searchParams.get('sig')!;
      const variants = [
        `${url.pathname}?exp=${url.searchParams.get('exp')}&sig=${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
        `${url.pathname.replace(/[0-9a-f](?=[^/]*$)/, (c) => (c === 'a' ? 'b' : 'a'))}?${url.searchParams}`,
        `${url.pathname}?exp=${Number(url.searchParams.get('exp')) + 3600}&sig=${sig}`,
        `${url.pathname}?exp=${url.searchParams.get('exp')}`,
        `${url.pathname}?exp=${url.searchParams.get('exp')}&sig=${'0'.repeat(64)}`,
      ];
      for (const v of variants) {
        const res = await fetch(server.base + v);
        expect(res.status, v).to.equal(403);
        expect(await res.text()).to.equal('This download link is not valid.\n');
      }
    });

    it('expires: 15 minutes later the same link is refused (410), and says what to do', async () => {
      server.setNow('2018-05-10T09:14:59Z');
      expect((await fetch(url)).status).to.equal(200);
      server.setNow('2018-05-10T09:15:01Z');
      const res = await fetch(url);
      expect(res.status).to.equal(410);
      expect(await res.text()).to.include('This download link has expired (links work for 15 minutes). Ask the bot to export the summary again.');
      server.setNow('2018-05-10T09:00:00Z');
    });
  });
});
