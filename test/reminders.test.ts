/**
 * Which reminders are due, on a fixed clock, over the fixture plans and their
 * leads (test/fixtures/next-plan: Priya Shah leads four items of the 2018-21
 * county plan, Tom Reed one; the plan reports quarterly, due 30 days after
 * the quarter: Q2 2019/20 is due 30 October 2019). Then the runner with real
 * SQLite stores and a recording sender: once per lead, item, period and kind;
 * a refused send is tried again; a run that died holding claims is taken
 * over; a chase; nothing once the calendar has ended.
 */
import { expect } from 'chai';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { reminderKind, planReminders, planChase, chaseKind, type Reminder } from '../updates/reminders';
import { dueFrom, lateUpdates, type CycleView } from '../updates/reportingCycle';
import { ReminderRunner } from '../updates/reminderRunner';
import { claimOptions, CLAIM_TIMEOUT_MINUTES, MAX_ATTEMPTS } from '../updates/reminderLog';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import type { KnownConversation } from '../updates/conversations';
import type { DueItem } from '../updates/due';
import type { Person } from '../updates/types';
import { testPeople } from './helpers/people';

/** The fixture plans' leads, by the ids the tests' users carry. */
const PEOPLE = testPeople([
  { name: 'Priya Shah', aadObjectId: 'aad-priya' },
  { name: 'Tom Reed', aadObjectId: 'aad-tom' },
]);

const PRIYA = { id: 'aad-priya', name: 'Priya Shah' };
const TOM = { id: 'aad-tom', name: 'Tom Reed' };
const PRIYAS_ITEMS = ['c21-p1-a1', 'c21-p1-hub-visits', 'c21-p2-a1', 'c21q2-p2-camhs-wait'];
const OPTIONS = { daysBefore: 7, daysAfter: 1 };

const at = (day: string, time = '09:00:00') => new Date(`${day}T${time}Z`);
const conversation = (p: Person): KnownConversation => ({ userId: p.id, userName: p.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `conv-${p.id}` } }, updatedAt: '2018-01-01T00:00:00.000Z' });

describe('reminders: which are due (fixed clock, fixture plans)', () => {
  let f: UpdatesFixture;
  beforeEach(() => {
    f = updatesFixture(['rev-1'], 'anyone', PEOPLE, 'fixture');
  });
  afterEach(() => f.close());

  const view = (now: Date): CycleView => ({ items: f.service.allItems(), calendars: f.service.reportingCalendars(), submissions: f.published.all(), now });
  const kindsOn = (day: string) => planReminders(view(at(day)), [conversation(PRIYA)], OPTIONS, PEOPLE).flatMap((p) => p.items.map((i) => `${i.kind} ${i.due.item.id} ${i.due.period.label}`));

  it("lists a lead's own items only, with the period being reported and its due date", () => {
    const due = dueFrom(view(at('2019-10-20')), PEOPLE.leadNamesOf(PRIYA));
    expect(due.map((d) => d.item.id).sort()).to.deep.equal(PRIYAS_ITEMS);
    for (const d of due) {
      expect(d.item.leads.some((l) => l.includes('Priya Shah'))).to.equal(true);
      expect([d.period.label, d.due, d.overdue, d.daysUntilDue]).to.deep.equal(['Q2 2019/20', '2019-10-30', false, 10]);
    }
  });

  it('before the due date: nothing until REMINDER_DAYS_BEFORE days before, then "before" up to the due day itself', () => {
    expect(kindsOn('2019-10-20'), '10 days before').to.deep.equal([]);
    expect(kindsOn('2019-10-22'), '8 days before').to.deep.equal([]);
    expect(kindsOn('2019-10-23'), '7 days before').to.have.members(PRIYAS_ITEMS.map((id) => `before ${id} Q2 2019/20`));
    expect(kindsOn('2019-10-30'), 'the due day').to.have.length(4);
    expect(kindsOn('2019-10-30').every((k) => k.startsWith('before'))).to.equal(true);
  });

  it('after the due date: "overdue" from REMINDER_DAYS_AFTER days after it, and the next quarter starts over', () => {
    expect(kindsOn('2019-10-31'), 'a day after, with daysAfter 1').to.have.members(PRIYAS_ITEMS.map((id) => `overdue ${id} Q2 2019/20`));
    const three = (day: string) => planReminders(view(at(day)), [conversation(PRIYA)], { daysBefore: 7, daysAfter: 3 }, PEOPLE).length;
    expect([three('2019-10-31'), three('2019-11-01'), three('2019-11-02')], 'daysAfter 3').to.deep.equal([0, 0, 1]);
    // Q3 2019/20 (April-June) is due 30 July: by 1 July the lead reports on that, and nothing is due for a while.
    expect(kindsOn('2020-01-01')).to.deep.equal([]);
    expect(kindsOn('2020-01-25')).to.have.members(PRIYAS_ITEMS.map((id) => `before ${id} Q3 2019/20`));
  });

  it('reminderKind: the two windows, and nothing between them', () => {
    const d = (daysUntilDue: number): DueItem => ({ daysUntilDue, overdue: daysUntilDue < 0 }) as DueItem;
    expect([8, 7, 0, -1, -2].map((n) => reminderKind(d(n), { daysBefore: 7, daysAfter: 2 }))).to.deep.equal([undefined, 'before', 'before', undefined, 'overdue']);
  });

  it('an item with an update for the period (pending or approved) is not reminded; a returned one is', async () => {
    const submit = (itemId: string, key: string) => f.service.submit({ itemId, period: 'Q2 2019/20', status: 'on track', narrative: 'Progress as planned this quarter.' }, PRIYA, key);
    await submit('c21-p1-hub-visits', 'k1');
    const returned = (await submit('c21q2-p2-camhs-wait', 'k2')).submission;
    await f.service.review(returned.id, 'returned', { id: 'rev-1', name: 'Rita' }, 'Please add the figures.');
    expect(kindsOn('2019-10-25')).to.have.members(['before c21q2-p2-camhs-wait Q2 2019/20', 'before c21-p1-a1 Q2 2019/20', 'before c21-p2-a1 Q2 2019/20']);
    // An update for another period does not count.
    await f.service.submit({ itemId: 'c21-p1-a1', period: 'Q1 2019/20', status: 'on track', narrative: 'Last quarter.' }, PRIYA, 'k3');
    expect(kindsOn('2019-10-25')).to.include('before c21-p1-a1 Q2 2019/20');
  });

  it('users who lead nothing get nothing, nor does someone with only a lead\'s name; each user gets only their items', () => {
    const planned = planReminders(view(at('2019-10-25')), [conversation(PRIYA), conversation(TOM), conversation({ id: 'x', name: 'Rita Reviewer' }), conversation({ id: 'namesake', name: 'Priya Shah' })], OPTIONS, PEOPLE);
    expect(planned.map((p) => p.conversation.userName)).to.deep.equal(['Priya Shah', 'Tom Reed']);
    for (const p of planned) for (const i of p.items) expect(i.due.item.leads.some((l) => l.includes(p.conversation.userName))).to.equal(true);
  });

  it('a chase reaches the known leads of late items, and names those it cannot reach', () => {
    const { late } = lateUpdates(view(at('2019-11-09')), { planId: 'cypf-2018-21', priorityNumber: 1 });
    expect(late.map((d) => d.item.id).sort()).to.deep.equal(['c21-p1-a1', 'c21-p1-a2', 'c21-p1-hub-visits']);
    const r = planChase(late, [conversation(PRIYA), conversation({ id: 'namesake', name: 'Tom Reed' })], at('2019-11-09'), PEOPLE);
    expect(r.planned).to.have.length(1);
    expect(r.planned[0].items.map((i) => i.due.item.id).sort()).to.deep.equal(['c21-p1-a1', 'c21-p1-hub-visits']);
    expect(r.planned[0].items.every((i) => i.kind === chaseKind(at('2019-11-09')))).to.equal(true);
    expect(r.unreachable).to.include('Tom Reed').and.not.include('Priya Shah');
    // c21-p1-a1's lead organisation is an organisation, chased through Priya Shah (its person lead): never a person who can't be reached.
    expect([...r.unreachable, ...r.noAccount, ...r.noContact]).to.not.include('Exampleshire County Council');
  });
});

describe('reminders: the runner (real SQLite stores, a recording sender)', () => {
  let f: UpdatesFixture;
  let sent: Reminder[];
  let refuse: number;
  let today: Date;
  let runner: ReminderRunner;
  let conversations: SqliteConversationStore;
  let log: SqliteReminderLog;

  beforeEach(async () => {
    f = updatesFixture(['rev-1'], 'anyone', PEOPLE, 'fixture');
    sent = [];
    refuse = 0;
    today = at('2019-10-25');
    conversations = new SqliteConversationStore(f.db);
    log = new SqliteReminderLog(f.db);
    for (const p of [PRIYA, TOM]) await conversations.upsert({ userId: p.id, userName: p.name, reference: conversation(p).reference }, today);
    const sender = {
      send: async (_to: KnownConversation, r: Reminder) => {
        if (refuse > 0) {
          refuse--;
          throw new Error('connector said 403');
        }
        sent.push(r);
      },
    };
    runner = new ReminderRunner({ service: f.service, conversations, log, sender, now: () => today, options: OPTIONS });
  });
  afterEach(() => f.close());

  it('sends each lead one card with only their items, and nothing the second time', async () => {
    const first = await runner.runOnce();
    expect(first.sent.map((d) => d.to.name).sort()).to.deep.equal(['Priya Shah', 'Tom Reed']);
    expect(sent).to.have.length(2);
    const priya = sent.find((r) => r.to.id === PRIYA.id)!;
    expect(priya.items.map((i) => i.due.item.id).sort()).to.deep.equal(PRIYAS_ITEMS);
    const second = await runner.runOnce();
    expect(second.sent).to.deep.equal([]);
    expect(second.alreadyHandled).to.equal(first.sent.reduce((n, d) => n + d.items.length, 0));
    expect(sent).to.have.length(2);
    expect((await log.forUser(PRIYA.id)).map((r) => r.state)).to.deep.equal(['sent', 'sent', 'sent', 'sent']);
  });

  it('the overdue reminder is a second reminder for the same period; then nothing more', async () => {
    await runner.runOnce();
    today = at('2019-11-01');
    await runner.runOnce();
    await runner.runOnce();
    const priya = sent.filter((r) => r.to.id === PRIYA.id);
    expect(priya.map((r) => r.items.map((i) => i.kind)[0])).to.deep.equal(['before', 'overdue']);
  });

  it('an update submitted between runs stops that item’s reminder', async () => {
    await f.service.submit({ itemId: 'c21-p1-hub-visits', period: 'Q2 2019/20', status: 'on track', narrative: 'Two more family hubs opened.' }, PRIYA, 'k-hub-visits');
    await runner.runOnce();
    const priya = sent.find((r) => r.to.id === PRIYA.id)!;
    expect(priya.items.map((i) => i.due.item.id)).to.not.include('c21-p1-hub-visits');
  });

  it('a dry run sends and records nothing', async () => {
    const dry = await runner.runOnce({ dryRun: true });
    expect(dry.sent).to.have.length(2);
    expect(sent).to.have.length(0);
    expect(await log.forUser(PRIYA.id)).to.deep.equal([]);
  });

  it(`a refused send is marked failed and tried again by the next run, at most ${MAX_ATTEMPTS} times in all`, async () => {
    refuse = 100;
    const r1 = await runner.runOnce();
    expect(r1.failed).to.have.length(2);
    expect((await log.forUser(PRIYA.id)).map((r) => [r.state, r.attempts, r.error])).to.deep.equal(PRIYAS_ITEMS.map(() => ['failed', 1, 'connector said 403']));
    await runner.runOnce();
    await runner.runOnce();
    expect((await log.forUser(PRIYA.id)).every((r) => r.attempts === MAX_ATTEMPTS)).to.equal(true);
    refuse = 0;
    const r4 = await runner.runOnce();
    expect(r4.sent, 'given up after the last attempt').to.deep.equal([]);

    // A refusal followed by success: sent once.
    const f2 = updatesFixture(['rev-1'], 'anyone', PEOPLE, 'fixture');
    try {
      const store = new SqliteConversationStore(f2.db);
      await store.upsert({ userId: PRIYA.id, userName: PRIYA.name, reference: {} }, today);
      let calls = 0;
      const flaky = new ReminderRunner({ service: f2.service, conversations: store, log: new SqliteReminderLog(f2.db), now: () => today, options: OPTIONS, sender: {
          send: async () => {
            if (++calls === 1) throw new Error('connector said 503');
          },
        },
      });
      expect((await flaky.runOnce()).failed).to.have.length(1);
      expect((await flaky.runOnce()).sent).to.have.length(1);
      expect((await flaky.runOnce()).sent).to.have.length(0);
      expect(calls).to.equal(2);
    } finally {
      f2.close();
    }
  });

  it(`a run that died after claiming (before sending) is taken over once its claims are ${CLAIM_TIMEOUT_MINUTES} minutes old, not before`, async () => {
    // The dead run: claimed Priya's items at 09:00 and never sent or marked them.
    const dead = await log.claim(PRIYAS_ITEMS.map((itemId) => ({ userId: PRIYA.id, itemId, period: 'Q2 2019/20', kind: 'before' })), claimOptions('dead-run', today));
    expect(dead).to.have.length(4);
    today = at('2019-10-25', '09:05:00');
    await runner.runOnce();
    expect(sent.map((r) => r.to.id), 'five minutes on: still theirs').to.deep.equal([TOM.id]);
    today = at('2019-10-25', '09:11:00');
    await runner.runOnce();
    expect(sent.map((r) => r.to.id)).to.deep.equal([TOM.id, PRIYA.id]);
    expect((await log.forUser(PRIYA.id)).map((r) => [r.state, r.attempts])).to.deep.equal(PRIYAS_ITEMS.map(() => ['sent', 2]));
  });

  it('two runs at once (two instances): every reminder is sent once', async () => {
    const other = new ReminderRunner({ service: f.service, conversations, log: new SqliteReminderLog(f.db), sender: { send: async (_c, r) => void sent.push(r) }, now: () => today, options: OPTIONS });
    await Promise.all([runner.runOnce(), other.runOnce(), runner.runOnce()]);
    const items = sent.flatMap((r) => r.items.map((i) => `${r.to.id} ${i.due.item.id}`));
    expect(items.length).to.equal(new Set(items).size);
    expect(items.filter((i) => i.startsWith(PRIYA.id))).to.have.length(4);
  });

  it('a chase sends the late items once per lead and day, and says whom it cannot reach', async () => {
    today = at('2019-11-09');
    const by = { id: 'rev-1', name: 'Rita Reviewer' };
    const r = await runner.chase({ planId: 'cypf-2018-21', priorityNumber: 1 }, by);
    expect(r.sent.map((d) => d.to.name).sort()).to.deep.equal(['Priya Shah', 'Tom Reed']);
    expect(sent.every((x) => x.chasedBy?.name === 'Rita Reviewer')).to.equal(true);
    expect([r.unreachable, r.noAccount, r.noContact]).to.deep.equal([[], [], []]);
    const again = await runner.chase({ planId: 'cypf-2018-21', priorityNumber: 1 }, by);
    expect(again.sent).to.deep.equal([]);
    expect(again.alreadyChased.map((p) => p.name).sort()).to.deep.equal(['Priya Shah', 'Tom Reed']);
    expect(sent).to.have.length(2);
    // The scheduled overdue reminder is a different reminder: it still goes.
    await runner.runOnce();
    expect(sent.slice(2).map((x) => x.items[0].kind)).to.deep.equal(['overdue', 'overdue']);
  });

  it('once the last calendar has ended nothing is due, and the report says whose calendar ended when', async () => {
    today = at('2021-07-10');
    const r = await runner.runOnce();
    expect(r.sent).to.deep.equal([]);
    expect(r.calendars).to.deep.equal({ current: [], lastEnded: { planId: 'cypf-2018-21', title: 'Children, Young People and Families Plan 2018-2021', until: '2021-03-31' } });
    // While a calendar covers the day, the report says which.
    today = at('2019-10-25');
    expect((await runner.runOnce({ dryRun: true })).calendars.current).to.have.members(['cypf-2018-21', 'city-cypp']);
  });
});
