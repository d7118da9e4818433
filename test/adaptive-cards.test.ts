/**
 * Every card the bot sends is a valid Adaptive Card 1.5 that Teams renders in
 * full, as Microsoft's own Adaptive Cards object model reads it (see
 * helpers/adaptiveCard.ts): answers and "not found", help, summaries and their
 * choice cards, each step of the update dialog, the one-card form and its
 * returned copy, review and "my updates", the reporting cycle's due list,
 * reminders and late list. Through the Teams handler (TestAdapter) with the
 * real plans and a real SQLite store, on a fixed clock; first, that the check
 * itself catches what it should.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { answerCard, helpCard, notFoundCard } from '../bot/cards';
import { summaryCard, summaryChoiceCard } from '../bot/summaryCards';
import { dueListCard, lateListCard, nothingToCarryCard, reminderCard } from '../bot/reminderCards';
import { confirmCard, myUpdatesCard, reviewCard, updateFormCard } from '../bot/updateCards';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { dueFrom, lateUpdates, type CycleView } from '../updates/reportingCycle';
import { testPeople } from './helpers/people';
import type { Person } from '../updates/types';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { ROOT } from './helpers/paths';
import { TEAMS_MAX_ACTIONS, validateCard, validateReplyCards } from './helpers/adaptiveCard';

const GOOD = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello', wrap: true }] };
const withBody = (body: unknown[], actions?: unknown[]) => ({ ...GOOD, body, ...(actions ? { actions } : {}) });

describe('validating Adaptive Cards with the adaptivecards SDK', () => {
  it('accepts a card Teams renders in full', () => {
    expect(validateCard(GOOD)).to.deep.equal([]);
    const showCard = { type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Inside', wrap: true }], actions: [{ type: 'Action.Submit', title: 'Go', data: { msteams: { type: 'imBack', value: 'go' } } }] } };
    const toggle = { type: 'Action.ToggleVisibility', title: 'Show', targetElements: ['more'] };
    expect(validateCard(withBody([{ type: 'TextBlock', text: 'a', wrap: true }, { type: 'Container', id: 'more', isVisible: false, items: [{ type: 'TextBlock', text: 'b', wrap: true }] }], [showCard, toggle]))).to.deep.equal([]);
  });

  const faults: [string, object, RegExp][] = [
    ['an element type that does not exist', withBody([{ type: 'Fancy', text: 'x' }]), /UnknownElementType: .*"Fancy"/],
    ['an action type that does not exist', withBody([], [{ type: 'Action.Teleport', title: 'Go' }]), /UnknownActionType: .*"Action.Teleport"/],
    ['an invalid property value', withBody([{ type: 'TextBlock', text: 'x', wrap: true, size: 'Enormous' }]), /InvalidPropertyValue: .*"Enormous"/],
    ['an invalid value in a ShowCard card', withBody([], [{ type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x', wrap: true, color: 'Rainbow' }] } }]), /"Rainbow"/],
    ['a choice set without choices', withBody([{ type: 'Input.ChoiceSet', id: 'c', choices: [] }]), /CollectionCantBeEmpty/],
    ['two inputs with one id', withBody([{ type: 'Input.Text', id: 'a', label: 'A' }, { type: 'Input.Text', id: 'a', label: 'B' }]), /DuplicateId/],
    ['a required input without a label', withBody([{ type: 'Input.Text', id: 'a', isRequired: true, errorMessage: 'Say something' }]), /RequiredInputsShouldHaveLabel/],
    [`more than ${TEAMS_MAX_ACTIONS} actions in one place`, withBody([], Array.from({ length: TEAMS_MAX_ACTIONS + 1 }, (_, i) => ({ type: 'Action.Submit', title: `b${i}`, data: { i } }))), /TooManyActions/],
    ['a version other than 1.5', { ...GOOD, version: '1.6' }, /version must be 1.5/],
    ['a TextBlock that does not wrap', withBody([{ type: 'TextBlock', text: 'x' }]), /must wrap/],
    ['an element Teams does not render', withBody([{ type: 'Media', sources: [{ mimeType: 'video/mp4', url: 'https://example.org/v.mp4' }] }]), /Media is not an element Teams renders/],
    ['a ToggleVisibility target that is not there', withBody([], [{ type: 'Action.ToggleVisibility', title: 'Show', targetElements: ['nowhere'] }]), /targets "nowhere"/],
    ['an action without a title', withBody([], [{ type: 'Action.Submit', data: { a: 1 } }]), /action needs a title/],
  ];
  for (const [what, card, message] of faults) {
    it(`refuses ${what}`, () => {
      const errors = validateCard(card);
      expect(errors.join('\n')).to.match(message);
    });
  }

  it('reports what the SDK drops on a round trip', () => {
    const errors = validateCard(withBody([{ type: 'TextBlock', text: 'kept', wrap: true }, { type: 'Fancy' }], [{ type: 'Action.Teleport', title: 'Go' }]));
    expect(errors).to.include('adaptivecards (round trip) dropped or changed: body Fancy');
    expect(errors).to.include('adaptivecards (round trip) dropped or changed: actions Action.Teleport "Go"');
    expect(errors.join('\n')).to.not.include('TextBlock');
  });
});

describe('every card the bot sends validates as Adaptive Card 1.5 for Teams', () => {
  const CLAIRE = { id: 'aad-claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
  const RITA = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
  const SELF_HARM = 'cy-p1-self-harm';
  const today = new Date('2018-05-10T09:00:00Z');
  let f: UpdatesFixture;
  let bot: PlanBot;
  /** Every reply of every turn in a test, with the message that caused it. */
  let seen: { input: string; reply: Partial<Activity> }[];

  beforeEach(() => {
    f = updatesFixture(['rev-1']);
    seen = [];
    const { answerer, summariser } = realKnowledge();
    bot = new PlanBot({ answerer, summariser, conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger(), now: () => today });
  });
  afterEach(() => f.close());

  function chat(person: Person & { aadObjectId?: string }) {
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx), { from: person, channelId: 'msteams' });
    adapter.conversation.conversation = { id: `conv-${person.id}`, isGroup: false, conversationType: 'personal', name: '' };
    return async (input: string | Record<string, unknown>): Promise<Partial<Activity>[]> => {
      await adapter.send(typeof input === 'string' ? input : { type: 'message', value: input });
      const replies = adapter.activeQueue.splice(0);
      for (const reply of replies) seen.push({ input: JSON.stringify(input), reply });
      return replies;
    };
  }
  const cards = (replies: Partial<Activity>[]) => replies.flatMap((r) => (r.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as Record<string, unknown>));

  /** Every card seen in the test validates; and there were at least `min` of them. */
  function expectAllValid(min: number) {
    const errors = seen.flatMap(({ input, reply }) => validateReplyCards([reply]).map((e) => `after ${input}: ${e}`));
    expect(errors).to.deep.equal([]);
    expect(seen.reduce((n, s) => n + cards([s.reply]).length, 0)).to.be.at.least(min);
  }

  it('answers, "not found", help and greetings (every held-out-like question)', async () => {
    const questions = (JSON.parse(readFileSync(join(ROOT, 'test', 'eval', 'heldout-like.json'), 'utf8')) as { question: string }[]).map((q) => q.question);
    const say = chat({ id: 'u1', name: 'Una User' });
    for (const q of [...questions, 'help', 'hi', 'what is the price of fish in grimsby', 'who leads it?']) await say(q);
    expectAllValid(questions.length);
    // The card builders directly too, for answers the conversation above may not reach.
    const { answerer } = realKnowledge();
    for (const q of ['camhs wiating time', 'how many kids on a CP plan in the city', 'what does SHARP stand for', 'what is the price of fish']) {
      const a = answerer.answer(q);
      expect(validateCard(a.kind === 'notFound' ? notFoundCard(a, q) : answerCard(a)), q).to.deep.equal([]);
    }
    expect(validateCard(helpCard())).to.deep.equal([]);
  });

  it('summaries: every priority, with approved updates and "what changed since", the choice cards and the export', async () => {
    const { summariser } = realKnowledge();
    // Approved updates on every item of a priority, so the card carries update narratives and changes.
    for (const [i, item] of f.service.itemsIn('county-cypf-2016-18', 1).entries()) {
      const { submission } = await f.service.submit({ itemId: item.id, value: item.kind === 'indicator' ? '12' : undefined, period: 'Q4 2017/18', status: 'at risk', narrative: `Progress on item ${i}: `.padEnd(900, 'words of a long narrative ') }, CLAIRE, `k${i}`);
      await f.service.review(submission.id, 'approved', RITA);
    }
    for (const plan of realKnowledge().knowledge.plans) {
      for (const n of summariser.prioritiesOf(plan.id)) {
        const s = summariser.summarise(plan.id, n, { from: '2016-04-01', label: 'the start of 2016/17' })!;
        expect(validateCard(summaryCard(s)), `${plan.id} ${n}`).to.deep.equal([]);
      }
    }
    const say = chat({ id: 'u2', name: 'Manager' });
    for (const q of ['summarise priority 4 of the city CYPP', 'summarise priority 2', 'summarise priority 2 for the county', 'summary', 'summarise mental health', 'what changed in priority 1 of the CYPF plan since Q3 2016/17', 'what changed in priority 1 since Q3 2016/17']) {
      await say(q);
    }
    const choice = summariser.request('summarise priority 1');
    if (choice.kind === 'choose') expect(validateCard(summaryChoiceCard(choice))).to.deep.equal([]);
    await say({ action: 'summary', planId: 'county-cypf-2016-18', priority: 1, since: { from: '2016-10-01', label: 'the start of Q3 2016/17' } });
    await say({ action: 'exportSummary', planId: 'county-cypf-2016-18', priority: 1 });
    expectAllValid(7);
  });

  it('progress updates: each step of the dialog, the form and its returned copy, review and "my updates"', async () => {
    const say = chat(CLAIRE);
    // Question by question, with the browse path (plan, priority, items).
    for (const input of ['submit an update', { browse: true }, { plan: 'county-cypf-2016-18' }, { priority: 1 }, 'start over', 'self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'red', 'Clinics paused in the summer.', 'Two staff vacancies in the team.', 'Recruiting two posts by April.', 'none', 'confirm']) {
      await say(input);
    }
    // The one-card form, returned with errors, then saved.
    await say('submit an update');
    const [form] = cards(await say({ form: true }));
    expect(form, 'the form card').to.exist;
    await say({ action: 'confirmUpdateForm', formId: 'form-1', itemId: SELF_HARM, value: '140%', period: 'soon', status: 'off track', narrative: 'ok' });
    await say({ action: 'confirmUpdateForm', formId: 'form-1', itemId: SELF_HARM, value: '41', period: 'Q4 2017/18', status: 'on track', narrative: 'Clinics run in twelve schools now.' });
    await say('my updates');
    await chat(RITA)('review updates');
    expectAllValid(12);
    // The builders directly, for the largest cards they make.
    const item = f.service.item(SELF_HARM)!;
    const long = 'x'.repeat(4000);
    expect(validateCard(confirmCard({ itemId: SELF_HARM, value: '41', period: 'Q4 2017/18', status: 'off track', narrative: long, reason: long.slice(0, 2000), recovery: long.slice(0, 2000), evidence: 'https://example.org/report' }, item, 'key'))).to.deep.equal([]);
    expect(validateCard(updateFormCard('f', f.service.itemsByPlan(), { narrative: long }, { errors: [{ field: 'narrative', message: 'Too long.' }] }))).to.deep.equal([]);
    expect(validateCard(myUpdatesCard([]))).to.deep.equal([]);
    const [pending] = await f.store.pending();
    expect(validateCard(reviewCard(pending))).to.deep.equal([]);
  });

  it('the reporting cycle: due list, its buttons, the late list and its choice card, reminders', async () => {
    const say = chat(CLAIRE);
    await say("what's due from me");
    await say({ action: 'noChange', itemId: SELF_HARM, period: 'Q4 2017/18' });
    await say({ action: 'updateNow', itemId: SELF_HARM, period: 'Q4 2017/18' });
    const rita = chat(RITA);
    await rita('overdue updates');
    await rita("what's missing for priority 2");
    await rita({ action: 'lateUpdates', planId: 'city-cypp-2016-20', priority: 2 });
    await rita({ action: 'nothing we know' });
    expectAllValid(5);
    const view: CycleView = { items: f.service.allItems(), calendars: f.service.reportingCalendars(), submissions: f.published.all(), now: today };
    const leads = testPeople().leadNamesOf(CLAIRE);
    const due = dueFrom(view, leads);
    expect(validateCard(dueListCard(CLAIRE.name, due, leads))).to.deep.equal([]);
    expect(validateCard(reminderCard({ to: CLAIRE, items: due.map((d) => ({ kind: 'overdue', due: d })), on: today, leads }))).to.deep.equal([]);
    expect(validateCard(reminderCard({ to: CLAIRE, chasedBy: RITA, items: due.map((d) => ({ kind: 'chase 2018-05-10', due: d })), on: today, leads }))).to.deep.equal([]);
    expect(validateCard(lateListCard('Every plan', lateUpdates(view, {}), true))).to.deep.equal([]);
    expect(validateCard(nothingToCarryCard('Self-harm admissions', SELF_HARM, 'Q4 2017/18'))).to.deep.equal([]);
  });
});
