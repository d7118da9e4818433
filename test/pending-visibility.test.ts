/**
 * An update that is not approved (pending review, or returned) is shown only
 * to its submitter and to reviewers, wherever an update's content appears: a
 * priority summary's "what changed since" and its export, a lead's due list
 * and reminders ("last update"), and a "no change" carried forward. Approved
 * updates are shown to everyone. Through the real PlanBot on a TestAdapter,
 * with real SQLite stores and the real plans. (Answers show only a count of
 * pending updates; "my updates" lists the sender's own; review lists are for
 * reviewers: reviewers.test.ts.)
 */
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { Summariser } from '../knowledge/summary';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { testPeople } from './helpers/people';
import { visibleText } from './helpers/server';
import { ReminderRunner } from '../updates/reminderRunner';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import type { Reminder } from '../updates/reminders';
import { reminderCard } from '../bot/reminderCards';

const LEE = { id: 'aad-lee', name: 'Lee Lead', aadObjectId: 'aad-lee' };
const RITA = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const MALLORY = { id: 'aad-mallory', name: 'Mallory', aadObjectId: 'aad-mallory' };
const CLAIRE = { id: 'aad-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const HAYLEY = { id: 'aad-hayley', name: 'Hayley Bippin', aadObjectId: 'aad-hayley' };
const SINCE = { from: '2016-10-01', label: 'the start of Q3 2016/17' };

describe('unreviewed updates are shown only to their submitter and to reviewers', () => {
  let f: UpdatesFixture;
  let bot: PlanBot;
  const today = new Date('2018-04-25T09:00:00Z');

  beforeEach(async () => {
    f = updatesFixture(['rev-1'], 'anyone', testPeople([{ name: 'Claire Tagg', aadObjectId: CLAIRE.aadObjectId }, { name: 'Hayley Bippin', aadObjectId: HAYLEY.aadObjectId }]));
    const { knowledge, index, answerer } = realKnowledge();
    bot = new PlanBot({ answerer, summariser: new Summariser(knowledge, index, { updates: f.published }), conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger(), now: () => today });
    // Lee's update on a council plan priority 1 indicator: approved one quarter, pending the next, returned a third.
    const approved = await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '46,000', period: 'Q1 2017/18', status: 'on track', narrative: 'Crime fell after the new neighbourhood teams started.' }, LEE, 'k-approved');
    await f.service.review(approved.submission.id, 'approved', RITA);
    await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '51,234', period: 'Q2 2017/18', status: 'off track', narrative: 'Unreviewed: a rise in burglary.', reason: 'Burglary.', recovery: 'Patrols.' }, LEE, 'k-pending');
    const returned = await f.service.submit({ itemId: 'cp-p1-recorded-crime', value: '77,777', period: 'Q3 2017/18', status: 'at risk', narrative: 'Returned: the wrong figure.' }, LEE, 'k-returned');
    await f.service.review(returned.submission.id, 'returned', RITA, 'Wrong figure.');
  });
  afterEach(() => f.close());

  async function say(from: typeof LEE, input: string | Record<string, unknown>, where: 'personal' | 'groupChat' | 'channel' = 'personal'): Promise<string> {
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    adapter.conversation.conversation = { id: `conv-${where}-${from.id}`, isGroup: where !== 'personal', conversationType: where, name: '' };
    await adapter.send({ type: 'message', from, ...(typeof input === 'string' ? { text: input } : { value: input }) } as Partial<Activity>);
    return adapter.activeQueue.map((r: Partial<Activity>) => visibleText(r as never)).join('\n');
  }
  const summary = { action: 'summary', planId: 'county-council-plan', priority: 1, since: SINCE };
  const exported = { action: 'exportSummary', planId: 'county-council-plan', priority: 1, since: SINCE };

  it('a summary\'s "what changed since" and its export show others only the approved update', async () => {
    for (const input of ['what changed in priority 1 of the council plan since Q3 2016/17', summary, exported]) {
      const text = await say(MALLORY, input);
      expect(text, JSON.stringify(input)).to.include('46,000');
      expect(text, JSON.stringify(input)).not.to.include('51,234').and.not.include('Unreviewed').and.not.include('77,777').and.not.include('pending').and.not.include('returned');
    }
  });

  it('the submitter and reviewers see the pending and returned ones too', async () => {
    for (const who of [LEE, RITA]) {
      for (const input of [summary, exported]) {
        const text = await say(who, input);
        expect(text, `${who.name}: ${JSON.stringify(input)}`).to.include('46,000').and.include('51,234').and.include('pending').and.include('77,777');
      }
    }
  });

  it('in a group chat or channel, where everyone reads the reply, even the submitter and reviewers get only approved updates', async () => {
    for (const where of ['groupChat', 'channel'] as const) {
      for (const who of [LEE, RITA]) {
        for (const input of ['what changed in priority 1 of the council plan since Q3 2016/17', summary, exported]) {
          const text = await say(who, input, where);
          expect(text, `${where}, ${who.name}: ${JSON.stringify(input)}`).to.include('46,000');
          expect(text, `${where}, ${who.name}: ${JSON.stringify(input)}`).not.to.include('51,234').and.not.include('Unreviewed').and.not.include('77,777');
        }
      }
    }
  });

  describe('due lists, reminders and "no change"', () => {
    // Claire and Hayley co-lead the self-harm indicator; Hayley has an unreviewed Q3 update on it.
    beforeEach(async () => {
      await f.service.submit({ itemId: 'cy-p1-self-harm', value: '31', period: 'Q3 2017/18', status: 'off track', narrative: 'Hayley: unreviewed narrative.', reason: 'Staff.', recovery: 'Hiring.' }, HAYLEY, 'k-hayley');
    });

    it("a co-lead's due list does not show another lead's unreviewed update, and its submitter's does", async () => {
      const claires = await say(CLAIRE, "what's due from me");
      expect(claires).to.include('Number of hospital admissions for self-harm').and.not.include('off track for Q3 2017/18');
      const hayleys = await say(HAYLEY, "what's due from me");
      expect(hayleys).to.include('off track for Q3 2017/18 (pending)');
    });

    it('"no change" carries forward only what its sender may see', async () => {
      const claires = await say(CLAIRE, { action: 'noChange', itemId: 'cy-p1-self-harm', period: 'Q4 2017/18' });
      expect(claires).to.include('no earlier update').and.not.include('off track').and.not.include('unreviewed');
      const hayleys = await say(HAYLEY, { action: 'noChange', itemId: 'cy-p1-self-harm', period: 'Q4 2017/18' });
      expect(hayleys).to.include('Saved: no change').and.include('off track');
    });

    it("a reminder card does not show another lead's unreviewed update", async () => {
      const conversations = new SqliteConversationStore(f.db);
      for (const p of [CLAIRE, HAYLEY]) await conversations.upsert({ userId: p.id, userName: p.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `conv-${p.id}` } } }, today);
      const sent: Reminder[] = [];
      const runner = new ReminderRunner({ service: f.service, conversations, log: new SqliteReminderLog(f.db), sender: { send: async (_c, r) => void sent.push(r) }, now: () => today, options: { daysBefore: 7, daysAfter: 1 } });
      await runner.runOnce();
      const card = (who: typeof CLAIRE) => JSON.stringify(reminderCard(sent.find((r) => r.to.id === who.id)!));
      expect(card(CLAIRE)).to.include('self-harm').and.not.include('off track for Q3 2017/18');
      expect(card(HAYLEY)).to.include('off track for Q3 2017/18 (pending)');
    });
  });
});
