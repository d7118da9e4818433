/**
 * The guided update dialog, table-driven through botbuilder-testing's
 * DialogTestClient: the whole flow, every validation failure, the commands
 * at each step, edits from the confirmation card.
 */
import { expect } from 'chai';
import { DialogTestClient } from 'botbuilder-testing';
import type { Activity } from 'botbuilder';
import { UpdateDialog, MAX_FAILURES } from '../dialogs/updateDialog';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { visibleText } from './helpers/server';

type Input = string | Record<string, unknown>;
type Step = [Input, string | RegExp | (string | RegExp)[]];

const LEAD = { id: 'lead-1', name: 'Claire Tagg' };
const SELF_HARM = 'cy-p1-self-harm';

async function run(f: UpdatesFixture, opening: { opening?: string; itemId?: string }, steps: Step[]): Promise<string[]> {
  const client = new DialogTestClient('msteams', new UpdateDialog(f.service), { user: LEAD, ...opening });
  const transcript: string[] = [];
  const collect = (first: Partial<Activity> | undefined) => {
    const out: string[] = [];
    let r = first;
    while (r) {
      out.push(visibleText(r as never));
      r = client.getNextReply();
    }
    return out.join('\n');
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
    const client = new DialogTestClient('msteams', new UpdateDialog(f.service), { user: LEAD, itemId: SELF_HARM });
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

  it(`ends politely after ${MAX_FAILURES} invalid answers in a row and saves nothing`, async () => {
    const t = await run(f, opening, [...toValue, ['lots', /number/i], ['many', /number/i], ['loads', /stop here.*nothing was saved/i]]);
    expect(t[t.length - 1]).to.match(/submit an update/);
    expect(await f.store.pending()).to.have.length(0);
  });

  const points: [string, Step[], string][] = [
    ['confirming the item', [], 'Is this update for'],
    ['value', toValue, 'What is the new value'],
    ['period', toPeriod, 'Which period'],
    ['status', toStatus, 'What is the status'],
    ['narrative', toNarrative, 'Describe the progress'],
    ['evidence', toEvidence, 'Any evidence'],
    ['confirmation', toConfirm, 'Check your update'],
  ];
  for (const [name, before, question] of points) {
    it(`"cancel" at ${name} stops and saves nothing`, async () => {
      await run(f, opening, [...before, ['cancel', 'Cancelled. Nothing was saved.']]);
      expect(await f.store.pending()).to.have.length(0);
    });
    it(`"help" at ${name} explains the step and asks it again`, async () => {
      const t = await run(f, opening, [...before, ['help', ['"back" goes to the previous question', question]]]);
      expect(t[t.length - 1]).to.include(question);
    });
    it(`"start over" at ${name} goes back to choosing the item`, async () => {
      await run(f, opening, [...before, ['start over', ['Starting again', 'Which activity or indicator']]]);
    });
    if (before.length) {
      it(`"back" at ${name} asks the previous question`, async () => {
        const previous = before.length >= 2 ? (before[before.length - 2][1] as string) : 'Is this update for';
        await run(f, opening, [...before, ['back', previous]]);
      });
    }
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

  it('searches again from what the lead types', async () => {
    await run(f, {}, [['breastfeeding', /Is this update for|Which one is it/], ['no', 'Which activity or indicator']]);
  });
});
