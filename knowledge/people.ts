/**
 * Who the plans' named leads are in Teams. The plans name leads as people
 * write them ("Nick Lee", "Nottinghamshire Police – Andrea Baxter"); a name
 * is not an identity (names are not unique, and a guest chooses their own),
 * so people.yaml maps each name, exactly as the plans write it, to the
 * person's AAD object id and/or Teams user id. Whatever a lead may do (report
 * under SUBMIT_POLICY=leads, see "what's due from me", get reminders) goes by
 * those ids; a lead with no id in the file can do none of it until one is
 * added.
 *
 * Validated with zod when it is read; a problem stops the bot with the file,
 * line and field, as for the other knowledge files. Blank ids are no ids.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { KnowledgeError, type Knowledge, type KnowledgeProblem } from './loader';

export const PEOPLE_FILE_NAME = 'people.yaml';

/** An id or nothing: blank or whitespace is no id. */
const OptionalId = z.preprocess(
  (v) => (v === null || (typeof v === 'string' && !v.trim()) ? undefined : typeof v === 'string' ? v.trim() : v),
  z.string().max(200).optional(),
);

export const PersonEntrySchema = z
  .object({
    /** The lead's name exactly as the plans write it (the `leads` of an activity or indicator, or its `leadOrganisation`). */
    name: z.string().trim().min(1, 'must not be empty').max(300),
    /**
     * A person (the default) or an organisation. The plans' `leadOrganisation` is always an organisation; this says so for
     * an organisation the plans write among the `leads`, so it is never messaged or reported as a person.
     */
    kind: z.enum(['person', 'organisation']).optional(),
    /** An organisation's named contact: a person entry of this file, who is reminded and chased for the organisation's items. */
    namedContact: z.preprocess((v) => (v === null || (typeof v === 'string' && !v.trim()) ? undefined : v), z.string().trim().max(300).optional()),
    /** Their Microsoft Entra ID (AAD) object id: a GUID, the "Object ID" on their user page in the Entra admin centre. */
    aadObjectId: OptionalId,
    /** Or their Teams user id ("29:…"), as the bot sees it in activities. */
    teamsUserId: OptionalId,
    /** For whoever keeps this file; never used to identify anyone. */
    email: z.preprocess((v) => (v === null || (typeof v === 'string' && !v.trim()) ? undefined : v), z.string().trim().email().max(300).optional()),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.kind === 'organisation' && (e.aadObjectId || e.teamsUserId)) {
      ctx.addIssue({ code: 'custom', path: ['aadObjectId'], message: 'an organisation has no Teams account: give its namedContact (a person listed in this file, with their ids) instead' });
    }
    if (e.kind !== 'organisation' && e.namedContact) ctx.addIssue({ code: 'custom', path: ['namedContact'], message: 'only an organisation (kind: organisation) has a named contact' });
  });
export type PersonEntry = z.input<typeof PersonEntrySchema>;

export const PeopleFileSchema = z
  .object({
    /** Whom a lead without an id should ask to be added ("the plan team (plans@example.org)"). */
    contact: z.preprocess((v) => (v === null || (typeof v === 'string' && !v.trim()) ? undefined : v), z.string().trim().max(300).optional()),
    people: z.preprocess((v) => v ?? [], z.array(PersonEntrySchema)),
  })
  .strict()
  .superRefine((f, ctx) => {
    const persons = new Set(f.people.filter((e) => e.kind !== 'organisation').map((e) => leadKey(e.name)));
    f.people.forEach((e, i) => {
      if (e.namedContact && !persons.has(leadKey(e.namedContact))) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'namedContact'], message: `"${e.namedContact}" is not a person in this file: add them, with their ids, so the bot can reach them` });
      }
    });
  });
export type PeopleFile = z.input<typeof PeopleFileSchema>;

/** Who someone is, by id: any of these may be set (a blank one counts as unset). */
export interface Identity {
  id?: string;
  aadObjectId?: string;
  channelUserId?: string;
  /** Carried along for messages; never compared. */
  name?: string;
}

/** The form of a lead's name that is compared: as written, but case, Unicode form and spacing do not matter. */
export function leadKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const DEFAULT_CONTACT = 'the plan team';

export class PeopleDirectory {
  readonly entries: z.infer<typeof PersonEntrySchema>[];
  /** Whom to ask to be added. */
  readonly contact: string;
  /** AAD object id (lower case) → lead keys; Teams user id (as given) → lead keys. */
  private readonly byAad = new Map<string, Set<string>>();
  private readonly byTeams = new Map<string, Set<string>>();
  private readonly withIds = new Set<string>();
  /** Organisations (leadKey) → their named contact's name, or undefined when the file gives none. */
  private readonly organisations = new Map<string, string | undefined>();

  constructor(file: PeopleFile = {}) {
    const parsed = PeopleFileSchema.parse(file);
    this.entries = parsed.people;
    this.contact = parsed.contact ?? DEFAULT_CONTACT;
    const add = (map: Map<string, Set<string>>, id: string, key: string) => {
      let keys = map.get(id);
      if (!keys) map.set(id, (keys = new Set()));
      keys.add(key);
    };
    for (const e of this.entries) {
      const key = leadKey(e.name);
      if (e.kind === 'organisation') {
        this.organisations.set(key, e.namedContact ?? this.organisations.get(key));
        continue;
      }
      if (e.aadObjectId) add(this.byAad, e.aadObjectId.toLowerCase(), key);
      if (e.teamsUserId) add(this.byTeams, e.teamsUserId, key);
      if (e.aadObjectId || e.teamsUserId) this.withIds.add(key);
    }
  }

  static empty(): PeopleDirectory {
    return new PeopleDirectory();
  }

  /** The leads (as leadKey()s of the names the plans write) this person is, by their ids. */
  leadNamesOf(who: Identity): ReadonlySet<string> {
    const out = new Set<string>();
    const ids = [who.id, who.aadObjectId, who.channelUserId].map((x) => (typeof x === 'string' ? x.trim() : '')).filter(Boolean);
    for (const id of ids) {
      for (const k of this.byAad.get(id.toLowerCase()) ?? []) out.add(k);
      for (const k of this.byTeams.get(id) ?? []) out.add(k);
    }
    return out;
  }

  /** Whether the file says this name, as the plans write it among the leads, is an organisation. */
  isOrganisation(name: string): boolean {
    return this.organisations.has(leadKey(name));
  }

  /** The person who answers for an organisation (its namedContact), if the file names one. */
  namedContact(organisation: string): string | undefined {
    return this.organisations.get(leadKey(organisation));
  }

  /** Whether the file gives an id for this lead. */
  hasId(leadName: string): boolean {
    return this.withIds.has(leadKey(leadName));
  }

  /** The names, among these, with no id in the file: they can be named, never recognised. Sorted, once each. */
  withoutId(leadNames: Iterable<string>): string[] {
    return [...new Set([...leadNames].filter((n) => !this.hasId(n)))].sort((a, b) => a.localeCompare(b));
  }
}

/** Whether any of an item's named leads is one of these (leadKey()s, from leadNamesOf()). */
export function ledByAny(leads: readonly string[], keys: ReadonlySet<string>): boolean {
  return keys.size > 0 && leads.some((l) => keys.has(leadKey(l)));
}

/**
 * Reads and validates a people file. A file that is not there is an empty
 * list (every lead then has no id); a malformed one throws KnowledgeError with
 * the file, line and field of each problem.
 */
export function loadPeople(file: string): PeopleDirectory {
  if (!existsSync(file)) return PeopleDirectory.empty();
  const name = basename(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LineCounter, parseDocument, isNode } = require('yaml') as typeof import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: KnowledgeProblem[] = doc.errors.map((e) => ({ file: name, line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` }));
  if (problems.length) throw new KnowledgeError(problems);
  const r = PeopleFileSchema.safeParse(doc.toJS() ?? {});
  if (!r.success) {
    const lineOf = (path: (string | number)[]) => {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    };
    throw new KnowledgeError(r.error.issues.map((i) => ({ file: name, line: lineOf(i.path), path: i.path.join('.'), message: i.message })));
  }
  return new PeopleDirectory(r.data);
}

/**
 * The people file for the bot and its tools, with one warning listing the
 * leads it gives no id for (they can be named, never recognised) and one for
 * names it lists that lead nothing in the plans (most likely a typo).
 */
export function loadLeadIds(file: string, knowledge: Pick<Knowledge, 'activities' | 'indicators'>, logger: { warn(obj: object, msg: string): void }): PeopleDirectory {
  const people = loadPeople(file);
  const records = [...knowledge.activities, ...knowledge.indicators];
  const leads = [...new Set(records.flatMap((r) => r.leads).filter((n) => !people.isOrganisation(n)))];
  const missing = people.withoutId(leads);
  if (missing.length) {
    logger.warn({ file, leads: missing }, `${missing.length} of the ${leads.length} leads the plans name have no Teams id in the people file, so the bot cannot recognise them: SUBMIT_POLICY=leads refuses them, and "what's due from me" and reminders cannot find them. Add their AAD object id or Teams user id.`);
  }
  // Names the plans give (people and organisations) and the organisations' named contacts are all expected.
  const known = new Set([...records.flatMap((r) => [...r.leads, ...(r.leadOrganisation ? [r.leadOrganisation] : [])]), ...people.entries.flatMap((e) => (e.namedContact ? [e.namedContact] : []))].map(leadKey));
  const stray = [...new Set(people.entries.map((e) => e.name).filter((n) => !known.has(leadKey(n))))];
  if (stray.length) logger.warn({ file, names: stray }, 'the people file lists names that lead nothing in the plans (write each name exactly as the plans do)');
  return people;
}
