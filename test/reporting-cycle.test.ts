/**
 * The reporting cycle in the Teams handler, through botbuilder's TestAdapter
 * with the fixture plans (test/fixtures/next-plan: the 2018-21 county plan
 * and the city plan report quarterly; Q2 2019/20 is due 30 October 2019) and
 * a real SQLite store, on a fixed clock: "what's due from me" as a named lead,
 * "Update now" and "No change since last period" from its card, managers'
 * late list and "chase them", what each says on a day no calendar covers, and
 * the conversation references the bot keeps so it can send reminders.
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
import { fixtureKnowledge, NEXT_PLAN_DIR, realKnowledge } from './helpers/knowledge';
import { loadPeople, PEOPLE_FILE_NAME } from '../knowledge/people';
import { join } from 'node:path';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import { validateCard } from './helpers/adaptiveCard';

const PRIYA = { id: 'aad-priya', name: 'Priya Shah', aadObjectId: 'aad-priya' };
const MORGAN = { id: 'aad-morgan', name: 'Morgan Hale', aadObjectId: 'aad-morgan' };
const RITA = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const STRANGER = { id: 'aad-sam', name: 'Sam Someone', aadObjectId: 'aad-sam' };
const PRIYAS_ITEMS = ['c21-p1-a1', 'c21-p1-hub-visits', 'c21-p2-a1', 'c21q2-p2-camhs-wait'];
/** The fixture plans' leads, by the ids the tests' users carry (test/fixtures/next-plan/people.yaml). */
const FIXTURE_PEOPLE = loadPeople(join(NEXT_PLAN_DIR, PEOPLE_FILE_NAME));
const HUB_VISITS = 'c21-p1-hub-visits';
const CAMHS = 'c21q2-p2-camhs-wait';

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

describe('reporting cycle in the Teams handler (TestAdapter, fixture plans, fixed clock)', () => {
  let f: UpdatesFixture;
  let bot: PlanBot;
  let today: Date;
  let conversations: SqliteConversationStore;
  let sent: Reminder[];

  beforeEach(() => {
    f = updatesFixture(['rev-1'], 'anyone', FIXTURE_PEOPLE, 'fixture');
    today = new Date('2019-10-25T09:00:00Z');
    conversations = new SqliteConversationStore(f.db);
    sent = [];
    const { answerer, summariser } = fixtureKnowledge();
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
    it('as a named lead: one card with their items only, each due 30 October 2019 with "Update now"', async () => {
      const { replies, text } = await chat(PRIYA)("what's due from me");
      expect(replies).to.have.length(1);
      expect(replies[0].text).to.equal('4 updates are due from you.');
      const card = cardOf(replies[0]);
      expect(validateCard(card as never)).to.deep.equal([]);
      const data = submitData(card);
      expect(data.filter((d) => d.action === 'updateNow').map((d) => d.itemId).sort()).to.deep.equal(PRIYAS_ITEMS);
      expect(data.every((d) => d.period === 'Q2 2019/20')).to.equal(true);
      expect(data.some((d) => d.action === 'noChange'), 'nothing to carry forward yet').to.equal(false);
      expect(text).to.include('Families seen at a family hub').and.include('(County, priority 1)').and.include('30 October 2019, in 5 days').and.include('Q2 2019/20');
      expect(text, 'the older plan has ended and Priya leads nothing there').to.not.include('Breastfeeding');
      expect(JSON.stringify(card).length, 'well inside Teams’ card size limit').to.be.below(20_000);
    });

    it('"my updates due" and "what do I need to update" ask the same; someone who leads nothing is told so', async () => {
      const say = chat(PRIYA);
      expect((await say('my updates due')).text).to.include('4 updates are due from you');
      expect((await say('What do I need to update?')).text).to.include('4 updates are due from you');
      expect((await chat(STRANGER)("what's due from me")).text).to.include("I don't know you as the lead of anything in the plans (Sam Someone)").and.include('Teams account');
    });

    it('items with an update for the period drop off; "No change" is offered where there is a last update', async () => {
      await f.service.submit({ itemId: HUB_VISITS, period: 'Q2 2019/20', status: 'on track', narrative: 'Two more hubs opened.' }, PRIYA, 'q2');
      await f.service.submit({ itemId: CAMHS, period: 'Q1 2019/20', status: 'at risk', narrative: 'Referrals rising faster than capacity.' }, PRIYA, 'q1');
      const { replies } = await chat(PRIYA)("what's due from me");
      const data = submitData(cardOf(replies[0]));
      expect(data.filter((d) => d.action === 'updateNow').map((d) => d.itemId).sort()).to.deep.equal(['c21-p1-a1', 'c21-p2-a1', CAMHS]);
      expect(data.filter((d) => d.action === 'noChange').map((d) => d.itemId)).to.deep.equal([CAMHS]);
      expect(visibleText(replies[0] as never)).to.include('at risk for Q1 2019/20 (pending)');
    });

    it('"Update now" opens the update dialog already on that item and period: the first question is the value', async () => {
      const say = chat(PRIYA);
      const open = await say({ action: 'updateNow', itemId: HUB_VISITS, period: 'Q2 2019/20' });
      expect(open.text).to.include('What is the new value for "Families seen at a family hub').and.not.include('Is this update for');
      expect((await say('700')).text, 'the period is known, so next is the status').to.include('What is the status');
      await say({ status: 'on track' });
      await say('Two more hubs opened this quarter.');
      const check = await say('none');
      expect(check.text).to.include('Check your update').and.include('Q2 2019/20').and.include('700');
      expect((await say('confirm')).text).to.include('Saved.');
      const [saved] = await f.store.pending();
      expect(saved).to.deep.include({ recordId: HUB_VISITS, period: 'Q2 2019/20', value: '700', status: 'on track' });
      expect(saved.carriedForward).to.equal(undefined);
    });

    it('"Update now" in the middle of another update sets that one aside and starts on the item', async () => {
      const say = chat(PRIYA);
      await say('submit an update');
      const r = await say({ action: 'updateNow', itemId: CAMHS, period: 'Q2 2019/20' });
      expect(r.text).to.include('set aside the update you were in the middle of').and.include('What is the new value for "Average waiting time for a first CAMHS appointment');
    });

    it('"No change since last period" saves one carried-forward update for the period; pressed again, "already received"', async () => {
      const q1 = (await f.service.submit({ itemId: HUB_VISITS, period: 'Q1 2019/20', value: '640', status: 'at risk', narrative: 'Hub openings are behind plan.', reason: 'Staff vacancies.', recovery: 'Recruitment by June.' }, PRIYA, 'q1')).submission;
      await f.service.review(q1.id, 'approved', { id: 'rev-1', name: 'Rita Reviewer' });
      const say = chat(PRIYA);
      const press = { action: 'noChange', itemId: HUB_VISITS, period: 'Q2 2019/20' };
      const first = await say(press);
      expect(first.text).to.include('Saved: no change on "Families seen at a family hub').and.include('for Q2 2019/20').and.include('Q1 2019/20 update are carried forward').and.include('pending review');
      const second = await say(press);
      expect(second.text).to.include('already received').and.include('Nothing new was saved');
      const q2 = (await f.store.since('0000')).filter((s) => s.period === 'Q2 2019/20');
      expect(q2).to.have.length(1);
      expect(q2[0]).to.deep.include({ recordId: HUB_VISITS, carriedForward: true, status: 'at risk', narrative: 'Hub openings are behind plan.', reason: 'Staff vacancies.', recovery: 'Recruitment by June.', reviewState: 'pending' });
      expect(q2[0].value, 'a figure is for its own period: not carried').to.equal(undefined);
      expect(q2[0].submitter).to.deep.equal({ id: PRIYA.id, name: PRIYA.name });
      // The item is no longer due.
      const due = await say("what's due from me");
      expect(submitData(cardOf(due.replies[0])).map((d) => d.itemId)).to.not.include(HUB_VISITS);
    });

    it('"No change" with nothing to carry forward says so and offers "Update now"; with an update already given, saves nothing', async () => {
      const say = chat(PRIYA);
      const r = await say({ action: 'noChange', itemId: HUB_VISITS, period: 'Q2 2019/20' });
      expect(r.text).to.include('no earlier update').and.include('Update now');
      expect(submitData(cardOf(r.replies[0]))).to.deep.equal([{ action: 'updateNow', itemId: HUB_VISITS, period: 'Q2 2019/20' }]);
      await f.service.submit({ itemId: HUB_VISITS, period: 'Q1 2019/20', status: 'on track', narrative: 'On track.' }, PRIYA, 'q1');
      await f.service.submit({ itemId: HUB_VISITS, period: 'Q2 2019/20', status: 'complete', narrative: 'Done.' }, PRIYA, 'q2');
      expect((await say({ action: 'noChange', itemId: HUB_VISITS, period: 'Q2 2019/20' })).text).to.include('There is already an update').and.include('nothing new was saved');
      expect(await f.store.pending()).to.have.length(2);
    });

    it('pressed as Action.Execute, the due list card is replaced by what was done: the update\'s first question, or "Saved: no change"', async () => {
      const adapter = new TestAdapter(async (ctx) => bot.run(ctx), { from: PRIYA, channelId: 'msteams' });
      adapter.conversation.conversation = { id: `conv-${PRIYA.id}`, isGroup: false, conversationType: 'personal', name: '' };
      /** The card the invoke response carries (nothing is sent as a message). */
      const execute = async (data: Record<string, unknown>): Promise<{ card: Card; messages: number }> => {
        await adapter.send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: data.action, data }, trigger: 'manual' } });
        const sent = adapter.activeQueue.splice(0);
        const response = sent.find((a) => a.type === 'invokeResponse')!.value as { status: number; body: { type: string; value: Card } };
        expect(response.status).to.equal(200);
        expect(response.body.type).to.equal('application/vnd.microsoft.card.adaptive');
        return { card: response.body.value, messages: sent.filter((a) => a.type === 'message').length };
      };
      const opened = await execute({ action: 'updateNow', itemId: HUB_VISITS, period: 'Q2 2019/20' });
      expect(opened.messages).to.equal(0);
      expect(visibleText({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: opened.card }] } as never)).to.include('What is the new value for "Families seen at a family hub');
      // The dialog it started goes on in the chat.
      await adapter.send('700');
      expect(adapter.activeQueue.splice(0).map((a) => visibleText(a as never)).join('\n')).to.include('What is the status');
      const q1 = (await f.service.submit({ itemId: CAMHS, period: 'Q1 2019/20', status: 'at risk', narrative: 'Referrals rising.' }, PRIYA, 'q1')).submission;
      await f.service.review(q1.id, 'approved', { id: 'rev-1', name: 'Rita Reviewer' });
      const kept = await execute({ action: 'noChange', itemId: CAMHS, period: 'Q2 2019/20' });
      expect(JSON.stringify(kept.card)).to.include('Saved: no change on').and.include('pending review');
      expect(await f.store.pending()).to.have.length(1);
    });

    it('card data that does not validate is refused politely, and saves nothing', async () => {
      const say = chat(PRIYA);
      expect((await say({ action: 'noChange', itemId: HUB_VISITS })).text).to.include("couldn't read that button");
      expect((await say({ action: 'updateNow', itemId: ['x'] })).text).to.include("couldn't read that button");
      expect((await say({ action: 'noChange', itemId: 'no-such-item', period: 'Q2 2019/20' })).text).to.include('could not find that item');
      expect((await say({ action: 'noChange', itemId: HUB_VISITS, period: 'sometime' })).text).to.include('Nothing saved');
      expect(await f.store.pending()).to.have.length(0);
    });
  });

  describe('managers: late updates and "chase them"', () => {
    beforeEach(() => {
      today = new Date('2019-11-09T09:00:00Z');
    });

    it('"what\'s missing for priority 2" asks which plan; choosing one lists its late items with their leads', async () => {
      const say = chat(RITA);
      const ask = await say("what's missing for priority 2");
      expect(ask.text).to.include('Priority 2 of which plan?');
      expect(ask.text, 'choices lead with what differs').to.include('City · CYPP 2016-20 · P2 Safeguarding children').and.include('County · CYPF 2018-21 · P2 Happy and healthy');
      const choice = submitData(cardOf(ask.replies[0])).find((d) => d.planId === 'city-cypp')!;
      expect(choice).to.deep.include({ action: 'lateUpdates', priority: 2 });
      const list = await say(choice);
      const card = cardOf(list.replies[0]);
      expect(validateCard(card as never)).to.deep.equal([]);
      expect(list.replies[0].text).to.equal("2 late updates: Children and Young People's Plan 2016-2020: priority 2.");
      expect(list.text).to.include('Morgan Hale').and.include('30 October 2019, 10 days ago (overdue)').and.include('Say "chase them"');
      expect(list.text).to.not.include('(City, priority 1)');
    });

    it('a reviewer chases the leads of the listed late items: the known ones get a card with only their items; the others are named', async () => {
      await conversations.upsert({ userId: MORGAN.id, userName: MORGAN.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'conv-morgan' } } }, today);
      const say = chat(RITA);
      const list = await say('overdue updates for priority 2 in the city');
      // The card's "Chase them" button (plain data any card host can send) does what saying it does.
      const chaseButton = submitData(cardOf(list.replies[0])).find((d) => d.action === 'ask');
      expect(chaseButton).to.deep.equal({ action: 'ask', text: 'chase them' });
      const r = await say(chaseButton!);
      expect(r.text).to.match(/^Sent reminders to 1 lead \(Morgan Hale\) for 1 late update\./);
      expect(r.text).to.include("1 lead has never talked to me, so I can't reach them: Robin Ash");
      expect(sent).to.have.length(1);
      expect(sent[0].to.name).to.equal('Morgan Hale');
      expect(sent[0].chasedBy?.name).to.equal('Rita Reviewer');
      expect(sent[0].items.map((i) => i.due.item.id)).to.deep.equal(['cc-p2-cp-plans']);
      // Chasing again the same day sends nothing more.
      await say('overdue updates for priority 2 in the city');
      expect((await say('chase them')).text).to.include('Already chased today, so not again: Morgan Hale');
      expect(sent).to.have.length(1);
    });

    it('only reviewers can chase; "chase them" needs a late list just before it', async () => {
      const lead = chat(PRIYA);
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

    it('before anything is overdue, says so in a sentence', async () => {
      today = new Date('2019-10-20T09:00:00Z');
      expect((await chat(RITA)('overdue updates in the city')).text).to.equal("Nothing is late in Example City's plans. 4 updates are still to come, not due yet.");
      expect((await chat(RITA)('overdue updates')).text).to.match(/^Nothing is late in any plan\. \d+ updates are still to come, not due yet\.$/);
    });
  });

  describe('on a day no calendar covers (the 2018-21 plan ended in March 2021)', () => {
    beforeEach(() => {
      today = new Date('2021-07-10T09:00:00Z');
    });
    const stopped = /^No plan's reporting calendar covers 10 July 2021, so (.*): the last one to end, the Children, Young People and Families Plan 2018-2021's, ended on 31 March 2021\. To restart it, add the next plan to the knowledge with a `reporting` calendar/;

    it('"what\'s due from me", "overdue updates" and "chase them" each say why nothing is due, and how to extend the calendar', async () => {
      expect((await chat(PRIYA)("what's due from me")).text).to.match(stopped).and.include('nothing is due from you for the 4 items you lead');
      const rita = chat(RITA);
      expect((await rita('overdue updates')).text).to.match(stopped).and.include('nothing can be late in any plan');
      expect((await rita('chase them')).text).to.match(stopped).and.include('no update is late and there is no one to chase');
      expect(sent).to.have.length(0);
      // Someone who leads nothing is told that first.
      expect((await chat(STRANGER)("what's due from me")).text).to.include("I don't know you as the lead of anything in the plans");
    });
  });

  describe('where users can be reached', () => {
    it('keeps the reference of a personal chat from a message and from install, only the fields a reminder needs; writes only when it changed', async () => {
      const upsert = sinon.spy(conversations, 'upsert');
      const say = chat(PRIYA);
      await say('help');
      const stored = await conversations.get(PRIYA.id);
      expect(stored?.userName).to.equal('Priya Shah');
      expect(stored?.reference).to.deep.include({ channelId: 'msteams', conversation: { id: `conv-${PRIYA.id}`, isGroup: false, conversationType: 'personal' } });
      expect(stored?.reference).to.have.property('serviceUrl').that.is.a('string');
      expect(Object.keys(stored!.reference).sort()).to.deep.equal(['bot', 'channelId', 'conversation', 'serviceUrl', 'user']);
      expect(stored?.reference.user).to.deep.equal({ id: PRIYA.id, aadObjectId: PRIYA.aadObjectId });
      await say('hello');
      await say('who leads on breastfeeding?');
      expect(upsert.callCount, 'unchanged: not written again').to.equal(1);

      const install = new TestAdapter(async (ctx) => bot.run(ctx), { from: MORGAN, channelId: 'msteams' });
      install.conversation.conversation = { id: 'conv-morgan', isGroup: false, conversationType: 'personal', name: '' };
      await install.send({ type: 'conversationUpdate', membersAdded: [MORGAN, { id: 'bot', name: 'Bot' }], recipient: { id: 'bot', name: 'Bot' } });
      expect((await conversations.get(MORGAN.id))?.reference).to.deep.include({ conversation: { id: 'conv-morgan', isGroup: false, conversationType: 'personal' } });
    });

    it('does not keep team channels or group chats: a lead’s reminders go to their own chat', async () => {
      await chat(PRIYA, 'channel')('help');
      await chat(MORGAN, 'groupChat')('help');
      expect(await conversations.all()).to.deep.equal([]);
    });

    it('a store that fails to record does not fail the turn', async () => {
      sinon.stub(conversations, 'upsert').rejects(new Error('disk full'));
      expect((await chat(PRIYA)('help')).text).to.include('Plan assistant');
    });
  });
});
