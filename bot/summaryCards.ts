/**
 * Summary cards, led by what a manager must act on. The first screen: plan,
 * priority and as-at date, the RAG line with its donut, what needs attention
 * (indicators off target or getting worse, key actions past due, updates
 * overdue) and a few lines of progress. Everything else (every exception,
 * indicator, key action, activity, narrative, what changed, leads and
 * sources) is on the same card behind "Show all" (Action.ToggleVisibility),
 * so it opens in place with one click.
 *
 * Teams rejects card messages over about 28 KB: if the card is too big, the
 * longest narratives and the list of changes under "Show all" are shortened,
 * step by step, each with a visible note pointing at the exports; never a
 * silent cut.
 */
import type { DocumentOverview, PrioritySummary, SummaryChoice, SummaryRequest } from '../knowledge/summary';
import { clip } from '../knowledge/summary';
import { changeCounts, changeLine } from '../knowledge/changes';
import { exceptionLabel, indicatorStatus, longDate, NOTHING_NEEDS_ATTENTION, ragLine } from '../reports/summaryText';
import type { IShowCardAction, ISubmitAction } from '@microsoft/teams.cards';
import { actionSet, buttonTitle, card, cardSafe, container, facts, heading, submit, text, type AdaptiveCard, type CardAction, type CardElement, type SubmitData } from './cardElements';
import { sourceLine } from './cards';
import { ragDonut } from './charts';
import { plural } from '../knowledge/plural';

/** Stay well inside Teams' ~28 KB limit for the whole message. */
export const CARD_BYTE_BUDGET = 26_000;
/** Buttons Teams shows in one place (a card's actions or one action set); a seventh goes into an overflow menu. */
export const MAX_CARD_ACTIONS = 6;
const MAX_ACTIONS = MAX_CARD_ACTIONS;

/**
 * How much of a summary the first screen shows: kept short so the card's first screen fits a laptop without
 * scrolling (the browser test measures it in the Playground). The rest is under "Show all".
 */
export const FIRST_SCREEN = {
  /** Exceptions listed before "…and N more under Show all". */
  exceptions: 4,
  /** Longest title of an exception's indicator or action, in characters: its figures or dates are what matter (the whole line is under "Show all"). */
  exceptionTitleChars: 60,
  /** Longest detail of an exception (its figures, or its due date). */
  exceptionDetailChars: 80,
  /** Progress lines shown (the summary has up to three; every narrative is whole under "Show all"): two keep the first screen within a laptop's height beside four exceptions. */
  progress: 2,
  /** Longest title of a progress line's activity or indicator, and of its text, in characters (the narrative is whole under "Show all"). */
  progressTitleChars: 45,
  progressTextChars: 60,
  /** Changes listed when the summary was asked "since" a date. */
  changes: 3,
};
/** Changes listed on the first screen (the rest are under "Show all"). */
export const CHANGES_SHOWN = FIRST_SCREEN.changes;
/** The id of the container "Show all" opens. */
export const DETAILS_ID = 'summary-details';

const e = cardSafe;

function showCard(title: string, body: CardElement[]): IShowCardAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body } };
}

function indicatorRows(s: PrioritySummary): CardElement[] {
  return s.indicators.map((i) =>
    container(
      [
        text(e(i.title), { weight: 'Bolder' }),
      facts([
        { label: 'Latest', value: e(i.latest ?? 'no figure') },
        { label: 'Previous', value: e(i.previous ?? '') },
        { label: 'Target', value: e(i.target ?? '') },
        { label: 'National', value: e(i.national ?? '') },
        { label: s.noTargets ? 'Direction' : 'Status', value: indicatorStatus(s, i) },
        { label: 'Lead', value: e(i.lead ?? '') },
        ]),
        text(e(sourceLine(i.source)), { isSubtle: true, size: 'Small' }),
      ],
      { separator: true },
    ),
  );
}

/** How much of the long parts the details hold: tried from the first until the card fits the budget. */
interface Fit {
  /** Longest narrative shown; 0: narratives only in the exports. */
  narrative: number;
  /** Most changes listed under "Show all". */
  changes: number;
}
const FITS: Fit[] = [
  { narrative: 600, changes: 60 },
  { narrative: 300, changes: 60 },
  { narrative: 300, changes: 30 },
  { narrative: 150, changes: 30 },
  { narrative: 120, changes: 15 },
  { narrative: 0, changes: 15 },
  { narrative: 0, changes: 0 },
];

const exceptionText = (x: PrioritySummary['exceptions'][number]) => `${exceptionLabel(x)}: ${x.title}: ${x.detail}`;
const bullets = (lines: string[]) => lines.map((l) => `- ${e(l)}`).join('\n');
const section = (title: string) => text(title, { weight: 'Bolder', spacing: 'Medium' });

/** "since", when a summary shows what changed: what a button about the summary carries back to keep showing it. */
export function sinceData(s: PrioritySummary): { since?: { from: string; label: string } } {
  return s.changes ? { since: { from: s.changes.since, label: s.changes.label } } : {};
}

/** The button data of "Export as text": the priority, and "since" when the card shows what changed. */
export function exportData(s: PrioritySummary): SubmitData {
  return { action: 'exportSummary', planId: s.planId, priority: s.number, ...sinceData(s) };
}

/** The button data of "Export as Word": as for text, another action. */
export function exportDocumentData(s: PrioritySummary): SubmitData {
  return { ...exportData(s), action: 'exportDocument' };
}

/** What the first screen says: the exceptions, the progress and (when asked) the first changes. */
function firstScreen(s: PrioritySummary): CardElement[] {
  const body: CardElement[] = [
    heading(e(`${s.planTitle}: priority ${s.number}`)),
    // A priority the plan gives no title is called "Priority N": the heading has said that.
    ...(s.title === `Priority ${s.number}` ? [] : [text(e(s.title), { weight: 'Bolder', spacing: 'None' })]),
    text(e(`${s.authorityName} · as at ${longDate(s.asAt)}`), { isSubtle: true, spacing: 'None' }),
  ];
  // The RAG line beside its donut, so the picture costs no height of its own.
  const rag = text(`RAG: ${e(ragLine(s))}`);
  const donut = ragDonut(s);
  body.push(
    donut
      ? {
          type: 'ColumnSet',
          spacing: 'Small',
          columns: [
            { type: 'Column', width: 2, verticalContentAlignment: 'Center', items: [rag] },
            { type: 'Column', width: 1, items: [donut] },
          ],
        }
      : { ...rag, spacing: 'Small' },
  );
  body.push(section('Needs attention'));
  if (s.exceptions.length) {
    const shown = s.exceptions.slice(0, FIRST_SCREEN.exceptions);
    body.push(text(bullets(shown.map((x) => `${exceptionLabel(x)}: ${clip(x.title, FIRST_SCREEN.exceptionTitleChars)}: ${clip(x.detail, FIRST_SCREEN.exceptionDetailChars)}`))));
    const more = s.exceptions.length - shown.length;
    if (more) body.push(text(`…and ${more} more under "Show all".`, { isSubtle: true, spacing: 'None' }));
  } else body.push(text(NOTHING_NEEDS_ATTENTION));
  if (s.progress.length) {
    body.push(section('Progress'));
    body.push(text(bullets(s.progress.slice(0, FIRST_SCREEN.progress).map((p) => `${clip(p.title, FIRST_SCREEN.progressTitleChars)} (${p.period}): ${clip(p.text, FIRST_SCREEN.progressTextChars)}`))));
  }
  if (s.changes) {
    const c = s.changes;
    body.push(section(`What changed since ${e(c.label)} (${longDate(c.since)}): ${changeCounts(c.entries)}`));
    body.push(text(c.entries.length ? bullets(c.entries.slice(0, FIRST_SCREEN.changes).map(changeLine)) : 'No approved updates, new figures or changes of status since then.'));
  }
  return body;
}

/** Everything else, for "Show all": every exception, indicator, key action, activity, narrative, change, lead and source. */
function details(s: PrioritySummary, fit: Fit): CardElement[] {
  const items: CardElement[] = [];
  if (s.exceptions.length > FIRST_SCREEN.exceptions || s.exceptions.some((x) => x.title.length > FIRST_SCREEN.exceptionTitleChars || x.detail.length > FIRST_SCREEN.exceptionDetailChars)) {
    items.push(section(`All that needs attention (${s.exceptions.length})`), text(bullets(s.exceptions.map(exceptionText))));
  }
  // The progress lines the first screen had no room for come first, as the exceptions do.
  const moreProgress = s.progress.slice(FIRST_SCREEN.progress);
  if (moreProgress.length) items.push(section('Further progress'), text(bullets(moreProgress.map((p) => `${p.title} (${p.period}): ${p.text}`))));
  if (s.changes && s.changes.entries.length > FIRST_SCREEN.changes) {
    const rest = s.changes.entries.slice(FIRST_SCREEN.changes);
    const shown = rest.slice(0, fit.changes);
    items.push(section(`Further changes (${rest.length})`));
    if (shown.length) items.push(text(bullets(shown.map(changeLine))));
    if (rest.length > shown.length) items.push(text(`${shown.length ? `…and ${rest.length - shown.length} more` : `${rest.length} more changes are too many to show here`}: the Word and text exports have them all.`, { isSubtle: true }));
  }
  if (s.indicators.length) items.push(section(`Indicators (${s.indicators.length})`), ...indicatorRows(s));
  if (s.actions.length) {
    items.push(section(`Key actions (${s.actions.length})`));
    items.push(
      ...s.actions.map((a) =>
        container([text(e(a.text)), text(`${a.due ? `Due ${e(a.due)}` : 'No date given'} · ${a.evidence ? 'progress recorded' : 'no progress recorded'}`, { isSubtle: true, size: 'Small', spacing: 'None' })], {
          separator: true,
        }),
      ),
    );
  }
  if (s.activities.length) items.push(section(`Key activities (${s.activities.length})`), text(bullets(s.activities.map((a) => `${a.title}${a.lead ? ` (${a.lead})` : ''}`))));
  if (s.outcomes.length) items.push(section('Outcomes'), text(bullets(s.outcomes)));
  if (s.success.length) items.push(section('What success looks like'), text(bullets(s.success)));
  if (s.narratives.length) {
    items.push(section(`Progress narratives (${s.narratives.length})`));
    if (!fit.narrative) items.push(text(`${s.narratives.length} narratives are too long to show here; the Word and text exports have them in full.`, { isSubtle: true }));
    else {
      let shortened = 0;
      for (const n of s.narratives) {
        const t = clip(n.text, fit.narrative);
        if (t !== n.text) shortened++;
        items.push(
          container([text(`${e(n.title)}${n.period ? ` (${e(n.period)})` : ''} · ${n.origin}`, { weight: 'Bolder', size: 'Small' }), text(e(t)), text(e(sourceLine(n.source)), { isSubtle: true, size: 'Small' })], {
            separator: true,
          }),
        );
      }
      if (shortened) items.push(text(`${plural(shortened, 'long narrative')} ${shortened === 1 ? 'is' : 'are'} shortened here; the Word and text exports have them in full.`, { isSubtle: true }));
    }
  }
  if (s.leads.length) items.push(section('Leads'), text(bullets(s.leads)));
  items.push(section('Sources'), text(s.sources.map((x) => e(sourceLine(x))).join('\n'), { isSubtle: true, size: 'Small' }));
  return items;
}

/**
 * The summary card: the first screen, then the details behind "Show all", and the exports. Kept under
 * CARD_BYTE_BUDGET by shortening, step by step, what is in the details (see FITS), always saying so on the card.
 */
export function summaryCard(s: PrioritySummary): AdaptiveCard {
  return fittedCard(FITS, (fit) => summaryCardWith(s, fit));
}

function summaryCardWith(s: PrioritySummary, fit: Fit): AdaptiveCard {
  const body = [...firstScreen(s), container(details(s, fit), { id: DETAILS_ID, isVisible: false, separator: true, spacing: 'Medium' })];
  const actions: CardAction[] = [
    { type: 'Action.ToggleVisibility', title: 'Show all', targetElements: [DETAILS_ID] },
    submit('Export as Word', exportDocumentData(s)),
    submit('Export as text', exportData(s)),
  ];
  return card(body, actions);
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify({ contentType: 'application/vnd.microsoft.card.adaptive', content: c }), 'utf8');
}

/**
 * The card built with the first of `fits` (each smaller than the one before) that keeps it within CARD_BYTE_BUDGET,
 * else with the last: too big for Teams, the next fit lists less and says on the card where the rest is.
 */
export function fittedCard<F>(fits: readonly F[], build: (fit: F) => AdaptiveCard): AdaptiveCard {
  let c = build(fits[0]);
  for (const fit of fits.slice(1)) {
    if (cardBytes(c) <= CARD_BYTE_BUDGET) break;
    c = build(fit);
  }
  return c;
}

/** The button data of one choice: the priority, and "since" when the request asked what changed. */
function choiceData(c: SummaryChoice, r: Extract<SummaryRequest, { kind: 'choose' }>): SubmitData {
  return { action: 'summary', planId: c.planId, priority: c.priority, ...(r.since ? { since: r.since } : {}) };
}

/**
 * Asking which plan or priority: one button per choice when they fit on the
 * card (Teams shows six); more (a bare "summary" offers every plan's
 * priorities) are grouped by plan, one "show" button per plan with its
 * priorities inside.
 */
export function summaryChoiceCard(r: Extract<SummaryRequest, { kind: 'choose' }>): AdaptiveCard {
  if (r.choices.length <= MAX_ACTIONS) return card([text(e(r.message))], r.choices.map((c) => submit(e(buttonTitle(c.title)), choiceData(c, r))));
  const plans = new Map<string, SummaryChoice[]>();
  for (const c of r.choices) plans.set(c.planId, [...(plans.get(c.planId) ?? []), c]);
  const groups = [...plans.values()].map((cs) => {
    const buttons = cs.map((c) => submit(e(buttonTitle(`Priority ${c.priority}${c.priorityTitle ? `: ${c.priorityTitle}` : ''}`)), choiceData(c, r)));
    const rows: CardElement[] = [];
    for (let i = 0; i < buttons.length; i += MAX_ACTIONS) rows.push(actionSet(buttons.slice(i, i + MAX_ACTIONS)));
    return showCard(e(buttonTitle(cs[0].planTitle ?? cs[0].title)), rows);
  });
  // More plans than Teams shows buttons for: in rows too.
  if (groups.length <= MAX_ACTIONS) return card([text(e(r.message)), text('Choose a plan, then one of its priorities.', { isSubtle: true })], groups);
  const body: CardElement[] = [text(e(r.message))];
  for (let i = 0; i < groups.length; i += MAX_ACTIONS) body.push(actionSet(groups.slice(i, i + MAX_ACTIONS)));
  return card(body);
}

/**
 * A document's overview: under each of its priorities, the document's own first sentences (each with its
 * source), and a button for the priority's full summary. Extractive only, like every summary.
 */
export function overviewCard(o: DocumentOverview): AdaptiveCard {
  const body: CardElement[] = [heading(e(o.document.title)), text(e(`Dated ${o.document.date}. What it says under each priority, in its own words.`), { isSubtle: true })];
  const actions: ISubmitAction[] = [];
  for (const sec of o.sections) {
    body.push(text(e(`Priority ${sec.number}: ${sec.title}`), { weight: 'Bolder', spacing: 'Medium' }));
    if (!sec.points.length) body.push(text('The document says nothing under this priority.', { isSubtle: true }));
    for (const p of sec.points) {
      body.push(container([text(e(`• ${p.text}`)), text(e(sourceLine(p.source)), { isSubtle: true, size: 'Small' })]));
    }
    actions.push(submit(buttonTitle(`Summarise priority ${sec.number}`), { action: 'summary', planId: o.planId, priority: sec.number }));
  }
  return card(body, actions.slice(0, 6));
}

/** The overview as one plain sentence for the message text. */
export function overviewHeadline(o: DocumentOverview): string {
  return `${o.document.title} (${o.document.date}): what it says under each of its ${o.sections.length} priorities.`;
}
