/**
 * The hosting layer's side of scale-out, through botbuilder's TestAdapter:
 * replies are held until the turn's state commits (also with expectReplies),
 * a conflicting turn is run again a bounded number of times, and a save that
 * fails is never acknowledged: the user is told nothing was saved, and the
 * conversation (a dialog at its confirmation) is kept so trying again works.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { createAdapter, DATABASE_DOWN_MESSAGE } from '../bot/server';
import { loadConfig } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { OptimisticConversationState, runCommitted, MAX_TURN_ATTEMPTS } from '../bot/turnCommit';
import { ETagConflictError, StorageUnavailableError } from '../storage/errors';
import { SaveFailedError } from '../updates/service';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';

const texts = (a: Partial<Activity>[]) => a.map((x) => visibleText(x as never));

/** An incoming message with what the state key needs (channel and conversation). */
function incoming(text: string, extra: Partial<Activity> = {}): Activity {
  return { type: 'message', text, channelId: 'test', conversation: { id: 'conv-1' }, from: { id: 'user-1' }, recipient: { id: 'bot' }, ...extra } as Activity;
}

describe('turns commit their state before they reply', () => {
  it('with expectReplies, replies reach bufferedReplyActivities only after the commit; a failed turn sends none of them', async () => {
    const adapter = new TestAdapter(async () => undefined);
    const state = new OptimisticConversationState(new MemoryStorage());
    const prop = state.createProperty<number>('n');
    const ctx = new TurnContext(adapter, incoming('hi', { deliveryMode: 'expectReplies' }));
    let bufferedAtCommit = -1;
    const save = state.saveChanges.bind(state);
    sinon.stub(state, 'saveChanges').callsFake(async (c, f) => {
      bufferedAtCommit = ctx.bufferedReplyActivities.length;
      return save(c, f);
    });
    await runCommitted(ctx, state, async () => {
      await prop.set(ctx, 1);
      await ctx.sendActivity('one');
      await ctx.sendActivity('two');
    });
    expect(bufferedAtCommit).to.equal(0);
    expect(ctx.bufferedReplyActivities.map((a) => a.text)).to.deep.equal(['one', 'two']);

    const failing = new TurnContext(adapter, incoming('hi', { deliveryMode: 'expectReplies' }));
    let err: unknown;
    await runCommitted(failing, state, async () => {
      await failing.sendActivity('never sent');
      throw new Error('boom');
    }).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('boom');
    expect(failing.bufferedReplyActivities).to.have.length(0);
    // After the turn, sends go straight through (the error path's apology).
    await failing.sendActivity('sorry');
    expect(failing.bufferedReplyActivities.map((a) => a.text)).to.deep.equal(['sorry']);
  });

  it(`a turn that keeps conflicting is run ${MAX_TURN_ATTEMPTS} times, then fails with the conflict and sends nothing`, async () => {
    const adapter = new TestAdapter(async () => undefined);
    const state = new OptimisticConversationState(new MemoryStorage());
    sinon.stub(state, 'saveChanges').rejects(new ETagConflictError('k'));
    const ctx = new TurnContext(adapter, incoming('hi'));
    let runs = 0;
    const err = await runCommitted(ctx, state, async () => {
      runs++;
      await ctx.sendActivity(`run ${runs}`);
    }).catch((e: unknown) => e as Error);
    expect(runs).to.equal(MAX_TURN_ATTEMPTS);
    expect((err as Error).message).to.include('eTag conflict');
    expect(adapter.activeQueue).to.have.length(0);
  });

  it('a new conversation created by two turns at once: the second creator conflicts instead of overwriting', async () => {
    const storage = new MemoryStorage();
    const a = new OptimisticConversationState(storage);
    const b = new OptimisticConversationState(storage);
    const adapter = new TestAdapter(async () => undefined);
    const ca = new TurnContext(adapter, incoming('a'));
    const cb = new TurnContext(adapter, incoming('b'));
    await a.createProperty<string>('who').set(ca, 'a');
    await b.createProperty<string>('who').set(cb, 'b');
    await a.saveChanges(ca);
    const err = await b.saveChanges(cb).catch((e: unknown) => e as Error);
    expect(err?.message).to.match(/eTag conflict/);
    // The winner can save again in the same turn (its store stamped or it falls back to overwrite).
    await a.createProperty<string>('who').set(ca, 'a2');
    await a.saveChanges(ca);
  });
});

describe('a save that fails is not acknowledged (PlanBot + the error path)', () => {
  let f: UpdatesFixture;
  let state: ConversationState;
  let adapter: TestAdapter;
  let del: sinon.SinonSpy;

  beforeEach(() => {
    f = updatesFixture();
    state = new OptimisticConversationState(new MemoryStorage());
    const { answerer, summariser } = realKnowledge();
    const bot = new PlanBot({ answerer, summariser, conversationState: state, unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger() });
    adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    adapter.onTurnError = createAdapter(loadConfig({}), silentLogger(), () => state).onTurnError;
    del = sinon.spy(state, 'delete');
  });
  afterEach(() => {
    sinon.restore();
    f.close();
  });

  async function say(what: string | Partial<Activity>): Promise<string> {
    adapter.activeQueue.length = 0;
    await adapter.send(what);
    return texts(adapter.activeQueue).join('\n');
  }

  const form = { action: 'confirmUpdateForm', formId: 'form-1', itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' };

  it('a card form whose save fails gets "nothing was saved, please try again"; pressing it again saves', async () => {
    const submit = sinon.stub(f.store, 'submit').rejects(new StorageUnavailableError(new Error('connect ECONNREFUSED')));
    const failed = await say({ type: 'message', value: form });
    expect(failed).to.equal(SaveFailedError.userMessage);
    expect(failed).to.include("I couldn't save that just now, nothing was saved, please try again");
    expect(del.called).to.equal(false);
    submit.restore();
    expect(await say({ type: 'message', value: form })).to.include('Saved.');
    expect(await f.store.pending()).to.have.length(1);
  });

  it('a dialog whose confirmation fails to save keeps its place: "confirm" again saves it', async () => {
    for (const t of ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'on track', 'Clinics are running in twelve schools now.']) await say(t);
    expect(await say('none')).to.include('Check your update');
    sinon.stub(f.store, 'submit').rejects(new Error('canceling statement due to statement timeout'));
    const failed = await say('confirm');
    expect(failed).to.equal(SaveFailedError.userMessage);
    expect(del.called).to.equal(false);
    sinon.restore();
    expect(await say('confirm')).to.include('Saved.');
    expect(await f.store.pending()).to.have.length(1);
  });

  it('when the state itself cannot be read, says the database is unreachable and keeps the conversation', async () => {
    sinon.stub(state, 'load').rejects(new StorageUnavailableError(new Error('connect ECONNREFUSED')));
    expect(await say('camhs waiting time')).to.equal(DATABASE_DOWN_MESSAGE);
    expect(del.called).to.equal(false);
  });

  it('a save that an earlier run of the same turn made is still reported as saved, not "already received"', async () => {
    let calls = 0;
    const save = state.saveChanges.bind(state);
    sinon.stub(state, 'saveChanges').callsFake(async (c, force) => {
      // The first run's commit loses to another instance: the turn runs again, and its submit finds its own first save.
      if (calls++ === 0) throw new ETagConflictError('k');
      return save(c, force);
    });
    for (const t of ['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'on track', 'Clinics are running in twelve schools now.', 'none']) {
      calls = 1;
      await say(t);
    }
    calls = 0;
    const reply = await say('confirm');
    expect(reply).to.include('Saved.').and.not.include('already received');
    expect(await f.store.pending()).to.have.length(1);
  });
});
