/**
 * Authentication: proves that with an app id configured (SingleTenant), a
 * POST to /api/messages without valid Bot Framework credentials is refused
 * with 401, quickly, before any handler runs and before any outbound call:
 * no Authorization header, malformed headers, and self-signed tokens that
 * are expired, not yet valid, HMAC-signed or unsigned.
 *
 * "Reached no handler" is checked three ways: a sinon spy on PlanBot.run, no
 * reply in the body, and no row written (each refused request carries a valid
 * update form and an unanswerable question, which would add a submission and
 * an unanswered-question row). Outbound calls are caught by stubbing
 * http.request and https.request, which the SDK's fetches go through.
 *
 * Controls show the checks can fail: a token signed with a key the SDK
 * trusts gets 200 and saves the update; the same key with a bad signature,
 * the wrong audience or an expired lifetime gets 401. No network is used.
 *
 * Every refusal is logged once, through the logger (pino), without a stack;
 * nothing is printed to the console. Signing keys that could not be fetched
 * are not fetched again for KEY_FETCH_RETRY_MS, however many tokens arrive.
 * (Production without an app id refusing to start is in config.test.ts.)
 */
import { expect } from 'chai';
import sinon, { type SinonSpy, type SinonStub } from 'sinon';
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { PlanBot } from '../bot/teamsBot';
import { AUTH_LIMITS, ReusingAuthentication, tokenRefusal } from '../bot/auth';
import type { TurnContext } from 'botbuilder';
import { TestConversation } from './helpers/server';
import { startRecordingServer, type RecordingServer } from './helpers/recording';
import { channelClaims, forgetKeys, jwt, rsaKeyPair, trustKey } from './helpers/botAuth';

const APP_ID = '3f6c2a4e-8d1b-4c7e-9a2f-5b0d1e2c3a4b';
const TENANT_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const SERVICE_URL = 'http://127.0.0.1:9/unused';
const KID = 'plan-assistant-test-key';

describe('authentication with an app id configured', function () {
  this.timeout(30_000);
  let s: RecordingServer;
  let run: SinonSpy;
  let outbound: SinonStub[];
  let consoleCalls: SinonStub[];
  const figures = { refused: 0, handlerCalls: 0, outboundCalls: 0, rowsWritten: 0, slowestMs: 0 };
  /** Printed after the suite: the tests themselves check that nothing reaches the console. */
  const notes: string[] = [];
  const trusted = rsaKeyPair();
  const stranger = rsaKeyPair();

  before(async () => {
    s = await startRecordingServer({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT_ID, RATE_LIMIT_BURST: '1000' });
  });
  after(async () => {
    forgetKeys();
    await s?.stop();
    for (const n of notes) console.log(`      ${n}`);
    console.log(`      auth: ${figures.refused} bad credentials → ${figures.refused}× 401, ${figures.handlerCalls} handler calls, ${figures.outboundCalls} outbound calls, ${figures.rowsWritten} rows written, slowest ${figures.slowestMs.toFixed(0)} ms`);
  });
  beforeEach(() => {
    forgetKeys(); // nothing cached: checking any signature would need a fetch
    run = sinon.spy(PlanBot.prototype, 'run');
    const blocked = () => {
      throw new Error('outbound call blocked by the test');
    };
    outbound = [sinon.stub(https, 'request').callsFake(blocked), sinon.stub(http, 'request').callsFake(blocked)];
    // The SDK printed every refusal (its stack, or the signing keys) to the console: nothing may reach it now.
    // (console.error itself is left alone: the bot filters what the SDK prints through it, which then goes to stderr.)
    consoleCalls = [sinon.stub(process.stderr, 'write'), sinon.stub(console, 'warn'), sinon.stub(console, 'log')];
    s.logs.splice(0);
  });
  afterEach(function () {
    const printed = consoleCalls.flatMap((c) => c.getCalls().map((call) => String(call.args[0]).slice(0, 120)));
    sinon.restore();
    if (this.currentTest?.state === 'passed') expect(printed, 'printed to the console').to.deep.equal([]);
  });

  /** The refusals logged since the test began: one line each, through the logger, no stack. */
  function refusalsLogged(): Record<string, unknown>[] {
    const lines = s.logs.filter((l) => /not authenticated/.test(l.msg));
    for (const l of lines) expect(JSON.stringify(l), 'a refusal logged with a stack').not.to.match(/"stack"|\n\s+at /);
    return lines;
  }

  const outboundCalls = () => outbound.reduce((n, o) => n + o.callCount, 0);
  function rows(): { submissions: number; unanswered: number; state: number } {
    const count = (table: string) => (s.app.db!.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { submissions: count('submissions'), unanswered: count('unanswered'), state: count('bot_state') };
  }

  /** A valid form submission and an unanswerable question, each of which writes a row when it is processed. */
  function activities(c: TestConversation) {
    return [
      c.activity({ value: { action: 'confirmUpdateForm', formId: randomUUID(), itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' } }),
      c.activity({ text: 'what % of household waste was recycled in 2019/20?', serviceUrl: SERVICE_URL }),
    ];
  }

  async function post(activity: Record<string, unknown>, authorization?: string) {
    const t0 = performance.now();
    const res = await fetch(s.base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) }, body: JSON.stringify(activity) });
    return { status: res.status, body: await res.text(), ms: performance.now() - t0 };
  }

  const now = () => Math.floor(Date.now() / 1000);
  const bad: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['"Bearer abc"', () => 'Bearer abc'],
    ['"Basic xyz"', () => 'Basic xyz'],
    ['"Bearer " with no token', () => 'Bearer '],
    ['an expired self-signed RS256 token', () => `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -7200, -3600), { alg: 'RS256', key: stranger.privateKey, kid: KID })}`],
    ['an expired HS256 token', () => `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -7200, -3600), { alg: 'HS256', secret: 'x' })}`],
    ['an HS256 token that has not expired', () => `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'HS256', secret: 'x' })}`],
    ['an unsigned ("alg": "none") token', () => `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'none' })}`],
    ['a token valid only from tomorrow', () => `Bearer ${jwt({ ...channelClaims(APP_ID, SERVICE_URL, 86_400, 90_000), iat: now() }, { alg: 'RS256', key: stranger.privateKey, kid: KID })}`],
  ];
  for (const [what, header] of bad) {
    it(`refuses ${what} with 401, before any handler or outbound call`, async () => {
      const c = new TestConversation(s.base);
      const before = rows();
      for (const a of activities(c)) {
        const r = await post(a, header());
        expect(r.status, r.body).to.equal(401);
        expect(r.body).not.to.include('activities');
        expect(r.ms, 'refused quickly').to.be.below(2000);
        figures.refused++;
        figures.slowestMs = Math.max(figures.slowestMs, r.ms);
      }
      figures.handlerCalls += run.callCount;
      figures.outboundCalls += outboundCalls();
      const after = rows();
      figures.rowsWritten += after.submissions + after.unanswered + after.state - before.submissions - before.unanswered - before.state;
      expect(run.callCount, 'PlanBot.run calls').to.equal(0);
      expect(outboundCalls(), 'outbound HTTP calls').to.equal(0);
      expect(after).to.deep.equal(before);
      expect(refusalsLogged(), 'one log line per refused request').to.have.length(activities(c).length);
    });
  }

  it('control: a token signed with a trusted key is accepted and saves the update, with no outbound call', async () => {
    trustKey(KID, trusted.publicKey);
    const c = new TestConversation(s.base);
    const [form] = activities(c);
    const before = rows();
    const r = await post(form, `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: trusted.privateKey, kid: KID })}`);
    expect(r.status, r.body).to.equal(200);
    expect(r.body).to.include('Saved.');
    expect(run.callCount).to.equal(1);
    expect(rows().submissions).to.equal(before.submissions + 1);
    expect(outboundCalls(), 'outbound HTTP calls').to.equal(0);
  });

  it('authenticated turns share one ConnectorClient and one UserTokenClient: nothing of the kind is built per turn', async () => {
    trustKey(KID, trusted.publicKey);
    const c = new TestConversation(s.base);
    const token = `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: trusted.privateKey, kid: KID })}`;
    // Read during the turn: the SDK revokes a TurnContext when its turn ends.
    const clients: { connector: object; userToken: object }[] = [];
    run.restore();
    const inner = PlanBot.prototype.run;
    run = sinon.stub(PlanBot.prototype, 'run').callsFake(function (this: PlanBot, context: TurnContext) {
      const adapter = context.adapter as unknown as { ConnectorClientKey: symbol; UserTokenClientKey: symbol };
      clients.push({ connector: context.turnState.get(adapter.ConnectorClientKey) as object, userToken: context.turnState.get(adapter.UserTokenClientKey) as object });
      return inner.call(this, context);
    });
    for (let i = 0; i < 3; i++) {
      const r = await post(c.activity({ text: 'hello', serviceUrl: SERVICE_URL }), token);
      expect(r.status, r.body).to.equal(200);
    }
    expect(clients).to.have.length(3);
    expect(clients[0].connector).to.be.an('object');
    expect(clients[0].userToken).to.be.an('object');
    for (const x of clients.slice(1)) {
      expect(x.connector, 'the same ConnectorClient').to.equal(clients[0].connector);
      expect(x.userToken, 'the same UserTokenClient').to.equal(clients[0].userToken);
    }
    expect(outboundCalls(), 'outbound HTTP calls').to.equal(0);
  });

  it('control: with that key trusted, a forged signature, the wrong audience or an expired token is still 401 (not 500)', async () => {
    trustKey(KID, trusted.publicKey);
    const c = new TestConversation(s.base);
    const cases: [string, string][] = [
      ['signed by another key', jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: stranger.privateKey, kid: KID })],
      ['for another app', jwt(channelClaims(randomUUID(), SERVICE_URL, -60, 3600), { alg: 'RS256', key: trusted.privateKey, kid: KID })],
      ['expired', jwt(channelClaims(APP_ID, SERVICE_URL, -7200, -3600), { alg: 'RS256', key: trusted.privateKey, kid: KID })],
      ['for another serviceUrl', jwt(channelClaims(APP_ID, 'https://smba.trafficmanager.net/uk/', -60, 3600), { alg: 'RS256', key: trusted.privateKey, kid: KID })],
    ];
    for (const [what, token] of cases) {
      const r = await post(activities(c)[0], `Bearer ${token}`);
      expect(r.status, `${what}: ${r.body}`).to.equal(401);
    }
    expect(run.callCount).to.equal(0);
    expect(outboundCalls()).to.equal(0);
    expect(refusalsLogged(), 'one log line per refused request').to.have.length(cases.length);
  });

  it('control: a well-formed token with an unknown key makes the SDK fetch the keys (so "0 outbound calls" above is meaningful); with the keys unreachable it is 401, not 500, and reaches no handler', async () => {
    const r = await post(activities(new TestConversation(s.base))[0], `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: stranger.privateKey, kid: KID })}`);
    notes.push(`auth: unverifiable token with the signing keys unreachable → ${r.status} after ${r.ms.toFixed(0)} ms (${outboundCalls()} outbound attempt, blocked)`);
    expect(outboundCalls()).to.be.at.least(1);
    expect(r.status, r.body).to.equal(401);
    expect(r.body).not.to.include('outbound call blocked');
    // Why, for whoever runs the bot: at warn, with the fetch's error.
    const warned = s.logs.filter((l) => l.level === 40 && /token could not be checked/.test(l.msg));
    expect(warned, 'a warning saying why').to.have.length(1);
    expect(String(warned[0].reason)).to.include('outbound call blocked');
    expect(r.body).not.to.include('Saved.');
    expect(run.callCount).to.equal(0);

    // A flood of such tokens: the failed fetch is remembered, so none of them fetches again, and the reason is warned about once.
    const fetched = outboundCalls();
    for (let i = 0; i < 20; i++) expect((await post(activities(new TestConversation(s.base))[0], `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: stranger.privateKey, kid: `${KID}-${i}` })}`)).status).to.equal(401);
    expect(outboundCalls(), 'fetches after the first failure').to.equal(fetched);
    expect(s.logs.filter((l) => l.level === 40 && /token could not be checked/.test(l.msg)), 'the reason, once').to.have.length(1);
    expect(refusalsLogged()).to.have.length(21);
    notes.push(`auth: then 20 more such tokens → 20× 401, ${outboundCalls() - fetched} fetches (the failure is remembered ${AUTH_LIMITS.keyFetchRetryMs / 1000} s)`);
  });

  it('jsonwebtoken reads tokens: tokenRefusal on claims it decodes', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(tokenRefusal(`Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -7200, -3600), { alg: 'RS256', key: stranger.privateKey, kid: KID })}`, now)).to.equal('The token has expired');
    expect(tokenRefusal(`Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'HS256', secret: 'x' })}`, now)).to.equal('Token signing algorithm not allowed');
    expect(tokenRefusal(`Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, -60, 3600), { alg: 'RS256', key: stranger.privateKey, kid: KID })}`, now)).to.equal(undefined);
    expect(tokenRefusal('Bearer not.a.jwt', now)).to.equal(undefined);
    expect(tokenRefusal(`Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('[1,2]').toString('base64url')}.x`, now)).to.equal(undefined);
  });
});

describe('ReusingAuthentication (anonymous mode, as local runs and the benchmark use it)', () => {
  const auth = () => new ReusingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' });
  const activity = (serviceUrl: string) => ({ type: 'message', channelId: 'msteams', serviceUrl, conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }) as never;

  it('one ConnectorClient per service URL and audience, one UserTokenClient, across requests', async () => {
    const a = auth();
    const made = await Promise.all(['https://smba.example/uk/', 'https://smba.example/uk/', 'https://smba.example/emea/'].map(async (url) => {
      const r = await a.authenticateRequest(activity(url), '');
      return { connector: await r.connectorFactory!.create(url, r.audience), userToken: await a.createUserTokenClient(r.claimsIdentity), claims: r.claimsIdentity, audience: r.audience };
    }));
    expect(made[1].connector).to.equal(made[0].connector);
    expect(made[2].connector).to.not.equal(made[0].connector);
    expect(made[1].userToken).to.equal(made[0].userToken);
    expect(made[2].userToken).to.equal(made[0].userToken);
    // Proactive messages get their factory another way (createConnectorFactory): the same clients.
    expect(await a.createConnectorFactory(made[0].claims).create('https://smba.example/uk/', made[0].audience)).to.equal(made[0].connector);
    // Another audience is another client.
    expect(await a.createConnectorFactory(made[0].claims).create('https://smba.example/uk/', 'https://api.example/other')).to.not.equal(made[0].connector);
    // A separate authentication object keeps its own.
    const b = auth();
    const rb = await b.authenticateRequest(activity('https://smba.example/uk/'), '');
    expect(await rb.connectorFactory!.create('https://smba.example/uk/', rb.audience)).to.not.equal(made[0].connector);
  });
});
