/**
 * Leads are identified by id, never by the words of a display name. The plans
 * name leads ("Nick Lee"); people.yaml maps each name, as the plans write it,
 * to an AAD object id and/or Teams user id. With SUBMIT_POLICY=leads only
 * those ids may report on the lead's items: a user whose display name is
 * "Nick", "Lee", "Nïck Lée", "Police", "NCC" or even "Nick Lee" is not Nick
 * Lee. Without an id for the item's lead the bot refuses and says whom to ask.
 * "What's due from me" and the lead's own items first also go by id.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadLeadIds, loadPeople, PeopleDirectory, PEOPLE_FILE_NAME } from '../knowledge/people';
import { KnowledgeError } from '../knowledge/loader';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';
import { realKnowledge } from './helpers/knowledge';
import { CONTENT_DIR } from './helpers/paths';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { testPeople, writePeopleFile } from './helpers/people';

const NICK_AAD = '0b7c3a52-6d1e-4f8a-9c2b-3e4d5f6a7b8c';
const NICK_TEAMS = '29:1nick-lee-teams-id';
/** Items the plans say Nick Lee leads; one the police lead; one NCC (an organisation) leads. */
const NICKS_ITEM = 'cy-p3-progress-8';
const POLICE_ITEM = 'cy-p1-first-time-entrants';
const NCC_ITEM = 'cip-p2-a2';
const LOOKALIKES = ['Nick', 'Lee', 'Nïck Lée', 'nick lee', 'Nick Lee', 'Police', 'NCC', 'Nottinghamshire Police – Andrea Baxter'];

const someone = (name: string) => ({ id: randomUUID(), aadObjectId: randomUUID(), name });

describe('leads are identified by id (people.yaml), never by the words of a name', () => {
  describe('the people file', () => {
    it('ships with the plans\' leads by name and no ids (none are known), every one a lead the plans name', () => {
      const { directory, leads } = { directory: loadPeople(join(CONTENT_DIR, PEOPLE_FILE_NAME)), leads: leadNames() };
      expect(directory.entries.length).to.be.at.least(20);
      expect(directory.entries.every((e) => !e.aadObjectId && !e.teamsUserId), 'no made-up ids are shipped').to.equal(true);
      expect(directory.entries.map((e) => e.name).filter((n) => !leads.includes(n)), 'names the plans do not give as a lead').to.deep.equal([]);
      expect(leads.filter((l) => !directory.entries.some((e) => e.name === l)), 'leads missing from the file').to.deep.equal([]);
      expect(directory.withoutId(leads)).to.deep.equal([...leads].sort((a, b) => a.localeCompare(b)));
    });

    it('takes blank and whitespace ids for no id', () => {
      const d = testPeople([{ name: 'Nick Lee', aadObjectId: '   ', teamsUserId: '\t', email: ' ' }]);
      expect(d.withoutId(['Nick Lee'])).to.deep.equal(['Nick Lee']);
      expect(d.leadNamesOf({ id: '   ', aadObjectId: '   ', channelUserId: '\t' }).size).to.equal(0);
    });

    it('refuses a malformed file with its line and field', () => {
      const dir = mkdtempSync(join(tmpdir(), 'people-'));
      try {
        const file = join(dir, PEOPLE_FILE_NAME);
        writeFileSync(file, 'people:\n  - name: Nick Lee\n    aadObjectId: 42\n  - nmae: Typo\n');
        expect(() => loadPeople(file)).to.throw(KnowledgeError).with.property('message').that.matches(/people\.yaml:3 at people\.0\.aadObjectId/).and.matches(/people\.yaml:4 at people\.1/);
        writeFileSync(file, 'people: [\n');
        expect(() => loadPeople(file)).to.throw(KnowledgeError, /YAML syntax/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('warns once at start-up, listing the leads with no id (and names that lead nothing)', () => {
      const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
      const file = writePeopleFile([{ name: 'Nick Lee', aadObjectId: NICK_AAD }, { name: 'Nick  Leigh', aadObjectId: randomUUID() }]);
      try {
        loadLeadIds(file, realKnowledge().knowledge, { warn: (obj, msg) => void warnings.push({ obj: obj as Record<string, unknown>, msg }) });
      } finally {
        rmSync(join(file, '..'), { recursive: true, force: true });
      }
      const missing = warnings.filter((w) => /have no Teams id/.test(w.msg));
      expect(missing).to.have.length(1);
      expect(missing[0].obj.leads).to.include('Claire Tagg').and.not.include('Nick Lee');
      expect((missing[0].obj.leads as string[]).length).to.equal(leadNames().length - 1);
      expect(warnings.filter((w) => /lead nothing/.test(w.msg)).map((w) => w.obj.names)).to.deep.equal([['Nick  Leigh']]);
    });

    it('a missing file is an empty list (every lead without an id)', () => {
      const d = loadPeople(join(tmpdir(), `no-such-${randomUUID()}.yaml`));
      expect(d.entries).to.deep.equal([]);
    });
  });

  describe('SUBMIT_POLICY=leads', () => {
    let f: UpdatesFixture;
    const people = testPeople([{ name: 'Nick Lee', aadObjectId: NICK_AAD, teamsUserId: NICK_TEAMS, email: 'nick.lee@example.org' }], 'the plan team (plans@example.org)');
    beforeEach(() => {
      f = updatesFixture(['rev-1'], 'leads', people);
    });
    afterEach(() => f.close());

    it(`does not take ${LOOKALIKES.map((n) => `"${n}"`).join(', ')} for Nick Lee, the police or NCC`, () => {
      for (const itemId of [NICKS_ITEM, POLICE_ITEM, NCC_ITEM]) {
        const item = f.service.item(itemId)!;
        for (const name of LOOKALIKES) expect(f.service.maySubmit(someone(name), item).ok, `${name} on ${itemId}`).to.equal(false);
      }
    });

    it('takes Nick Lee by his AAD object id or his Teams user id, whatever his display name', () => {
      const item = f.service.item(NICKS_ITEM)!;
      expect(f.service.maySubmit({ id: NICK_AAD.toUpperCase(), aadObjectId: NICK_AAD.toUpperCase(), name: 'N. Lee (Education)' }, item).ok).to.equal(true);
      expect(f.service.maySubmit({ id: NICK_TEAMS, channelUserId: NICK_TEAMS, name: '' }, item).ok).to.equal(true);
      expect(f.service.maySubmit({ id: NICK_AAD, aadObjectId: NICK_AAD, name: 'Nick Lee' }, f.service.item(POLICE_ITEM)!).ok, 'not for items he does not lead').to.equal(false);
    });

    it('with no id for the item\'s lead, refuses and says whom to ask', () => {
      const r = f.service.maySubmit(someone('Andrea Baxter'), f.service.item(POLICE_ITEM)!);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.message).to.include('Nottinghamshire Police – Andrea Baxter').and.include('the plan team (plans@example.org)').and.include('Teams');
    });

    it("offers a lead's own items first by id, not by name", () => {
      expect(f.service.ownItems({ id: NICK_AAD, aadObjectId: NICK_AAD, name: 'Someone Else' }).map((i) => i.id)).to.include(NICKS_ITEM);
      for (const name of LOOKALIKES) expect(f.service.ownItems(someone(name)), name).to.deep.equal([]);
    });
  });

  describe('over HTTP (real server, SUBMIT_POLICY=leads, PEOPLE_FILE)', function () {
    this.timeout(60_000);
    let s: TestServer;
    let peopleFile: string;
    before(async () => {
      peopleFile = writePeopleFile([{ name: 'Nick Lee', aadObjectId: NICK_AAD }, { name: 'Claire Tagg', aadObjectId: 'aad-claire' }], 'Priya in the plan team');
      // A day the city plan's reporting calendar covers, so what is due can be listed.
      s = await startTestServer({ SUBMIT_POLICY: 'leads', PEOPLE_FILE: peopleFile, RATE_LIMIT_BURST: '1000', PLAN_TODAY: '2018-04-25' });
    });
    after(async () => {
      await s?.stop();
      rmSync(join(peopleFile, '..'), { recursive: true, force: true });
    });

    const form = (itemId: string) => ({ action: 'confirmUpdateForm', formId: randomUUID(), itemId, value: '5', period: 'Q3 2017/18', status: 'on track', narrative: 'Attainment rose across the city this term.' });

    it('refuses the forms of users named like Nick Lee and saves his, sent with his id', async () => {
      for (const name of LOOKALIKES) {
        const r = await new TestConversation(s.base, { id: `29:${randomUUID()}`, aadObjectId: randomUUID(), name }).submit(form(NICKS_ITEM));
        expect(r.text, name).to.include('Only the named leads').and.not.include('Saved.');
      }
      const nick = await new TestConversation(s.base, { id: '29:nick', aadObjectId: NICK_AAD, name: 'Nicholas L.' }).submit(form(NICKS_ITEM));
      expect(nick.text).to.include('Saved.');
      const refused = await new TestConversation(s.base, { id: '29:nick', aadObjectId: NICK_AAD, name: 'Nick Lee' }).submit(form(POLICE_ITEM));
      expect(refused.text).to.include('Priya in the plan team').and.not.include('Saved.');
    });

    it("\"what's due from me\" finds a lead's items by id, and nothing for a user who only has the lead's name", async () => {
      const claire = await new TestConversation(s.base, { id: '29:claire', aadObjectId: 'aad-claire', name: 'C. Tagg' }).say("what's due from me");
      expect(claire.text).to.match(/Updates due from you|Nothing is due from you/);
      const namesake = await new TestConversation(s.base, { id: '29:other', aadObjectId: randomUUID(), name: 'Claire Tagg' }).say("what's due from me");
      expect(namesake.text).to.include("don't know you as the lead").and.include('Priya in the plan team');
    });
  });
});

/** Every person the plans name as lead of an activity or indicator (organisations are not people). */
function leadNames(): string[] {
  const { knowledge } = realKnowledge();
  return [...new Set([...knowledge.activities, ...knowledge.indicators].flatMap((r) => r.leads))];
}

// The shipped file documents how to fill it in.
describe('people.yaml documentation', () => {
  it('says how to find and fill in the ids', () => {
    const text = readFileSync(join(CONTENT_DIR, PEOPLE_FILE_NAME), 'utf8');
    expect(text).to.match(/aadObjectId/).and.match(/teamsUserId/).and.match(/Object ID/i);
    expect(PeopleDirectory).to.be.a('function');
  });
});
