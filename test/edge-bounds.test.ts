/**
 * Depth and size bounds at the HTTP edge, on every object the bot echoes or
 * stores. Nesting 10,000 deep in from, conversation, recipient, channel data,
 * value (or anywhere else in the activity) is a 400 with a short JSON body,
 * never a 500; so is a sender, conversation or recipient bigger than its
 * bound. A reply never echoes the client's objects back wholesale: its from,
 * recipient and conversation are rebuilt from the validated, bounded fields.
 * And nothing of a request's body reaches the logs, including restify's own
 * logger and formatter paths, at any log level (a real process at trace).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ACTIVITY_BOUNDS } from '../bot/incoming';
import { startBotProcess, type BotProcess } from './helpers/process';
import { TestConversation } from './helpers/server';

/** JSON text of `inner` nested `depth` deep in objects and arrays, built as text (JSON.stringify would overflow). */
export function deepJson(depth: number, inner = '"deep"'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"a":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return open + inner + close;
}

const MARKER = `body-marker-${randomUUID()}`;

describe('depth and size bounds at the edge, and no body in the logs (real process, LOG_LEVEL=trace)', function () {
  this.timeout(120_000);
  let bot: BotProcess;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-edge-bounds-'));
    bot = await startBotProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'trace', RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' });
  });
  after(async () => {
    await bot?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function postText(body: string) {
    const res = await fetch(bot.base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.text() };
  }

  /** A valid activity's JSON with `field` replaced by `json` (raw JSON text). */
  function withField(field: string, json: string): string {
    const c = new TestConversation(bot.base);
    const a = c.activity({ text: `what is the latest CAMHS waiting time ${MARKER}`, value: { narrative: `Narrative ${MARKER}` } });
    const placeholder = `"__${randomUUID()}__"`;
    (a as Record<string, unknown>)[field] = JSON.parse(placeholder);
    return JSON.stringify(a).replace(placeholder, json);
  }

  const DEEP = deepJson(10_000);
  const cases: [string, string][] = [
    ['from', `{"id":"29:deep","name":"Deep","aadObjectId":"${randomUUID()}","x":${DEEP}}`],
    ['conversation', `{"id":"conv-deep","conversationType":"personal","x":${DEEP}}`],
    ['recipient', `{"id":"bot","name":"Plan assistant","x":${DEEP}}`],
    ['channelData', `{"tenant":{"id":"t1"},"x":${DEEP}}`],
    ['value', DEEP],
    ['entities', `[${DEEP}]`],
    ['attachments', `[{"contentType":"application/json","content":${DEEP}}]`],
    ['somethingElse', DEEP],
  ];
  for (const [field, json] of cases) {
    it(`nesting 10,000 deep in ${field}: 400 with a short JSON body`, async () => {
      const r = await postText(withField(field, json));
      expect(r.status, r.body).to.equal(400);
      expect(r.body.length, r.body).to.be.below(300);
      expect(JSON.parse(r.body)).to.have.property('error', 'bad_request');
      expect(r.body).not.to.include(MARKER);
    });
  }

  for (const field of ['from', 'conversation', 'recipient'] as const) {
    it(`a ${field} bigger than ${ACTIVITY_BOUNDS[field].bytes.toLocaleString('en-GB')} bytes: 400`, async () => {
      const base = field === 'from' ? '{"id":"29:big","name":"Big"' : field === 'conversation' ? '{"id":"conv-big","conversationType":"personal"' : '{"id":"bot"';
      const r = await postText(withField(field, `${base},"pad":"${'x'.repeat(ACTIVITY_BOUNDS[field].bytes)}"}`));
      expect(r.status, r.body).to.equal(400);
      expect(r.body.length).to.be.below(300);
    });
  }

  it('a reply echoes none of the extra fields the client put in from, recipient and conversation', async () => {
    const c = new TestConversation(bot.base);
    const a = c.activity({ text: 'help' }) as Record<string, Record<string, unknown>>;
    a.from = { ...a.from, extra: `from-${MARKER}`, role: 'user' };
    a.recipient = { ...a.recipient, extra: `recipient-${MARKER}` };
    a.conversation = { ...a.conversation, extra: `conversation-${MARKER}`, nested: { c: MARKER } };
    const r = await c.post(a);
    expect(r.status).to.equal(200);
    expect(r.replies.length).to.be.above(0);
    expect(r.body).not.to.include(MARKER);
    const reply = JSON.parse(r.body).activities[0] as { from: Record<string, unknown>; recipient: Record<string, unknown>; conversation: Record<string, unknown> };
    expect(reply.recipient).to.deep.include({ id: c.user.id });
    expect(reply.conversation).to.deep.include({ id: c.id });
  });

  it('logged nothing of any request body, at trace, through the bot\'s logger or restify\'s', () => {
    const log = bot.log();
    expect(log.length, 'something was logged at trace').to.be.above(0);
    expect(log).not.to.include(MARKER);
    expect(log).not.to.include('"a":{"a"');
    expect(log).not.to.match(/\[\[\[\[/);
  });
});
