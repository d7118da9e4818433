/**
 * The Teams handler through botbuilder's TestAdapter: @mention stripping,
 * welcome, help, "none of these", follow-ups and the error path. The
 * knowledge and stores are real; the channel is the TestAdapter.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { createAdapter } from '../bot/server';
import { loadConfig } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import { validateCard } from './helpers/adaptiveCard';
import { answerCard, helpCard, notFoundCard } from '../bot/cards';
import { confirmCard, reviewCard, updateFormCard } from '../bot/updateCards';
import { lateListCard, nothingToCarryCard } from '../bot/reminderCards';
import { idempotencyKey, reference } from '../updates/service';

type Data = Record<string, unknown>;

/** The data of every Action.Submit or Action.Execute in a card (nested ShowCards too), by button title. */
function submits(card: unknown): Map<string, Data> {
  const out = new Map<string, Data>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Data;
      if (o.type === 'Action.Submit' || o.type === 'Action.Execute') out.set(String(o.title), (o.data ?? {}) as Data);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
const cardOf = (a: Partial<Activity>) => a.attachments?.[0]?.content as Data;

/** Property names in button data that Agents Playground 0.2.x's card renderer fails on (the button then sends nothing). */
function unsendable(data: Data): string[] {
  const bad: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'msteams' || k === 'key') bad.push(`${path}.${k}`);
      walk(x, `${path}.${k}`);
    }
  };
  walk(data, 'data');
  return bad;
}

describe('PlanBot (TestAdapter)', () => {
  let f: UpdatesFixture;
  let unanswered: MemoryUnansweredLog;
  let state: ConversationState;
  let bot: PlanBot;
  let adapter: TestAdapter;
  const replies: Partial<Activity>[] = [];

  beforeEach(() => {
    f = updatesFixture();
    unanswered = new MemoryUnansweredLog();
    state = new ConversationState(new MemoryStorage());
    const { answerer, summariser } = realKnowledge();
    bot = new PlanBot({ answerer, summariser, conversationState: state, unanswered, updates: f.service, logger: silentLogger() });
    adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    replies.length = 0;
  });
  afterEach(() => f.close());

  const text = (a: Partial<Activity>) => visibleText(a as never);

  it('answers help with the card of what it can do', async () => {
    await adapter.send('help').assertReply((a) => {
      expect(a.attachments?.[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(text(a)).to.include('Summarise priority 2 of the CYPF plan');
    });
  });

  it('strips the @mention before reading the question', async () => {
    await adapter
      .send({ type: 'message', text: '<at>Plan assistant</at> whats TETC', entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Plan assistant' }, text: '<at>Plan assistant</at>' }], recipient: { id: 'bot', name: 'Plan assistant' } })
      .assertReply((a) => expect(a.text).to.include('Tackling Emerging Threats to Children'));
  });

  it('welcomes people added to the conversation, but not itself', async () => {
    await adapter
      .send({ type: 'conversationUpdate', membersAdded: [{ id: 'new-person', name: 'New' }], recipient: { id: 'bot', name: 'Bot' } })
      .assertReply((a) => expect(a.text).to.include("I'm the plan assistant"));
    const before = adapter.activeQueue.length;
    await adapter.send({ type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Bot' }], recipient: { id: 'bot', name: 'Bot' } });
    expect(adapter.activeQueue.length).to.equal(before);
  });

  it('records unanswered questions and "none of these"', async () => {
    await adapter.send('what is the price of fish in grimsby').assertReply((a) => expect(a.text).to.match(/couldn't find/));
    await adapter.send({ type: 'message', value: { action: 'noneOfThese', question: 'what is the price of fish in grimsby' } }).assertReply((a) => expect(a.text).to.include("I've noted that"));
    expect(unanswered.entries.map((e) => e.reason)).to.deep.equal(['notFound', 'noneOfThese']);
  });

  it('records a near miss (a qualifier the plans do not have) as unanswered, after saying so first', async () => {
    await adapter.send('avg wait from CAMHS referral to assessment in notts?').assertReply((a) => expect(a.text).to.match(/^The plans don't have a figure for "assessment"/));
    expect(unanswered.entries.map((e) => e.question)).to.include('avg wait from CAMHS referral to assessment in notts?');
  });

  it('keeps the last answer in conversation state for follow-ups', async () => {
    await adapter.send('self-harm admissions 10-24 in the city').assertReply(() => undefined);
    await adapter.send('who leads it?').assertReply((a) => expect(a.text).to.include('Claire Tagg'));
  });

  it("puts an answer's follow-ups on its card as buttons that ask them, in the answer's context, and says the answer once", async () => {
    let trend: Data | undefined;
    await adapter.send('what is the latest CAMHS waiting time').assertReply((a) => {
      // One message: the sentence as its text, the card below; the follow-ups only as the card's buttons.
      expect(a.suggestedActions).to.equal(undefined);
      const card = cardOf(a);
      expect(validateCard(card)).to.deep.equal([]);
      const buttons = submits(card);
      expect([...buttons.keys()]).to.include('Show the trend');
      // The card does not say the sentence again, nor offer what it already shows (its lead, its target).
      expect(JSON.stringify(card)).not.to.include(a.text!.slice(0, 60));
      trend = buttons.get('Show the trend');
      expect(trend).to.deep.equal({ action: 'ask', text: 'Show the trend' });
    });
    // Pressed: answered as if "Show the trend" had been typed, about the answer it came with.
    await adapter.send({ type: 'message', value: trend }).assertReply((a) => expect(a.text).to.include('Figures in the plan: 10.9 weeks (April)'));
  });

  it('asks the help card\'s example questions when they are pressed, as if typed', async () => {
    let example: Data | undefined;
    await adapter.send('help').assertReply((a) => {
      example = submits(cardOf(a)).get('Who leads on breastfeeding?');
      expect(example).to.deep.equal({ action: 'ask', text: 'Who leads on breastfeeding?' });
    });
    await adapter.send({ type: 'message', value: example }).assertReply((a) => expect(a.text).to.include('Helene Denness'));
    // "Submit an update" from the help card starts the update dialog, as typing it does.
    await adapter.send({ type: 'message', value: { action: 'ask', text: 'Submit an update' } }).assertReply((a) => expect(visibleText(a as never)).to.include('Which activity or indicator is this update for?'));
    // A button with nothing to ask is an unrecognised button, not an empty question.
    await adapter.send({ type: 'message', value: { action: 'ask', text: '   ' } }).assertReply((a) => expect(a.text).to.include("I didn't recognise that button"));
  });

  it('sends no button whose data Agents Playground cannot send (msteams, or a property named key)', async () => {
    const { answerer } = realKnowledge();
    const item = f.service.item('cy-p1-self-harm')!;
    const draft = { itemId: item.id, value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'Clinics run.' };
    const { submission } = await f.service.submit(draft as never, { id: 'lead-1', name: 'Claire Tagg' }, 'k-1');
    const lateItem = { item, period: { label: 'Q4 2017/18' }, due: '2018-04-30', overdue: true };
    const cards: [string, unknown][] = [
      ['help', helpCard()],
      ['answer', answerCard(answerer.answer('what is the latest CAMHS waiting time'))],
      ['not found', notFoundCard(answerer.answer('camhs waiting time 2019'), 'camhs waiting time 2019')],
      ['confirm', confirmCard(draft as never, item, 'k-2')],
      ['form', updateFormCard('form-1', [item])],
      ['review', reviewCard(submission)],
      ['late list', lateListCard('priority 1', { late: [lateItem], notYetDue: [] } as never, true)],
      ['nothing to carry', nothingToCarryCard(item.title, item.id, 'Q4 2017/18')],
    ];
    for (const [name, card] of cards) {
      const buttons = submits(card);
      expect(buttons.size, name).to.be.above(0);
      for (const [title, data] of buttons) expect(unsendable(data), `${name}: ${title}`).to.deep.equal([]);
    }
    expect(submits(confirmCard(draft as never, item, 'k-2')).get('Confirm')).to.deep.equal({ action: 'dialogStep', updateAction: 'confirm', confirmKey: 'k-2' });
  });

  it('a Confirm pressed again after its update was saved says it was already received, for current cards (confirmKey) and older ones (key), to its submitter only', async () => {
    const draft = { itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'Clinics run.' };
    const lead = { id: 'lead-1', name: 'Claire Tagg' };
    // Saved as the dialog saves it: its key within this conversation (updates/service.ts idempotencyKey).
    const { submission } = await f.service.submit(draft as never, lead, idempotencyKey('dialog', adapter.conversation.conversation.id, 'dialog-key-1'));
    for (const value of [{ updateAction: 'confirm', confirmKey: 'dialog-key-1' }, { updateAction: 'confirm', key: 'dialog-key-1' }]) {
      await adapter.send({ type: 'message', value, from: lead }).assertReply((a) => expect(a.text).to.include(`already received (reference ${reference(submission)})`).and.include('Nothing new was saved'));
      // Someone else pressing it (or replaying its key) learns nothing of it.
      await adapter.send({ type: 'message', value, from: { id: 'someone-else', name: 'Mallory' } }).assertReply((a) => expect(a.text).to.include('conversation that has finished').and.not.include(reference(submission)));
    }
  });

  it('tells the user when an old card button is pressed after its conversation ended', async () => {
    await adapter.send({ type: 'message', value: { updateAction: 'confirm', key: 'no-such-key' } }).assertReply((a) => expect(a.text).to.include('conversation that has finished'));
  });

  it('on a failure, apologises in plain words and clears the conversation state', async () => {
    const config = loadConfig({});
    const cloud = createAdapter(config, silentLogger(), () => state);
    const onTurnError = cloud.onTurnError!;
    const errorAdapter = new TestAdapter(async (ctx) => {
      await state.createProperty('probe').set(ctx, 'something');
      await state.saveChanges(ctx);
      throw new Error('boom');
    });
    errorAdapter.onTurnError = onTurnError;
    const del = sinon.spy(state, 'delete');
    await errorAdapter.send('anything').assertReply((a) => expect(a.text).to.match(/^Sorry, something went wrong on my side/));
    expect(del.calledOnce).to.equal(true);
  });
});
