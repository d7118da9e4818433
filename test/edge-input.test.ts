/**
 * Bad input at the HTTP edge, against the real in-process server: proves that
 * what Teams would never send (or an attacker would) gets the right status,
 * never a crash or a 5xx, and that the server keeps serving afterwards.
 *
 * - Bodies: null, numbers, empty, text/plain, compressed (a gzip bomb), 1 MB
 *   exactly (accepted) and one byte over, streamed without a length (413).
 * - Activities with fields of the wrong type (400), including a sender name or
 *   AAD id that is not a string (they reach SQL parameters and text handling),
 *   and without a channelId or with channel data, recipient, id or delivery
 *   mode the SDK would trip on (400 with a JSON error naming the field).
 * - Activity types the bot does not handle: 2xx, no failed turn; an edited or
 *   deleted message without channel data too; invokes it does not implement
 *   never 5xx (200, or 400 for a malformed Action.Execute), even when the
 *   invoke response is the HTTP status (no expectReplies).
 * - 100,000 characters of text, control characters, Arabic, Chinese,
 *   Cyrillic and emoji: 200 with a reply.
 * - Card submissions ('submitUpdateForm', 'reviewUpdate') with extra, missing
 *   or wrongly typed fields: 200, a clear reply, nothing saved.
 * - Markdown and links in a narrative, an evidence title, a reviewer's comment
 *   and a display name are shown inert in "my updates" and the reviewer's card.
 * (Malformed JSON, arrays, strings, a missing type, conversation or sender and
 * 1.1 MB bodies are in http.test.ts.)
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { TestConversation, visibleText, type Reply } from './helpers/server';
import { startRecordingServer, turnFailures, type RecordingServer } from './helpers/recording';

const REVIEWER = { id: 'rev-edge', name: 'Rita Reviewer', aadObjectId: 'rev-edge' };
const ONE_MB = 1024 * 1024;
type Body = NonNullable<RequestInit['body']>;

describe('bad input at the HTTP edge', function () {
  this.timeout(60_000);
  let s: RecordingServer;
  const figures = { refused: 0, odd: 0, cards: 0, saved: 0, texts: 0 };

  before(async () => {
    s = await startRecordingServer({ REVIEWERS: REVIEWER.aadObjectId, RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000' });
  });
  after(async () => {
    await s?.stop();
    console.log(
      `      edge: ${figures.refused} malformed requests refused (400/413/415), ${figures.odd} unhandled activity types → 2xx, ${figures.texts} hostile texts → 200 with a reply, ${figures.cards} bad card submissions → 200 with ${figures.saved} saved, 0 failed turns`,
    );
  });
  afterEach(async function () {
    // Whatever the test sent, the server is still up and no turn blew up.
    const failed = turnFailures(s.logs.splice(0));
    expect((await fetch(s.base + '/healthz')).status, '/healthz after the test').to.equal(200);
    expect(failed, 'failed turns').to.deep.equal([]);
  });

  async function raw(body: Body, headers: Record<string, string> = { 'content-type': 'application/json' }, init: RequestInit = {}) {
    const res = await fetch(s.base + '/api/messages', { method: 'POST', headers, body, ...init });
    return { status: res.status, body: await res.text() };
  }
  const count = (table: string) => (s.app.db!.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const card = (r: Reply) => JSON.stringify(r.attachments ?? []);

  describe('bodies', () => {
    it('refuses bodies that are not a JSON object with 400', async () => {
      const c = new TestConversation(s.base);
      const json = JSON.stringify(c.activity({ text: 'help' }));
      const cases: [string, Body, Record<string, string>][] = [
        ['null', 'null', { 'content-type': 'application/json' }],
        ['a number', '42', { 'content-type': 'application/json' }],
        ['true', 'true', { 'content-type': 'application/json' }],
        ['an empty body', '', { 'content-type': 'application/json' }],
        ['white space', '   ', { 'content-type': 'application/json' }],
        ['an activity sent as text/plain', json, { 'content-type': 'text/plain' }],
        ['an activity with no content type', json, {}],
        ['a form post', 'type=message&text=hi', { 'content-type': 'application/x-www-form-urlencoded' }],
      ];
      for (const [what, body, headers] of cases) {
        const r = await raw(body, headers);
        expect(r.status, `${what}: ${r.body}`).to.equal(400);
        expect(JSON.parse(r.body)).to.have.property('error', 'bad_request');
        figures.refused++;
      }
    });

    it('accepts a body of exactly 1 MB and refuses one byte more, or a larger body streamed without a length, with 413', async () => {
      const c = new TestConversation(s.base);
      // Padded in a field the bot neither reads, echoes nor stores (channel data, value and the rest are bounded: edge-bounds.test.ts).
      const template = JSON.stringify(c.activity({ text: 'help', pad: '' }));
      const padded = (n: number) => template.replace('"pad":""', `"pad":"${'x'.repeat(n)}"`);
      const exact = padded(ONE_MB - template.length);
      expect(Buffer.byteLength(exact)).to.equal(ONE_MB);
      expect((await raw(exact)).status).to.equal(200);
      const over = await raw(padded(ONE_MB - template.length + 1));
      expect(over.status).to.equal(413);
      const big = Buffer.from(padded(1_300_000));
      const stream = new ReadableStream<Uint8Array>({
        start(ctl) {
          for (let i = 0; i < big.length; i += 64 * 1024) ctl.enqueue(big.subarray(i, i + 64 * 1024));
          ctl.close();
        },
      });
      const chunked = await raw(stream, { 'content-type': 'application/json' }, { duplex: 'half' } as RequestInit);
      expect(chunked.status).to.equal(413);
      figures.refused += 2;
    });

    it('refuses a compressed body (a gzip bomb) with 415, without inflating it', async () => {
      // The body limit counts compressed bytes: a 1 MB gzip body of 1 GB crashed the process before this was refused.
      const c = new TestConversation(s.base);
      const json = JSON.stringify(c.activity({ text: 'help', channelData: { pad: 'a'.repeat(64 * ONE_MB) } }));
      const bomb = gzipSync(json, { level: 9 });
      expect(bomb.length).to.be.below(ONE_MB);
      const heapBefore = process.memoryUsage().heapUsed;
      const r = await raw(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect(r.status, r.body).to.equal(415);
      expect(process.memoryUsage().heapUsed - heapBefore, 'heap grown by the request').to.be.below(32 * ONE_MB);
      expect((await raw(gzipSync(JSON.stringify(c.activity({ text: 'help' }))), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).to.equal(415);
      figures.refused += 2;
    });
  });

  describe('activities', () => {
    it('refuses activities whose required fields have the wrong type with 400', async () => {
      const c = new TestConversation(s.base);
      const cases: [string, Record<string, unknown>][] = [
        ['type ""', { type: '' }],
        ['type 42', { type: 42 }],
        ['type of 65 characters', { type: 'x'.repeat(65) }],
        ['conversation null', { conversation: null }],
        ['conversation.id ""', { conversation: { id: '' } }],
        ['conversation.id as an object', { conversation: { id: { $ne: null } } }],
        ['from as a string', { from: 'someone' }],
        ['from.id 5', { from: { id: 5 } }],
        ['from.name as an array', { from: { id: 'u1', name: ['a', 'b'] } }],
        ['from.aadObjectId as an array', { from: { id: 'u1', aadObjectId: [] } }],
        ['from.aadObjectId as an object', { from: { id: 'u1', aadObjectId: { id: 'x' } } }],
        ['text 5', { text: 5 }],
        ['serviceUrl as an object', { serviceUrl: { href: 'http://127.0.0.1:9' } }],
      ];
      for (const [what, patch] of cases) {
        const r = await c.post(c.activity({ text: 'my updates', ...patch }));
        expect(r.status, `${what}: ${r.body}`).to.equal(400);
        figures.refused++;
      }
    });

    it('refuses an activity without a channelId, or with fields the SDK reads of the wrong type, with 400 and a JSON error naming the field', async () => {
      const c = new TestConversation(s.base);
      const { channelId: _ch, ...noChannel } = c.activity({ text: 'help' });
      const cases: [string, Record<string, unknown>, string][] = [
        ['no channelId', noChannel, 'channelId'],
        ['channelId ""', c.activity({ text: 'help', channelId: '' }), 'channelId'],
        ['channelId 7', c.activity({ text: 'help', channelId: 7 }), 'channelId'],
        ['channelData null', c.activity({ type: 'messageUpdate', channelData: null }), 'channelData'],
        ['channelData as a string', c.activity({ text: 'help', channelData: 'x' }), 'channelData'],
        ['recipient as a string', c.activity({ text: 'help', recipient: 'bot' }), 'recipient'],
        ['id as an object', c.activity({ text: 'help', id: { a: 1 } }), 'id'],
        ['deliveryMode 5', c.activity({ text: 'help', deliveryMode: 5 }), 'deliveryMode'],
      ];
      for (const [what, activity, field] of cases) {
        const r = await c.post(activity);
        expect(r.status, `${what}: ${r.body}`).to.equal(400);
        const body = JSON.parse(r.body) as { error: string; message: string };
        expect(body.error, what).to.equal('bad_request');
        expect(body.message, what).to.include(field);
        figures.refused++;
      }
    });

    it('answers an edited or deleted message without channel data (which Teams\' own dispatch reads) with 2xx and no failed turn', async () => {
      const c = new TestConversation(s.base);
      for (const type of ['messageUpdate', 'messageDelete']) {
        const r = await c.post(c.activity({ type }));
        expect(r.status, `${type}: ${r.body}`).to.be.within(200, 299);
        figures.odd++;
      }
    });

    it('answers invokes it does not implement without a 5xx, also when the answer goes in the HTTP status (no expectReplies)', async () => {
      const c = new TestConversation(s.base);
      const execute = { action: { type: 'Action.Execute', verb: 'x', data: {} }, trigger: 'manual' };
      const cases: [Record<string, unknown>, number][] = [
        [{ name: 'task/fetch', value: {} }, 200],
        // The message extension's search refuses what is not a search (test/message-extension.test.ts has more).
        [{ name: 'composeExtension/query', value: 5 }, 400],
        [{ name: 'composeExtension/submitAction', value: null }, 200],
        [{ name: 'unknown/thing' }, 200],
        [{}, 200],
        [{ name: 'signin/verifyState', value: {} }, 200],
        [{ name: 'adaptiveCard/action', value: execute }, 200],
        [{ name: 'adaptiveCard/action', value: 5 }, 400],
        [{ name: 'adaptiveCard/action', value: { action: 'x' } }, 400],
        [{ name: 'application/search', value: null }, 200],
      ];
      for (const [extra, status] of cases) {
        for (const deliveryMode of [undefined, 'expectReplies']) {
          const r = await c.post(c.activity({ type: 'invoke', ...extra, deliveryMode }));
          const got = deliveryMode ? ((JSON.parse(r.body) as { activities?: { value?: { status?: number } }[] }).activities?.[0]?.value?.status ?? r.status) : r.status;
          expect(r.status, `${JSON.stringify(extra)} ${deliveryMode ?? ''}: ${r.body}`).to.be.below(500);
          expect(got, `${JSON.stringify(extra)} ${deliveryMode ?? ''}: ${r.body}`).to.equal(status);
          figures.odd++;
        }
      }
      const card = await c.post(c.activity({ type: 'invoke', name: 'adaptiveCard/action', value: execute, deliveryMode: undefined }));
      expect(JSON.parse(card.body)).to.deep.include({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    });

    it('answers activity types it does not handle with 2xx and no failed turn', async () => {
      const c = new TestConversation(s.base);
      const cases: Record<string, unknown>[] = [
        { type: 'foo' },
        { type: 'invoke' },
        { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'nothing' } } },
        { type: 'invoke', name: 'composeExtension/fetchTask', value: 5 },
        { type: 'messageReaction', reactionsAdded: [{ type: 'like' }], replyToId: 'x' },
        { type: 'messageReaction', reactionsRemoved: 'like' },
        { type: 'typing' },
        { type: 'endOfConversation', code: 'userCancelled' },
        { type: 'event', name: 'application/vnd.microsoft.meetingStart', value: null },
        { type: 'installationUpdate', action: 'add' },
        { type: 'messageUpdate', channelData: { eventType: 'editMessage' } },
        { type: 'messageDelete', channelData: { eventType: 'softDeleteMessage' } },
        { type: 'conversationUpdate', membersRemoved: [{ id: 'someone' }] },
        { type: 'conversationUpdate', membersAdded: [null, 5, 'x'] },
        { type: 'trace', value: { deep: [[[[[]]]]] } },
      ];
      for (const extra of cases) {
        const r = await c.post(c.activity(extra));
        expect(r.status, `${JSON.stringify(extra)}: ${r.body}`).to.be.within(200, 299);
        figures.odd++;
      }
    });

    it('welcomes once per conversation update, not once per entry of a long member list (or of a string posing as one)', async () => {
      const c = new TestConversation(s.base);
      const many = await c.post(c.activity({ type: 'conversationUpdate', membersAdded: Array.from({ length: 500 }, (_, i) => ({ id: `member-${i}` })) }));
      expect(many.status).to.equal(200);
      expect(many.replies).to.have.length(1);
      const t0 = performance.now();
      const str = await c.post(c.activity({ type: 'conversationUpdate', membersAdded: 'x'.repeat(200_000) }));
      expect(str.status).to.equal(200);
      expect(str.replies.length).to.be.at.most(1);
      expect(performance.now() - t0, 'ms').to.be.below(5000);
      figures.odd += 2;
    });

    it('answers 100,000 characters of text with 200 and says it read the first 2000', async () => {
      const words = ['camhs', 'انتظار', '等待时间', 'ожидание', '👶🏽', 'waiting', 'time'];
      let text = '';
      for (let i = 0; text.length < 100_000; i++) text += words[i % words.length] + ' ';
      text = text.slice(0, 100_000);
      const r = await new TestConversation(s.base).say(text);
      expect(r.status).to.equal(200);
      expect(r.replies[0].text).to.include('first 2000 characters');
      figures.texts++;
    });

    it('answers control characters, mixed scripts and emoji with 200 and a reply free of control characters', async () => {
      const texts = [
        '\u0000\u0007camhs\u001b[31m waiting\u0008 time\u007f',
        'ما هو وقت الانتظار في خدمات الصحة النفسية للأطفال؟',
        '儿童心理健康服务的等待时间是多少？',
        'Какое время ожидания в CAMHS?',
        '👶🏽🚸🧒 camhs waiting time 🙏🏾',
        '\u202ecamhs waiting time\u202c \u200b\ufeff',
        '\ud800 camhs \udfff waiting time',
        'who leads on <at>breastfeeding</at> <script>alert(1)</script>',
        '\r\n\t\u000b\u000c',
      ];
      for (const t of texts) {
        const r = await new TestConversation(s.base).say(t);
        expect(r.status, JSON.stringify(t)).to.equal(200);
        expect(r.replies.length, JSON.stringify(t)).to.be.at.least(1);
        expect(r.text.trim(), JSON.stringify(t)).not.to.equal('');
        expect(r.text, JSON.stringify(t)).not.to.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
        figures.texts++;
      }
      // The control characters did not stop the question being understood.
      expect((await new TestConversation(s.base).say(texts[0])).text).to.include('weeks');
    });
  });

  describe('card submissions', () => {
    const good = () => ({ action: 'confirmUpdateForm', formId: randomUUID(), itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' });

    it('refuses an update form with missing, extra or wrongly typed fields with a clear reply, and saves nothing', async () => {
      const lead = new TestConversation(s.base);
      const before = count('submissions');
      const { narrative: _n, ...noNarrative } = good();
      const { period: _p, ...noPeriod } = good();
      const { formId: _f, ...noFormId } = good();
      const { itemId: _i, ...noItem } = good();
      const cases: Record<string, unknown>[] = [
        noNarrative,
        noPeriod,
        noFormId,
        noItem,
        { ...noNarrative, extra: { nested: true }, isAdmin: true, reviewState: 'approved' },
        { ...good(), value: 40 },
        { ...good(), period: ['Q3 2017/18'] },
        { ...good(), status: { $eq: 'on track' } },
        { ...good(), narrative: null },
        { ...good(), formId: 42 },
        { ...good(), formId: '../../etc/passwd' },
        { ...good(), itemId: ['cy-p1-self-harm'] },
        { ...good(), itemId: 'nope' },
        { ...good(), evidence: 5 },
        { ...good(), evidence: 'javascript:alert(1)' },
        { ...good(), reason: true, status: 'off track' },
        { ...good(), narrative: 'x'.repeat(5000) },
      ];
      for (const value of cases) {
        const r = await lead.submit(value);
        expect(r.status, JSON.stringify(value)).to.equal(200);
        expect(r.replies[0].text, JSON.stringify(value)).to.match(/^Nothing saved yet: .+|choose the activity or indicator/);
        figures.cards++;
      }
      expect(count('submissions')).to.equal(before);
    });

    it('saves a valid form once with the extra fields Teams adds dropped', async () => {
      const lead = new TestConversation(s.base);
      const before = count('submissions');
      const r = await lead.submit({ ...good(), msteams: { type: 'messageBack' }, isAdmin: true, reviewState: 'approved', extra: { nested: [1, 2] } });
      expect(r.text).to.include('Saved.');
      expect(count('submissions')).to.equal(before + 1);
      const row = s.app.db!.prepare('SELECT review_state FROM submissions ORDER BY rowid DESC LIMIT 1').get() as { review_state: string };
      expect(row.review_state).to.equal('pending');
      figures.saved++;
    });

    it('refuses a review with missing, extra or wrongly typed fields with a clear reply, and changes nothing', async () => {
      await new TestConversation(s.base).submit(good());
      const rev = new TestConversation(s.base, REVIEWER);
      const list = await rev.say('review updates');
      const id = (list.replies.find((x) => x.attachments?.length)!.attachments![0].content as { actions: { data: { id: string } }[] }).actions[0].data.id;
      const state = () => s.app.db!.prepare('SELECT review_state, reviewer_id, review_comment FROM submissions WHERE id = ?').get(id);
      const before = { row: state(), audit: count('audit') };
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ action: 'reviewUpdate' }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id: 5, decision: 'approved' }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id: [id], decision: 'approved' }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id: { $ne: '' }, decision: 'approved' }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id, decision: 'APPROVED' }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id, decision: true }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id, decision: ['approved'] }, /couldn't read that review/],
        [{ action: 'reviewUpdate', id, decision: 'returned', comment: 5 }, /Please add a comment/],
        [{ action: 'reviewUpdate', id, decision: 'returned', comment: '   ' }, /Please add a comment/],
        [{ action: 'reviewUpdate', id: randomUUID(), decision: 'approved' }, /could not find that update/],
        [{ action: 'reviewUpdate', id, extra: { reviewState: 'approved' }, reviewer: REVIEWER }, /couldn't read that review/],
      ];
      for (const [value, reply] of cases) {
        const r = await rev.submit(value);
        expect(r.status, JSON.stringify(value)).to.equal(200);
        expect(r.text, JSON.stringify(value)).to.match(reply);
        figures.cards++;
      }
      // A well-formed approval from someone who is not a reviewer changes nothing either.
      const stranger = await new TestConversation(s.base).submit({ action: 'reviewUpdate', id, decision: 'approved' });
      expect(stranger.text).to.include("only the plan's reviewers");
      figures.cards++;
      expect({ row: state(), audit: count('audit') }).to.deep.equal(before);
    });

    it('shows Markdown and links from a narrative, evidence, comment and display name inert in "my updates" and the reviewer\'s card', async () => {
      const hostile = '[click](https://evil.example) **bold** __under__ `code` <script>alert(1)</script> ![img](http://evil.example/x.png)';
      const mallory = { id: 'mallory', name: '[Mallory](https://evil.example) **Boss**', aadObjectId: 'mallory-aad' };
      const lead = new TestConversation(s.base, mallory);
      const saved = await lead.submit({
        ...good(),
        status: 'off track',
        narrative: `Clinics are running. ${hostile}`,
        reason: `Staff left. ${hostile}`,
        recovery: `Recruiting. ${hostile}`,
        evidence: '[report](https://evil.example/report)',
      });
      expect(saved.text).to.include('Saved.');

      const active = (json: string) => {
        expect(json, 'an active Markdown link').not.to.match(/\]\s*\(\s*https?:/);
        expect(json, 'Markdown emphasis').not.to.include('**');
        expect(json, 'Markdown emphasis').not.to.include('__');
      };
      const rev = new TestConversation(s.base, REVIEWER);
      const list = await rev.say('review updates');
      const reviewCard = list.replies.find((x) => x.attachments?.length && visibleText(x).includes('evil.example'));
      expect(reviewCard, 'the reviewer sees the submission').to.exist;
      active(card(reviewCard!));
      expect(visibleText(reviewCard!)).to.include('click').and.include('Mallory');

      const id = (reviewCard!.attachments![0].content as { actions: { data: { id: string } }[] }).actions[0].data.id;
      const returned = await rev.submit({ action: 'reviewUpdate', id, decision: 'returned', comment: `Please redo. ${hostile}` });
      expect(returned.text).to.include('Returned');

      const mine = await lead.say('my updates');
      const mineCard = mine.replies.find((x) => x.attachments?.length);
      expect(visibleText(mineCard!)).to.include('Please redo').and.include('evil.example');
      active(card(mineCard!));
      active(mine.replies.map((x) => x.text ?? '').join('\n'));
    });
  });
});
