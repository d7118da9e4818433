/**
 * The update form's typeahead and the cards that change in place, over HTTP
 * against the real server (POST /api/messages, invoke responses as Teams gets
 * them): application/search answered from the plans' own search (typos and
 * all), only with items the sender may report on; adaptiveCard/action
 * (Action.Execute) answered with the card that replaces the pressed one: the
 * form's check card, "Submitted ✓" with no live button, a corrected form in
 * place of the wrong one, "Approved by <name> at <time>" with a refresh for
 * reviewers; bad and foreign presses refused with a clear card, nothing saved.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, TestConversation, visibleText, type TestServer } from './helpers/server';
import { writePeopleFile } from './helpers/people';
import { validateCard } from './helpers/adaptiveCard';

type Json = Record<string, unknown>;
interface InvokeReply {
  status: number;
  body: { statusCode?: number; type?: string; value?: Json & { results?: { title: string; value: string }[] } };
}

const LEAD = { id: '29:claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const REVIEWER = { id: '29:rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const SELF_HARM = 'cy-p1-self-harm';
const GOOD = { itemId: SELF_HARM, value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' };

async function invoke(c: TestConversation, name: string, value: unknown): Promise<InvokeReply> {
  const r = await c.post(c.activity({ type: 'invoke', name, value, deliveryMode: undefined }));
  return { status: r.status, body: r.body ? (JSON.parse(r.body) as InvokeReply['body']) : {} };
}
const typeahead = (c: TestConversation, queryText: string, dataset = 'updateItems', queryOptions: unknown = { skip: 0, top: 15 }) => invoke(c, 'application/search', { queryText, dataset, queryOptions });
const press = (c: TestConversation, verb: string, data: Json) => invoke(c, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { action: verb, ...data } }, trigger: 'manual' });

/** Every button on a card (in its actions and action sets), with its verb or data. */
function buttons(card: unknown): { type: string; title: string; verb?: string; data?: Json }[] {
  const out: { type: string; title: string; verb?: string; data?: Json }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string') out.push({ type: o.type, title: o.title, verb: o.verb as string | undefined, data: o.data as Json | undefined });
      for (const [k, x] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(x);
    }
  };
  walk(card);
  return out;
}
const shown = (card: unknown): string => visibleText({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card as Json }] });

describe('typeahead and cards that change in place (HTTP, real server)', function () {
  this.timeout(60_000);
  let s: TestServer;
  const count = (): number => (s.app.db!.prepare('SELECT COUNT(*) AS n FROM submissions').get() as { n: number }).n;

  before(async () => {
    s = await startTestServer({ REVIEWERS: 'rev-1', RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000' });
  });
  after(async () => s?.stop());

  describe('application/search: the form\'s item field as you type', () => {
    const cases: [string, RegExp][] = [
      ['camhs wiating', /CAMHS average waiting time/],
      ['breastfeedin', /breastfeed/i],
      ['self harm admisions', /hospital admissions for self-harm/],
    ];
    for (const [typed, expected] of cases) {
      it(`finds an item from "${typed}" (partial, misspelt)`, async () => {
        const r = await typeahead(new TestConversation(s.base, LEAD), typed);
        expect(r.status).to.equal(200);
        expect(r.body.type).to.equal('application/vnd.microsoft.search.searchResponse');
        const titles = (r.body.value?.results ?? []).map((x) => x.title);
        expect(titles.some((t) => expected.test(t)), titles.join(' | ')).to.equal(true);
      });
    }

    it('never offers a placeholder ("Placeholder for performance measure…")', async () => {
      const r = await typeahead(new TestConversation(s.base, LEAD), 'mental health of new mums perinatal');
      const results = r.body.value?.results ?? [];
      expect(results.map((x) => x.value)).not.to.include('cy-p1-perinatal-mental-health');
      expect(results.map((x) => x.title).join(' ')).not.to.match(/placeholder/i);
    });

    it('pages with skip and top, bounded, and answers a bad or foreign search with no results, not an error', async () => {
      const c = new TestConversation(s.base, LEAD);
      const first = (await typeahead(c, 'children', 'updateItems', { skip: 0, top: 3 })).body.value?.results ?? [];
      const next = (await typeahead(c, 'children', 'updateItems', { skip: 3, top: 3 })).body.value?.results ?? [];
      expect(first).to.have.length(3);
      expect(next.map((x) => x.value)).not.to.include.members(first.map((x) => x.value));
      expect((await typeahead(c, 'children', 'updateItems', { top: 10_000 })).body.value?.results?.length).to.be.at.most(15);
      for (const value of [null, 5, { queryText: 7 }, { queryText: 'camhs', dataset: 'somethingElse' }, { queryText: 'x'.repeat(5000), dataset: 'updateItems' }]) {
        const r = await invoke(c, 'application/search', value);
        expect(r.status, JSON.stringify(value).slice(0, 80)).to.equal(200);
        expect(r.body.value?.results ?? [], JSON.stringify(value).slice(0, 80)).to.be.an('array');
      }
    });

    it('has its own rate-limit bucket: typing does not use up the allowance for messages', async () => {
      const t = await startTestServer({ RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '1' });
      try {
        const c = new TestConversation(t.base, LEAD);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await typeahead(c, 'camhs'.slice(0, i + 1))).status);
        // Still bounded: the search bucket runs out as a message bucket does.
        expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
        expect((await c.say('camhs waiting times')).text).not.to.match(/too fast|faster than I can keep up/);
      } finally {
        await t.stop();
      }
    });
  });

  describe('SUBMIT_POLICY=leads: only the items the sender may report on', () => {
    let t: TestServer;
    let peopleFile: string;
    before(async () => {
      peopleFile = writePeopleFile([{ name: 'Claire Tagg', aadObjectId: 'aad-claire' }]);
      t = await startTestServer({ SUBMIT_POLICY: 'leads', PEOPLE_FILE: peopleFile, RATE_LIMIT_BURST: '1000' });
    });
    after(async () => {
      await t?.stop();
      rmSync(join(peopleFile, '..'), { recursive: true, force: true });
    });

    it("offers a lead their own items and nobody else's; a stranger gets none", async () => {
      const own = (await typeahead(new TestConversation(t.base, LEAD), 'self harm admissions')).body.value?.results ?? [];
      expect(own.map((x) => x.value)).to.include(SELF_HARM);
      const others = (await typeahead(new TestConversation(t.base, LEAD), 'camhs waiting time')).body.value?.results ?? [];
      expect(others.map((x) => x.title).join(' ')).not.to.match(/CAMHS average waiting time/);
      const stranger = (await typeahead(new TestConversation(t.base), 'self harm admissions')).body.value?.results ?? [];
      expect(stranger).to.deep.equal([]);
    });
  });

  describe('adaptiveCard/action: the form, its check and "Submitted ✓"', () => {
    it('a form without a status is refused with the reason next to the field, as a card in place of the form, and nothing is saved', async () => {
      const before = count();
      const r = await press(new TestConversation(s.base, LEAD), 'submitUpdateForm', { formId: randomUUID(), ...GOOD, status: '' });
      expect(r.status).to.equal(200);
      expect(r.body).to.include({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const card = r.body.value!;
      expect(validateCard(card)).to.deep.equal([]);
      expect(shown(card)).to.match(/⚠ .*status/i).and.include('Progress update');
      // The errors beside their fields, once: not also a run-on paragraph of every message.
      expect(shown(card).match(/⚠/g)).to.have.length(1);
      expect(buttons(card).map((b) => b.verb)).to.deep.equal(['submitUpdateForm']);
      expect(count()).to.equal(before);
    });

    it('a valid form shows the check card; Confirm saves once and the card becomes "Submitted ✓" with no live button', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const before = count();
      const formId = randomUUID();
      const checked = await press(lead, 'submitUpdateForm', { formId, owner: LEAD.aadObjectId, ...GOOD });
      const check = checked.body.value!;
      expect(shown(check)).to.include('Check your update').and.include('Q3 2017/18').and.include('on track');
      expect(count(), 'nothing saved before Confirm').to.equal(before);
      const confirm = buttons(check).find((b) => b.title === 'Confirm')!;
      expect(confirm.type).to.equal('Action.Execute');
      const saved = await press(lead, confirm.verb!, confirm.data!);
      expect(saved.body.type).to.equal('application/vnd.microsoft.card.adaptive');
      expect(shown(saved.body.value)).to.include('Submitted ✓ — waiting for review').and.include('Saved.');
      expect(buttons(saved.body.value), 'no live button').to.deep.equal([]);
      expect(count()).to.equal(before + 1);
      // Pressed again (a stale copy of the check card): already received, nothing new saved.
      const again = await press(lead, confirm.verb!, confirm.data!);
      expect(shown(again.body.value)).to.include('Already submitted ✓');
      expect(count()).to.equal(before + 1);
    });

    it('"Change" on the check card brings the form back as it was', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const check = (await press(lead, 'submitUpdateForm', { formId: randomUUID(), ...GOOD })).body.value!;
      const change = buttons(check).find((b) => b.title === 'Change')!;
      const form = (await press(lead, change.verb!, change.data!)).body.value!;
      expect(JSON.stringify(form)).to.include('SHARP clinics now run in twelve schools.');
      expect(buttons(form).map((b) => b.verb)).to.deep.equal(['submitUpdateForm']);
    });

    it('refuses a foreign user pressing someone else\'s form or check card, and saves nothing', async () => {
      const before = count();
      const lead = new TestConversation(s.base, LEAD);
      const check = (await press(lead, 'submitUpdateForm', { formId: randomUUID(), owner: LEAD.aadObjectId, ...GOOD })).body.value!;
      const confirm = buttons(check).find((b) => b.title === 'Confirm')!;
      const intruder = new TestConversation(s.base, { id: '29:mallory', name: 'Mallory', aadObjectId: 'aad-mallory' }, { id: lead.id });
      const r = await press(intruder, confirm.verb!, confirm.data!);
      expect(r.status).to.equal(200);
      expect(shown(r.body.value)).to.include("someone else's").and.include('nothing was saved');
      expect(count()).to.equal(before);
    });

    it('answers bad payloads with a clear card (or 400 for what is no Action.Execute) and saves nothing', async () => {
      const before = count();
      const c = new TestConversation(s.base, LEAD);
      const cards: [string, Json, RegExp][] = [
        ['submitUpdateForm', { formId: 42, itemId: ['x'], period: null }, /choose the activity or indicator/],
        ['confirmUpdateForm', { formId: randomUUID(), ...GOOD, value: 'about 47 percent', status: 'purple' }, /⚠/],
        ['confirmUpdateForm', { formId: randomUUID(), ...GOOD, itemId: 'no-such-item' }, /not in the plans/],
        ['reviewUpdate', { id: 'x', decision: 'approved' }, /only the plan's reviewers/],
        ['noChange', { itemId: ['x'] }, /couldn't read that button/],
        ['refreshReview', { id: 5 }, /didn't recognise that button/],
      ];
      for (const [verb, data, reply] of cards) {
        const r = await press(c, verb, data);
        expect(r.status, verb).to.equal(200);
        expect(r.body.type, verb).to.equal('application/vnd.microsoft.card.adaptive');
        expect(shown(r.body.value), `${verb} ${JSON.stringify(data)}`).to.match(reply);
      }
      const noExecute = await invoke(c, 'adaptiveCard/action', { action: { type: 'Action.Submit', verb: 'confirmUpdateForm', data: GOOD } });
      expect(noExecute.status).to.equal(400);
      expect(count()).to.equal(before);
    });
  });

  describe("adaptiveCard/action: the guided update's check card", () => {
    /** Question by question to the check card; its buttons. */
    async function toCheckCard(lead: TestConversation): Promise<ReturnType<typeof buttons>> {
      await lead.say('update on self-harm admissions in the city');
      await lead.say('yes');
      await lead.say('40');
      await lead.say('Q3 2017/18');
      await lead.submit({ status: 'on track' });
      await lead.say('SHARP clinics continue in schools with more referrals.');
      const check = await lead.say('none');
      expect(check.text).to.include('Check your update');
      const card = check.replies.flatMap((r) => (r.attachments ?? []).map((a) => a.content))[0];
      return buttons(card);
    }

    it('Confirm by Action.Execute saves once and the check card becomes "Saved…" with no live button; pressed again, already received', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const before = count();
      const confirm = (await toCheckCard(lead)).find((b) => b.title === 'Confirm')!;
      expect(confirm).to.deep.include({ type: 'Action.Execute', verb: 'dialogStep' });
      const saved = await press(lead, confirm.verb!, confirm.data!);
      expect(saved.body.type).to.equal('application/vnd.microsoft.card.adaptive');
      expect(shown(saved.body.value)).to.include('Saved.').and.include('pending review');
      expect(buttons(saved.body.value), 'no live button').to.deep.equal([]);
      expect(count()).to.equal(before + 1);
      const again = await press(lead, confirm.verb!, confirm.data!);
      expect(shown(again.body.value)).to.include('already received');
      expect(count()).to.equal(before + 1);
    });

    it('Edit and Cancel by Action.Execute: the card becomes the question to answer, then "cancelled"; nothing saved', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const before = count();
      const all = await toCheckCard(lead);
      const editValue = all.find((b) => b.title === 'Edit value')!;
      expect(editValue).to.deep.include({ type: 'Action.Execute', verb: 'dialogStep' });
      expect(shown((await press(lead, editValue.verb!, editValue.data!)).body.value)).to.include('What is the new value');
      expect((await lead.say('41')).text).to.include('Check your update').and.include('41');
      const cancel = all.find((b) => b.title === 'Cancel')!;
      expect(shown((await press(lead, cancel.verb!, cancel.data!)).body.value).toLowerCase()).to.include('cancel');
      expect(count()).to.equal(before);
    });

    it("someone with an update of their own waiting, pressing the lead's Confirm or Cancel, changes neither update", async () => {
      const group = { id: `group-${randomUUID()}`, conversationType: 'groupChat' };
      const lead = new TestConversation(s.base, LEAD, group);
      const other = new TestConversation(s.base, { id: '29:mallory', name: 'Mallory', aadObjectId: 'aad-mallory' }, group);
      const before = count();
      const leads = await toCheckCard(lead);
      const others = await toCheckCard(other);
      for (const title of ['Confirm', 'Cancel']) {
        const pressed = leads.find((b) => b.title === title)!;
        const r = await press(other, pressed.verb!, pressed.data!);
        expect(shown(r.body.value), title).to.include("someone else's update").and.include('nothing was changed');
      }
      expect(count(), 'nothing saved by the wrong presses').to.equal(before);
      // Both updates are still there to confirm, each by its own card.
      const mine = others.find((b) => b.title === 'Confirm')!;
      expect(shown((await press(other, mine.verb!, mine.data!)).body.value)).to.include('Saved.');
      const theirs = leads.find((b) => b.title === 'Confirm')!;
      expect(shown((await press(lead, theirs.verb!, theirs.data!)).body.value)).to.include('Saved.');
      expect(count()).to.equal(before + 2);
    });

    it("someone else pressing the lead's Confirm in a group chat is told whose update it is; nothing saved", async () => {
      const group = { id: `group-${randomUUID()}`, conversationType: 'groupChat' };
      const lead = new TestConversation(s.base, LEAD, group);
      const before = count();
      const confirm = (await toCheckCard(lead)).find((b) => b.title === 'Confirm')!;
      const other = new TestConversation(s.base, { id: '29:mallory', name: 'Mallory', aadObjectId: 'aad-mallory' }, group);
      const r = await press(other, confirm.verb!, confirm.data!);
      expect(r.status).to.equal(200);
      expect(shown(r.body.value)).to.include('Claire Tagg');
      expect(count()).to.equal(before);
    });
  });

  describe('adaptiveCard/action: a review decided in place', () => {
    it('a reviewer approves: the card shows "Approved by <name> at <time>", no button, and refreshes for reviewers; a refresh shows it to another reviewer', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const check = (await press(lead, 'submitUpdateForm', { formId: randomUUID(), ...GOOD, value: '41' })).body.value!;
      const confirm = buttons(check).find((b) => b.title === 'Confirm')!;
      await press(lead, confirm.verb!, confirm.data!);
      const rev = new TestConversation(s.base, REVIEWER);
      const list = await rev.say('review updates');
      const reviewCard = list.replies.filter((x) => x.attachments?.length).pop()!.attachments![0].content;
      // Teams refreshes for user MRIs: REVIEWERS' AAD id 'rev-1' becomes the Teams id Rita's messages come from.
      expect((reviewCard.refresh as { userIds: string[] }).userIds).to.deep.equal(['29:rita']);
      const approve = buttons(reviewCard).find((b) => b.title === 'Approve')!;
      expect(approve.type).to.equal('Action.Execute');
      // Someone who is not a reviewer presses it: refused, the update still pending.
      const stranger = await press(new TestConversation(s.base), approve.verb!, approve.data!);
      expect(shown(stranger.body.value)).to.include("only the plan's reviewers");
      const approved = await press(rev, approve.verb!, approve.data!);
      const card = approved.body.value!;
      expect(shown(card)).to.match(/Approved by Rita Reviewer at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(buttons(card)).to.deep.equal([]);
      expect(card.refresh).to.deep.include({ userIds: ['29:rita'] });
      const refresh = (card.refresh as { action: { verb: string; data: Json } }).action;
      const refreshed = await invoke(rev, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: refresh.verb, data: refresh.data }, trigger: 'automatic' });
      expect(shown(refreshed.body.value)).to.match(/Approved by Rita Reviewer/);
      const twice = await press(rev, approve.verb!, approve.data!);
      expect(shown(twice.body.value)).to.include('already approved');
    });
  });

  describe('Action.Submit still works where a client lacks Action.Execute', () => {
    it('the form by Action.Submit: check card first, then saved on Confirm', async () => {
      const lead = new TestConversation(s.base, LEAD);
      const before = count();
      const checked = await lead.submit({ action: 'submitUpdateForm', formId: randomUUID(), ...GOOD });
      expect(checked.text).to.include('Check your update');
      expect(count()).to.equal(before);
      const confirm = buttons(checked.replies[0].attachments![0].content).find((b) => b.title === 'Confirm')!;
      expect((await lead.submit(confirm.data!)).text).to.include('Saved.').and.include('Submitted ✓');
      expect(count()).to.equal(before + 1);
    });
  });
});
