/**
 * Each person's dialog in a conversation is their own (bot/userDialogs.ts),
 * and the update dialog itself answers only its owner, by id; the per-person
 * store is bounded and forgets idle dialogs. Through the real PlanBot and
 * UpdateDialog on a TestAdapter, one group conversation.
 */
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { DIALOG_BOUNDS, UserDialogState } from '../bot/userDialogs';
import { UpdateDialog } from '../dialogs/updateDialog';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';

const CLAIRE = { id: 'lead-1', name: 'Claire Tagg' };
const MALLORY = { id: 'mallory', name: '[Mallory](https://evil.example)' };

describe('dialogs belong to the person who started them', () => {
  let f: UpdatesFixture;
  beforeEach(() => {
    f = updatesFixture();
  });
  afterEach(() => f.close());

  it('the update dialog answers only its owner (by id): anyone else is told whose it is, and their answer goes nowhere', async () => {
    const client = new DialogTestClient('msteams', new UpdateDialog(f.service), { user: CLAIRE, opening: 'update on self-harm admissions in the city' });
    const as = (from: typeof CLAIRE, text: string) => client.sendActivity({ type: 'message', text, from } as Partial<Activity>);
    await as(CLAIRE, 'update on self-harm admissions in the city');
    expect(visibleText(await as({ id: 'someone', name: 'Claire Tagg' }, 'yes'))).to.equal('This update is Claire Tagg\'s; say "submit an update" to start your own.');
    expect(visibleText(await as(CLAIRE, 'yes'))).to.include('What is the new value');
  });

  it('a display name in the notice is shown inert', async () => {
    const client = new DialogTestClient('msteams', new UpdateDialog(f.service), { user: MALLORY });
    await client.sendActivity({ type: 'message', text: 'submit an update', from: MALLORY } as Partial<Activity>);
    const r = visibleText(await client.sendActivity({ type: 'message', text: 'x', from: CLAIRE } as Partial<Activity>));
    expect(r).to.include('Mallory').and.not.match(/\]\(https?:/);
  });

  describe('the per-person store', () => {
    const storage = new MemoryStorage();
    const state = new ConversationState(storage);
    const conversation = { id: 'group-1', conversationType: 'groupChat', isGroup: true };
    let now = new Date('2024-01-01T09:00:00Z');
    const dialogs = new UserDialogState(state, () => now);

    async function turn<T>(from: { id: string; name: string }, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
      const adapter = new TestAdapter();
      const ctx = new TurnContext(adapter, { type: 'message', channelId: 'msteams', from, conversation, recipient: { id: 'bot', name: 'bot' } } as Activity);
      await state.load(ctx);
      const r = await fn(ctx);
      await state.saveChanges(ctx);
      return r;
    }
    const started = (n: number) => ({ dialogStack: [{ id: 'updateDialog', state: { n } }] });

    it(`keeps at most ${DIALOG_BOUNDS.perConversation} people's dialogs, dropping the longest idle, and forgets one idle for ${DIALOG_BOUNDS.idleDays} days`, async () => {
      for (let i = 0; i < DIALOG_BOUNDS.perConversation + 5; i++) {
        now = new Date(Date.parse('2024-01-01T09:00:00Z') + i * 60_000);
        await turn({ id: `user-${i}`, name: `User ${i}` }, (ctx) => dialogs.set(ctx, started(i)));
      }
      const others = await turn({ id: 'observer', name: 'O' }, (ctx) => dialogs.othersInProgress(ctx));
      expect(others).to.have.length(DIALOG_BOUNDS.perConversation - 1);
      expect(others.map((o) => o.id)).to.include(`user-${DIALOG_BOUNDS.perConversation + 4}`).and.not.include('user-0');
      now = new Date(Date.parse('2024-01-01T09:00:00Z') + (DIALOG_BOUNDS.idleDays + 1) * 86_400_000);
      expect(await turn({ id: 'observer', name: 'O' }, (ctx) => dialogs.othersInProgress(ctx))).to.deep.equal([]);
    });

    it('moves a dialog kept the old way (one per conversation) to the person who started it', async () => {
      const legacy = { dialogStack: [{ id: 'updateDialog', state: { dialogs: { dialogStack: [{ id: 'updateLoop', state: { options: { user: CLAIRE, step: 'period' } } }] } } }] };
      const old = new ConversationState(new MemoryStorage());
      const moved = new UserDialogState(old, () => now);
      const at = (from: { id: string; name: string }) => {
        const ctx = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'msteams', from, conversation, recipient: { id: 'bot', name: 'bot' } } as Activity);
        return ctx;
      };
      const first = at(MALLORY);
      await old.load(first);
      await old.createProperty('dialogState').set(first, legacy);
      await old.saveChanges(first);
      const mallorys = at(MALLORY);
      await old.load(mallorys);
      expect(await moved.get(mallorys)).to.equal(undefined);
      expect((await moved.othersInProgress(mallorys)).map((o) => o.id)).to.deep.equal([CLAIRE.id]);
      await old.saveChanges(mallorys);
      const claires = at(CLAIRE);
      await old.load(claires);
      expect(await moved.get(claires)).to.deep.equal(legacy);
    });
  });

  it('through PlanBot: in one group conversation, two people each have their own update', async () => {
    const { answerer, summariser } = realKnowledge();
    const bot = new PlanBot({ answerer, summariser, conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger() });
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    adapter.conversation.conversation = { id: 'group-2', isGroup: true, conversationType: 'groupChat', name: '' };
    const say = async (from: typeof CLAIRE, text: string) => {
      adapter.activeQueue.splice(0);
      await adapter.send({ type: 'message', text, from });
      return adapter.activeQueue.splice(0).map((a) => visibleText(a as never)).join('\n');
    };
    expect(await say(CLAIRE, 'update on self-harm admissions in the city')).to.include('Is this update for');
    expect(await say(MALLORY, 'update on breastfeeding in the city')).to.match(/Is this update for|Which one/);
    expect(await say(CLAIRE, 'yes')).to.include('What is the new value');
    expect(await say(MALLORY, 'cancel')).to.include('Cancelled');
    expect(await say(CLAIRE, '40')).to.include('Which period');
  });
});
