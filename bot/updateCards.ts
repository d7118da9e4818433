/**
 * Cards for progress updates: choosing the item, confirming, the one-card
 * form, reviewing and "my updates". What a lead typed is escaped wherever it
 * is shown again, so a narrative cannot inject Markdown links or formatting.
 */
import type { Draft, UpdateItem } from '../updates/service';
import { reference } from '../updates/service';
import type { Submission } from '../updates/types';
import { card, cardSafe as e, facts, heading, submit, text, type AdaptiveCard, type CardElement } from './cards';
import { execute, withRefresh } from './universalActions';
import { CARD_BYTE_BUDGET, cardBytes, MAX_CARD_ACTIONS } from './summaryCards';

/** The dataset the form's item field searches (bot/routes/itemSearch.ts answers it). */
export const ITEM_DATASET = 'updateItems';

export const STATUS_CHOICES = ['on track', 'at risk', 'off track', 'complete'] as const;

export function itemLabel(i: UpdateItem): string {
  const t = i.title.length > 70 ? i.title.slice(0, 69) + '…' : i.title;
  return `${t} (${i.authorityLabel}, priority ${i.priorityNumber})`;
}

export { MAX_CARD_ACTIONS };

/**
 * A question with buttons; each button sends its data back as a card
 * submission. Up to six are the card's own buttons; more go in rows of six
 * (action sets), so none is hidden in Teams' overflow menu.
 */
export function choiceCard(question: string, choices: { title: string; data: Record<string, unknown> }[], note?: string): AdaptiveCard {
  const body: CardElement[] = question ? [text(e(question), { weight: 'Bolder' })] : [];
  if (note) body.push(text(e(note), { isSubtle: true }));
  const buttons = choices.map((c) => submit(c.title.length > 80 ? c.title.slice(0, 79) + '…' : c.title, c.data));
  if (buttons.length <= MAX_CARD_ACTIONS) return card(body, buttons);
  for (let i = 0; i < buttons.length; i += MAX_CARD_ACTIONS) body.push({ type: 'ActionSet', actions: buttons.slice(i, i + MAX_CARD_ACTIONS) });
  return card(body);
}

/**
 * Choosing one item from a long list (a priority's activities and indicators):
 * a drop-down rather than dozens of buttons. It sends `{ pick: id }`, as the
 * buttons of a short list do; "None of these" sends `{ pick: '' }`.
 */
export function itemPickerCard(choices: { id: string; title: string }[], note?: string): AdaptiveCard {
  const body: CardElement[] = [
    { type: 'Input.ChoiceSet', id: 'pick', label: 'Activity or indicator', style: 'filtered', isRequired: true, errorMessage: 'Choose one, or press None of these', choices: choices.map((c) => ({ title: c.title, value: c.id })) },
  ];
  if (note) body.push(text(e(note), { isSubtle: true }));
  return card(body, [submit('Choose', {}, { style: 'positive' }), submit('None of these', { pick: '' }, { associatedInputs: 'none' })]);
}

export function draftFacts(d: Draft, item?: UpdateItem): { label: string; value: string }[] {
  return [
    { label: 'Item', value: item ? e(itemLabel(item)) : '' },
    { label: 'Value', value: item?.kind === 'indicator' ? e(d.value ?? '') : '' },
    { label: 'Period', value: e(d.period ?? '') },
    { label: 'Status', value: e(d.status ?? '') },
    { label: 'Progress', value: e(d.narrative ?? '') },
    { label: 'Reason', value: e(d.reason ?? '') },
    { label: 'Recovery action', value: e(d.recovery ?? '') },
    { label: 'Evidence', value: e(d.evidence ?? 'none') },
  ].filter((f) => f.value);
}

/**
 * The confirmation card: everything collected, an edit button for each field,
 * confirm and cancel. Confirm carries the update's idempotency key as
 * `confirmKey` (cards sent before carried it as `key`, which Agents
 * Playground's card renderer cannot send; the handler reads both).
 */
export function confirmCard(d: Draft, item: UpdateItem, key: string): AdaptiveCard {
  const edits: [string, string][] = [
    ['item', 'Edit item'],
    ...(item.kind === 'indicator' ? ([['value', 'Edit value']] as [string, string][]) : []),
    ['period', 'Edit period'],
    ['status', 'Edit status'],
    ['narrative', 'Edit progress'],
    ['evidence', 'Edit evidence'],
  ];
  return card(
    [heading('Check your update'), facts(draftFacts(d, item)), text('Nothing is saved until you confirm. A reviewer approves updates before they are published.', { isSubtle: true, size: 'Small' })],
    // Action.Execute: the pressed card becomes what the dialog says next ("Saved…", the question to edit, "Cancelled"), so it cannot be pressed twice.
    [
      execute('Confirm', { action: 'dialogStep', updateAction: 'confirm', confirmKey: key }, { style: 'positive' }),
      {
        type: 'Action.ShowCard',
        title: 'Edit…',
        card: { type: 'AdaptiveCard', body: [text('Which part?')], actions: edits.map(([field, title]) => execute(title, { action: 'dialogStep', updateAction: 'edit', field, confirmKey: key })) },
      },
      execute('Cancel', { action: 'dialogStep', updateAction: 'cancel', confirmKey: key }, { style: 'destructive' }),
    ],
  );
}

/** Stay well inside Teams' ~28 KB limit for a card message (as summaries do). */
export const FORM_BYTE_BUDGET = CARD_BYTE_BUDGET;
/** Longest item title in the form's list, tried in turn until every item fits the budget. */
const FORM_TITLE_LENGTHS = [90, 75, 62, 50, 40, 30];

/**
 * An item in the form's list of every item: its title first (what leads look
 * for), then its plan and priority ("· County CYPF P2"), so that typing
 * "CYPP P2" in the filtered list narrows it to that priority.
 */
export function formItemLabel(i: UpdateItem, maxTitle = FORM_TITLE_LENGTHS[0]): string {
  const t = i.title.length > maxTitle ? i.title.slice(0, maxTitle - 1).trimEnd() + '…' : i.title;
  return `${t} · ${i.authorityLabel}${i.planShort ? ` ${i.planShort}` : ''} P${i.priorityNumber}`;
}

function formChoices(items: UpdateItem[], maxTitle: number): { title: string; value: string }[] {
  const seen = new Set<string>();
  return items.map((i) => {
    let title = formItemLabel(i, maxTitle);
    // Two records with the same title in one priority (a plan and its evidence document): tell them apart.
    if (seen.has(title)) title = `${title} (${i.kind} ${i.id})`;
    seen.add(title);
    return { title, value: i.id };
  });
}

/**
 * The whole update on one card, for leads who prefer a form. `items` is the
 * list offered, in order (the lead's own first); it can be every item of every
 * plan: the list is a filtered choice set (type to narrow it), and titles are
 * shortened as far as needed to keep the card within Teams' size limit. If even
 * the shortest titles do not fit, the list is cut and the card says so.
 */
export interface FormCardOptions {
  /** Field errors, each shown beside its field. */
  errors?: { field: string; message: string }[];
  /** Whose form it is (by id): someone else's press is refused. */
  owner?: string;
  /** Teams' dynamic typeahead on the item field (off for the Agents Playground, which shows the item's id with it). */
  typeahead?: boolean;
}

export function updateFormCard(formId: string, items: UpdateItem[], prefill: FormFields = {}, { errors = [], owner, typeahead = true }: FormCardOptions = {}): AdaptiveCard {
  const build = (choices: { title: string; value: string }[], note?: string): AdaptiveCard => {
    const err = (field: string) => errors.filter((x) => x.field === field).map((x) => text(`⚠ ${e(x.message)}`, { color: 'Attention', size: 'Small', spacing: 'None' }));
    const body: CardElement[] = [heading('Progress update')];
    if (errors.length) body.push(text(`Please correct ${errors.length === 1 ? 'this' : 'these'} and submit again.`, { color: 'Attention' }));
    const selected = prefill.itemId ?? (items.length === 1 ? items[0].id : undefined);
    body.push(
      {
        type: 'Input.ChoiceSet',
        id: 'itemId',
        label: 'Activity or indicator',
        isRequired: true,
        errorMessage: 'Choose what the update is about',
        style: 'filtered',
        placeholder: 'Type words from the title, or a plan and priority like "CYPP P2"',
        ...(selected && choices.some((c) => c.value === selected) ? { value: selected } : {}),
        choices,
        // Teams searches as the lead types (application/search, bot/routes/itemSearch.ts); clients without dynamic
        // typeahead filter the static choices above instead.
        ...(typeahead ? { 'choices.data': { type: 'Data.Query', dataset: ITEM_DATASET } } : {}),
      },
      ...(note ? [text(e(note), { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
      ...err('itemId'),
      { type: 'Input.Text', id: 'value', label: 'New value (indicators only, e.g. 12.5% or 1,234)', value: prefill.value ?? '', maxLength: 100 },
      ...err('value'),
      { type: 'Input.Text', id: 'period', label: 'Period it is for (e.g. Q3 2017/18, March 2018, 2017/18)', isRequired: true, errorMessage: 'Give the period', value: prefill.period ?? '', maxLength: 100 },
      ...err('period'),
      // No default: a lead who skips it must not report "on track" by accident.
      { type: 'Input.ChoiceSet', id: 'status', label: 'Status', isRequired: true, errorMessage: 'Choose a status', placeholder: 'Choose a status', ...(prefill.status ? { value: prefill.status } : {}), choices: STATUS_CHOICES.map((s) => ({ title: s, value: s })) },
      ...err('status'),
      { type: 'Input.Text', id: 'narrative', label: 'Progress', isMultiline: true, isRequired: true, errorMessage: 'Describe the progress', value: prefill.narrative ?? '', maxLength: 4000 },
      ...err('narrative'),
      { type: 'Input.Text', id: 'reason', label: 'If off track or worse: the reason', isMultiline: true, value: prefill.reason ?? '', maxLength: 2000 },
      ...err('reason'),
      { type: 'Input.Text', id: 'recovery', label: 'If off track or worse: the recovery action', isMultiline: true, value: prefill.recovery ?? '', maxLength: 2000 },
      ...err('recovery'),
      { type: 'Input.Text', id: 'evidence', label: 'Evidence (optional: a document title or https link)', value: prefill.evidence ?? '', maxLength: 500 },
      ...err('evidence'),
    );
    return card(body, [execute('Check and submit', { action: 'submitUpdateForm', formId, ...(owner ? { owner } : {}) }, { style: 'positive' })]);
  };
  for (const max of FORM_TITLE_LENGTHS) {
    const c = build(formChoices(items, max));
    if (cardBytes(c) <= FORM_BYTE_BUDGET) return c;
  }
  // More items than any card can hold: as many as fit, and say where the rest are.
  const shortest = formChoices(items, FORM_TITLE_LENGTHS[FORM_TITLE_LENGTHS.length - 1]);
  let n = shortest.length;
  let c = build(shortest);
  while (n > 1 && cardBytes(c) > FORM_BYTE_BUDGET) {
    n = Math.floor(n * 0.9);
    c = build(shortest.slice(0, n), `This list holds ${n} of the ${items.length} items. For another, say "submit an update" and type words from its title.`);
  }
  return c;
}

/** The form's fields as typed (text), as the check card carries them to Confirm and back to the form. */
export type FormFields = Partial<Record<'itemId' | 'value' | 'period' | 'status' | 'narrative' | 'reason' | 'recovery' | 'evidence', string>>;

/**
 * The form's check step: what will be saved, as the dialog's check card shows it. Confirm saves (the form's
 * fields travel in its data, checked again when it is pressed); Change goes back to the form as it was.
 */
export function formCheckCard(d: Draft, item: UpdateItem, fields: FormFields, formId: string, owner?: string): AdaptiveCard {
  const data = { formId, ...(owner ? { owner } : {}), ...fields };
  return card(
    [heading('Check your update'), facts(draftFacts(d, item)), text('Nothing is saved until you confirm. A reviewer approves updates before they are published.', { isSubtle: true, size: 'Small' })],
    [execute('Confirm', { action: 'confirmUpdateForm', ...data }, { style: 'positive' }), execute('Change', { action: 'editUpdateForm', ...data })],
  );
}

/** A saved update, in place of the form or check card it came from: no buttons, so it cannot be sent again. */
export function submittedCard(s: Submission, again = false): AdaptiveCard {
  return card([
    heading(again ? 'Already submitted ✓ — waiting for review' : 'Submitted ✓ — waiting for review'),
    facts([
      { label: 'Item', value: e(s.recordTitle) },
      { label: 'Value', value: e(s.value ?? '') },
      { label: 'Period', value: e(s.period) },
      { label: 'Status', value: e(s.status) },
      { label: 'Reference', value: reference(s) },
      { label: 'Review', value: s.reviewState },
    ]),
  ]);
}

/** "2018-04-30 14:05" (UTC) from an ISO time. */
const whenShown = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * A decided update for reviewers, in place of its review card: who approved (or returned) it and when, no
 * buttons. Its refresh keeps every reviewer's copy current (REVIEWERS' ids).
 */
export function decidedCard(s: Submission, reviewerIds: string[]): AdaptiveCard {
  const by = s.reviewer ? e(s.reviewer.name) || 'a reviewer' : 'a reviewer';
  const when = s.reviewedAt ? ` at ${whenShown(s.reviewedAt)}` : '';
  const headline = s.reviewState === 'approved' ? `Approved by ${by}${when}` : s.reviewState === 'returned' ? `Returned to ${e(s.submitter.name)} by ${by}${when}` : `Update ${reference(s)}: ${s.reviewState}`;
  return withRefresh(
    card([
      heading(`${s.reviewState === 'approved' ? '✓ ' : ''}${headline}`),
      facts([
        { label: 'Update', value: reference(s) },
        { label: 'Item', value: e(s.recordTitle) },
        { label: 'Value', value: e(s.value ?? '') },
        { label: 'Period', value: e(s.period) },
        { label: 'Status', value: e(s.status) },
        { label: 'Comment', value: e(s.reviewComment ?? '') },
        { label: 'Reported by', value: e(s.submitter.name) },
      ]),
    ]),
    { action: 'refreshReview', id: s.id },
    reviewerIds,
  );
}

/** An update waiting for review, with Approve and Return; refreshed for reviewers, so a decision elsewhere shows here too. */
export function reviewCard(s: Submission, reviewerIds: string[] = []): AdaptiveCard {
  return withRefresh(reviewCardBody(s), { action: 'refreshReview', id: s.id }, reviewerIds);
}

function reviewCardBody(s: Submission): AdaptiveCard {
  return card(
    [
      heading(`Update ${reference(s)} for review`),
      facts([
        { label: 'Item', value: e(s.recordTitle) },
        { label: 'Value', value: e(s.value ?? '') },
        { label: 'Period', value: e(s.period) },
        { label: 'Status', value: e(s.status) },
        { label: 'Progress', value: e(s.narrative) },
        { label: 'Reason', value: e(s.reason ?? '') },
        { label: 'Recovery action', value: e(s.recovery ?? '') },
        { label: 'Evidence', value: e(s.evidence ?? '') },
        { label: 'Reported by', value: `${e(s.submitter.name)}, ${s.submittedAt.slice(0, 16).replace('T', ' ')}` },
      ]),
      { type: 'Input.Text', id: 'comment', label: 'Comment (required to return it)', isMultiline: true, maxLength: 1000 },
    ],
    [execute('Approve', { action: 'reviewUpdate', id: s.id, decision: 'approved' }, { style: 'positive' }), execute('Return with comment', { action: 'reviewUpdate', id: s.id, decision: 'returned' })],
  );
}

export function myUpdatesCard(list: Submission[]): AdaptiveCard {
  if (!list.length) return card([text("You haven't submitted any updates yet. Say \"submit an update\" to start one.")]);
  return card([
    heading('Your updates'),
    ...list.map((s) => ({
      type: 'Container' as const,
      separator: true,
      items: [
        text(`${e(s.recordTitle)}`, { weight: 'Bolder' }),
        facts([
          { label: 'Reference', value: reference(s) },
          { label: 'Value', value: e(s.value ?? '') },
          { label: 'Period', value: e(s.period) },
          { label: 'Status', value: e(s.status) },
          { label: 'Submitted', value: s.submittedAt.slice(0, 10) },
          { label: 'Review', value: s.reviewState + (s.reviewer ? ` by ${e(s.reviewer.name)}` : '') + (s.reviewComment ? `: ${e(s.reviewComment)}` : '') },
        ]),
      ],
    })),
  ]);
}
