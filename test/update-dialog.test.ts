/**
 * The guided update dialog, table-driven through botbuilder-testing's
 * DialogTestClient: the whole flow, every validation failure (through the
 * dialog, including a wrong unit and a percentage over 100), the commands
 * (cancel, help, back, start over) at every step, the lead's own items
 * first, edits from the confirmation card, and the one-card form reaching
 * every item. Every card the dialog sends is checked as Adaptive Card 1.5.
 */
import { isPlaceholder } from '../updates/reportable';
import { submitDataIn } from './helpers/assertions';
import { expect } from 'chai';
import { DialogTestClient } from 'botbuilder-testing';
import type { Activity } from 'botbuilder';
import { UpdateDialog, MAX_FAILURES } from '../dialogs/updateDialog';
import { cardBytes } from '../bot/summaryCards';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';
import { realKnowledge } from './helpers/knowledge';
import { validateReplyCards } from './helpers/adaptiveCard';
import { validateUpdateForm } from '../updates/validation';
import { replySafe } from '../bot/text';

type Input = string | Record<string, unknown>;
type Step = [Input, string | RegExp | (string | RegExp)[]];

const LEAD = { id: 'lead-1', name: 'Claire Tagg' };
const SELF_HARM = 'cy-p1-self-harm';

/** Claire Tagg's own items: the plans name her as their lead. */
const CLAIRES_ITEMS = ['cy-p1-self-harm', 'cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions'];

/** A DialogTestClient whose every activity comes from the dialog's user: the dialog answers only its owner (by id). */
function dialogClient(f: UpdatesFixture, options: { user: { id: string; name: string }; opening?: string; itemId?: string }) {
  const client = new DialogTestClient('msteams', new UpdateDialog(f.service), options);
  const from = { id: options.user.id, name: options.user.name };
  return {
    sendActivity: (a: string | Partial<Activity>) => client.sendActivity({ type: 'message', ...(typeof a === 'string' ? { text: a } : a), from } as Partial<Activity>),
    getNextReply: () => client.getNextReply(),
    get dialogContext() {
      return client.dialogContext;
    },
  };
}

/** The texts of each turn's replies; `replies` holds the activities themselves, turn by turn. */
type Transcript = string[] & { replies: Partial<Activity>[][] };

async function run(f: UpdatesFixture, opening: { opening?: string; itemId?: string }, steps: Step[]): Promise<Transcript> {
  const client = dialogClient(f, { user: LEAD, ...opening });
  const transcript = Object.assign([] as string[], { replies: [] as Partial<Activity>[][] });
  const collect = (first: Partial<Activity> | undefined) => {
    const out: Partial<Activity>[] = [];
    let r = first;
    while (r) {
      out.push(r);
      r = client.getNextReply();
    }
    // Every card the dialog sends is a valid Adaptive Card 1.5 that Teams renders in full.
    expect(validateReplyCards(out), `cards after turn ${transcript.length}`).to.deep.equal([]);
    transcript.replies.push(out);
    return out.map((a) => visibleText(a as never)).join('\n');
  };
  // The first turn starts the dialog with the opening message.
  let reply = collect(await client.sendActivity(opening.opening ?? 'submit an update'));
  transcript.push(reply);
  for (const [input, expected] of steps) {
    const activity: Partial<Activity> = typeof input === 'string' ? { type: 'message', text: input } : { type: 'message', value: input };
    reply = collect(await client.sendActivity(activity));
    transcript.push(reply);
    for (const e of Array.isArray(expected) ? expected : [expected]) {
      if (typeof e === 'string') expect(reply, `after ${JSON.stringify(input)}`).to.include(e);
      else expect(reply, `after ${JSON.stringify(input)}`).to.match(e);
    }
  }
  return transcript;
}

/** Every Action.Submit's data on the cards of some replies, wherever it sits. */
const submitData = (replies: Partial<Activity>[]) => submitDataIn(replies.map((r) => r.attachments?.map((a) => a.content)));

describe('update dialog', () => {
  let f: UpdatesFixture;
  beforeEach(() => {
    f = updatesFixture();
  });
  afterEach(() => f.close());

  it('has the self-harm indicator the tests rely on', () => {
    expect(f.service.item(SELF_HARM)?.kind).to.equal('indicator');
  });

  it('collects an indicator update question by question, confirms and saves it once', async () => {
    const t = await run(f, { opening: 'update on self-harm admissions in the city' }, [
      ['yes', 'What is the new value'],
      ['40', 'Which period'],
      ['q3 17/18', 'What is the status'],
      [{ status: 'on track' }, 'Describe the progress'],
      ['SHARP clinics continue in schools with more referrals.', 'Any evidence'],
      ['https://example.org/sharp-report', 'Check your update'],
    ]);
    expect(t[0]).to.include('Is this update for');
    expect(t[6]).to.include('Q3 2017/18').and.include('40').and.include('on track');
    expect(await f.store.pending()).to.have.length(0);
    const client = dialogClient(f, { user: LEAD, itemId: SELF_HARM });
    const steps: Input[] = ['go', { confirmItem: true }, '41', 'March 2018', 'green', 'Clinics are running in twelve schools now.', 'none'];
    for (const s of steps) await client.sendActivity(typeof s === 'string' ? s : { type: 'message', value: s });
    const key = (client.dialogContext?.activeDialog?.state as { dialogs?: { dialogStack?: { state?: { options?: { key?: string } } }[] } })?.dialogs?.dialogStack?.[0]?.state?.options?.key;
    const saved = await client.sendActivity({ type: 'message', value: { updateAction: 'confirm', key } });
    expect(visibleText(saved)).to.include('Saved.').and.include('pending review');
    const pending = await f.store.pending();
    expect(pending).to.have.length(1);
    expect(pending[0]).to.deep.include({ recordId: SELF_HARM, value: '41', period: 'March 2018', status: 'on track', narrative: 'Clinics are running in twelve schools now.' });
    expect(pending[0].evidence).to.equal(undefined);
    expect(pending[0].submitter).to.deep.equal(LEAD);
  });

  it('an activity update skips the value', async () => {
    await run(f, { opening: 'update on the development of the MASH in the county plan', itemId: 'cip-p1-a2' }, [
      ['yes', 'Which period'],
      ['2017/18', 'What is the status'],
      ['complete', 'Describe the progress'],
      ['Co-location with the Early Help Unit is complete.', 'Any evidence'],
      ['none', ['Check your update', 'complete']],
      ['confirm', 'Saved.'],
    ]);
    const [s] = await f.store.pending();
    expect(s.recordKind).to.equal('activity');
    expect(s.value).to.equal(undefined);
  });

  const toValue: Step[] = [['yes', 'What is the new value']];
  const toPeriod: Step[] = [...toValue, ['40', 'Which period']];
  const toStatus: Step[] = [...toPeriod, ['Q3 2017/18', 'What is the status']];
  const toNarrative: Step[] = [...toStatus, ['on track', 'Describe the progress']];
  const toEvidence: Step[] = [...toNarrative, ['Clinics are running in twelve schools now.', 'Any evidence']];
  const toConfirm: Step[] = [...toEvidence, ['none', 'Check your update']];
  const opening = { opening: 'update on self-harm admissions in the city' };

  const invalid: [string, Step[], string, RegExp][] = [
    ['value: not a number', toValue, 'lots', /number/i],
    ['value: two numbers', toValue, '12 or 13', /number/i],
    ['period: nonsense', toPeriod, 'soon', /Q3 2017\/18|period/i],
    ['period: impossible quarter', toPeriod, 'Q5 2017/18', /quarter|Q1|Q4/i],
    ['status: unknown word', toStatus, 'purple', /on track|at risk|off track/i],
    ['narrative: too short', toNarrative, 'ok', /narrative|progress|words|characters/i],
    ['evidence: unsafe link', toEvidence, 'javascript:alert(1)', /link|https/i],
  ];
  for (const [name, before, bad, message] of invalid) {
    it(`refuses invalid input with a specific message and asks again (${name})`, async () => {
      const t = await run(f, opening, [...before, [bad, message]]);
      const last = t[t.length - 1];
      expect(last).to.match(message);
      // The same question again, not the next one.
      const question = before[before.length - 1][1] as string;
      expect(last).to.include(question);
    });
  }

  // One safe path, two ways in: what the dialog says to a bad answer is exactly what the form says next to that field.
  const sameAsForm: [string, Step[], 'value' | 'period' | 'status' | 'narrative' | 'evidence', string][] = [
    ['a vague figure ("about 47")', toValue, 'value', 'about 47'],
    ['an estimate ("approx 50")', toValue, 'value', 'approx 50'],
    ['a bound ("50+")', toValue, 'value', '50+'],
    ['a figure with a question mark', toValue, 'value', '47?'],
    ['a percentage for a count', toValue, 'value', '47%'],
    ['a part of a count', toValue, 'value', '12.5'],
    ['weeks for a count', toValue, 'value', '10 weeks'],
    ['no number', toValue, 'value', 'lots'],
    ['a period that is not one', toPeriod, 'period', 'soon'],
    ['a status that is not one', toStatus, 'status', 'purple'],
    ['a one-word narrative', toNarrative, 'narrative', 'ok'],
    ['an unsafe link', toEvidence, 'evidence', 'javascript:alert(1)'],
  ];
  for (const [name, before, field, bad] of sameAsForm) {
    it(`refuses ${name} with the form's own message for that field`, async () => {
      const item = f.service.item(SELF_HARM)!;
      const form = { action: 'submitUpdateForm', formId: 'f1', itemId: SELF_HARM, value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'Clinics are running in twelve schools now.', [field]: bad };
      const r = validateUpdateForm(form, item);
      expect(r.ok, 'the form refuses it too').to.equal(false);
      const formMessage = r.ok ? '' : r.errors[field];
      expect(formMessage).to.be.a('string').and.not.equal('');
      const t = await run(f, opening, [...before, [bad, replySafe(formMessage!)]]);
      expect(t[t.length - 1]).to.include(replySafe(formMessage!));
      expect(await f.store.pending()).to.have.length(0);
    });
  }

  it(`ends politely after ${MAX_FAILURES} invalid answers in a row and saves nothing`, async () => {
    const t = await run(f, opening, [...toValue, ['lots', /number/i], ['many', /number/i], ['loads', /stop here.*nothing was saved/i]]);
    expect(t[t.length - 1]).to.match(/submit an update/);
    expect(await f.store.pending()).to.have.length(0);
  });

  // Every step the dialog can be at, how to get there, its question, its own help, and where "back" goes.
  const toPlan: Step[] = [[{ browse: true }, 'Which plan']];
  const toPriority: Step[] = [...toPlan, [{ plan: 'city-cypp-2016-20' }, 'Which priority']];
  const toItemList: Step[] = [...toPriority, [{ priority: 1 }, 'Which one is it']];
  const toReason: Step[] = [...toStatus, ['red', 'Describe the progress'], ['Clinics paused over the summer holidays.', 'what is the reason']];
  const toRecovery: Step[] = [...toReason, ['Two staff vacancies in the team.', 'recovery action']];
  type Point = { name: string; opening: { opening?: string; itemId?: string }; before: Step[]; question: string; help: string; back: string };
  const points: Point[] = [
    { name: 'searching for the item', opening: {}, before: [], question: 'Which activity or indicator', help: 'browse the plans', back: 'This is the first question' },
    { name: 'choosing the plan', opening: {}, before: toPlan, question: 'Which plan', help: 'Choose the plan the item belongs to', back: 'Which activity or indicator' },
    { name: 'choosing the priority', opening: {}, before: toPriority, question: 'Which priority', help: 'Choose the priority the item sits under', back: 'Which plan' },
    { name: "choosing from the priority's items", opening: {}, before: toItemList, question: 'Which one is it', help: 'Pick the item from the list', back: 'Which priority' },
    { name: 'confirming the item', opening, before: [], question: 'Is this update for', help: 'Say yes if this is the item', back: 'This is the first question' },
    { name: 'value', opening, before: toValue, question: 'What is the new value', help: "in the indicator's unit", back: 'Is this update for' },
    { name: 'period', opening, before: toPeriod, question: 'Which period', help: 'a quarter (Q3 2017/18)', back: 'What is the new value' },
    { name: 'status', opening, before: toStatus, question: 'What is the status', help: 'green, amber and red work too', back: 'Which period' },
    { name: 'narrative', opening, before: toNarrative, question: 'Describe the progress', help: 'what has happened and what it means', back: 'What is the status' },
    { name: 'reason', opening, before: toReason, question: 'what is the reason', help: 'Say why it is off track', back: 'Describe the progress' },
    { name: 'recovery action', opening, before: toRecovery, question: 'recovery action', help: 'bring it back on track', back: 'what is the reason' },
    { name: 'evidence', opening, before: toEvidence, question: 'Any evidence', help: 'an https link', back: 'Describe the progress' },
    { name: 'confirmation', opening, before: toConfirm, question: 'Check your update', help: 'Press Confirm to save', back: 'Any evidence' },
  ];
  for (const p of points) {
    it(`"cancel" at ${p.name} stops and saves nothing`, async () => {
      await run(f, p.opening, [...p.before, ['cancel', 'Cancelled. Nothing was saved.']]);
      expect(await f.store.pending()).to.have.length(0);
    });
    it(`"help" at ${p.name} explains that step and asks it again`, async () => {
      const t = await run(f, p.opening, [...p.before, ['help', [p.help, '"back" goes to the previous question', p.question]]]);
      expect(t[t.length - 1]).to.include(p.question);
    });
    it(`"start over" at ${p.name} goes back to choosing the item, with nothing kept`, async () => {
      await run(f, p.opening, [...p.before, ['start over', ['Starting again', 'Which activity or indicator']], ['self-harm admissions in the city', 'Is this update for'], ['yes', 'What is the new value']]);
      expect(await f.store.pending()).to.have.length(0);
    });
    it(`"back" at ${p.name} ${p.back.startsWith('This is') ? 'says it is the first question and asks it again' : 'asks the previous question'}`, async () => {
      const t = await run(f, p.opening, [...p.before, ['back', p.back]]);
      if (p.back.startsWith('This is')) expect(t[t.length - 1]).to.include(p.question);
    });
  }

  it('treats a narrative that merely contains "help" as the narrative', async () => {
    await run(f, opening, [...toNarrative, ['We help the children most at risk first.', 'Any evidence']]);
  });

  it('edits a field from the confirmation card and comes back to it', async () => {
    await run(f, opening, [...toConfirm, [{ updateAction: 'edit', field: 'period' }, 'Which period'], ['March 2018', ['Check your update', 'March 2018']], ['confirm', 'Saved.']]);
    const [s] = await f.store.pending();
    expect(s.period).to.equal('March 2018');
  });

  it('edits by typing, too', async () => {
    await run(f, opening, [...toConfirm, ['edit status', 'What is the status'], ['amber', ['Check your update', 'at risk']]]);
  });

  it('asks for the reason and recovery action when off track', async () => {
    await run(f, opening, [...toStatus, ['red', 'Describe the progress'], ['Clinics paused over the summer holidays.', 'what is the reason'], ['Two staff vacancies in the team.', 'recovery action'], ['Recruiting two posts by April 2018.', 'Any evidence'], ['none', ['Check your update', 'Two staff vacancies']], ['confirm', 'Saved.']]);
    const [s] = await f.store.pending();
    expect(s).to.deep.include({ status: 'off track', reason: 'Two staff vacancies in the team.', recovery: 'Recruiting two posts by April 2018.' });
  });

  it('asks for the reason when the value moves the wrong way for the indicator', async () => {
    // All recorded crime: good is low, latest 47,583.
    await run(f, { opening: 'update on all recorded crime', itemId: 'cp-p1-recorded-crime' }, [['yes', 'What is the new value'], ['50,000', 'Which period'], ['Q1 2017/18', 'What is the status'], ['on track', 'Describe the progress'], ['Recorded crime rose with new recording rules.', 'moves the wrong way']]);
  });

  it('offers choices when the opening is ambiguous, and browsing by plan and priority', async () => {
    await run(f, {}, [
      [{ browse: true }, 'Which plan'],
      [{ plan: 'city-cypp-2016-20' }, 'Which priority'],
      [{ priority: 1 }, 'Which one is it'],
      [{ pick: SELF_HARM }, 'What is the new value'],
    ]);
  });

  it("offers the lead's own items first, and picking one goes straight to its questions", async () => {
    const t = await run(f, {}, [[{ pick: 'cy-p1-bemh-referrals' }, 'What is the new value for "Number of referrals into the Behavioural, Emotional or Mental Health']]);
    const offered = submitData(t.replies[0]);
    expect(offered.slice(0, 3).map((d) => d.pick)).to.have.members(CLAIRES_ITEMS);
    expect(offered.slice(3)).to.deep.equal([{ browse: true }, { form: true }]);
    expect(t[0]).to.include('Yours first');
  });

  it('someone who leads nothing is offered search, browsing and the form', async () => {
    const client = dialogClient(f, { user: { id: 'x', name: 'Sam Someone' } });
    const first = await client.sendActivity('submit an update');
    expect(submitData([first])).to.deep.equal([{ browse: true }, { form: true }]);
  });

  const valueRefusals: [string, { opening: string; itemId: string }, string, RegExp][] = [
    ['a unit the indicator is not measured in (days for weeks)', { opening: 'update on the CAMHS waiting time', itemId: 'ce-p4-camhs-referral-to-treatment' }, '5 days', /measured in weeks, but you wrote "days"/],
    ['a percentage for a plain count', { opening: 'update on self-harm admissions', itemId: 'cy-p1-self-harm' }, '40%', /measured as a whole number \(a count\), but you wrote "%"/],
    ['a percentage over 100', { opening: 'update on care leavers in suitable accommodation', itemId: 'ce-p1-care-leavers-suitable-accommodation' }, '104%', /A percentage must be between 0 and 100; you wrote 104/],
    ['a negative count', { opening: 'update on self-harm admissions', itemId: 'cy-p1-self-harm' }, '-3', /can't be negative/],
  ];
  for (const [name, start, bad, message] of valueRefusals) {
    it(`refuses ${name} through the dialog, and takes a good figure after`, async () => {
      const good = bad === '5 days' ? '9.5 weeks' : bad === '104%' ? '94%' : '38';
      await run(f, start, [['yes', 'What is the new value'], [bad, [message, 'What is the new value']], [good, 'Which period']]);
    });
  }

  it('the one-card form offers every activity and indicator of every plan, the lead\'s own first, within the size limit', async () => {
    const t = await run(f, {}, [[{ form: true }, 'Fill in the form']]);
    const [reply] = t.replies[1];
    const card = reply.attachments![0].content as { body: { id?: string; choices?: { title: string; value: string }[]; value?: string; style?: string }[] };
    const list = card.body.find((b) => b.id === 'itemId')!;
    expect(list.style).to.equal('filtered');
    const ids = list.choices!.map((c) => c.value);
    const { knowledge } = realKnowledge();
    // Every item but the plans' placeholders ("Placeholder for performance measure …"), which have nothing to report against.
    const records = [...knowledge.indicators, ...knowledge.activities];
    const every = records.filter((r) => !/^placeholder\b/i.test(r.title)).map((r) => r.id);
    expect(every.length).to.be.greaterThan(150).and.below(records.length);
    expect(ids).to.have.members(every);
    expect(ids.slice(0, 3)).to.have.members(CLAIRES_ITEMS);
    expect(list.value).to.equal(ids[0]);
    // Grouped by plan and priority after the lead's own, and labelled with them.
    expect(list.choices!.find((c) => c.value === 'cp-p1-recorded-crime')!.title).to.match(/^All recorded crime .* · County Council P1$/);
    expect(list.choices!.find((c) => c.value === 'cy-p2-child-protection-plans')!.title).to.match(/ · City CYPP P2$/);
    expect(list.choices!.find((c) => c.value === 'ce-p2-a1')!.title).to.match(/^To implement the Future in Mind .* · County CYPF P2$/);
    expect(new Set(list.choices!.map((c) => c.title)).size, 'every label tells its item apart').to.equal(ids.length);
    const bytes = cardBytes(card as never);
    expect(bytes, 'the card message stays under Teams’ ~28 KB').to.be.below(26_001);
    expect(Buffer.byteLength(JSON.stringify(reply))).to.be.below(28 * 1024);
  });

  it('a form opened after the opening words preselects their best match (for someone who leads nothing)', async () => {
    const client = dialogClient(f, { user: { id: 'x', name: 'Sam Someone' }, opening: 'update on the CAMHS waiting time in the county' });
    await client.sendActivity('update on the CAMHS waiting time in the county');
    await client.sendActivity('no');
    const reply = await client.sendActivity({ type: 'message', value: { form: true } });
    expect(validateReplyCards([reply])).to.deep.equal([]);
    const card = reply.attachments![0].content as { body: { id?: string; value?: string; choices?: unknown[] }[] };
    const list = card.body.find((b) => b.id === 'itemId')!;
    expect(list.value).to.equal(f.service.search('update on the CAMHS waiting time in the county')[0].item.id);
    // Every item but the placeholders.
    expect(list.choices).to.have.length(f.service.allItems().filter((i) => !isPlaceholder(i)).length);
  });

  it('searches again from what the lead types', async () => {
    await run(f, {}, [['breastfeeding', /Is this update for|Which one is it/], ['no', 'Which activity or indicator']]);
  });
});
