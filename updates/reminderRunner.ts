/**
 * Runs the reminders: one pass of the schedule (from the in-bot timer or
 * `npm run remind`), and a manager's "chase them". For each user it claims
 * each item's reminder in the database (reminderLog.ts says why that makes it
 * go once), sends one card with the items it won through the injected sender
 * (the bot layer's proactive message), then marks them sent, or failed.
 *
 * Knows nothing of botbuilder: the sender is an interface, and the clock is
 * injected so tests run on a fixed date.
 */
import { randomUUID } from 'node:crypto';
import { identityOf, type ConversationStore, type KnownConversation } from './conversations';
import { withLastSeenBy } from './visibility';
import { claimOptions, type ReminderLog } from './reminderLog';
import { planChase, planReminders, reminderKey, type ChaseGaps, type PlannedReminder, type Reminder, type ReminderItem, type ReminderOptions } from './reminders';
import { lateUpdates, type CycleView, type LateScope } from './reportingCycle';
import type { UpdateService } from './service';
import type { Person } from './types';
import { calendarCoverage, type CalendarCoverage } from './calendar';

/** Delivers a reminder card to a user's conversation; resolves once the channel accepted it, rejects if it did not. */
export interface ReminderSender {
  send(to: KnownConversation, reminder: Reminder): Promise<void>;
}

export interface ReminderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ReminderRunnerDeps {
  service: UpdateService;
  conversations: ConversationStore;
  log: ReminderLog;
  sender: ReminderSender;
  now: () => Date;
  options: ReminderOptions;
  logger?: ReminderLogger;
}

export interface Delivery {
  to: Person;
  items: ReminderItem[];
}

export interface ReminderRunReport {
  at: string;
  dryRun: boolean;
  sent: Delivery[];
  failed: (Delivery & { error: string })[];
  /** Reminders due today that another run (or an earlier one) already has: not sent again. */
  alreadyHandled: number;
  /** Whose calendars cover the day; none: the cycle has stopped, and nothing is due until a plan's calendar covers it. */
  calendars: CalendarCoverage;
}

export interface ChaseReport extends ChaseGaps {
  late: number;
  sent: Delivery[];
  /** Leads who were reachable but were already chased today for every one of their late items. */
  alreadyChased: Person[];
  failed: (Delivery & { error: string })[];
}

export class ReminderRunner {
  constructor(private readonly deps: ReminderRunnerDeps) {}

  /** The plans and every submission as the database has them now (not this instance's cache: another may have just saved one). */
  private async view(): Promise<CycleView> {
    const { service } = this.deps;
    return { items: service.allItems(), calendars: service.reportingCalendars(), submissions: await service.store.since('0000'), now: this.deps.now() };
  }

  /** One pass of the schedule: every reminder due today that nobody has sent. */
  async runOnce({ dryRun = false }: { dryRun?: boolean } = {}): Promise<ReminderRunReport> {
    const view = await this.view();
    const planned = planReminders(view, await this.deps.conversations.all(), this.deps.options, this.deps.service.people);
    const calendars = calendarCoverage(view.calendars, (id) => this.deps.service.plan(id)?.title, view.now);
    const report: ReminderRunReport = { at: view.now.toISOString(), dryRun, sent: [], failed: [], alreadyHandled: 0, calendars };
    if (dryRun) {
      report.sent = planned.map((p) => ({ to: person(p.conversation), items: p.items }));
      return report;
    }
    const claimant = randomUUID();
    for (const p of planned) {
      const r = await this.deliver(this.seenByLead(p, view), claimant, view.now);
      report.alreadyHandled += r.alreadyHandled;
      if (r.sent) report.sent.push(r.sent);
      if (r.failed) report.failed.push(r.failed);
    }
    this.deps.logger?.info({ at: report.at, sent: report.sent.length, failed: report.failed.length, alreadyHandled: report.alreadyHandled, ...(calendars.current.length ? {} : { noCurrentCalendar: calendars.lastEnded?.until ?? 'no plan has one' }) }, 'reminder pass');
    return report;
  }

  /** "Chase them": reminds the leads of the late items in scope, once per lead, item and day. */
  async chase(scope: LateScope, by: Person): Promise<ChaseReport> {
    const view = await this.view();
    const { late } = lateUpdates(view, scope);
    const { planned, ...gaps } = planChase(late, await this.deps.conversations.all(), view.now, this.deps.service.people);
    const report: ChaseReport = { late: late.length, sent: [], alreadyChased: [], failed: [], ...gaps };
    const claimant = randomUUID();
    for (const p of planned) {
      const r = await this.deliver(this.seenByLead(p, view), claimant, view.now, by);
      if (r.sent) report.sent.push(r.sent);
      else if (r.failed) report.failed.push(r.failed);
      else report.alreadyChased.push(person(p.conversation));
    }
    this.deps.logger?.info({ by: by.id, late: late.length, sent: report.sent.length, failed: report.failed.length, unreachable: gaps.unreachable.length, noAccount: gaps.noAccount.length, noContact: gaps.noContact.length }, 'chase');
    return report;
  }

  /** The reminder as its lead may see it: another lead's unreviewed update on the same item is not shown as "last update". */
  private seenByLead(p: PlannedReminder, view: CycleView): PlannedReminder {
    const sees = this.deps.service.visibleTo({ ...identityOf(p.conversation), name: p.conversation.userName });
    const shown = withLastSeenBy(p.items.map((i) => i.due), view.submissions, sees);
    return { ...p, items: p.items.map((i, n) => ({ ...i, due: shown[n] })) };
  }

  /** Claims each item, sends one card with those this run won, records the outcome. */
  private async deliver(p: PlannedReminder, claimant: string, now: Date, chasedBy?: Person): Promise<{ sent?: Delivery; failed?: Delivery & { error: string }; alreadyHandled: number }> {
    const to = person(p.conversation);
    const claimed = new Set((await this.deps.log.claim(p.items.map((item) => reminderKey(to.id, item)), claimOptions(claimant, now))).map((k) => `${k.itemId}|${k.kind}`));
    const won = p.items.filter((item) => claimed.has(`${item.due.item.id}|${item.kind}`));
    const alreadyHandled = p.items.length - won.length;
    if (!won.length) return { alreadyHandled };
    try {
      await this.deps.sender.send(p.conversation, { to, items: won, chasedBy, on: now, leads: p.leads });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.deps.logger?.warn({ user: to.id, items: won.length, err: error }, 'reminder not delivered; a later run tries again');
      for (const item of won) await this.deps.log.markFailed(reminderKey(to.id, item), claimant, error);
      return { failed: { to, items: won, error }, alreadyHandled };
    }
    // A crash between the send and these writes is the one case that sends twice (see reminderLog.ts).
    for (const item of won) await this.deps.log.markSent(reminderKey(to.id, item), claimant, now);
    // The reference reached them: keep it (storage/retention.ts drops those nobody has used for a long time).
    await this.deps.conversations.touch(p.conversation.userId, now).catch((err: unknown) => this.deps.logger?.warn({ user: to.id, err: err instanceof Error ? err.message : String(err) }, 'could not refresh the conversation reference'));
    return { sent: { to, items: won }, alreadyHandled };
  }
}

function person(c: KnownConversation): Person {
  return { id: c.userId, name: c.userName };
}
