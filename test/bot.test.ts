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
      expect(text(a)).to.include('Summarise priority 2 for the county');
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

  it('keeps the last answer in conversation state for follow-ups', async () => {
    await adapter.send('self-harm admissions 10-24 in the city').assertReply(() => undefined);
    await adapter.send('who leads it?').assertReply((a) => expect(a.text).to.include('Claire Tagg'));
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
