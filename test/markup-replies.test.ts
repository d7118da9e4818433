/**
 * Markup a user supplies (a display name, a review comment) is shown inert in
 * the bot's plain-text replies as well as in its cards: Teams renders message
 * text as Markdown (and some HTML), so "Returned update … to [click](http://…)"
 * would be a live link. Through the TestAdapter with the real plans and a real
 * SQLite store; the reminder and chase texts directly.
 */
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { chaseSummary, reminderText } from '../bot/reminderCards';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import type { Reminder } from '../updates/reminders';

const HOSTILE_NAME = '[click](http://evil.example) **x**';
const MALLORY = { id: 'mallory', name: HOSTILE_NAME, aadObjectId: 'mallory-aad' };
const RITA = { id: 'rev-1', name: 'Rita <b>Boss</b> [me](https://evil.example/r) __u__', aadObjectId: 'rev-1' };
const COMMENT = 'Please redo **now**: [details](http://evil.example/d) `code` <a href="http://evil.example">here</a>';

/** Fails if the text holds Markdown or HTML that would render: a link, emphasis, code or a tag. */
function expectInert(text: string, what: string) {
  expect(text, `${what}: a Markdown link`).not.to.match(/\]\s*\(\s*https?:/);
  expect(text, `${what}: Markdown emphasis`).not.to.match(/\*\*|__/);
  expect(text, `${what}: Markdown code`).not.to.include('`');
  expect(text, `${what}: an HTML tag`).not.to.match(/<\/?[a-z][^>]*>/i);
}

describe('markup from users is inert in text replies and cards', () => {
  let f: UpdatesFixture;
  let adapter: TestAdapter;

  beforeEach(() => {
    f = updatesFixture(['rev-1']);
    const { answerer, summariser } = realKnowledge();
    const bot = new PlanBot({ answerer, summariser, conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger() });
    adapter = new TestAdapter(async (ctx) => bot.run(ctx));
  });
  afterEach(() => f.close());

  /** Sends one activity as `from` and returns the replies it produced. */
  async function turn(from: typeof MALLORY, extra: Partial<Activity>): Promise<Partial<Activity>[]> {
    adapter.activeQueue.splice(0);
    await adapter.send({ type: 'message', from, ...extra });
    return adapter.activeQueue.splice(0);
  }
  const textOf = (rs: Partial<Activity>[]) => rs.map((r) => r.text ?? '').join('\n');
  const cardsOf = (rs: Partial<Activity>[]) => rs.flatMap((r) => (r.attachments ?? []).map((a) => JSON.stringify(a.content)));

  it('escapes the submitter\'s name and the reviewer\'s name and comment in "Returned update", review and "my updates"', async () => {
    const saved = await turn(MALLORY, {
      value: { action: 'confirmUpdateForm', formId: 'markup-form-1', itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' },
    });
    expect(textOf(saved)).to.include('Saved.');

    const review = await turn(RITA, { text: 'review updates' });
    const reviewCard = cardsOf(review).find((c) => c.includes('reviewUpdate'));
    expect(reviewCard, 'the review card').to.be.a('string');
    expect(reviewCard).to.include('click').and.include('evil.example');
    expectInert(reviewCard!, 'review card');
    const id = (JSON.parse(reviewCard!) as { actions: { data: { id: string } }[] }).actions[0].data.id;

    const returned = await turn(RITA, { value: { action: 'reviewUpdate', id, decision: 'returned', comment: COMMENT } });
    const said = textOf(returned);
    expect(said).to.match(/^Returned update \w+ to .*click.*evil\.example.* with your comment\.$/);
    expectInert(said, '"Returned update" message');

    // Deciding again: "already returned by <reviewer>".
    const again = textOf(await turn(RITA, { value: { action: 'reviewUpdate', id, decision: 'approved' } }));
    expect(again).to.include('already returned by').and.include('Rita').and.include('Boss');
    expectInert(again, '"already decided" message');

    const mine = await turn(MALLORY, { text: 'my updates' });
    const mineCard = cardsOf(mine).join('\n');
    expect(visibleText(mine.find((r) => r.attachments?.length) as never)).to.include('Please redo').and.include('details').and.include('Rita');
    expect(mineCard, 'the comment reaches the card').to.include('evil.example');
    // Cards: links and emphasis neutralised (an Adaptive Card TextBlock renders Markdown, not HTML).
    expect(mineCard).not.to.match(/\]\s*\(\s*https?:/);
    expect(mineCard).not.to.match(/\*\*|__|`/);
    expectInert(textOf(mine), '"my updates" text');
  });

  it('stores review comments and display names without bidi controls or NUL', async () => {
    const sneaky = { id: 'sneaky', name: 'Eve\u202Elivinnoc\u0000 \u2066x\u2069', aadObjectId: 'sneaky-aad' };
    await turn(sneaky, { value: { action: 'confirmUpdateForm', formId: 'bidi-form-1', itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' } });
    const [pending] = await f.store.pending(1);
    expect(pending.submitter.name).to.equal('Evelivinnoc x');
    await turn({ ...RITA, name: 'Rita\u202D\u0000' }, { value: { action: 'reviewUpdate', id: pending.id, decision: 'returned', comment: 'Please \u202Eredo\u202C the\u0000 figure \u2067now\u2069.' } });
    const reviewed = await f.store.get(pending.id);
    expect(reviewed?.reviewComment).to.equal('Please redo the figure now.');
    expect(reviewed?.reviewer?.name).to.equal('Rita');
    const audit = JSON.stringify(f.store.auditTrail(5));
    expect(audit).not.to.match(/[\u202A-\u202E\u2066-\u2069\u0000]|\\u0000|\\u202e/i);
  });

  it('escapes the display name in "what\'s due from me"', async () => {
    const r = textOf(await turn(MALLORY, { text: "what's due from me" }));
    expect(r).to.include('click').and.include('evil.example');
    expectInert(r, 'due list reply');
  });

  it('escapes names in the chase summary and in the reminder text', () => {
    const summary = chaseSummary({ late: 3, sent: [{ to: { name: HOSTILE_NAME }, items: [1] }], alreadyChased: [{ name: RITA.name }], failed: [{ to: { name: HOSTILE_NAME } }], unreachable: [HOSTILE_NAME], noAccount: [HOSTILE_NAME], noContact: [HOSTILE_NAME], withoutLead: 0 });
    expect(summary).to.include('click').and.include('Boss');
    expectInert(summary, 'chase summary');
    const reminder = { to: { id: 'x', name: HOSTILE_NAME }, chasedBy: { id: 'rev-1', name: RITA.name }, items: [{ kind: 'overdue', due: { due: '2018-04-30', item: { leads: ['Claire Tagg'], organisations: [] } } }], on: new Date(), leads: new Set(['claire tagg']) } as unknown as Reminder;
    const text = reminderText(reminder);
    expect(text).to.include('Rita');
    expectInert(text, 'reminder text');
  });
});
