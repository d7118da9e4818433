/**
 * The turn log: one structured pino line ("turn") for every turn the bot
 * runs, whatever kind of turn it is and however it ends, written from one
 * place (PlanBot.run). Driven through botbuilder's TestAdapter with a pino
 * logger that writes to memory: a question, a dialog turn, a card action, a
 * conversation update, a message with no text, an unhandled activity type,
 * a turn run again after a conflicting write, and a failing turn. Message
 * text is in the line only with LOG_CONTENT (logContent) on.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import pino from 'pino';
import { ConversationState, MemoryStorage, TestAdapter, type Activity, type StoreItems } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { createAdapter } from '../bot/server';
import { loadConfig } from '../bot/config';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { ETagConflictError } from '../storage/errors';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';

type Line = Record<string, unknown> & { msg: string; level: number };

/** MemoryStorage whose next `conflicts` writes fail as if another instance had written first. */
class ConflictingStorage extends MemoryStorage {
  conflicts = 0;
  override async write(changes: StoreItems): Promise<void> {
    if (this.conflicts > 0) {
      this.conflicts--;
      throw new ETagConflictError(Object.keys(changes)[0] ?? 'state');
    }
    return super.write(changes);
  }
}

const USER = { id: 'user-1', name: 'Lena Log', aadObjectId: 'aad-lena' };

describe('turn log: one structured line per turn', () => {
  let f: UpdatesFixture;
  let lines: Line[];
  let storage: ConflictingStorage;
  let state: ConversationState;

  beforeEach(() => {
    f = updatesFixture();
    lines = [];
    storage = new ConflictingStorage();
    state = new ConversationState(storage);
  });
  afterEach(() => {
    sinon.restore();
    f.close();
  });

  /** The bot with a logger writing JSON lines to memory, behind a TestAdapter with the real error path. */
  function build(logContent?: boolean) {
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Line) });
    const { answerer, summariser } = realKnowledge();
    const bot = new PlanBot({ answerer, summariser, conversationState: state, unanswered: new MemoryUnansweredLog(), updates: f.service, logger, logContent });
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    adapter.onTurnError = createAdapter(loadConfig({}), logger, () => state).onTurnError;
    return { bot, adapter, answerer };
  }

  const msg = (id: string, extra: Partial<Activity> = {}): Partial<Activity> => ({ type: 'message', id, from: USER, ...extra });
  const turnLines = () => lines.filter((l) => l.msg === 'turn');
  const lineFor = (id: string) => {
    const found = turnLines().filter((l) => l.activityId === id);
    expect(found, `"turn" lines for activity ${id}`).to.have.length(1);
    return found[0];
  };

  it('logs every kind of turn exactly once, with ids, type, intent, outcome and timing, and no text by default', async () => {
    const { adapter, answerer } = build();
    await adapter.send(msg('question', { text: 'who leads on breastfeeding' }));
    await adapter.send(msg('dialog-start', { text: 'submit an update' }));
    await adapter.send(msg('dialog-turn', { text: 'cancel' }));
    await adapter.send(msg('card', { value: { action: 'noneOfThese', question: 'price of fish' } }));
    await adapter.send({ type: 'conversationUpdate', id: 'joined', from: USER, membersAdded: [{ id: 'someone-new', name: 'New' }] });
    await adapter.send(msg('no-text'));
    await adapter.send({ type: 'typing', id: 'typing', from: USER });
    sinon.stub(answerer, 'answer').throws(new Error('boom'));
    await adapter.send(msg('failing', { text: 'what is the camhs waiting time' }));

    const ids = ['question', 'dialog-start', 'dialog-turn', 'card', 'joined', 'no-text', 'typing', 'failing'];
    expect(turnLines().map((l) => l.activityId)).to.deep.equal(ids);
    for (const id of ids) {
      const l = lineFor(id);
      expect(l.level, id).to.equal(30);
      expect(l.conversation, id).to.be.a('string').and.not.equal('');
      expect(l.user, id).to.equal('aad-lena');
      expect(l.type, id).to.be.a('string');
      expect(l.intent, id).to.be.a('string').and.not.equal('');
      expect(l.outcome, id).to.be.a('string').and.not.equal('');
      expect(l.ms, id).to.be.a('number').and.at.least(0);
      expect(l, id).not.to.have.property('text');
      expect(l, id).not.to.have.property('retries');
    }
    expect(lineFor('question')).to.include({ type: 'message', outcome: 'answer' });
    expect(lineFor('dialog-start')).to.include({ outcome: 'dialog' });
    expect(lineFor('dialog-turn')).to.include({ intent: 'dialog' });
    expect(lineFor('card')).to.include({ intent: 'card:noneOfThese' });
    expect(lineFor('joined')).to.include({ type: 'conversationUpdate', outcome: 'welcomed' });
    expect(lineFor('no-text')).to.include({ type: 'message', outcome: 'noText' });
    expect(lineFor('typing')).to.include({ type: 'typing', outcome: 'ignored' });
    expect(lineFor('failing')).to.include({ outcome: 'error', error: 'Error' });
    // The failure is also logged, once, with its stack, by the error path; the user got the apology.
    expect(lines.filter((l) => l.msg === 'turn failed')).to.have.length(1);
    expect(adapter.activeQueue.some((a) => /^Sorry, something went wrong/.test(a.text ?? ''))).to.equal(true);
  });

  it('says how many times a turn was run again after a conflicting write', async () => {
    const { adapter } = build();
    storage.conflicts = 1;
    await adapter.send(msg('conflicted', { text: 'who leads on breastfeeding' }));
    expect(lineFor('conflicted')).to.include({ outcome: 'answer', retries: 1 });
  });

  it('logs the message text only with logContent on', async () => {
    const { adapter } = build(true);
    await adapter.send(msg('question', { text: 'who leads on breastfeeding' }));
    await adapter.send(msg('no-text'));
    expect(lineFor('question').text).to.equal('who leads on breastfeeding');
    expect(lineFor('no-text')).not.to.have.property('text');
  });
});
