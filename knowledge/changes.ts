/**
 * "What changed since <date>": the approved updates, the plans' own figures
 * for periods from that date, and the changes of RAG status, for a set of
 * indicators and activities, newest first, each saying who reported it and
 * when. Plain TypeScript over the knowledge and the submissions.
 *
 * Approved updates are changes for everyone. An update not yet approved
 * (pending review, or returned) is shown only to those who may see it (its
 * submitter and the reviewers: updates/visibility.ts), marked as such, and
 * never counts as a change of RAG status.
 */
import type { WithDoc } from './loader';
import type { Activity, Indicator, Source } from './schema';
import type { AnswerSource } from './answer';
import { latestFigure, targetStatus, type TargetStatus } from './figures';
import { periodsIn } from './text';
import type { Submission } from '../updates/types';
import { plural } from './plural';
import { isoDay } from './periods';
import type { Since } from './since';

export type { Since } from './since';

export interface ChangeEntry {
  /** An approved update, a figure the plans give for a period since the date, or a RAG status that changed. */
  kind: 'update' | 'figure' | 'status';
  /** The indicator or activity it is about. */
  title: string;
  recordId: string;
  /** What changed, figures as written: "46,000 for Q1 2017/18, on track"; "at risk → on track". */
  what: string;
  /** Who reported it: the lead who submitted the update, or the document that gives the figure. */
  who: string;
  /** When, as a reader wants it: the approval day of an update (ISO), the document's own date for a figure. */
  when: string;
  /** For ordering, newest first: an ISO date (an update's approval, the start of a figure's period). */
  at: string;
  /** An update's review state: an unreviewed one is shown only to its submitter and reviewers. */
  reviewState?: Submission['reviewState'];
  /** Who approved an update, and when it was submitted. */
  approvedBy?: string;
  submitted?: string;
  source: AnswerSource;
}

export interface Changes {
  since: string;
  label: string;
  /** Newest first. */
  entries: ChangeEntry[];
}

export interface ChangeInput {
  since: Since;
  indicators: WithDoc<Indicator>[];
  activities: WithDoc<Activity>[];
  /** Every submission (any review state): approved ones, and others only where `sees` allows. */
  submissions: readonly Submission[];
  /** Which submissions the reader may see (updates/visibility.ts); without it, approved ones only. */
  sees?: (s: Submission) => boolean;
  /** A document's source line, as summaries cite it. */
  cite: (doc: string, s: Source) => AnswerSource;
}


/** The first day of a figure's period as a month count (year × 12 + month index), financial years from April; undefined if it has none. */
function periodStart(period: string): number | undefined {
  const ps = periodsIn(period).filter((p) => p.from);
  if (!ps.length) return undefined;
  const starts = ps.map((p) => (p.quarter ? (p.quarter === 4 ? (p.from + 1) * 12 : p.from * 12 + 3 * p.quarter) : p.from * 12 + 3));
  return Math.min(...starts);
}

const monthIso = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;

/** What changed for these records since the date, newest first. */
export function findChanges(input: ChangeInput): ChangeEntry[] {
  const { since } = input;
  const records = new Map<string, WithDoc<Indicator> | WithDoc<Activity>>([...input.indicators, ...input.activities].map((r) => [r.id, r]));
  const indicators = new Map(input.indicators.map((i) => [i.id, i]));
  const approved = input.submissions.filter((s) => s.reviewState === 'approved' && records.has(s.recordId));
  const approvedOn = (s: Submission) => s.reviewedAt ?? s.submittedAt;
  const entries: ChangeEntry[] = [];

  // Updates not approved (yet) that this reader may see: as they were submitted, marked with their state.
  const sees = input.sees ?? (() => false);
  for (const s of input.submissions) {
    if (s.reviewState === 'approved' || !records.has(s.recordId) || !sees(s)) continue;
    if (isoDay(s.submittedAt) < since.from && isoDay(s.reviewedAt ?? '') < since.from) continue;
    const src: AnswerSource = { document: 'updates', title: `Update by ${s.submitter.name} (${s.reviewState})`, date: isoDay(s.submittedAt), section: s.recordTitle };
    entries.push({
      kind: 'update',
      title: s.recordTitle,
      recordId: s.recordId,
      what: `${s.value ? `${s.value} for ${s.period}` : `for ${s.period}`}, ${s.status}`,
      who: s.submitter.name,
      when: isoDay(s.submittedAt),
      at: s.submittedAt,
      reviewState: s.reviewState,
      source: src,
    });
  }

  for (const s of approved) {
    if (isoDay(approvedOn(s)) < since.from) continue;
    const src: AnswerSource = { document: 'updates', title: `Update by ${s.submitter.name}`, date: isoDay(approvedOn(s)), section: s.recordTitle };
    const base = { title: s.recordTitle, recordId: s.recordId, who: s.submitter.name, when: isoDay(approvedOn(s)), at: approvedOn(s), reviewState: s.reviewState, approvedBy: s.reviewer?.name, submitted: isoDay(s.submittedAt), source: src };
    entries.push({ ...base, kind: 'update', what: `${s.value ? `${s.value} for ${s.period}` : `for ${s.period}`}, ${s.status}${s.carriedForward ? ' (no change since the last period)' : ''}` });
    // The status the lead reported, against the one approved before it.
    const before = approved.filter((x) => x.recordId === s.recordId && approvedOn(x) < approvedOn(s)).sort((a, b) => (approvedOn(a) < approvedOn(b) ? 1 : -1))[0];
    if (before && before.status !== s.status) entries.push({ ...base, kind: 'status', what: `reported status ${before.status} → ${s.status}` });
    // An indicator's standing against its target, judged with the new figure and with the one it replaces.
    const ind = indicators.get(s.recordId);
    if (ind && s.value) {
      const replaced = before?.value ?? latestFigure(ind)?.value;
      const judge = (v?: string, prev?: string): TargetStatus => targetStatus(ind.polarity, v, ind.target?.value, ind.national?.value, prev);
      const was = judge(replaced);
      const now = judge(s.value, replaced);
      const judged = (t: TargetStatus) => t === 'on target' || t === 'off target';
      if (replaced && judged(was) && judged(now) && was !== now) entries.push({ ...base, kind: 'status', what: `${was} → ${now} (target ${ind.target?.value ?? ''})` });
    }
  }

  // The plans' own figures for periods that start on or after the date.
  const from = Number(since.from.slice(0, 4)) * 12 + Number(since.from.slice(5, 7)) - 1;
  for (const ind of input.indicators) {
    for (const v of ind.values) {
      const start = v.period ? periodStart(v.period) : undefined;
      if (start === undefined || start < from) continue;
      const src = input.cite(ind.doc, v.source);
      entries.push({ kind: 'figure', title: ind.title, recordId: ind.id, what: `${v.value} for ${v.period}`, who: src.title, when: src.date, at: monthIso(start), source: src });
    }
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.kind === 'update' ? -1 : b.kind === 'update' ? 1 : 0));
}

/** One line for an entry, figures as written: "Update, 2018-01-14: All recorded crime (Q4): 46,000 for Q1 2017/18, on track (reported by Lee Lead; approved by Rita)". */
export function changeLine(e: ChangeEntry): string {
  if (e.kind === 'figure') return `New figure: ${e.title}: ${e.what} (${e.who}${e.when ? `, ${e.when}` : ''})`;
  if (e.reviewState && e.reviewState !== 'approved') return `Update (${e.reviewState === 'pending' ? 'pending review' : e.reviewState}, not published): ${e.title}: ${e.what} (reported by ${e.who} on ${e.when})`;
  const approved = e.approvedBy ? `approved by ${e.approvedBy} on ${e.when}` : `approved on ${e.when}`;
  const by = e.submitted && e.submitted !== e.when ? `reported by ${e.who} on ${e.submitted}, ${approved}` : `reported by ${e.who}, ${approved}`;
  return `${e.kind === 'status' ? 'RAG change' : 'Update'}: ${e.title}: ${e.what} (${by})`;
}


/**
 * How many changes of each kind, in words: "2 approved updates, 3 new figures and 1 RAG change". Updates not yet
 * approved are named only when there are some (so only to a reader who may see them): "…, 1 update not yet approved, …".
 */
export function changeCounts(entries: readonly ChangeEntry[]): string {
  const n = (f: (e: ChangeEntry) => boolean) => entries.filter(f).length;
  const unreviewed = n((e) => e.kind === 'update' && !!e.reviewState && e.reviewState !== 'approved');
  const parts = [
    plural(n((e) => e.kind === 'update') - unreviewed, 'approved update'),
    ...(unreviewed ? [`${plural(unreviewed, 'update')} not yet approved`] : []),
    plural(n((e) => e.kind === 'figure'), 'new figure'),
  ];
  return `${parts.join(', ')} and ${plural(n((e) => e.kind === 'status'), 'RAG change')}`;
}
