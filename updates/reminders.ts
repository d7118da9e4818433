/**
 * Which reminders are due, on a given day: for every user the bot can reach,
 * the items that name them as lead and miss their update for the period being
 * reported, if the due date is close (REMINDER_DAYS_BEFORE) or was missed a
 * while ago (REMINDER_DAYS_AFTER). Pure: the runner (reminderRunner.ts) claims
 * and sends what this plans, and the claims keep each to one send.
 */
import type { DueItem } from './due';
import { identityOf, type KnownConversation } from './conversations';
import { ledByAny, leadKey, type PeopleDirectory } from '../knowledge/people';
import { dueFrom, type CycleView } from './reportingCycle';
import type { ReminderKey, ReminderKind } from './reminderLog';
import type { Person } from './types';
import { answerable, withoutNamedContact } from './leads';

export interface ReminderOptions {
  /** The "due soon" reminder goes this many days before the due date (or fewer, if no run happened earlier). */
  daysBefore: number;
  /** The "overdue" reminder goes this many days after the due date (or later). */
  daysAfter: number;
}

export interface ReminderItem {
  due: DueItem;
  kind: ReminderKind;
}

/** One card for one user: their items, each with the reminder it is. */
export interface Reminder {
  to: Person;
  items: ReminderItem[];
  /** A manager who asked for it ("chase them"); absent for the scheduled reminders. */
  chasedBy?: Person;
  /** The day it is sent for. */
  on: Date;
  /** The recipient's names as the plans give them (leadKey'd): whether they lead an item or are its organisation's named contact. */
  leads: ReadonlySet<string>;
}

export interface PlannedReminder {
  conversation: KnownConversation;
  items: ReminderItem[];
  /** The recipient's names as the plans give them (PeopleDirectory.leadNamesOf). */
  leads: ReadonlySet<string>;
}

/**
 * The scheduled reminder an item is due for today, if any: "before" from
 * daysBefore days before the due date up to the due date itself, "overdue"
 * from daysAfter days after it (a day past due at the earliest). Between the
 * two windows, nothing: the lead had the first and the second comes soon.
 */
export function reminderKind(d: DueItem, o: ReminderOptions): 'before' | 'overdue' | undefined {
  if (d.overdue) return -d.daysUntilDue >= Math.max(1, o.daysAfter) ? 'overdue' : undefined;
  return d.daysUntilDue <= o.daysBefore ? 'before' : undefined;
}

/** The scheduled reminders for today, one per reachable user with anything due (a user is a lead by id: people.yaml). */
export function planReminders(view: CycleView, conversations: KnownConversation[], o: ReminderOptions, people: PeopleDirectory): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  for (const conversation of conversations) {
    const leads = people.leadNamesOf(identityOf(conversation));
    if (!leads.size) continue;
    const items = dueFrom(view, leads).flatMap((due) => {
      const kind = reminderKind(due, o);
      return kind ? [{ due, kind }] : [];
    });
    if (items.length) out.push({ conversation, items, leads });
  }
  return out;
}

/** The claim of one item of one reminder. */
export function reminderKey(userId: string, r: ReminderItem): ReminderKey {
  return { userId, itemId: r.due.item.id, period: r.due.period.label, kind: r.kind };
}

/** A manager's chase is its own kind, once per lead, item and day: pressing "chase them" twice, or two managers chasing, sends one. */
export function chaseKind(on: Date): ReminderKind {
  return `chase ${on.toISOString().slice(0, 10)}`;
}

/** Who a chase could not reach, and why. */
export interface ChaseGaps {
  /** People named on late items whom people.yaml gives an id but who never talked to the bot: it cannot message them yet. */
  unreachable: string[];
  /** People named on late items with no id in people.yaml: the bot cannot tell who they are in Teams. */
  noAccount: string[];
  /** Lead organisations of late items no person answers for (no named contact, no person lead beside them). */
  noContact: string[];
  /** Late items that name no lead at all. */
  withoutLead: number;
}

/**
 * Who a chase can reach: for each user the bot knows, the late items they
 * answer for (by id: people.yaml; a named lead, or an organisation's named
 * contact); and who it cannot: people who never talked to the bot, people
 * with no id, organisations with no named contact. An organisation is never
 * counted as a person (updates/leads.ts).
 */
export function planChase(late: DueItem[], conversations: KnownConversation[], on: Date, people: PeopleDirectory): { planned: PlannedReminder[] } & ChaseGaps {
  const kind = chaseKind(on);
  const leadsOf = new Map(conversations.map((c) => [c, people.leadNamesOf(identityOf(c))]));
  const planned = conversations.flatMap((conversation) => {
    const leads = leadsOf.get(conversation)!;
    const items = late.filter((d) => ledByAny(answerable(d.item), leads)).map((due) => ({ due, kind }));
    return items.length ? [{ conversation, items, leads }] : [];
  });
  const reachable = new Set([...leadsOf.values()].flatMap((s) => [...s]));
  const unreachable = new Set<string>();
  const noAccount = new Set<string>();
  const noContact = new Set<string>();
  for (const d of late) {
    for (const lead of answerable(d.item)) if (!reachable.has(leadKey(lead))) (people.hasId(lead) ? unreachable : noAccount).add(lead);
    for (const o of withoutNamedContact(d.item)) noContact.add(o);
  }
  const sorted = (xs: Set<string>) => [...xs].sort((a, b) => a.localeCompare(b));
  return { planned, unreachable: sorted(unreachable), noAccount: sorted(noAccount), noContact: sorted(noContact), withoutLead: late.filter((d) => !d.item.leads.length && !d.item.organisations.length).length };
}
