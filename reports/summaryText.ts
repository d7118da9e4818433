/**
 * A priority summary as plain text, for copying into a board paper or an
 * email: the same order as the card (what needs attention first), then
 * everything else. No Markdown (Teams would show the marks in some clients,
 * a paste shows them everywhere), no empty fields, every paragraph once.
 * Also the shared wording of the RAG line and the dates, used by the card
 * and the Word document too.
 */
import type { AnswerSource } from '../knowledge/answer';
import type { ExceptionLine, PrioritySummary } from '../knowledge/summary';
import { changeLine } from '../knowledge/changes';
import { plain } from './markup';
import { plural } from '../knowledge/plural';


/** "2018-05-10" -> "10 May 2018"; anything else as it is. */
export function longDate(iso: string): string {
  if (!/^\d{4}-\d\d-\d\d$/.test(iso)) return iso;
  return LONG_DATE.format(new Date(`${iso}T00:00:00Z`));
}

/** toLocaleDateString's formatter, made once: toLocaleDateString builds a new one (locale data and all) on every call. */
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The RAG line: how many indicators are on target, off target and without one, and which way they are going.
 * A priority with no targets at all says so, once, and is judged by direction of travel.
 */
export function ragLine(s: PrioritySummary): string {
  const r = s.rollup;
  if (!r.indicators) return 'No indicators with figures are recorded for this priority.';
  const travel = [`${r.improving} improving`, `${r.worse} worse`, ...(r.noChange ? [`${r.noChange} no change`] : [])];
  if (s.noTargets) {
    const notComparable = r.indicators - r.improving - r.worse - r.noChange;
    return `No targets are set for this priority's ${plural(r.indicators, 'indicator')}, so they are judged by direction of travel: ${[...travel, ...(notComparable ? [`${notComparable} without an earlier figure to compare`] : [])].join(', ')}.`;
  }
  const parts = [`${r.onTarget} on target`, `${r.offTarget} off target`, `${r.noTarget} no target`, ...(r.unknown ? [`${r.unknown} not judged`] : [])];
  return `${plural(r.indicators, 'indicator')}: ${parts.join(', ')}; ${travel.join(', ')}.`;
}

/** "Off target", "Worse", "Past due", "Updates overdue": the label an exception is listed under. */
export function exceptionLabel(e: ExceptionLine): string {
  return e.kind === 'off target' ? 'Off target' : e.kind === 'worse' ? 'Worse' : e.kind === 'past due' ? 'Past due' : 'Overdue';
}

/**
 * An indicator's status as the summary lists it: "off target, worse". In a priority with no targets at all the RAG
 * line has said so once, so only the direction of travel is given.
 */
export function indicatorStatus(s: PrioritySummary, i: PrioritySummary['indicators'][number]): string {
  const travel = i.direction !== 'unknown' ? i.direction : '';
  return s.noTargets ? travel : [i.status, travel].filter(Boolean).join(', ');
}

export const NOTHING_NEEDS_ATTENTION = 'Nothing needs attention: no indicator is off target or getting worse, no key action is past its due date without progress, and no update is overdue.';

export function citation(s: AnswerSource): string {
  return `${s.title}${s.date ? ` (${s.date})` : ''}${s.section ? `, ${s.section}` : ''}${s.ref ? `, ${s.ref}` : ''}`;
}

/** The summary as plain text. */
export function summaryText(s: PrioritySummary): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', title, ...lines);
  };
  out.push(`${s.authorityName}: ${s.planTitle}, priority ${s.number}`, plain(s.title), `As at ${longDate(s.asAt)}`, '', `RAG: ${ragLine(s)}`);
  section('Needs attention', s.exceptions.length ? s.exceptions.map((e) => `- ${exceptionLabel(e)}: ${plain(e.title)}: ${plain(e.detail)}`) : [NOTHING_NEEDS_ATTENTION]);
  section(
    'Progress',
    s.progress.map((p) => `- ${plain(p.title)} (${plain(p.period)}): ${plain(p.text)}`),
  );
  if (s.changes) {
    const c = s.changes;
    section(`What changed since ${c.label} (${longDate(c.since)})`, c.entries.length ? c.entries.map((e) => `- ${plain(changeLine(e))}`) : ['No approved updates, new figures or changes of status since then.']);
  }
  section(
    'Indicators',
    s.indicators.flatMap((i) => {
      const fields = [
        ['Latest', i.latest ?? 'no figure'],
        ['Previous', i.previous],
        ['Target', i.target],
        ['National', i.national],
        [s.noTargets ? 'Direction' : 'Status', indicatorStatus(s, i)],
        ['Lead', i.lead],
      ].filter((f): f is [string, string] => !!f[1]);
      return [`- ${plain(i.title)}`, `  ${fields.map(([k, v]) => `${k}: ${plain(v)}`).join('; ')}`, `  Source: ${citation(i.source)}`];
    }),
  );
  section(
    'Key actions',
    s.actions.map((a) => `- ${plain(a.text)}. ${a.due ? `Due ${plain(a.due)}` : 'No date given'}; ${a.evidence ? 'progress recorded' : 'no progress recorded'}.`),
  );
  section('Outcomes', s.outcomes.map((o) => `- ${plain(o)}`));
  section('What success looks like', s.success.map((o) => `- ${plain(o)}`));
  section(
    'Progress narratives',
    s.narratives.flatMap((n) => [`- ${plain(n.title)}${n.period ? ` (${plain(n.period)})` : ''}: ${plain(n.text)}`, `  ${n.origin === 'approved update' ? 'Approved update' : 'Source'}: ${citation(n.source)}`]),
  );
  section('Leads', s.leads.map((l) => `- ${plain(l)}`));
  section('Sources', s.sources.map((x) => `- ${citation(x)}`));
  return out.join('\n') + '\n';
}
