import { expect } from 'chai';
import { RateLimiter } from '../bot/rateLimit';
import { startTestServer, TestConversation } from './helpers/server';

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
