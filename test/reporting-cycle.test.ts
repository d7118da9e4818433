/**
 * The reporting cycle in the Teams handler, through botbuilder's TestAdapter
 * with the real plans and a real SQLite store, on a fixed clock: "what's due
 * from me" as a named lead, "Update now" and "No change since last period"
 * from its card, managers' late list and "chase them", and the conversation
 * references the bot keeps so it can send reminders.
 */
import { submitDataIn } from './helpers/assertions';
import { expect } from 'chai';
import sinon from 'sinon';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import { ConversationRecorder } from '../updates/conversations';
import { ReminderRunner } from '../updates/reminderRunner';
import type { Reminder } from '../updates/reminders';
import type { Person } from '../updates/types';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import { validateCard } from './helpers/adaptiveCard';

const CLAIRE = { id: 'aad-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const JOHN = { id: 'aad-john', name: 'John Matravers', aadObjectId: 'aad-john' };
const RITA = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const STRANGER = { id: 'aad-sam', name: 'Sam Someone', aadObjectId: 'aad-sam' };
const CLAIRES_ITEMS = ['cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions', 'cy-p1-self-harm'];
const SELF_HARM = 'cy-p1-self-harm';

type Card = { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] };
const cardOf = (a: Partial<Activity>) => a.attachments?.[0]?.content as Card | undefined;
/** Every Action.Submit's data on a card, wherever it sits (card actions or action sets in containers). */
const submitData = (card: Card | undefined) => submitDataIn(card);

describe('reporting cycle: reading the requests', () => {
  const kinds: [string, string][] = [
    ["what's due from me", 'myDue'],
    ['What’s due from me?', 'myDue'],
    ['my updates due', 'myDue'],
    ['what do I need to update', 'myDue'],
    ['what is outstanding for me', 'myDue'],
    ["what's missing for priority 2", 'overdue'],
    ['what is missing for priority 2 in the city', 'overdue'],
    ['overdue updates', 'overdue'],
    ['which updates are overdue?', 'overdue'],
    ['who is late?', 'overdue'],
    // Read before typo correction, which would make "chase" "case".
    ['chase them', 'chase'],
    ['Chase them!', 'chase'],
    // Questions about the plans that share words with the commands stay questions.
    ['my updates', 'myUpdates'],
    ['what is missing from home episodes rate', 'question'],
    ['whats missing children rate in the city', 'question'],
    ['what is due for the MASH', 'question'],
    ['what are the outstanding actions for priority 2', 'question'],
  ];
  for (const [question, kind] of kinds) {
    it(`"${question}" is ${kind === 'question' ? 'a question about the plans' : kind}`, () => {
      const got = realKnowledge().answerer.answer(question).kind;
      // How well a question is answered is the answering code's business; here only that it is answered as a question.
      if (kind === 'question') expect(got).to.be.oneOf(['answer', 'notFound']);
      else expect(got).to.equal(kind);
    });
  }
});

describe('reporting cycle in the Teams handler (TestAdapter, fixed clock)', () => {
  let f: UpdatesFixture;
  let bot: PlanBot;
  let today: Date;
  let conversations: SqliteConversationStore;
  let sent: Reminder[];

  beforeEach(() => {
    f = updatesFixture(['rev-1']);
    today = new Date('2018-04-25T09:00:00Z');
    conversations = new SqliteConversationStore(f.db);
    sent = [];
    const { answerer, summariser } = realKnowledge();
    const reminders = new ReminderRunner({ service: f.service, conversations, log: new SqliteReminderLog(f.db), sender: { send: async (_to, r) => void sent.push(r) }, now: () => today, options: { daysBefore: 7, daysAfter: 1 } });
    bot = new PlanBot({
      answerer,
      summariser,
      conversationState: new ConversationState(new MemoryStorage()),
      unanswered: new MemoryUnansweredLog(),
      updates: f.service,
      logger: silentLogger(),
      conversations: new ConversationRecorder(conversations),
      reminders,
      now: () => today,
    });
  });
  afterEach(() => {
    sinon.restore();
    f.close();
  });

  /** A user's personal chat with the bot. */
  function chat(person: Person & { aadObjectId?: string }, conversationType = 'personal') {
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx), { from: person, channelId: 'msteams' });
    adapter.conversation.conversation = { id: `conv-${person.id}`, isGroup: false, conversationType, name: '' };
    return async (input: string | Record<string, unknown>): Promise<{ replies: Partial<Activity>[]; text: string }> => {
      await adapter.send(typeof input === 'string' ? input : { type: 'message', value: input });
      const replies = adapter.activeQueue.splice(0);
      return { replies, text: replies.map((r) => visibleText(r as never)).join('\n') };
    };
  }

  describe("what's due from me", () => {
    it('as a named lead: one card with their items only, each due 30 April 2018 with "Update now"', async () => {
      const { replies, text } = await chat(CLAIRE)("what's due from me");
      expect(replies).to.have.length(1);
      expect(replies[0].text).to.equal('3 updates are due from you.');
      const card = cardOf(replies[0]);
      expect(validateCard(card as never)).to.deep.equal([]);
      const data = submitData(card);
      expect(data.filter((d) => d.action === 'updateNow').map((d) => d.itemId).sort()).to.deep.equal(CLAIRES_ITEMS);
      expect(data.every((d) => d.period === 'Q4 2017/18')).to.equal(true);
      expect(data.some((d) => d.action === 'noChange'), 'nothing to carry forward yet').to.equal(false);
      expect(text).to.include('Number of hospital admissions for self-harm').and.include('30 April 2018, in 5 days').and.include('Q4 2017/18');
      expect(text).to.not.include('breastfeeding');
      expect(JSON.stringify(card).length, 'well inside Teams’ card size limit').to.be.below(20_000);
    });

    it('"my updates due" and "what do I need to update" ask the same; someone who leads nothing is told so', async () => {
      const say = chat(CLAIRE);
      expect((await say('my updates due')).text).to.include('3 updates are due from you');
      expect((await say('What do I need to update?')).text).to.include('3 updates are due from you');
      expect((await chat(STRANGER)("what's due from me")).text).to.include("I don't know you as the lead of anything in the plans (Sam Someone)").and.include('Teams account');
    });

    it('items with an update for the period drop off; "No change" is offered where there is a last update', async () => {
      await f.service.submit({ itemId: SELF_HARM, period: 'Q4 2017/18', status: 'on track', narrative: 'SHARP clinics in twelve schools.' }, CLAIRE, 'q4');
      await f.service.submit({ itemId: 'cy-p1-bemh-referrals', period: 'Q3 2017/18', status: 'at risk', narrative: 'Referrals rising faster than capacity.' }, CLAIRE, 'q3');
      const { replies } = await chat(CLAIRE)("what's due from me");
      const data = submitData(cardOf(replies[0]));
      expect(data.filter((d) => d.action === 'updateNow').map((d) => d.itemId).sort()).to.deep.equal(['cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions']);
      expect(data.filter((d) => d.action === 'noChange').map((d) => d.itemId)).to.deep.equal(['cy-p1-bemh-referrals']);
      expect(visibleText(replies[0] as never)).to.include('at risk for Q3 2017/18 (pending)');
    });

    it('"Update now" opens the update dialog already on that item and period: the first question is the value', async () => {
      const say = chat(CLAIRE);
      const open = await say({ action: 'updateNow', itemId: SELF_HARM, period: 'Q4 2017/18' });
      expect(open.text).to.include('What is the new value for "Number of hospital admissions for self-harm').and.not.include('Is this update for');
      expect((await say('40')).text, 'the period is known, so next is the status').to.include('What is the status');
      await say({ status: 'on track' });
      await say('SHARP clinics continue in twelve schools.');
      const check = await say('none');
      expect(check.text).to.include('Check your update').and.include('Q4 2017/18').and.include('40');
      expect((await say('confirm')).text).to.include('Saved.');
      const [saved] = await f.store.pending();
      expect(saved).to.deep.include({ recordId: SELF_HARM, period: 'Q4 2017/18', value: '40', status: 'on track' });
      expect(saved.carriedForward).to.equal(undefined);
    });

    it('"Update now" in the middle of another update sets that one aside and starts on the item', async () => {
      const say = chat(CLAIRE);
      await say('submit an update');
      const r = await say({ action: 'updateNow', itemId: 'cy-p1-mental-health-admissions', period: 'Q4 2017/18' });
      expect(r.text).to.include('set aside the update you were in the middle of').and.include('What is the new value for "Rate of hospital admissions for mental health');
    });

    it('"No change since last period" saves one carried-forward update for the period; pressed again, "already received"', async () => {
      const q3 = (await f.service.submit({ itemId: SELF_HARM, period: 'Q3 2017/18', value: '38', status: 'at risk', narrative: 'Waiting times for SHARP are growing.', reason: 'Staff vacancies.', recovery: 'Recruitment by June.' }, CLAIRE, 'q3')).submission;
      await f.service.review(q3.id, 'approved', { id: 'rev-1', name: 'Rita Reviewer' });
      const say = chat(CLAIRE);
      const press = { action: 'noChange', itemId: SELF_HARM, period: 'Q4 2017/18' };
      const first = await say(press);
      expect(first.text).to.include('Saved: no change on "Number of hospital admissions for self-harm').and.include('for Q4 2017/18').and.include('Q3 2017/18 update are carried forward').and.include('pending review');
      const second = await say(press);
      expect(second.text).to.include('already received').and.include('Nothing new was saved');
      const q4 = (await f.store.since('0000')).filter((s) => s.period === 'Q4 2017/18');
      expect(q4).to.have.length(1);
      expect(q4[0]).to.deep.include({ recordId: SELF_HARM, carriedForward: true, status: 'at risk', narrative: 'Waiting times for SHARP are growing.', reason: 'Staff vacancies.', recovery: 'Recruitment by June.', reviewState: 'pending' });
      expect(q4[0].value, 'a figure is for its own period: not carried').to.equal(undefined);
      expect(q4[0].submitter).to.deep.equal({ id: CLAIRE.id, name: CLAIRE.name });
      // The item is no longer due.
      const due = await say("what's due from me");
      expect(submitData(cardOf(due.replies[0])).map((d) => d.itemId)).to.not.include(SELF_HARM);
    });

    it('"No change" with nothing to carry forward says so and offers "Update now"; with an update already given, saves nothing', async () => {
      const say = chat(CLAIRE);
      const r = await say({ action: 'noChange', itemId: SELF_HARM, period: 'Q4 2017/18' });
      expect(r.text).to.include('no earlier update').and.include('Update now');
      expect(submitData(cardOf(r.replies[0]))).to.deep.equal([{ action: 'updateNow', itemId: SELF_HARM, period: 'Q4 2017/18' }]);
      await f.service.submit({ itemId: SELF_HARM, period: 'Q3 2017/18', status: 'on track', narrative: 'On track.' }, CLAIRE, 'q3');
      await f.service.submit({ itemId: SELF_HARM, period: 'Q4 2017/18', status: 'complete', narrative: 'Done.' }, CLAIRE, 'q4');
      expect((await say({ action: 'noChange', itemId: SELF_HARM, period: 'Q4 2017/18' })).text).to.include('There is already an update').and.include('nothing new was saved');
      expect(await f.store.pending()).to.have.length(2);
    });

    it('card data that does not validate is refused politely, and saves nothing', async () => {
      const say = chat(CLAIRE);
      expect((await say({ action: 'noChange', itemId: SELF_HARM })).text).to.include("couldn't read that button");
      expect((await say({ action: 'updateNow', itemId: ['x'] })).text).to.include("couldn't read that button");
      expect((await say({ action: 'noChange', itemId: 'no-such-item', period: 'Q4 2017/18' })).text).to.include('could not find that item');
      expect((await say({ action: 'noChange', itemId: SELF_HARM, period: 'sometime' })).text).to.include('Nothing saved');
      expect(await f.store.pending()).to.have.length(0);
    });
  });

  describe('managers: late updates and "chase them"', () => {
    beforeEach(() => {
      today = new Date('2018-05-10T09:00:00Z');
    });

    it('"what\'s missing for priority 2" asks which plan; choosing one lists its late items with their leads', async () => {
      const say = chat(RITA);
      const ask = await say("what's missing for priority 2");
      expect(ask.text).to.include('Priority 2 of which plan?');
      const choice = submitData(cardOf(ask.replies[0])).find((d) => d.planId === 'city-cypp-2016-20')!;
      expect(choice).to.deep.include({ action: 'lateUpdates', priority: 2 });
      const list = await say(choice);
      const card = cardOf(list.replies[0]);
      expect(validateCard(card as never)).to.deep.equal([]);
      expect(list.replies[0].text).to.match(/^\d+ late updates: Children and Young People's Plan 2016-2020: priority 2\.$/);
      expect(list.text).to.include('John Matravers').and.include('30 April 2018, 10 days ago (overdue)').and.include('Say "chase them"');
      expect(list.text).to.not.include('(City, priority 1)');
    });

    it('a reviewer chases the leads of the listed late items: the known ones get a card with only their items; the others are named', async () => {
      await conversations.upsert({ userId: JOHN.id, userName: JOHN.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'conv-john' } } }, today);
      const say = chat(RITA);
      const list = await say('overdue updates for priority 2 in the city');
      // The card's "Chase them" button (plain data any card host can send) does what saying it does.
      const chaseButton = submitData(cardOf(list.replies[0])).find((d) => d.action === 'ask');
      expect(chaseButton).to.deep.equal({ action: 'ask', text: 'chase them' });
      const r = await say(chaseButton!);
      expect(r.text).to.match(/^Sent reminders to 1 lead \(John Matravers\) for 1 late update\./);
      expect(r.text).to.match(/\d+ leads have never talked to me, so I can't reach them: .*Racheal Osborne/);
      expect(sent).to.have.length(1);
      expect(sent[0].to.name).to.equal('John Matravers');
      expect(sent[0].chasedBy?.name).to.equal('Rita Reviewer');
      expect(sent[0].items.map((i) => i.due.item.id)).to.deep.equal(['cy-p2-child-protection-plans']);
      // Chasing again the same day sends nothing more.
      await say('overdue updates for priority 2 in the city');
      expect((await say('chase them')).text).to.include('Already chased today, so not again: John Matravers');
      expect(sent).to.have.length(1);
    });

    it('only reviewers can chase; "chase them" needs a late list just before it', async () => {
      const lead = chat(CLAIRE);
      await lead('overdue updates');
      expect((await lead('chase them')).text).to.include("only the plan's reviewers can chase");
      const say = chat(RITA);
      expect((await say('chase them')).text).to.include('First ask me which updates are late');
      await say('overdue updates in the city');
      await say('who leads on breastfeeding?');
      expect((await say('chase them')).text, 'another question came in between').to.include('First ask me which updates are late');
      expect(sent).to.have.length(0);
    });

    it('a priority no plan has is said plainly', async () => {
      expect((await chat(RITA)("what's missing for priority 9")).text).to.equal('None of the plans has a priority 9.');
    });

    it('before anything is overdue, says so', async () => {
      today = new Date('2018-04-20T09:00:00Z');
      const r = await chat(RITA)('overdue updates in the city');
      expect(r.text).to.match(/^Nothing is late: Nottingham City's plans\. \d+ updates are still to come, not due yet\.$/);
    });
  });

  describe('where users can be reached', () => {
    it('keeps the reference of a personal chat from a message and from install, only the fields a reminder needs; writes only when it changed', async () => {
      const upsert = sinon.spy(conversations, 'upsert');
      const say = chat(CLAIRE);
      await say('help');
      const stored = await conversations.get(CLAIRE.id);
      expect(stored?.userName).to.equal('Claire Tagg');
      expect(stored?.reference).to.deep.include({ channelId: 'msteams', conversation: { id: `conv-${CLAIRE.id}`, isGroup: false, conversationType: 'personal' } });
      expect(stored?.reference).to.have.property('serviceUrl').that.is.a('string');
      expect(Object.keys(stored!.reference).sort()).to.deep.equal(['bot', 'channelId', 'conversation', 'serviceUrl', 'user']);
      expect(stored?.reference.user).to.deep.equal({ id: CLAIRE.id, aadObjectId: CLAIRE.aadObjectId });
      await say('hello');
      await say('who leads on breastfeeding?');
      expect(upsert.callCount, 'unchanged: not written again').to.equal(1);

      const install = new TestAdapter(async (ctx) => bot.run(ctx), { from: JOHN, channelId: 'msteams' });
      install.conversation.conversation = { id: 'conv-john', isGroup: false, conversationType: 'personal', name: '' };
      await install.send({ type: 'conversationUpdate', membersAdded: [JOHN, { id: 'bot', name: 'Bot' }], recipient: { id: 'bot', name: 'Bot' } });
      expect((await conversations.get(JOHN.id))?.reference).to.deep.include({ conversation: { id: 'conv-john', isGroup: false, conversationType: 'personal' } });
    });

    it('does not keep team channels or group chats: a lead’s reminders go to their own chat', async () => {
      await chat(CLAIRE, 'channel')('help');
      await chat(JOHN, 'groupChat')('help');
      expect(await conversations.all()).to.deep.equal([]);
    });

    it('a store that fails to record does not fail the turn', async () => {
      sinon.stub(conversations, 'upsert').rejects(new Error('disk full'));
      expect((await chat(CLAIRE)('help')).text).to.include('Plan assistant');
    });
  });
});
