/**
 * "What changed since 2018-01-01", "any news on priority 3 since september",
 * "what's changed since the last board": approved updates, the plans' new
 * figures and changes of RAG status since a date, priority by priority (the
 * priority with the newest change first), newest first within each. Which
 * priorities a request means is read as summaries read it (Summariser.request);
 * with none named, every priority of every plan (or of the authority named).
 * The weekly digest is the same report, for every priority, since a week ago.
 */
import type { Authority } from './schema';
import type { ChangeEntry, Since } from './changes';
import { parseSince, type Summariser } from './summary';

export interface PriorityChanges {
  planId: string;
  planTitle: string;
  authority: Authority;
  /** The authority as labelled in the catalogue ("County"). */
  authorityLabel: string;
  number: number;
  title: string;
  /** Newest first. */
  entries: ChangeEntry[];
}

export interface ChangesReport {
  since: Since;
  /** Priorities with changes, the one with the newest change first. */
  groups: PriorityChanges[];
  /** How many priorities were looked at (with changes or not). */
  looked: number;
}

export type ChangesRequest = { kind: 'report'; report: ChangesReport } | { kind: 'notFound'; message: string };

/** The words that ask what changed: not part of which priority is meant. */
const ASKING = /^\s*(so\s+)?(what('?s| is| has| have)?( been)? (changed|new|happened)|(are there |is there )?any (news|changes|updates|new figures)|anything (new|changed))(\s+(on|in|for|with|about|to))?\b/;

/** What changed in these priorities since the date. */
export function changesReport(summariser: Summariser, keys: { planId: string; number: number }[], since: Since): ChangesReport {
  const groups: PriorityChanges[] = [];
  for (const k of keys) {
    const info = summariser.priorityInfo(k.planId, k.number);
    if (!info) continue;
    const entries = summariser.changes(info.ids, since);
    if (entries.length) groups.push({ planId: k.planId, planTitle: info.planTitle, authority: info.authority, authorityLabel: info.authorityLabel, number: k.number, title: info.title, entries });
  }
  groups.sort((a, b) => (a.entries[0].at < b.entries[0].at ? 1 : a.entries[0].at > b.entries[0].at ? -1 : 0));
  return { since, groups, looked: keys.length };
}

/** Reads a "what changed since …" request: the date, and the priorities it is about. */
export function whatChanged(summariser: Summariser, question: string, authority?: Authority, previous?: { priorityId?: string }, now: Date = new Date()): ChangesRequest {
  const since = parseSince(question, now);
  if (!since) return { kind: 'notFound', message: 'Since when? Say, for example, "what changed since 1 April 2018" or "what changed in priority 2 since Q3 2017/18".' };
  if ('error' in since) return { kind: 'notFound', message: since.error };
  // Which priorities: as a summary request reads them, once the words that ask what changed are set aside.
  const scope = question.replace(ASKING, ' ').replace(/\s+/g, ' ').trim();
  // Every priority the words fit, not the plan the day would default to: a report of changes has no need to ask.
  const r = summariser.request(scope, authority, previous, { defaults: false });
  let keys: { planId: string; number: number }[];
  if (r.kind === 'summary') keys = [{ planId: r.summary.planId, number: r.summary.number }];
  else if (r.kind === 'choose') keys = r.choices.map((c) => ({ planId: c.planId, number: c.priority }));
  else if (r.kind === 'overview') keys = summariser.priorityKeys(r.overview.planId);
  else return { kind: 'notFound', message: r.message };
  if (!keys.length) keys = summariser.priorityKeys();
  return { kind: 'report', report: changesReport(summariser, keys, since) };
}
