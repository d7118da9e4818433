import { expect } from 'chai';
import { RateLimiter, rateKey } from '../bot/rateLimit';
import { startTestServer, TestConversation } from './helpers/server';
import { ensurePostgres, newSchema, TEST_DATABASE_URL } from './helpers/postgres';

describe('per-user rate limit', () => {
  it('allows a burst, then refuses, warning once, and refills over time', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 3, perMinute: 60 }, () => now);
    expect([rl.check('a'), rl.check('a'), rl.check('a')]).to.deep.equal(['allow', 'allow', 'allow']);
    expect(rl.check('a')).to.equal('warn');
    expect(rl.check('a')).to.equal('drop');
    expect(rl.check('b'), 'other users are not affected').to.equal('allow');
    now += 1000; // one message per second refills one token
    expect(rl.check('a')).to.equal('allow');
    expect(rl.check('a')).to.equal('warn');
  });

  it('counts searches as they type (typeahead, the message extension) in a bucket of their own, everything else in the sender\'s', () => {
    const cases: [{ type?: unknown; name?: unknown }, string][] = [
      [{ type: 'invoke', name: 'application/search' }, 'search:u1'],
      [{ type: 'invoke', name: 'composeExtension/query' }, 'search:u1'],
      [{ type: 'invoke', name: 'adaptiveCard/action' }, 'u1'],
      [{ type: 'invoke', name: 'composeExtension/selectItem' }, 'u1'],
      [{ type: 'message', name: 'application/search' }, 'u1'],
      [{ type: 'message' }, 'u1'],
      [{ type: 'invoke', name: 5 }, 'u1'],
    ];
    for (const [activity, key] of cases) expect(rateKey(activity, 'u1'), JSON.stringify(activity)).to.equal(key);
  });

  it('forgets the least recently seen senders beyond its bound', () => {
    const rl = new RateLimiter({ burst: 1, perMinute: 1, maxTracked: 100 });
    for (let i = 0; i < 1000; i++) rl.check('user' + i);
    expect(rl.tracked).to.equal(100);
  });

  it('replies politely over HTTP to a burst beyond the limit and keeps answering others', async () => {
    const s = await startTestServer({ RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const c = new TestConversation(s.base);
      for (let i = 0; i < 3; i++) expect((await c.say('whats TETC')).text).to.include('Tackling Emerging Threats');
      const r = await c.say('whats TETC');
      expect(r.status).to.equal(200);
      expect(r.text).to.include('faster than I can keep up');
      expect((await new TestConversation(s.base).say('whats TETC')).text).to.include('Tackling Emerging Threats');
    } finally {
      await s.stop();
    }
  });
});

describe('per-user rate limit: every activity counts, and instances share it', function () {
  this.timeout(60_000);

  it('conversationUpdate (a welcome card each) and invokes count towards the limit too', async () => {
    const s = await startTestServer({ RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const c = new TestConversation(s.base);
      const welcome = () => c.post(c.activity({ type: 'conversationUpdate', membersAdded: [{ id: c.user.id, name: c.user.name }] }));
      const welcomes = [];
      for (let i = 0; i < 5; i++) welcomes.push((await welcome()).replies.length);
      expect(welcomes, 'welcome cards sent').to.deep.equal([1, 1, 1, 0, 0]);
      expect((await c.say('whats TETC')).text).to.match(/too fast|faster than I can keep up/);

      const other = new TestConversation(s.base);
      // As Teams sends them: the invoke response is the HTTP response (no expectReplies).
      const invoke = () => other.post(other.activity({ type: 'invoke', name: 'adaptiveCard/action', deliveryMode: undefined, value: { action: { type: 'Action.Execute', verb: 'x', data: {} } } }));
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await invoke()).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
    } finally {
      await s.stop();
    }
  });

  it('two instances sharing one PostgreSQL schema allow the configured rate, not twice it', async () => {
    await ensurePostgres();
    const schema = newSchema();
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema, RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_MINUTE: '1' };
    const a = await startTestServer(env);
    const b = await startTestServer(env);
    try {
      const user = { id: '29:busy', name: 'Busy', aadObjectId: 'aad-busy' };
      const conversation = { id: 'conv-busy' };
      let answered = 0;
      const texts: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await new TestConversation((i % 2 ? b : a).base, user, conversation).say('whats TETC');
        texts.push(r.text.slice(0, 40));
        if (r.text.includes('Tackling Emerging Threats')) answered++;
      }
      // A burst of 5, and one more token a minute: 5, or 6 if a minute passed. Two separate limits would answer 10.
      expect(answered, texts.join(' | ')).to.be.within(5, 6);
      // Another user is not affected, on either instance.
      expect((await new TestConversation(b.base).say('whats TETC')).text).to.include('Tackling Emerging Threats');
    } finally {
      await a.stop();
      await b.stop();
      await schema.drop();
    }
  });
});
