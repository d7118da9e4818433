/**
 * Being a given lead or reviewer when trying the bot locally:
 * `npm run playground -- --as "Claire Tagg" --reviewer`, `npm run chat -- --as …`.
 *
 * The bot recognises a lead only by the ids in the people file (never by a
 * display name), and the shipped people.yaml has none. So for a lead the file
 * gives no id, this makes demo ids (derived from the name, plainly fake) and
 * writes a copy of the people file with them into a temporary folder, for this
 * run only: nothing is written to the knowledge folder, and no demo id ships as
 * real data. A lead the file already has ids for is played with those ids.
 * `--reviewer` adds the user's id to REVIEWERS for the bot started.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageError } from './cliArgs';
import { stringify } from 'yaml';
import { peopleFile } from '../bot/config';
import { leadKey, loadPeople, PEOPLE_FILE_NAME } from '../knowledge/people';

/** Who the local user is, as a channel sends it: `from.id`, the display name and the AAD object id. */
export interface LocalUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface LocalIdentity {
  user: LocalUser;
  /** What the bot's environment needs for it (PEOPLE_FILE of the copy with demo ids, REVIEWERS). */
  env: Record<string, string>;
  /** One line for the terminal: who you are and how the bot knows you. */
  description: string;
}

/** The user Agents Playground is by default (its built-in configuration). */
export const PLAYGROUND_DEFAULT_USER: LocalUser = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' };

/** A refusal to print with the usage (a name the people file does not have, an organisation). */
export class IdentityProblem extends Error {}

const hash = (name: string) => createHash('sha256').update(leadKey(name)).digest('hex');

/** A demo AAD object id for a name: GUID-shaped (so REVIEWERS takes it as an id), all zeros but the last part, so never mistaken for a real one. */
export function demoAadObjectId(name: string): string {
  return `00000000-0000-0000-0000-${hash(name).slice(0, 12)}`;
}

/**
 * Resolves `--as` and `--reviewer` against the people file the bot will read
 * (PEOPLE_FILE, else people.yaml in KNOWLEDGE_DIR or the shipped knowledge).
 * `dir` is a temporary folder of the caller's for the people file's copy.
 */
export function localIdentity(opts: { as?: string; reviewer?: boolean; env: NodeJS.ProcessEnv; dir: string; defaultUser: LocalUser }): LocalIdentity {
  const env: Record<string, string> = {};
  let user = opts.defaultUser;
  let how = 'the default user';
  if (opts.as !== undefined) {
    const file = peopleFile({ PEOPLE_FILE: opts.env.PEOPLE_FILE?.trim() || undefined, KNOWLEDGE_DIR: opts.env.KNOWLEDGE_DIR?.trim() || undefined });
    const people = loadPeople(file);
    const wanted = leadKey(opts.as);
    const entries = people.entries.filter((e) => leadKey(e.name) === wanted);
    if (!entries.length) throw new IdentityProblem(`--as "${opts.as}": no one of that name in ${file}. ${suggest(opts.as, people.entries.map((e) => e.name))}`);
    const name = entries[0].name;
    if (entries.some((e) => e.kind === 'organisation')) {
      const contact = people.namedContact(name);
      throw new IdentityProblem(`--as "${name}": that is an organisation, not a person; ${contact ? `be its named contact instead: --as "${contact}"` : 'people.yaml names no contact for it (namedContact)'}.`);
    }
    const known = entries.find((e) => e.aadObjectId || e.teamsUserId);
    if (known) {
      user = { id: known.teamsUserId ?? known.aadObjectId!, name, aadObjectId: known.aadObjectId ?? demoAadObjectId(name) };
      how = `the ids ${file} gives`;
    } else {
      user = { id: `29:demo-${hash(name).slice(0, 16)}`, name, aadObjectId: demoAadObjectId(name) };
      // The people file as the bot would read it, with this lead's demo id: the bot knows them by id, as in Teams.
      const copy = join(opts.dir, PEOPLE_FILE_NAME);
      const entriesWithId = people.entries.map((e) => (leadKey(e.name) === wanted ? { ...e, aadObjectId: user.aadObjectId } : e));
      writeFileSync(copy, `# A copy of ${file} for one local run, with a demo id for ${name}: not real data.\n${stringify({ contact: people.contact, people: entriesWithId })}`);
      env.PEOPLE_FILE = copy;
      how = `a demo id (people.yaml has none for them), in ${copy}`;
    }
  }
  if (opts.reviewer) {
    env.REVIEWERS = [...(opts.env.REVIEWERS ?? '').split(',').map((r) => r.trim()).filter(Boolean), user.aadObjectId].join(',');
  }
  const roles = [opts.as !== undefined ? 'a lead' : '', opts.reviewer ? 'a reviewer' : ''].filter(Boolean).join(' and ');
  return { user, env, description: `you are "${user.name}"${roles ? `, ${roles},` : ''} known to the bot by ${how} (id ${user.aadObjectId})` };
}

/**
 * The identity a tool's `--as` / `--reviewer` ask for, or undefined when
 * neither is given; a problem is printed with the usage (exit 2). The people
 * file's copy lives in a temporary folder removed when the process exits.
 */
export function identityFromArgs(values: { as?: string; reviewer?: boolean }, usage: string, defaultUser: LocalUser, env: NodeJS.ProcessEnv = process.env): LocalIdentity | undefined {
  if (values.as === undefined && !values.reviewer) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'local-identity-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  try {
    return localIdentity({ as: values.as, reviewer: values.reviewer, env, dir, defaultUser });
  } catch (e) {
    if (e instanceof IdentityProblem) usageError(usage, e.message);
    throw e;
  }
}

/** Names sharing a word with what was typed, to say "did you mean". */
function suggest(typed: string, names: string[]): string {
  const words = leadKey(typed).split(/[^a-z]+/).filter((w) => w.length > 2);
  const close = [...new Set(names.filter((n) => words.some((w) => leadKey(n).includes(w))))].slice(0, 8);
  if (close.length) return `Did you mean ${close.map((n) => `"${n}"`).join(', ')}?`;
  return `Give a name exactly as the people file lists it, for example "${names[0] ?? 'Nick Lee'}".`;
}

/**
 * Agents Playground's configuration (`.m365agentsplayground.yml`, schema 0.1.1)
 * with `user` as its current user: its built-in users, chats and team, so only
 * who you are changes. The Playground reads it from M365_AGENTS_PLAYGROUND_CONFIG_PATH.
 */
export function playgroundConfig(user: LocalUser): string {
  const person = (id: string, name: string, aadObjectId: string) => {
    const [givenName, ...rest] = name.split(/\s+/);
    const mail = `${leadKey(name).replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '')}@example.org`;
    return { id, name, userPrincipleName: mail, aadObjectId, givenName, surname: rest.join(' ') || givenName, email: mail };
  };
  const others = ['Megan Bowen', 'Adele Vance', 'Isaiah Langer', 'Patti Fernandez', 'Lynne Robbins'].map((n, i) => person(`user-id-${i + 1}`, n, `00000000-0000-0000-0000-00000000002${i + 1}`));
  const config = {
    version: '0.1.1',
    tenantId: '00000000-0000-0000-0000-0000000000001',
    bot: { id: '00000000-0000-0000-0000-00000000000011', name: 'Plan assistant' },
    currentUser: person(user.id, user.name, user.aadObjectId),
    users: others,
    personalChat: { id: 'personal-chat-id' },
    groupChat: { id: 'group-chat-id', name: 'Group Chat' },
    team: { id: 'team-id', name: 'My Team', aadGroupId: '00000000-0000-0000-0000-000000000031', channels: [{ id: 'channel-announcements-id', name: 'Announcements' }] },
  };
  return `# Agents Playground configuration for one local run (npm run playground -- --as …): demo data, not real.\n${stringify(config)}`;
}
