/**
 * One escaping path for every reply that quotes what a user typed, in the
 * guided dialog and on the card form alike. The same hostile strings, a
 * Markdown link, bold, a Teams mention tag, a right-to-left override and a NUL,
 * are sent at every step of the dialog (item, value, period, status,
 * evidence) and in every field of the form, over HTTP to the real server;
 * nothing that Teams would render as a link, emphasis or a mention, and no
 * bidi control or NUL, comes back in any reply's text or card text.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { startTestServer, TestConversation, type Reply, type TestServer } from './helpers/server';

export const HOSTILE = ['[Sign in](https://evil.example)', '**bold**', '<at>Rita Reviewer</at>', 'on track\u202E kcart no', 'Q3 2017/18\u0000 [x](http://evil.example)'];

/**
 * What Teams renders of a reply: its text, and its cards' TextBlocks and facts (Markdown). Inputs' own
 * values and buttons' data are not rendered as Markdown, so they are not read here.
 */
export function renderedText(r: Reply): string {
  const parts: string[] = r.text ? [r.text] : [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') parts.push(o.text);
      if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as { title?: string; value?: string }[]) parts.push(`${f.title ?? ''}: ${f.value ?? ''}`);
      for (const [k, x] of Object.entries(o)) if (k !== 'data' && !(typeof o.type === 'string' && o.type.startsWith('Input.') && k === 'value')) walk(x);
    }
  };
  for (const a of r.attachments ?? []) walk(a.content);
  return parts.join('\n');
}

/** Fails if Teams would render any of it as a link, emphasis or a mention, or it holds a bidi control or NUL. */
export function expectInert(text: string, where: string): void {
  expect(text, `${where}: a Markdown link`).not.to.match(/\]\s*\(\s*https?:/i);
  expect(text, `${where}: bold`).not.to.include('**');
  expect(text, `${where}: a mention tag`).not.to.match(/<\/?at>/i);
  expect(text, `${where}: a bidi control`).not.to.match(/[\u202A-\u202E\u2066-\u2069]/);
  expect(text, `${where}: NUL`).not.to.include('\u0000');
}

describe('hostile text is quoted inert at every dialog step and on the form (HTTP)', function () {
  this.timeout(120_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' });
  });
  after(async () => s?.stop());

  /** A lead at a given step of the dialog: the answers that get there from "update on self-harm admissions in the city". */
  const ROUTE: Record<string, string[]> = {
    item: ['submit an update'],
    value: ['update on self-harm admissions in the city', 'yes'],
    period: ['update on self-harm admissions in the city', 'yes', '40'],
    status: ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18'],
    narrative: ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'on track'],
    evidence: ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'on track', 'Clinics are running in twelve schools now.'],
  };

  for (const [step, route] of Object.entries(ROUTE)) {
    it(`at the ${step} step`, async () => {
      for (const hostile of HOSTILE) {
        const lead = new TestConversation(s.base, { id: `29:${randomUUID()}`, name: 'Claire Tagg', aadObjectId: randomUUID() });
        for (const text of route) await lead.say(text);
        const r = await lead.post(lead.activity({ text: hostile }));
        expect(r.status).to.equal(200);
        expect(r.replies.length, `${step}: a reply to ${JSON.stringify(hostile)}`).to.be.above(0);
        for (const reply of r.replies) expectInert(renderedText(reply), `${step} ← ${JSON.stringify(hostile)}`);
        // Three wrong answers in a row end the dialog with the last message quoted: inert too.
        for (let i = 0; i < 3; i++) for (const reply of (await lead.post(lead.activity({ text: hostile }))).replies) expectInert(renderedText(reply), `${step} ← ${JSON.stringify(hostile)} again`);
      }
    });
  }

  it('and through to the confirmation card and "Saved."', async () => {
    const lead = new TestConversation(s.base, { id: `29:${randomUUID()}`, name: '[Lead](https://evil.example) \u202E**x**', aadObjectId: randomUUID() });
    for (const text of ROUTE.evidence) await lead.say(text);
    const check = await lead.post(lead.activity({ text: HOSTILE[0] }));
    const saved = await lead.post(lead.activity({ text: 'confirm' }));
    for (const reply of [...check.replies, ...saved.replies]) expectInert(renderedText(reply), 'confirm and saved');
    expect(saved.replies.map(renderedText).join('\n')).to.include('Saved.');
    for (const reply of (await lead.say('my updates')).replies) expectInert(renderedText(reply), 'my updates');
  });

  it('on the form, in every field', async () => {
    const lead = new TestConversation(s.base, { id: `29:${randomUUID()}`, name: 'Claire Tagg', aadObjectId: randomUUID() });
    for (const hostile of HOSTILE) {
      for (const field of ['itemId', 'value', 'period', 'status', 'narrative', 'reason', 'recovery', 'evidence']) {
        const value = { action: 'confirmUpdateForm', formId: randomUUID(), itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'off track', narrative: 'Clinics are running in twelve schools now.', reason: 'Staff.', recovery: 'Hiring.', [field]: hostile };
        const r = await lead.post(lead.activity({ value }));
        expect(r.status).to.equal(200);
        for (const reply of r.replies) expectInert(renderedText(reply), `form ${field} ← ${JSON.stringify(hostile)}`);
      }
    }
  });
});
