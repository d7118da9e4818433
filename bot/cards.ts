/**
 * Renders answers as Teams-safe Adaptive Cards (schema 1.5): TextBlocks,
 * FactSets, Containers and Action.Submit / ShowCard only, with wrap on every
 * text so nothing is cut off in the narrow Teams column. The building blocks
 * and their types are in cardElements.ts (re-exported here for the cards that
 * import them from this module).
 */
import type { ISubmitAction, ITextBlock } from '@microsoft/teams.cards';
import type { Answer, AnswerSource } from '../knowledge/answer';
import type { Catalogue } from '../knowledge/catalogue';
import { answerChart } from './charts';
import { buttonTitle, card, cardSafe, container, cutAt, NAME_CHARS, facts, heading, submit, text, type AdaptiveCard, type CardAction, type CardElement, type ShowCardAction } from './cardElements';

export { CARD_SCHEMA, CARD_VERSION, card, cardSafe, facts, heading, submit, text, type AdaptiveCard, type CardAction, type CardElement } from './cardElements';

/** A button that sends `value` back as if the user had typed it (Teams imBack). Teams only: prefer askButton. */
export function imBack(title: string, value: string): ISubmitAction {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value } } };
}

/**
 * A button that asks `question` as if the user had typed it: the handler
 * treats { action: 'ask', text } as that text. Its data is plain (no `msteams`,
 * no property named `key`), so every Adaptive Card host can send it, Agents
 * Playground included, not only Teams.
 */
export function askButton(title: string, question: string): ISubmitAction {
  return submit(buttonTitle(title), { action: 'ask', text: question });
}

/** A source as a reader cites it: the document's short name, its date and the section (no line numbers). */
export function sourceLine(s: AnswerSource): string {
  return `${s.short ?? s.title}${s.date ? ` (${s.date})` : ''}${s.section ? `, ${s.section}` : ''}`;
}

/** A follow-up's button title: short, as buttons are ("Summarise priority 2 of the CYPF plan" -> "Priority 2 summary"). */
function followUpTitle(question: string): string {
  const m = question.match(/^Summarise priority (\d+)/i);
  return m ? `Priority ${m[1]} summary` : question;
}

/** Most follow-ups offered with an answer, as buttons on its card. */
export const MAX_FOLLOW_UPS = 2;

/** The sources as plain lines (document, date and section), each once: what "Sources" shows, and a shared card lists. */
export function sourceBlocks(sources: AnswerSource[]): ITextBlock[] {
  return dedupeSources(sources).map((x) => text(cardSafe(sourceLine(x)), { isSubtle: true, size: 'Small' }));
}

/** The sources behind a "Sources" button: one click away, not in the way of the answer. */
function sourcesAction(sources: AnswerSource[]): ShowCardAction[] {
  const lines = sourceBlocks(sources);
  if (!lines.length) return [];
  return [{ type: 'Action.ShowCard', title: 'Sources', card: card(lines) }];
}

/** The figure asked for, large, with its period and what it is. */
function headlineBlock(a: Answer): ITextBlock[] {
  if (!a.headline) return [];
  const h = a.headline;
  // The message above the card names the figure already; the card names it only when the message does not.
  const label = a.text.includes(h.label) ? [] : [text(cardSafe(cutAt(h.label, NAME_CHARS)), { isSubtle: true, size: 'Small' })];
  return [
    ...label,
    text(cardSafe(h.value), { size: 'ExtraLarge', weight: 'Bolder', spacing: 'None' }),
    ...(h.period ? [text(cardSafe(h.period), { isSubtle: true, spacing: 'None' })] : []),
  ];
}

/** Notes about the source's quality, said plainly beside the figure, never inside it. */
function cautionBlocks(a: Answer): ITextBlock[] {
  return a.cautions.map((c) => text(cardSafe(`Note: ${c.charAt(0).toLowerCase()}${c.slice(1)}`), { color: 'Warning', size: 'Small' }));
}

/**
 * The card for an answer. The message's text above it already says the
 * answer in a sentence, so the card does not say it again: the figure large,
 * then its comparison and context as facts, sources one click away.
 */
export function answerCard(a: Answer): AdaptiveCard {
  return card(answerBody(a), [...a.suggestions.slice(0, MAX_FOLLOW_UPS).map((s) => askButton(followUpTitle(s), s)), ...sourcesAction(a.sources)]);
}

/**
 * What an answer's card shows, without its buttons: the figure, cautions, facts and quotes (also the body of a shared
 * card, which puts the title, when there is no figure, above the answer's sentence itself: `withTitle` false).
 */
export function answerBody(a: Answer, { withTitle = true } = {}): CardElement[] {
  const body: CardElement[] = [...headlineBlock(a), ...cautionBlocks(a)];
  if (withTitle && !a.headline && a.title) body.push(titleBlock(a.title));
  if (a.facts.length) body.push(facts(a.facts.map((f) => ({ label: f.label, value: cardSafe(f.value) }))));
  for (const q of a.quotes.filter((x) => !a.text.includes(x.text))) {
    body.push(quoteBlock(q));
  }
  body.push(...answerChart(a)); // An indicator's figures as a chart, with a FactSet fallback (bot/charts.ts).
  return body;
}

/** A passage quoted from the plans, set apart, with its source under it. */
export function quoteBlock(q: { text: string; source: AnswerSource }): CardElement {
  return container([text(cardSafe(q.text)), text(cardSafe(sourceLine(q.source)), { isSubtle: true, size: 'Small' })], { style: 'emphasis' });
}

/** A record's name as a card's bold line, cut to what reads as a name. */
export function titleBlock(title: string): ITextBlock {
  return text(cardSafe(cutAt(title, NAME_CHARS)), { weight: 'Bolder' });
}

/**
 * Not found: the message's text says plainly what the plans don't have; the
 * card shows the nearest they do have, labelled as such, and the choices.
 */
export function notFoundCard(a: Answer, question: string): AdaptiveCard {
  const body: CardElement[] = [];
  for (const q of a.quotes) {
    body.push(text('Nearest in the plans (not what you asked)', { weight: 'Bolder', size: 'Small' }));
    body.push(quoteBlock(q));
  }
  if (!body.length) body.push(text(a.choices.length ? 'Did you mean one of these?' : 'Try other words, or ask "help" to see what I know about.', { isSubtle: true }));
  const actions: CardAction[] = a.choices.map((c) => askButton(c.title, c.query));
  if (a.choices.length) actions.push(submit('None of these', { action: 'noneOfThese', question: question.slice(0, 500) }));
  return card(body, actions);
}

export const EXAMPLE_QUESTIONS = [
  'What is the latest CAMHS waiting time?',
  'How many children are on a CP plan in the city?',
  'Who leads on breastfeeding?',
  'When was the MASH set up?',
  'Summarise priority 2 for the county',
  'Submit an update',
];

/** What the help card says the bot knows: the plans and reports of the loaded knowledge, and a summary to try. */
export interface HelpAbout {
  plans: string;
  summaryExample: string;
}

/** The help card's words about the knowledge, from the catalogue (never a list of plans written in code). */
export function helpAbout(c: Catalogue): HelpAbout {
  // Each plan with its place, unless its title already names it (a council plan named for its council).
  const plans = c.plans.map((p) => {
    const place = c.authorityPlace(p.authority);
    return p.title.toLowerCase().includes(place.split(' ')[0].toLowerCase()) ? p.title : `${place}'s ${p.title}`;
  });
  const reports = c.knowledge.documents.filter((d) => d.kind === 'performance-report' || d.kind === 'review-report').map((d) => d.shortTitle ?? d.title);
  const list = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs.join(''));
  const first = c.plans.find((p) => c.priorities(p.id).has(2)) ?? c.plans[0];
  return {
    plans: `I know the partnership's plans: ${list(plans)}${reports.length ? `, and the reports on them (${list(reports)})` : ''}.`,
    summaryExample: first ? `Summarise priority ${c.priorities(first.id).has(2) ? 2 : 1} ${c.planPhrase(first.id)}` : 'Summarise priority 2 for the county',
  };
}

export function helpCard(about: HelpAbout = { plans: "I know the partnership's children's services plans and the reports on them.", summaryExample: EXAMPLE_QUESTIONS[4] }): AdaptiveCard {
  const examples = EXAMPLE_QUESTIONS.slice(0, 5).map((q, i) => (i === 4 ? about.summaryExample : q));
  return card(
    [
      heading('Plan assistant'),
      text(cardSafe(about.plans)),
      facts([
        { label: 'Ask', value: 'a figure, who leads, when something is due, what an acronym means' },
        { label: 'Summary', value: '"summarise priority 2 for the county"' },
        { label: 'Update', value: '"submit an update" or "update on the MASH"' },
        { label: 'My updates', value: 'what you have submitted and its review state' },
        { label: "What's due from me", value: 'your items whose update is due, each with "Update now" and "No change since last period"; I remind you before the due date too' },
        { label: 'Review updates', value: 'for reviewers: approve or return pending updates' },
        { label: 'Overdue updates', value: 'late updates and their leads ("what\'s missing for priority 2"); reviewers can then say "chase them"' },
      ]),
      text('Say "city" or "county" when it matters. Every figure comes from the plans, with its source; if the plans do not say, I will tell you.', { isSubtle: true }),
    ],
    examples.map((q) => askButton(q, q)),
  );
}

function dedupeSources(s: AnswerSource[]): AnswerSource[] {
  const seen = new Set<string>();
  return s.filter((x) => {
    const k = `${x.document}|${x.section}|${x.ref ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
