/**
 * Cards for the reporting cycle: a lead's due list ("what's due from me") and
 * the reminder the bot sends them, both with "Update now" and "No change since
 * last period" on each item; managers' list of late updates with their leads.
 * The data the buttons send back is defined here too, as zod schemas, so the
 * handler validates exactly what these cards produce.
 */
import { z } from 'zod';
import type { DueItem } from '../updates/due';
import { howAnswerable } from '../updates/leads';
import type { ChaseGaps, Reminder, ReminderItem } from '../updates/reminders';
import type { LateUpdates } from '../updates/reportingCycle';
import { askButton, card, cardSafe as e, facts, heading, submit, text, type AdaptiveCard, type CardElement } from './cards';
import type { UpdateItem } from '../updates/types';
import { replySafe } from './text';
import { execute } from './universalActions';

/** "A, B and C": Intl's list format, no helper of our own. */
const andList = new Intl.ListFormat('en-GB', { type: 'conjunction' });

/** Most items on one card: Teams refuses cards over about 28 KB. */
export const MAX_CARD_ITEMS = 25;

/** What the reporting-cycle buttons send back (Action.Submit data). */
export const CycleCardActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('updateNow'), itemId: z.string().min(1).max(200), period: z.string().min(1).max(100).optional() }),
  z.object({ action: z.literal('noChange'), itemId: z.string().min(1).max(200), period: z.string().min(1).max(100) }),
  z.object({ action: z.literal('lateUpdates'), planId: z.string().min(1).max(100), priority: z.number().int().min(1).max(99) }),
]);
export type CycleCardAction = z.infer<typeof CycleCardActionSchema>;
export const CYCLE_ACTIONS: readonly string[] = CycleCardActionSchema.options.map((o) => o.shape.action.value);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The item in full (a lead must recognise it; Teams wraps), with its authority and priority. */
export function itemName(i: UpdateItem): string {
  return `${i.title} (${i.authorityLabel}, priority ${i.priorityNumber})`;
}

/** "30 April 2018" from "2018-04-30". */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "30 April 2018, in 5 days" / "today" / "was due 30 April 2018, 3 days ago". */
export function dueWhen(d: DueItem): string {
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (d.daysUntilDue === 0) return `${longDate(d.due)}, today`;
  if (d.daysUntilDue > 0) return `${longDate(d.due)}, in ${days(d.daysUntilDue)}`;
  return `${longDate(d.due)}, ${days(-d.daysUntilDue)} ago (overdue)`;
}

function lastUpdateLine(d: DueItem): string {
  if (!d.last) return 'none yet';
  return `${d.last.status} for ${d.last.period} (${d.last.reviewState})`;
}

/** One item a lead owes: what, which period, when, the last update, and the two buttons. */
function dueItemBlock(d: DueItem, leads: ReadonlySet<string>): CardElement {
  // Action.Execute: the pressed card is replaced by what was done (the update's first question, or "Saved: no change").
  const actions = [execute('Update now', { action: 'updateNow', itemId: d.item.id, period: d.period.label }, { style: 'positive' })];
  // "No change" repeats the last update: offered only when there is one.
  if (d.last) actions.push(execute('No change since last period', { action: 'noChange', itemId: d.item.id, period: d.period.label }));
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      text(e(itemName(d.item)), { weight: 'Bolder' }),
      facts([
        { label: 'Period', value: `${e(d.period.label)} (${longDate(d.period.from)} to ${longDate(d.period.to)})` },
        { label: 'Due', value: dueWhen(d) },
        { label: 'Last update', value: e(lastUpdateLine(d)) },
        ...contactFact(d, leads),
      ]),
      { type: 'ActionSet', actions },
    ],
  };
}

/** On an item the recipient answers for as an organisation's named contact (not as its lead): which organisation. */
function contactFact(d: DueItem, leads: ReadonlySet<string>): { label: string; value: string }[] {
  const how = howAnswerable(d.item, leads);
  return !how.asLead && how.contactFor.length ? [{ label: 'Lead', value: `${andList.format(how.contactFor.map(e))} (you are the named contact)` }] : [];
}

function itemBlocks(items: DueItem[], leads: ReadonlySet<string>): CardElement[] {
  const blocks = items.slice(0, MAX_CARD_ITEMS).map((d) => dueItemBlock(d, leads));
  if (items.length > MAX_CARD_ITEMS) blocks.push(text(`…and ${items.length - MAX_CARD_ITEMS} more. Update these first, then say "what's due from me" again.`, { isSubtle: true }));
  return blocks;
}

/** How the buttons work; "No change" explained only when a card offers it. */
function footer(due: DueItem[]): string {
  const noChange = due.some((d) => d.last) ? ' "No change since last period" reports the same status and progress again for this period, marked as carried forward.' : '';
  return `"Update now" opens the update on that item.${noChange} A reviewer approves every update before it is published.`;
}

/**
 * Why these items are the recipient's, as the card opens: the plans name them as lead, or name an organisation
 * they are the named contact for (people.yaml), so a contact is never told the plans name them as lead.
 * `leads`: the recipient's names as the plans give them (PeopleDirectory.leadNamesOf).
 */
export function whoseItems(due: DueItem[], leads: ReadonlySet<string>): string {
  const these = due.length === 1 ? 'this item' : `these ${due.length} items`;
  const ways = due.map((d) => howAnswerable(d.item, leads));
  if (ways.every((w) => w.asLead)) return `the plans name you as lead of ${these}`;
  const organisations = [...new Set(ways.filter((w) => !w.asLead).flatMap((w) => w.contactFor))].map(e);
  if (!organisations.length) return `the plans give you ${these} to report on`;
  if (ways.every((w) => !w.asLead)) return `the plans name ${andList.format(organisations)} as lead of ${these}, and you as ${organisations.length === 1 ? 'its' : 'their'} named contact`;
  return `the plans name you, or ${organisations.length === 1 ? `${organisations[0]} (for which you are the named contact)` : 'organisations you are the named contact for'}, as lead of ${these}`;
}

/** The answer to "what's due from me". */
export function dueListCard(name: string, due: DueItem[], leads: ReadonlySet<string>): AdaptiveCard {
  const overdue = due.filter((d) => d.overdue).length;
  return card([
    heading('Updates due from you'),
    text(`${e(name)}, ${whoseItems(due, leads)}, and ${due.length === 1 ? 'its' : 'their'} progress update for the period is missing${overdue ? ` (${overdue} overdue)` : ''}.`),
    ...itemBlocks(due, leads),
    text(footer(due), { isSubtle: true, size: 'Small', spacing: 'Medium' }),
  ]);
}

function reminderHeading(items: ReminderItem[], chased: boolean): string {
  if (chased) return 'Reminder: progress updates are late';
  return items.some((i) => i.kind === 'overdue') ? 'Reminder: progress updates overdue' : 'Reminder: progress updates due soon';
}

/** The card the bot sends a lead, unprompted: only their items, with the buttons to answer it there and then. */
export function reminderCard(r: Reminder): AdaptiveCard {
  const due = r.items.map((i) => i.due);
  const intro = r.chasedBy
    ? `${e(r.to.name)}, ${e(r.chasedBy.name)} asked me to remind you: the progress update on ${due.length === 1 ? 'this item' : `these ${due.length} items`} ${youAnswer(r)} is past its due date.`
    : `${e(r.to.name)}, ${whoseItems(due, r.leads)}, and ${due.length === 1 ? 'its' : 'their'} progress update is ${due.some((d) => d.overdue) ? 'overdue' : 'due soon'}.`;
  return card([heading(reminderHeading(r.items, !!r.chasedBy)), text(intro), ...itemBlocks(due, r.leads), text(`${footer(due)} Say "what's due from me" any time to see this list.`, { isSubtle: true, size: 'Small', spacing: 'Medium' })]);
}

/** "you lead", or "you report on" when the recipient answers for some of the items as an organisation's named contact. */
function youAnswer(r: Reminder): string {
  return r.items.every((i) => howAnswerable(i.due.item, r.leads).asLead) ? 'you lead' : 'you report on';
}

/** The message text beside the reminder card (what notifications and screen readers show). */
export function reminderText(r: Reminder): string {
  const n = r.items.length;
  const first = r.items[0].due;
  const what = `${n} progress update${n === 1 ? '' : 's'}`;
  const yours = `${what} ${youAnswer(r)} ${n === 1 ? 'is' : 'are'}`;
  if (r.chasedBy) return `Reminder from ${replySafe(r.chasedBy.name)}: ${yours} late.`;
  return r.items.some((i) => i.kind === 'overdue') ? `Reminder: ${yours} overdue.` : `Reminder: ${yours} due by ${longDate(first.due)}.`;
}

/**
 * Who leads an item, as the late list shows it: the people, then each lead
 * organisation as an organisation, with its named contact or "no named
 * contact" when no person answers for it (updates/leads.ts).
 */
function leadFacts(i: UpdateItem): { label: string; value: string }[] {
  if (!i.leads.length && !i.organisations.length) return [{ label: 'Leads', value: 'no lead is named in the plan' }];
  const orgs = i.organisations.map((o) => (o.contact ? `${o.name} (named contact: ${o.contact})` : i.leads.length ? o.name : `${o.name} (no named contact)`));
  return [...(i.leads.length ? [{ label: 'Leads', value: e(i.leads.join('; ')) }] : []), ...(orgs.length ? [{ label: 'Lead organisation', value: e(orgs.join('; ')) }] : [])];
}

/** Managers' list: the late updates in scope, with who leads each. */
export function lateListCard(scopeLabel: string, list: LateUpdates, canChase: boolean): AdaptiveCard {
  const late = list.late;
  const body: CardElement[] = [
    heading('Late progress updates'),
    text(e(scopeLabel), { isSubtle: true, spacing: 'None' }),
    text(`${late.length} item${late.length === 1 ? ' is' : 's are'} past the due date without an update for the period${list.notYetDue.length ? `; ${list.notYetDue.length} more ${list.notYetDue.length === 1 ? 'is' : 'are'} not due yet` : ''}.`),
  ];
  for (const d of late.slice(0, MAX_CARD_ITEMS)) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(e(itemName(d.item)), { weight: 'Bolder' }),
        facts([
          { label: 'Period', value: e(d.period.label) },
          { label: 'Due', value: dueWhen(d) },
          ...leadFacts(d.item),
          { label: 'Last update', value: e(lastUpdateLine(d)) },
        ]),
      ],
    });
  }
  if (late.length > MAX_CARD_ITEMS) body.push(text(`…and ${late.length - MAX_CARD_ITEMS} more. Ask about one priority to see them all, for example "what's missing for priority 2 in the city".`, { isSubtle: true }));
  if (canChase && late.length) body.push(text('Say "chase them" and I will send a reminder to each lead I can reach, listing only their items.', { isSubtle: true, spacing: 'Medium' }));
  return card(body, canChase && late.length ? [askButton('Chase them', 'chase them')] : []);
}

/** Offered when "no change" has nothing to repeat: the update itself instead. */
export function nothingToCarryCard(itemTitle: string, itemId: string, period: string): AdaptiveCard {
  return card(
    [text(`There is no earlier update on "${e(itemTitle)}" to carry forward, so I can't record "no change" for ${e(period)}. Please give this period's update instead: it takes a minute.`)],
    [submit('Update now', { action: 'updateNow', itemId, period }, { style: 'positive' })],
  );
}

/** The chase's outcome, in a sentence or three (names made inert: they are display names and the plans' lead names). */
export function chaseSummary(r: { late: number; sent: { to: { name: string }; items: unknown[] }[]; alreadyChased: { name: string }[]; failed: { to: { name: string } }[] } & ChaseGaps): string {
  const names = (xs: string[], max = 12) => (xs.length > max ? `${xs.slice(0, max).map(replySafe).join(', ')} and ${xs.length - max} more` : xs.map(replySafe).join(', '));
  if (!r.late) return 'Nothing on that list is late any more, so there is no one to chase.';
  const parts: string[] = [];
  const sentItems = r.sent.reduce((n, s) => n + s.items.length, 0);
  parts.push(r.sent.length ? `Sent reminders to ${r.sent.length} lead${r.sent.length === 1 ? '' : 's'} (${names(r.sent.map((s) => s.to.name))}) for ${sentItems} late update${sentItems === 1 ? '' : 's'}.` : 'I sent no reminders.');
  if (r.alreadyChased.length) parts.push(`Already chased today, so not again: ${names(r.alreadyChased.map((p) => p.name))}.`);
  if (r.failed.length) parts.push(`I couldn't deliver to ${names(r.failed.map((f) => f.to.name))}; say "chase them" again in a while to retry.`);
  if (r.unreachable.length) parts.push(`${r.unreachable.length} lead${r.unreachable.length === 1 ? ' has' : 's have'} never talked to me, so I can't reach them: ${names(r.unreachable)}.`);
  if (r.noAccount.length) parts.push(`${r.noAccount.length} lead${r.noAccount.length === 1 ? ' has' : 's have'} no Teams account in the list of leads (people.yaml), so I can't reach them: ${names(r.noAccount)}.`);
  if (r.noContact.length) parts.push(`${r.noContact.length} lead organisation${r.noContact.length === 1 ? ' has' : 's have'} no named contact, so there is no one to chase: ${names(r.noContact)}. Name a contact for each in the list of leads (people.yaml).`);
  if (r.withoutLead) parts.push(`${r.withoutLead} late item${r.withoutLead === 1 ? ' names' : 's name'} no lead.`);
  return parts.join(' ');
}
