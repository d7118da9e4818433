/**
 * "What changed since …" and the weekly digest as a card: priority by
 * priority (the one with the newest change first), each change on one line
 * with who reported it and when. The first few of each priority are on the
 * card; the rest open in place under "Show all". Kept under Teams' size limit
 * by listing fewer, always saying how many more there are.
 */
import { changeCounts, changeLine } from '../knowledge/changes';
import type { ChangesReport } from '../knowledge/whatChanged';
import { longDate } from '../reports/summaryText';
import { buttonTitle, card, cardSafe, container, heading, submit, text, type AdaptiveCard, type CardAction, type CardElement } from './cardElements';
import { askButton } from './cards';
import { fittedCard } from './summaryCards';
import { plural } from '../knowledge/plural';

/** How much a changes card lists: tried from the first until the card fits Teams' size limit. */
const FITS = [
  { shown: 4, more: 40 },
  { shown: 3, more: 20 },
  { shown: 3, more: 8 },
  { shown: 2, more: 0 },
  { shown: 1, more: 0 },
];
/** Priorities that get a "Summarise …" button (the card has room for six buttons; one is "Show all"). */
const SUMMARY_BUTTONS = 3;
export const CHANGES_DETAILS_ID = 'changes-details';

const e = cardSafe;
const priorities = (n: number) => plural(n, 'priority', 'priorities');

/** One sentence for the message text: how many of what, across how many priorities. */
export function changesHeadline(r: ChangesReport): string {
  const all = r.groups.flatMap((g) => g.entries);
  if (!all.length) return `Nothing has changed since ${r.since.label} (${longDate(r.since.from)}): no approved updates, new figures or changes of RAG status in the ${priorities(r.looked)} I looked at.`;
  return `Since ${r.since.label} (${longDate(r.since.from)}): ${changeCounts(all)} in ${r.groups.length} of ${priorities(r.looked)}.`;
}

export interface ChangesCardOptions {
  /** The heading (default "What changed since …"). */
  title?: string;
  /** Buttons to add after "Show all" and the summaries (the digest's "Stop the weekly digest"). */
  extraActions?: CardAction[];
  /** Today, for "to <date>". */
  asAt: string;
}

export function changesCard(r: ChangesReport, o: ChangesCardOptions): AdaptiveCard {
  return fittedCard(FITS, (fit) => changesCardWith(r, o, fit));
}

function changesCardWith(r: ChangesReport, o: ChangesCardOptions, fit: (typeof FITS)[number]): AdaptiveCard {
  const body: CardElement[] = [
    heading(e(o.title ?? `What changed since ${r.since.label}`)),
    text(e(`${longDate(r.since.from)} to ${longDate(o.asAt)}. Approved updates, new figures and changes of RAG status, newest first, with who reported each and when.`), { isSubtle: true, spacing: 'None' }),
    text(e(changesHeadline(r))),
  ];
  const details: CardElement[] = [];
  for (const g of r.groups) {
    const label = `${g.authorityLabel}: ${g.planTitle}, priority ${g.number}: ${g.title}`;
    body.push(text(e(label), { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(g.entries.slice(0, fit.shown).map((x) => `- ${e(changeLine(x))}`).join('\n')));
    const rest = g.entries.slice(fit.shown);
    if (!rest.length) continue;
    const listed = rest.slice(0, fit.more);
    details.push(text(e(label), { weight: 'Bolder', spacing: 'Medium' }));
    if (listed.length) details.push(text(listed.map((x) => `- ${e(changeLine(x))}`).join('\n')));
    if (rest.length > listed.length) details.push(text(`…and ${rest.length - listed.length} more: ask for this priority's summary since ${e(r.since.label)}, or export it.`, { isSubtle: true }));
    body.push(text(`${plural(rest.length, 'more change')} under "Show all".`, { isSubtle: true, spacing: 'None' }));
  }
  const actions: CardAction[] = [];
  if (details.length) {
    body.push(container(details, { id: CHANGES_DETAILS_ID, isVisible: false }));
    actions.push({ type: 'Action.ToggleVisibility', title: 'Show all', targetElements: [CHANGES_DETAILS_ID] });
  }
  for (const g of r.groups.slice(0, SUMMARY_BUTTONS)) {
    const title = `Summarise ${g.authorityLabel} ${g.planTitle}: priority ${g.number}`;
    actions.push(submit(e(buttonTitle(title)), { action: 'summary', planId: g.planId, priority: g.number, since: r.since }));
  }
  actions.push(...(o.extraActions ?? []));
  return card(body, actions);
}

/** The weekly digest: the same card, headed as the digest, with a button to stop it. */
export function digestCard(r: ChangesReport, asAt: string): AdaptiveCard {
  return changesCard(r, { title: `Your weekly digest: what changed since ${r.since.label}`, asAt, extraActions: [askButton('Stop the weekly digest', 'stop the weekly digest')] });
}
