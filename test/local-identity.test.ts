/**
 * Being a lead or a reviewer locally (scripts/localIdentity.ts): `--as` and
 * `--reviewer` for `npm run playground` and `npm run chat`. A lead the people
 * file gives no id gets a demo id, in a copy of the file for that run only
 * (the shipped file is not touched), and the bot then knows them by that id;
 * a lead with ids is played with them; an unknown name or an organisation is
 * refused. The terminal chat as that lead and reviewer, over piped input.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { leadKey, loadPeople } from '../knowledge/people';
import { demoAadObjectId, IdentityProblem, localIdentity, playgroundConfig, PLAYGROUND_DEFAULT_USER } from '../scripts/localIdentity';
import { ROOT } from './helpers/paths';

const SHIPPED_PEOPLE = join(ROOT, 'knowledge', 'content', 'people.yaml');

describe('local identity: --as a lead, --reviewer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'local-identity-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a lead with no id in the shipped people file gets a demo id, in a copy the bot reads; the shipped file is untouched', () => {
    const before = readFileSync(SHIPPED_PEOPLE, 'utf8');
    const id = localIdentity({ as: '  claire   TAGG ', env: {}, dir, defaultUser: PLAYGROUND_DEFAULT_USER });
    expect(id.user).to.deep.equal({ id: id.user.id, name: 'Claire Tagg', aadObjectId: demoAadObjectId('Claire Tagg') });
    expect(id.user.aadObjectId).to.match(/^00000000-0000-0000-0000-[0-9a-f]{12}$/);
    expect(id.env).to.deep.equal({ PEOPLE_FILE: join(dir, 'people.yaml') });
    const copy = loadPeople(id.env.PEOPLE_FILE);
    expect([...copy.leadNamesOf({ aadObjectId: id.user.aadObjectId })]).to.deep.equal([leadKey('Claire Tagg')]);
    expect([...copy.leadNamesOf({ id: id.user.id })], 'the channel id alone is not in the file').to.deep.equal([]);
    expect(copy.entries.length, 'every other lead is kept').to.equal(loadPeople(SHIPPED_PEOPLE).entries.length);
    expect(readFileSync(SHIPPED_PEOPLE, 'utf8')).to.equal(before);
    expect(id.description).to.include('"Claire Tagg", a lead,').and.include('a demo id');
  });

  it('--reviewer adds the user\'s id to REVIEWERS (keeping those configured); alone, the default user is the reviewer', () => {
    const lead = localIdentity({ as: 'Nick Lee', reviewer: true, env: { REVIEWERS: 'rev-1, rev-2' }, dir, defaultUser: PLAYGROUND_DEFAULT_USER });
    expect(lead.env.REVIEWERS).to.equal(`rev-1,rev-2,${demoAadObjectId('Nick Lee')}`);
    const alone = localIdentity({ reviewer: true, env: {}, dir, defaultUser: PLAYGROUND_DEFAULT_USER });
    expect(alone.user).to.deep.equal(PLAYGROUND_DEFAULT_USER);
    expect(alone.env).to.deep.equal({ REVIEWERS: PLAYGROUND_DEFAULT_USER.aadObjectId });
    expect(alone.description).to.include('"Alex Wilber", a reviewer,');
  });

  it('a lead the people file has ids for is played with those ids, and no copy is made', () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, JSON.stringify({ people: [{ name: 'Nick Lee', aadObjectId: '0b7c3a52-6d1e-4f8a-9c2b-3e4d5f6a7b8c', teamsUserId: '29:1Abc' }] }));
    const id = localIdentity({ as: 'Nick Lee', env: { PEOPLE_FILE: file }, dir, defaultUser: PLAYGROUND_DEFAULT_USER });
    expect(id.user).to.deep.equal({ id: '29:1Abc', name: 'Nick Lee', aadObjectId: '0b7c3a52-6d1e-4f8a-9c2b-3e4d5f6a7b8c' });
    expect(id.env).to.deep.equal({});
  });

  const refused: [string, object | undefined, RegExp][] = [
    ['a misspelt name', undefined, /no one of that name in .*people\.yaml\. Did you mean "Claire Tagg"/],
    ['an organisation with a named contact', { people: [{ name: 'CCG', kind: 'organisation', namedContact: 'Nick Lee' }, { name: 'Nick Lee' }] }, /"CCG": that is an organisation, not a person; be its named contact instead: --as "Nick Lee"/],
    ['an organisation without one', { people: [{ name: 'CCG', kind: 'organisation' }] }, /that is an organisation, not a person; people\.yaml names no contact for it/],
  ];
  for (const [label, file, pattern] of refused) {
    it(`refuses ${label}`, () => {
      const env: NodeJS.ProcessEnv = {};
      if (file) writeFileSync((env.PEOPLE_FILE = join(dir, 'p.yaml')), JSON.stringify(file));
      expect(() => localIdentity({ as: file ? 'CCG' : 'Clare Tag', env, dir, defaultUser: PLAYGROUND_DEFAULT_USER })).to.throw(IdentityProblem, pattern);
    });
  }

  it("the Playground's configuration keeps its built-in chats and users, with the lead as its current user", () => {
    const config = parse(playgroundConfig({ id: '29:demo-1', name: 'Anna Masding (Nottingham City Council)', aadObjectId: demoAadObjectId('Anna Masding (Nottingham City Council)') })) as Record<string, unknown>;
    expect(config.currentUser).to.deep.include({ id: '29:demo-1', name: 'Anna Masding (Nottingham City Council)', givenName: 'Anna', surname: 'Masding (Nottingham City Council)' });
    expect(config.users).to.have.length(5);
    expect(Object.keys(config).sort()).to.deep.equal(['bot', 'currentUser', 'groupChat', 'personalChat', 'team', 'tenantId', 'users', 'version']);
  });
});

describe('npm run chat -- --as "<lead name>" --reviewer', () => {
  const chat = (args: string[], input: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plan-chat-as-'));
    try {
      return spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'chat.js'), ...args], { input, env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PLAN_TODAY: '2019-11-09' }, encoding: 'utf8', timeout: 50_000 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('is that lead and a reviewer: their items are due from them, and they may review', function () {
    this.timeout(60_000);
    const r = chat(['--as', 'Claire Tagg', '--reviewer'], "what's due from me\nreview updates\nexit\n");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('you are "Claire Tagg", a lead and a reviewer');
    expect(r.stdout).to.match(/\d+ updates? (is|are) due from you/).and.include('Claire Tagg, the plans name you as lead');
    expect(r.stdout).to.include('There are no updates waiting for review.');
  });

  it('without them, the same questions find nothing due and no review rights', function () {
    this.timeout(60_000);
    const r = chat([], "what's due from me\nreview updates\nexit\n");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include("I don't know you as the lead of anything in the plans (Local User), so nothing is due from you.");
    expect(r.stdout).to.include("only the plan's reviewers can review updates");
  });

  it('refuses an unknown name with the usage', () => {
    const r = chat(['--as', 'Nobody Atall'], 'exit\n');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('no one of that name').and.include('usage: npm run chat');
  });
});
