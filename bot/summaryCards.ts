/**
 * Summary cards. Teams rejects card messages over about 28 KB, so long parts
 * go behind "show" buttons (Action.ShowCard): more indicators, key actions,
 * narratives, leads, and all but the first few of "what changed since". If the
 * card is still too big, the longest narratives are shortened and the list of
 * changes behind its button is cut, each with a visible note pointing at the
 * full text export: never a silent cut.
 */
import type { DocumentOverview, PrioritySummary, SummaryChoice, SummaryRequest } from '../knowledge/summary';
import { card, cardSafe, facts, heading, submit, text, sourceLine, type AdaptiveCard, type CardElement } from './cards';

/** Stay well inside Teams' ~28 KB limit for the whole message. */
export const CARD_BYTE_BUDGET = 26_000;
const SHOWN_INDICATORS = 6;
/** Buttons Teams shows in one place (a card's actions or one action set); a seventh goes into an overflow menu. */
export const MAX_CARD_ACTIONS = 6;
const MAX_ACTIONS = MAX_CARD_ACTIONS;

const e = cardSafe;

function indicatorRows(s: PrioritySummary, from: number, to: number): CardElement[] {
  return s.indicators.slice(from, to).map((i) => ({
    type: 'Container',
    separator: true,
    items: [
      text(e(i.title), { weight: 'Bolder' }),
      facts([
        { label: 'Latest', value: e(i.latest ?? 'no figure') },
        { label: 'Previous', value: e(i.previous ?? '') },
        { label: 'Target', value: e(i.target ?? '') },
        { label: 'National', value: e(i.national ?? '') },
        { label: 'Status', value: `${i.status}${i.direction !== 'unknown' ? `, ${i.direction}` : ''}` },
        { label: 'Lead', value: e(i.lead ?? '') },
      ]),
      text(e(sourceLine(i.source)), { isSubtle: true, size: 'Small' }),
    ],
  }));
}

function showCard(title: string, body: CardElement[]): CardElement {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body } };
}

/** Changes shown on the card itself; the rest are behind "Show … more changes". */
export const CHANGES_SHOWN = 6;

/** How much of the long parts a card holds: tried from the first until the card fits the budget. */
interface Fit {
  /** Longest narrative shown; 0: narratives only in the export. */
  narrative: number;
  /** Most changes behind "Show more changes" (after the first CHANGES_SHOWN). */
  moreChanges: number;
  /** Longest first paragraph of the report's own summary of the priority, on the card itself. */
  ownSummary: number;
}
const FITS: Fit[] = [
  { narrative: 600, moreChanges: 60, ownSummary: 600 },
  { narrative: 300, moreChanges: 60, ownSummary: 600 },
  { narrative: 300, moreChanges: 30, ownSummary: 400 },
  { narrative: 150, moreChanges: 30, ownSummary: 400 },
  { narrative: 120, moreChanges: 15, ownSummary: 300 },
  { narrative: 0, moreChanges: 15, ownSummary: 200 },
  { narrative: 0, moreChanges: 0, ownSummary: 200 },
];

/** "What changed since": updates first, then the plans' own figures for periods from then, one line each. */
function changeLines(c: NonNullable<PrioritySummary['changes']>): string[] {
  return [
    ...c.updates.map((u) => `- Update: ${e(u.title)}: ${e(u.status)}${u.value ? `, ${e(u.value)}` : ''} for ${e(u.period)} (${u.reviewState}; ${e(u.reporter)}, ${u.date})`),
    ...c.figures.map((f) => `- ${e(f.title)}: ${e(f.value)} for ${e(f.period)}`),
  ];
}

/** The button data of "Export as text": the priority, and "since" when the card shows what changed. */
export function exportData(s: PrioritySummary): Record<string, unknown> {
  return { action: 'exportSummary', planId: s.planId, priority: s.number, ...(s.changes ? { since: { from: s.changes.since, label: s.changes.label } } : {}) };
}

/**
 * The summary card: headline figures, what changed (when asked), outcomes,
 * activities and the first indicators on the card; the rest behind buttons.
 * Kept under CARD_BYTE_BUDGET by shortening, step by step, what is behind the
 * buttons (see FITS), always saying so on the card.
 */
export function summaryCard(s: PrioritySummary, fit: Fit = FITS[0]): AdaptiveCard {
  const r = s.rollup;
  const body: CardElement[] = [
    heading(e(`${s.planTitle}: priority ${s.number}`)),
    text(e(s.title), { weight: 'Bolder' }),
    text(e(s.authorityName), { isSubtle: true, spacing: 'None' }),
    facts([
      { label: 'Indicators', value: String(r.indicators) },
      { label: 'On / off target', value: `${r.onTarget} on, ${r.offTarget} off, ${r.noTarget + r.unknown} not judged` },
      { label: 'Direction', value: `${r.improving} improving, ${r.worse} worse, ${r.noChange} no change` },
      { label: 'Key actions', value: `${s.actions.length} (${s.actions.filter((a) => a.evidence).length} with evidence of progress)` },
    ]),
  ];
  if (s.changes) {
    const c = s.changes;
    const lines = changeLines(c);
    body.push(text(`What changed since ${e(c.label)} (${c.since}): ${c.updates.length} update${c.updates.length === 1 ? '' : 's'}, ${c.figures.length} figure${c.figures.length === 1 ? '' : 's'}`, { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(lines.length ? lines.slice(0, CHANGES_SHOWN).join('\n') : 'No updates or figures since then.'));
    const rest = lines.slice(CHANGES_SHOWN);
    if (rest.length) {
      const shown = rest.slice(0, fit.moreChanges);
      const more: CardElement[] = shown.length ? [text(shown.join('\n'))] : [];
      if (rest.length > shown.length) more.push(text(`${shown.length ? `…and ${rest.length - shown.length} more` : `${rest.length} more changes are too many to show here`}: "Export as text" has them all.`, { isSubtle: true }));
      body.push({ type: 'ActionSet', actions: [showCard(`Show ${rest.length} more change${rest.length === 1 ? '' : 's'}`, more)] });
    }
  }
  // The report's own summary of the priority says in a paragraph what the figures below add up to.
  const own = s.planSummary[0];
  if (own) {
    const t = own.text.length > fit.ownSummary ? own.text.slice(0, fit.ownSummary).replace(/\s+\S*$/, '') + '…' : own.text;
    body.push(text(`Summary${own.period ? ` (${e(own.period)})` : ''}`, { weight: 'Bolder', spacing: 'Medium' }), text(e(t)));
  }
  if (s.outcomes.length) body.push(text('Outcomes', { weight: 'Bolder', spacing: 'Medium' }), text(s.outcomes.map((o) => `- ${e(o)}`).join('\n')));
  if (s.activities.length) {
    body.push(text('Key activities', { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(s.activities.map((a) => `- ${e(a.title)}${a.lead ? ` (${e(a.lead)})` : ''}`).join('\n')));
  }
  if (s.indicators.length) {
    body.push(text('Indicators', { weight: 'Bolder', spacing: 'Medium' }));
    body.push(...indicatorRows(s, 0, SHOWN_INDICATORS));
  }
  const actions: CardElement[] = [];
  if (s.indicators.length > SHOWN_INDICATORS) actions.push(showCard(`Show ${s.indicators.length - SHOWN_INDICATORS} more indicators`, indicatorRows(s, SHOWN_INDICATORS, s.indicators.length)));
  if (s.actions.length) {
    actions.push(
      showCard(
        `Show ${s.actions.length} key actions`,
        s.actions.map((a) => ({
          type: 'Container',
          separator: true,
          items: [text(e(a.text)), text(`${a.due ? `Due ${e(a.due)}` : 'No date given'} · ${a.evidence ? 'evidence of progress recorded' : 'no evidence recorded'}`, { isSubtle: true, size: 'Small' })],
        })),
      ),
    );
  }
  const narrativeBody = (limit: number): CardElement[] => {
    let shortened = 0;
    const items: CardElement[] = s.narratives.map((n) => {
      let t = n.text;
      if (t.length > limit) {
        t = t.slice(0, limit).replace(/\s+\S*$/, '') + '…';
        shortened++;
      }
      return { type: 'Container', separator: true, items: [text(`${e(n.title)}${n.period ? ` (${e(n.period)})` : ''} · ${n.origin}`, { weight: 'Bolder', size: 'Small' }), text(e(t)), text(e(sourceLine(n.source)), { isSubtle: true, size: 'Small' })] };
    });
    if (shortened) items.unshift({ type: 'Container', items: [text(`${shortened} long narrative${shortened === 1 ? ' is' : 's are'} shortened here; "Export as text" has them in full.`, { isSubtle: true })] });
    return items;
  };
  if (s.narratives.length) {
    actions.push(
      fit.narrative
        ? showCard(`Show ${s.narratives.length} progress narratives`, narrativeBody(fit.narrative))
        : showCard('Progress narratives', [text(`${s.narratives.length} narratives are too long to show here; use "Export as text".`)]),
    );
  }
  if (s.leads.length) actions.push(showCard('Show leads', [text(s.leads.map((l) => `- ${e(l)}`).join('\n'))]));
  actions.push(submit('Export as text', exportData(s)));
  body.push(text(s.sources.map((x) => e(sourceLine(x))).join('\n'), { isSubtle: true, size: 'Small', spacing: 'Medium' }));

  const c = card(body, actions);
  // Too big for Teams: the next, smaller fit, which says on the card what it left to the export.
  const next = FITS[FITS.indexOf(fit) + 1];
  if (cardBytes(c) > CARD_BYTE_BUDGET && next) return summaryCard(s, next);
  return c;
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify({ contentType: 'application/vnd.microsoft.card.adaptive', content: c }), 'utf8');
}

/** The button data of one choice: the priority, and "since" when the request asked what changed. */
function choiceData(c: SummaryChoice, r: Extract<SummaryRequest, { kind: 'choose' }>): Record<string, unknown> {
  return { action: 'summary', planId: c.planId, priority: c.priority, ...(r.since ? { since: r.since } : {}) };
}

const buttonTitle = (t: string) => (t.length > 80 ? t.slice(0, 79) + '…' : t);

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
    for (let i = 0; i < buttons.length; i += MAX_ACTIONS) rows.push({ type: 'ActionSet', actions: buttons.slice(i, i + MAX_ACTIONS) });
    return showCard(e(buttonTitle(cs[0].planTitle ?? cs[0].title)), rows);
  });
  // More plans than Teams shows buttons for: in rows too.
  if (groups.length <= MAX_ACTIONS) return card([text(e(r.message)), text('Choose a plan, then one of its priorities.', { isSubtle: true })], groups);
  const body: CardElement[] = [text(e(r.message))];
  for (let i = 0; i < groups.length; i += MAX_ACTIONS) body.push({ type: 'ActionSet', actions: groups.slice(i, i + MAX_ACTIONS) });
  return card(body);
}

/**
 * A document's overview: under each of its priorities, the document's own first sentences (each with its
 * source), and a button for the priority's full summary. Extractive only, like every summary.
 */
export function overviewCard(o: DocumentOverview): AdaptiveCard {
  const body: CardElement[] = [heading(e(o.document.title)), text(e(`Dated ${o.document.date}. What it says under each priority, in its own words.`), { isSubtle: true })];
  const actions: CardElement[] = [];
  for (const sec of o.sections) {
    body.push(text(e(`Priority ${sec.number}: ${sec.title}`), { weight: 'Bolder', spacing: 'Medium' }));
    if (!sec.points.length) body.push(text('The document says nothing under this priority.', { isSubtle: true }));
    for (const p of sec.points) {
      body.push({ type: 'Container', items: [text(e(`• ${p.text}`)), text(e(sourceLine(p.source)), { isSubtle: true, size: 'Small' })] });
    }
    actions.push(submit(buttonTitle(`Summarise priority ${sec.number}`), { action: 'summary', planId: o.planId, priority: sec.number }));
  }
  return card(body, actions.slice(0, 6));
}

/** The overview as one plain sentence for the message text. */
export function overviewHeadline(o: DocumentOverview): string {
  return `${o.document.title} (${o.document.date}): what it says under each of its ${o.sections.length} priorities.`;
}
