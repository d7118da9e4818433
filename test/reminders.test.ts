/**
 * Which reminders are due, on a fixed clock, over the real plans and their
 * real leads (Claire Tagg leads three city priority 1 indicators; the city
 * plan reports quarterly, due 30 days after the quarter: Q4 2017/18 is due
 * 30 April 2018). Then the runner with real SQLite stores and a recording
 * sender: once per lead, item, period and kind; a refused send is tried
 * again; a run that died holding claims is taken over; a chase.
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

const PEOPLE = testPeople();

const CLAIRE = { id: 'aad-claire', name: 'Claire Tagg' };
const HELENE = { id: 'aad-helene', name: 'Helene Denness' };
const CLAIRES_ITEMS = ['cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions', 'cy-p1-self-harm'];
const OPTIONS = { daysBefore: 7, daysAfter: 1 };

const at = (day: string, time = '09:00:00') => new Date(`${day}T${time}Z`);
const conversation = (p: Person): KnownConversation => ({ userId: p.id, userName: p.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `conv-${p.id}` } }, updatedAt: '2018-01-01T00:00:00.000Z' });

describe('reminders: which are due (fixed clock, real plans)', () => {
  let f: UpdatesFixture;
  beforeEach(() => {
    f = updatesFixture(['rev-1'], 'anyone', PEOPLE);
  });
  afterEach(() => f.close());

  const view = (now: Date): CycleView => ({ items: f.service.allItems(), calendars: f.service.reportingCalendars(), submissions: f.published.all(), now });
  const kindsOn = (day: string) => planReminders(view(at(day)), [conversation(CLAIRE)], OPTIONS, PEOPLE).flatMap((p) => p.items.map((i) => `${i.kind} ${i.due.item.id} ${i.due.period.label}`));

  it("lists a lead's own items only, with the period being reported and its due date", () => {
    const due = dueFrom(view(at('2018-04-20')), PEOPLE.leadNamesOf(CLAIRE));
    expect(due.map((d) => d.item.id).sort()).to.deep.equal(CLAIRES_ITEMS);
    for (const d of due) {
      expect(d.item.leads.some((l) => l.includes('Claire Tagg'))).to.equal(true);
      expect([d.period.label, d.due, d.overdue, d.daysUntilDue]).to.deep.equal(['Q4 2017/18', '2018-04-30', false, 10]);
    }
  });

  it('before the due date: nothing until REMINDER_DAYS_BEFORE days before, then "before" up to the due day itself', () => {
    expect(kindsOn('2018-04-20'), '10 days before').to.deep.equal([]);
    expect(kindsOn('2018-04-22'), '8 days before').to.deep.equal([]);
    expect(kindsOn('2018-04-23'), '7 days before').to.have.members(CLAIRES_ITEMS.map((id) => `before ${id} Q4 2017/18`));
    expect(kindsOn('2018-04-30'), 'the due day').to.have.length(3);
    expect(kindsOn('2018-04-30').every((k) => k.startsWith('before'))).to.equal(true);
  });

  it('after the due date: "overdue" from REMINDER_DAYS_AFTER days after it, and the next quarter starts over', () => {
    expect(kindsOn('2018-05-01'), 'a day after, with daysAfter 1').to.have.members(CLAIRES_ITEMS.map((id) => `overdue ${id} Q4 2017/18`));
    const three = (day: string) => planReminders(view(at(day)), [conversation(CLAIRE)], { daysBefore: 7, daysAfter: 3 }, PEOPLE).length;
    expect([three('2018-05-01'), three('2018-05-02'), three('2018-05-03')], 'daysAfter 3').to.deep.equal([0, 0, 1]);
    // Q1 2018/19 (April-June) is due 30 July: by 1 July the lead reports on that, and nothing is due for a while.
    expect(kindsOn('2018-07-01')).to.deep.equal([]);
    expect(kindsOn('2018-07-25')).to.have.members(CLAIRES_ITEMS.map((id) => `before ${id} Q1 2018/19`));
  });

  it('reminderKind: the two windows, and nothing between them', () => {
    const d = (daysUntilDue: number): DueItem => ({ daysUntilDue, overdue: daysUntilDue < 0 }) as DueItem;
    expect([8, 7, 0, -1, -2].map((n) => reminderKind(d(n), { daysBefore: 7, daysAfter: 2 }))).to.deep.equal([undefined, 'before', 'before', undefined, 'overdue']);
  });

  it('an item with an update for the period (pending or approved) is not reminded; a returned one is', async () => {
    const submit = (itemId: string, key: string) => f.service.submit({ itemId, period: 'Q4 2017/18', status: 'on track', narrative: 'Progress as planned this quarter.' }, CLAIRE, key);
    await submit('cy-p1-self-harm', 'k1');
    const returned = (await submit('cy-p1-bemh-referrals', 'k2')).submission;
    await f.service.review(returned.id, 'returned', { id: 'rev-1', name: 'Rita' }, 'Please add the figures.');
    expect(kindsOn('2018-04-25')).to.have.members(['before cy-p1-bemh-referrals Q4 2017/18', 'before cy-p1-mental-health-admissions Q4 2017/18']);
    // An update for another period does not count.
    await f.service.submit({ itemId: 'cy-p1-mental-health-admissions', period: 'Q3 2017/18', status: 'on track', narrative: 'Last quarter.' }, CLAIRE, 'k3');
    expect(kindsOn('2018-04-25')).to.include('before cy-p1-mental-health-admissions Q4 2017/18');
  });

  it('users who lead nothing get nothing, nor does someone with only a lead\'s name; each user gets only their items', () => {
    const planned = planReminders(view(at('2018-04-25')), [conversation(CLAIRE), conversation(HELENE), conversation({ id: 'x', name: 'Rita Reviewer' }), conversation({ id: 'namesake', name: 'Claire Tagg' })], OPTIONS, PEOPLE);
    expect(planned.map((p) => p.conversation.userName)).to.deep.equal(['Claire Tagg', 'Helene Denness']);
    for (const p of planned) for (const i of p.items) expect(i.due.item.leads.some((l) => l.includes(p.conversation.userName))).to.equal(true);
  });

  it('a chase reaches the known leads of late items, and names those it cannot reach', () => {
    const { late } = lateUpdates(view(at('2018-05-10')), { planId: 'city-cypp-2016-20', priorityNumber: 1 });
    expect(late.length).to.be.greaterThan(10);
    const r = planChase(late, [conversation(CLAIRE), conversation({ id: 'namesake', name: 'Helene Denness' })], at('2018-05-10'), PEOPLE);
    expect(r.planned).to.have.length(1);
    expect(r.planned[0].items.map((i) => i.due.item.id).sort()).to.deep.equal(CLAIRES_ITEMS);
    expect(r.planned[0].items.every((i) => i.kind === chaseKind(at('2018-05-10')))).to.equal(true);
    expect(r.unreachable).to.include('Hayley Bippin').and.include('Helene Denness').and.not.include('Claire Tagg');
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
    f = updatesFixture(['rev-1'], 'anyone', PEOPLE);
    sent = [];
    refuse = 0;
    today = at('2018-04-25');
    conversations = new SqliteConversationStore(f.db);
    log = new SqliteReminderLog(f.db);
    for (const p of [CLAIRE, HELENE]) await conversations.upsert({ userId: p.id, userName: p.name, reference: conversation(p).reference }, today);
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
    expect(first.sent.map((d) => d.to.name).sort()).to.deep.equal(['Claire Tagg', 'Helene Denness']);
    expect(sent).to.have.length(2);
    const claire = sent.find((r) => r.to.id === CLAIRE.id)!;
    expect(claire.items.map((i) => i.due.item.id).sort()).to.deep.equal(CLAIRES_ITEMS);
    const second = await runner.runOnce();
    expect(second.sent).to.deep.equal([]);
    expect(second.alreadyHandled).to.equal(first.sent.reduce((n, d) => n + d.items.length, 0));
    expect(sent).to.have.length(2);
    expect((await log.forUser(CLAIRE.id)).map((r) => r.state)).to.deep.equal(['sent', 'sent', 'sent']);
  });

  it('the overdue reminder is a second reminder for the same period; then nothing more', async () => {
    await runner.runOnce();
    today = at('2018-05-02');
    await runner.runOnce();
    await runner.runOnce();
    const claire = sent.filter((r) => r.to.id === CLAIRE.id);
    expect(claire.map((r) => r.items.map((i) => i.kind)[0])).to.deep.equal(['before', 'overdue']);
  });

  it('an update submitted between runs stops that item’s reminder', async () => {
    await f.service.submit({ itemId: 'cy-p1-self-harm', period: 'Q4 2017/18', status: 'on track', narrative: 'Clinics in twelve schools.' }, CLAIRE, 'k-self-harm');
    await runner.runOnce();
    const claire = sent.find((r) => r.to.id === CLAIRE.id)!;
    expect(claire.items.map((i) => i.due.item.id)).to.not.include('cy-p1-self-harm');
  });

  it('a dry run sends and records nothing', async () => {
    const dry = await runner.runOnce({ dryRun: true });
    expect(dry.sent).to.have.length(2);
    expect(sent).to.have.length(0);
    expect(await log.forUser(CLAIRE.id)).to.deep.equal([]);
  });

  it(`a refused send is marked failed and tried again by the next run, at most ${MAX_ATTEMPTS} times in all`, async () => {
    refuse = 100;
    const r1 = await runner.runOnce();
    expect(r1.failed).to.have.length(2);
    expect((await log.forUser(CLAIRE.id)).map((r) => [r.state, r.attempts, r.error])).to.deep.equal(CLAIRES_ITEMS.map(() => ['failed', 1, 'connector said 403']));
    await runner.runOnce();
    await runner.runOnce();
    expect((await log.forUser(CLAIRE.id)).every((r) => r.attempts === MAX_ATTEMPTS)).to.equal(true);
    refuse = 0;
    const r4 = await runner.runOnce();
    expect(r4.sent, 'given up after the last attempt').to.deep.equal([]);

    // A refusal followed by success: sent once.
    const f2 = updatesFixture(['rev-1'], 'anyone', PEOPLE);
    try {
      const store = new SqliteConversationStore(f2.db);
      await store.upsert({ userId: CLAIRE.id, userName: CLAIRE.name, reference: {} }, today);
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
    // The dead run: claimed Claire's items at 09:00 and never sent or marked them.
    const dead = await log.claim(CLAIRES_ITEMS.map((itemId) => ({ userId: CLAIRE.id, itemId, period: 'Q4 2017/18', kind: 'before' })), claimOptions('dead-run', today));
    expect(dead).to.have.length(3);
    today = at('2018-04-25', '09:05:00');
    await runner.runOnce();
    expect(sent.map((r) => r.to.id), 'five minutes on: still theirs').to.deep.equal([HELENE.id]);
    today = at('2018-04-25', '09:11:00');
    await runner.runOnce();
    expect(sent.map((r) => r.to.id)).to.deep.equal([HELENE.id, CLAIRE.id]);
    expect((await log.forUser(CLAIRE.id)).map((r) => [r.state, r.attempts])).to.deep.equal(CLAIRES_ITEMS.map(() => ['sent', 2]));
  });

  it('two runs at once (two instances): every reminder is sent once', async () => {
    const other = new ReminderRunner({ service: f.service, conversations, log: new SqliteReminderLog(f.db), sender: { send: async (_c, r) => void sent.push(r) }, now: () => today, options: OPTIONS });
    await Promise.all([runner.runOnce(), other.runOnce(), runner.runOnce()]);
    const items = sent.flatMap((r) => r.items.map((i) => `${r.to.id} ${i.due.item.id}`));
    expect(items.length).to.equal(new Set(items).size);
    expect(items.filter((i) => i.startsWith(CLAIRE.id))).to.have.length(3);
  });

  it('a chase sends the late items once per lead and day, and says whom it cannot reach', async () => {
    today = at('2018-05-10');
    const by = { id: 'rev-1', name: 'Rita Reviewer' };
    const r = await runner.chase({ planId: 'city-cypp-2016-20', priorityNumber: 1 }, by);
    expect(r.sent.map((d) => d.to.name).sort()).to.deep.equal(['Claire Tagg', 'Helene Denness']);
    expect(sent.every((x) => x.chasedBy?.name === 'Rita Reviewer')).to.equal(true);
    expect(r.unreachable).to.include('Hayley Bippin');
    const again = await runner.chase({ planId: 'city-cypp-2016-20', priorityNumber: 1 }, by);
    expect(again.sent).to.deep.equal([]);
    expect(again.alreadyChased.map((p) => p.name).sort()).to.deep.equal(['Claire Tagg', 'Helene Denness']);
    expect(sent).to.have.length(2);
    // The scheduled overdue reminder is a different reminder: it still goes.
    await runner.runOnce();
    expect(sent.slice(2).map((x) => x.items[0].kind)).to.deep.equal(['overdue', 'overdue']);
  });
});
