/**
 * The real HTTP server, spoken to as Teams does: expectReplies activities to
 * /api/messages, /healthz, and bad input at the edge.
 */
import { expect } from 'chai';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';

describe('HTTP server', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.stop();
  });

  it('GET /healthz is 200 with status, version and knowledge counts when ready', async () => {
    const res = await fetch(s.base + '/healthz');
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { status: string; version: string; knowledge: Record<string, number> };
    expect(body.status).to.equal('ok');
    expect(body.version).to.match(/^\d+\.\d+\.\d+/);
    expect(body.knowledge.documents).to.equal(5);
    expect(body.knowledge.indicators).to.be.greaterThan(100);
  });

  it('answers a question in the HTTP response with the figure, its period, the earlier figure and the source', async () => {
    const r = await new TestConversation(s.base).say('what is the latest CAMHS waiting time');
    expect(r.status).to.equal(200);
    expect(r.replies).to.have.length(1);
    const reply = r.replies[0];
    expect(reply.text).to.include('10.9 weeks').and.include('April').and.include('6.59 weeks').and.include('January 2017');
    expect(reply.attachments?.[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
    const card = reply.attachments![0].content;
    expect(card.version).to.equal('1.5');
    // The source, one click away behind "Sources" (document and section, no line numbers).
    const sources = (card.actions as { type: string; title: string; card?: unknown }[]).find((x) => x.title === 'Sources');
    expect(sources?.type).to.equal('Action.ShowCard');
    expect(JSON.stringify(sources?.card)).to.include('evidence of achievement').and.include('Priority 4').and.not.include('line ');
  });

  it('strips the bot @mention from channel messages', async () => {
    const c = new TestConversation(s.base);
    const r = await c.say('<at>Plan assistant</at> who leads on self-harm admissions in the city', {
      entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Plan assistant' }, text: '<at>Plan assistant</at>' }],
      conversation: { id: c.id, conversationType: 'channel', tenantId: 't1' },
    });
    expect(r.text).to.include('Claire Tagg');
  });

  it('says plainly when the plans do not have the answer, and offers choices', async () => {
    const r = await new TestConversation(s.base).say('what % of household waste was recycled in 2019/20?');
    expect(r.replies[0].text).to.match(/^I couldn't find a figure for 2019\/20/);
    // A nearby figure only ever after saying so, labelled as the nearest.
    const at = r.text.indexOf('44.70%');
    if (at >= 0) expect(r.text.slice(0, at)).to.include('The nearest they have');
  });

  it('answers "help" with a card of what it can do', async () => {
    const r = await new TestConversation(s.base).say('help');
    expect(r.text).to.include('Summarise priority 2 of the CYPF plan');
    expect(r.replies[0].attachments).to.have.length(1);
  });

  it('greets new members', async () => {
    const c = new TestConversation(s.base);
    const r = await c.post(c.activity({ type: 'conversationUpdate', membersAdded: [{ id: 'someone-new' }] }));
    expect(r.status).to.equal(200);
    expect(r.replies.map((x) => x.text).join(' ')).to.include("I'm the plan assistant");
  });

  it('follows up on the last answer in the same conversation', async () => {
    const c = new TestConversation(s.base);
    await c.say('repeat CP plans within 2 yrs in the city');
    const r = await c.say('and the target?');
    expect(r.text).to.include('8.0%');
  });

  it('rejects malformed JSON with 400 and keeps serving', async () => {
    const c = new TestConversation(s.base);
    const bad = await c.post('{"type": "message", ', true);
    expect(bad.status).to.equal(400);
    const ok = await c.say('whats TETC');
    expect(ok.status).to.equal(200);
    expect(ok.text).to.include('Tackling Emerging Threats to Children');
  });

  it('rejects a non-object body and activities missing type, conversation or sender with 400', async () => {
    const c = new TestConversation(s.base);
    expect((await c.post('[1,2,3]', true)).status).to.equal(400);
    expect((await c.post('"text"', true)).status).to.equal(400);
    const { type: _t, ...noType } = c.activity({ text: 'hi' });
    expect((await c.post(noType)).status).to.equal(400);
    const { conversation: _c, ...noConv } = c.activity({ text: 'hi' });
    expect((await c.post(noConv)).status).to.equal(400);
    const { from: _f, ...noFrom } = c.activity({ text: 'hi' });
    expect((await c.post(noFrom)).status).to.equal(400);
  });

  it('rejects a body over 1 MB with 413', async () => {
    const c = new TestConversation(s.base);
    const r = await c.post(c.activity({ text: 'x'.repeat(1_100_000) }));
    expect(r.status).to.equal(413);
    expect((await c.say('help')).status).to.equal(200);
  });

  it('replies to very long text instead of failing', async () => {
    const r = await new TestConversation(s.base).say('camhs waiting time '.repeat(5000));
    expect(r.status).to.equal(200);
    expect(r.replies[0].text).to.include('first 2000 characters');
  });
});

describe('HTTP server before it is ready', () => {
  it('reports 503 on /healthz and /api/messages until the knowledge is loaded', async () => {
    const s = await startTestServer({}, { start: false });
    try {
      expect((await fetch(s.base + '/healthz')).status).to.equal(503);
      const r = await new TestConversation(s.base).say('help');
      expect(r.status).to.equal(503);
      await s.app.start();
      expect((await fetch(s.base + '/healthz')).status).to.equal(200);
    } finally {
      await s.stop();
    }
  });
});
