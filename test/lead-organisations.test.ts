/**
 * People, not organisations: on the real knowledge, the plans' lead
 * organisations ("CCG", "CDP", "Crime and Drugs Partnership", "Nottingham City
 * Council"…) are never counted as people: "chase them" and the overdue list
 * report them as organisations, chased through a named contact when
 * people.yaml gives one, else as having "no named contact". Person or
 * organisation comes from data (the plans' leadOrganisation, people.yaml's
 * kind), and the people file's new fields are validated.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { realKnowledge } from './helpers/knowledge';
import { loadPeople, PEOPLE_FILE_NAME, PeopleDirectory, PeopleFileSchema, type PersonEntry } from '../knowledge/people';
import { lateUpdates, type CycleView } from '../updates/reportingCycle';
import { planChase } from '../updates/reminders';
import { answerable, leadsOf, withoutNamedContact } from '../updates/leads';
import { chaseSummary, dueListCard, lateListCard, reminderCard, reminderText, whoseItems } from '../bot/reminderCards';
import type { KnownConversation } from '../updates/conversations';
import type { Person } from '../updates/types';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';

const { knowledge } = realKnowledge();
const records = [...knowledge.activities, ...knowledge.indicators];
/** Every organisation the shipped plans name as a lead organisation. */
const ORGANISATIONS = [...new Set(records.flatMap((r) => (r.leadOrganisation ? [r.leadOrganisation] : [])))];
/** The shipped people file: names only, no ids, no organisations. */
const SHIPPED = loadPeople(join(__dirname, '..', '..', 'knowledge', 'content', PEOPLE_FILE_NAME));
/** A day the city plan's calendar covers (its Q2 2019/20 updates were due 30 October 2019): its items name people beside their organisations. */
const DAY = new Date('2019-11-09T09:00:00Z');
/** A day the county plan's calendar covers (Q3 2017/18 was due 30 January 2018): 25 of its late items are led by an organisation alone. */
const COUNTY_DAY = new Date('2018-02-15T09:00:00Z');

/** People.yaml naming Nick Lee (by id) as Nottingham City Council's contact. */
const councilWithContact = () =>
  new PeopleDirectory({
    people: [
      { name: 'Nottingham City Council', kind: 'organisation', namedContact: 'Nick Lee' },
      { name: 'Nick Lee', aadObjectId: 'aad-nick' },
    ],
  });
const conversation = (p: Person): KnownConversation => ({ userId: p.id, userName: p.name, reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `conv-${p.id}` } }, updatedAt: '2019-01-01T00:00:00.000Z' });

describe('lead organisations are organisations, never people (real knowledge)', () => {
  let f: UpdatesFixture;
  afterEach(() => f?.close());
  const view = (now = DAY): CycleView => ({ items: f.service.allItems(), calendars: f.service.reportingCalendars(), submissions: [], now });

  it('the shipped plans name organisations the issue found listed as people', () => {
    expect(ORGANISATIONS).to.include.members(['CCG', 'CDP', 'Crime and Drugs Partnership', 'Nottingham City Council']);
  });

  it("no item's leads hold an organisation; each item's lead organisation is kept as one", () => {
    f = updatesFixture(['rev-1'], 'anyone', SHIPPED);
    for (const item of f.service.allItems()) {
      const r = records.find((x) => x.id === item.id)!;
      for (const lead of item.leads) expect(ORGANISATIONS, `${item.id}: ${lead}`).to.not.include(lead);
      expect(item.organisations.map((o) => o.name), item.id).to.deep.equal(r.leadOrganisation ? [r.leadOrganisation] : []);
    }
  });

  for (const day of [COUNTY_DAY, DAY]) {
    it(`"chase them" on the real plans never lists an organisation as a person (${day.toISOString().slice(0, 10)})`, () => {
      f = updatesFixture(['rev-1'], 'anyone', SHIPPED);
      const { late } = lateUpdates(view(day), {});
      expect(late.length, 'a plan has late items on that day').to.be.greaterThan(10);
      const r = planChase(late, [], day, SHIPPED);
      for (const name of [...r.unreachable, ...r.noAccount]) expect(ORGANISATIONS, name).to.not.include(name);
      // Every organisation that leads a late item alone is reported by its name as having no named contact.
      const orgOnly = [...new Set(late.filter((d) => !d.item.leads.length).flatMap((d) => d.item.organisations.map((o) => o.name)))];
      expect(r.noContact).to.have.members(orgOnly);

      const text = chaseSummary({ late: late.length, sent: [], alreadyChased: [], failed: [], ...r });
      const never = text.match(/never talked to me[^.]*\./)?.[0] ?? '';
      const noAccount = text.match(/no Teams account[^.]*\./)?.[0] ?? '';
      for (const org of ORGANISATIONS) {
        expect(never, org).to.not.include(org);
        expect(noAccount.split(/: |, | and /), org).to.not.include(org);
      }
    });
  }

  it('on the county plan, the organisations that lead items alone are listed as having "no named contact"', () => {
    f = updatesFixture(['rev-1'], 'anyone', SHIPPED);
    const { late } = lateUpdates(view(COUNTY_DAY), {});
    const r = planChase(late, [], COUNTY_DAY, SHIPPED);
    expect(r.noContact).to.include.members(['NCC', 'CCGs', 'NSCB', 'District Councils']);
    const text = chaseSummary({ late: late.length, sent: [], alreadyChased: [], failed: [], ...r });
    expect(text).to.match(/\d+ lead organisations have no named contact, so there is no one to chase: .*CCGs, /).and.include('Name a contact for each in the list of leads (people.yaml)');
  });

  it('the overdue list shows an organisation as a lead organisation, with "no named contact" when no person answers for it', () => {
    f = updatesFixture(['rev-1'], 'anyone', SHIPPED);
    const list = lateUpdates(view(COUNTY_DAY), {});
    const card = JSON.stringify(lateListCard('Every plan', list, true));
    const orgOnly = list.late.find((d) => !d.item.leads.length && d.item.organisations.length)!;
    expect(card).to.include(`"title":"Lead organisation","value":"${orgOnly.item.organisations[0].name} (no named contact)"`);
    const facts = [...card.matchAll(/"title":"Leads","value":"([^"]*)"/g)].map((m) => m[1]);
    for (const v of facts) for (const org of ORGANISATIONS) expect(v.split('; '), v).to.not.include(org);
  });

  it("an organisation with a named contact in people.yaml is chased through that person, who sees its items as theirs", () => {
    const people = councilWithContact();
    f = updatesFixture(['rev-1'], 'leads', people);
    const { late } = lateUpdates(view(), {});
    const council = late.filter((d) => d.item.organisations.some((o) => o.name === 'Nottingham City Council'));
    expect(council.length).to.be.greaterThan(0);
    for (const d of council) expect(d.item.organisations).to.deep.include({ name: 'Nottingham City Council', contact: 'Nick Lee' });
    const r = planChase(late, [conversation({ id: 'aad-nick', name: 'Nick Lee' })], DAY, people);
    expect(r.noContact).to.not.include('Nottingham City Council');
    const chased = r.planned.flatMap((p) => p.items.map((i) => i.due.item.id));
    for (const d of council) expect(chased).to.include(d.item.id);
    // The named contact may report on the organisation's items (SUBMIT_POLICY=leads), by id.
    expect(f.service.maySubmit({ id: 'aad-nick' }, council[0].item)).to.deep.equal({ ok: true });
    expect(f.service.maySubmit({ id: 'someone-else', name: 'Nick Lee' }, council[0].item).ok).to.equal(false);
  });

  it("the named contact's reminder and due list say they are the organisation's contact, not that the plans name them as lead", () => {
    const people = councilWithContact();
    f = updatesFixture(['rev-1'], 'leads', people);
    const { late } = lateUpdates(view(), {});
    const [planned] = planChase(late, [conversation({ id: 'aad-nick', name: 'Nick Lee' })], DAY, people).planned;
    const viaCouncil = planned.items.filter((i) => !i.due.item.leads.includes('Nick Lee'));
    expect(viaCouncil.length, 'items Nick answers for only as the council contact').to.be.greaterThan(0);
    const due = viaCouncil.map((i) => i.due);
    const read = (c: object) => JSON.stringify(c);
    const reminder = read(reminderCard({ to: { id: 'aad-nick', name: 'Nick Lee' }, items: viaCouncil, on: DAY, leads: planned.leads }));
    const list = read(dueListCard('Nick Lee', due, planned.leads));
    for (const text of [reminder, list]) {
      expect(text).to.include('the plans name Nottingham City Council as lead of').and.include('and you as its named contact');
      expect(text).to.not.include('name you as lead');
      expect(text).to.include('Nottingham City Council (you are the named contact)');
    }
    expect(reminderText({ to: { id: 'aad-nick', name: 'Nick Lee' }, items: viaCouncil, on: DAY, leads: planned.leads })).to.match(/updates? you report on (is|are) /);
    expect(whoseItems(due, new Set(['nick lee', 'someone']))).to.not.include('name you as lead');
    const own = f.service.allItems().filter((i) => i.leads.length).slice(0, 1);
    const ownDue = own.map((item) => ({ ...due[0], item }));
    expect(whoseItems(ownDue, new Set([own[0].leads[0].toLowerCase()]))).to.equal('the plans name you as lead of this item');
    expect(whoseItems([...ownDue, ...due], new Set([own[0].leads[0].toLowerCase(), 'nick lee']))).to.match(/^the plans name you, or Nottingham City Council \(for which you are the named contact\), as lead of these \d+ items$/);
  });

  it('an item led only by an organisation with no contact tells a would-be reporter to get a contact named', () => {
    f = updatesFixture(['rev-1'], 'leads', SHIPPED);
    const item = f.service.allItems().find((i) => !i.leads.length && i.organisations.length)!;
    const r = f.service.maySubmit({ id: 'aad-anyone' }, item);
    expect(r.ok).to.equal(false);
    expect(r.ok ? '' : r.message).to.include(`only ${item.organisations[0].name}`).and.include('name a contact');
  });

  it('a name the plans write among the leads is an organisation when people.yaml says so (kind), not by its look', () => {
    const people = new PeopleDirectory({ people: [{ name: 'Youth Justice Team', kind: 'organisation' }, { name: 'Nick Lee' }] });
    const split = leadsOf({ leads: ['Nick Lee', 'Youth Justice Team'], leadOrganisation: 'CCG' }, people);
    expect(split).to.deep.equal({ leads: ['Nick Lee'], organisations: [{ name: 'CCG' }, { name: 'Youth Justice Team' }] });
    // Without that entry the same name is a person: nothing in code guesses from the words.
    expect(leadsOf({ leads: ['Youth Justice Team'] }, PeopleDirectory.empty()).leads).to.deep.equal(['Youth Justice Team']);
    expect(answerable({ leads: [], organisations: [{ name: 'CCG', contact: 'Nick Lee' }, { name: 'CDP' }] })).to.deep.equal(['Nick Lee']);
    expect(withoutNamedContact({ leads: [], organisations: [{ name: 'CCG', contact: 'Nick Lee' }, { name: 'CDP' }] })).to.deep.equal(['CDP']);
    // Beside a person lead, the organisation is chased through them.
    expect(withoutNamedContact({ leads: ['Nick Lee'], organisations: [{ name: 'CDP' }] })).to.deep.equal([]);
  });

  const refused: [string, PersonEntry[], RegExp][] = [
    ['an organisation with a Teams id', [{ name: 'CCG', kind: 'organisation', aadObjectId: 'aad-ccg' }], /organisation has no Teams account/],
    ['a named contact who is not in the file', [{ name: 'CCG', kind: 'organisation', namedContact: 'Nobody Here' }], /"Nobody Here" is not a person in this file/],
    ['a named contact who is an organisation', [{ name: 'CCG', kind: 'organisation', namedContact: 'CDP' }, { name: 'CDP', kind: 'organisation' }], /"CDP" is not a person/],
    ['a named contact on a person', [{ name: 'Nick Lee', namedContact: 'Nick Lee' }], /only an organisation/],
    ['an unknown kind', [{ name: 'CCG', kind: 'team' as never }], /person|organisation/],
  ];
  for (const [label, people, pattern] of refused) {
    it(`people.yaml refuses ${label}, saying why`, () => {
      const r = PeopleFileSchema.safeParse({ people });
      expect(r.success).to.equal(false);
      expect(r.success ? '' : r.error.issues.map((i) => i.message).join(' | ')).to.match(pattern);
    });
  }
});

describe('"chase them" through the real server on the real plans: organisations are not people', () => {
  let s: TestServer;
  before(async () => {
    // The county plan's calendar covers the day; the shipped people.yaml (no ids, no organisations).
    s = await startTestServer({ PLAN_TODAY: '2018-02-15', REVIEWERS: 'rev-1' });
  });
  after(async () => s?.stop());

  it('the late list shows lead organisations as such, and the chase says which have no named contact', async () => {
    const rita = new TestConversation(s.base, { id: 'user-rita', name: 'Rita Reviewer', aadObjectId: 'rev-1' });
    const list = await rita.say('overdue updates');
    expect(list.text).to.include('Lead organisation').and.include('(no named contact)');
    const chase = await rita.say('chase them');
    expect(chase.text).to.match(/lead organisations have no named contact, so there is no one to chase/);
    const never = chase.text.match(/(never talked to me|no Teams account)[^.]*\./g) ?? [];
    for (const sentence of never) for (const org of ORGANISATIONS) expect(sentence.split(/: |, | and /), `${org} in "${sentence}"`).to.not.include(org);
  });
});
