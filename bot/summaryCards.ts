/**
 * Summary cards. Teams rejects card messages over about 28 KB, so long parts
 * go behind "show" buttons (Action.ShowCard), and if the card is still too big
 * the longest narratives are shortened with a visible note pointing at the
 * full text export: never a silent cut.
 */
import { AUTHORITY_NAMES } from '../knowledge/schema';
import type { PrioritySummary, SummaryRequest } from '../knowledge/summary';
import { card, cardSafe, facts, heading, submit, text, sourceLine, type AdaptiveCard, type CardElement } from './cards';

/** Stay well inside Teams' ~28 KB limit for the whole message. */
export const CARD_BYTE_BUDGET = 26_000;
const SHOWN_INDICATORS = 6;

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

export function summaryCard(s: PrioritySummary, narrativeLimit = 600): AdaptiveCard {
  const r = s.rollup;
  const body: CardElement[] = [
    heading(e(`${s.planTitle}: priority ${s.number}`)),
    text(e(s.title), { weight: 'Bolder' }),
    text(e(AUTHORITY_NAMES[s.authority]), { isSubtle: true, spacing: 'None' }),
    facts([
      { label: 'Indicators', value: String(r.indicators) },
      { label: 'On / off target', value: `${r.onTarget} on, ${r.offTarget} off, ${r.noTarget + r.unknown} not judged` },
      { label: 'Direction', value: `${r.improving} improving, ${r.worse} worse, ${r.noChange} no change` },
      { label: 'Key actions', value: `${s.actions.length} (${s.actions.filter((a) => a.evidence).length} with evidence of progress)` },
    ]),
  ];
  if (s.changes) {
    const c = s.changes;
    body.push(text(`What changed since ${e(c.label)} (${c.since})`, { weight: 'Bolder', spacing: 'Medium' }));
    const lines = [
      ...c.updates.map((u) => `- Update: ${e(u.title)}: ${e(u.status)}${u.value ? `, ${e(u.value)}` : ''} for ${e(u.period)} (${u.reviewState}; ${e(u.reporter)}, ${u.date})`),
      ...c.figures.slice(0, 15).map((f) => `- ${e(f.title)}: ${e(f.value)} for ${e(f.period)}`),
    ];
    if (c.figures.length > 15) lines.push(`- and ${c.figures.length - 15} more figures (see "Export as text")`);
    body.push(text(lines.length ? lines.join('\n') : 'No updates or figures since then.'));
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
  if (s.narratives.length) actions.push(showCard(`Show ${s.narratives.length} progress narratives`, narrativeBody(narrativeLimit)));
  if (s.leads.length) actions.push(showCard('Show leads', [text(s.leads.map((l) => `- ${e(l)}`).join('\n'))]));
  actions.push(submit('Export as text', { action: 'exportSummary', planId: s.planId, priority: s.number }));
  body.push(text(s.sources.map((x) => e(sourceLine(x))).join('\n'), { isSubtle: true, size: 'Small', spacing: 'Medium' }));

  const c = card(body, actions);
  // Too big for Teams: shorten narratives further, with the note saying so.
  if (cardBytes(c) > CARD_BYTE_BUDGET && narrativeLimit > 120) return summaryCard(s, Math.floor(narrativeLimit / 2));
  if (cardBytes(c) > CARD_BYTE_BUDGET) {
    const i = actions.findIndex((a) => String(a.title).includes('progress narratives'));
    if (i >= 0) actions[i] = showCard('Progress narratives', [text(`${s.narratives.length} narratives are too long to show here; use "Export as text".`)]);
    return card(body, actions);
  }
  return c;
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify({ contentType: 'application/vnd.microsoft.card.adaptive', content: c }), 'utf8');
}

export function summaryChoiceCard(r: Extract<SummaryRequest, { kind: 'choose' }>): AdaptiveCard {
  return card([text(e(r.message))], r.choices.map((c) => submit(c.title.length > 80 ? c.title.slice(0, 79) + '…' : c.title, { action: 'summary', planId: c.planId, priority: c.priority })));
}
