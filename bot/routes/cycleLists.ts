/**
 * The reporting cycle in chat: a lead's "what's due from me", managers' list
 * of late updates, and "chase them" right after one.
 */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AnswerContext } from '../../knowledge/answer';
import { withLastSeenBy } from '../../updates/visibility';
import { noCalendarSentence } from '../../updates/calendar';
import { dueFrom, itemsLedBy, lateUpdates, type LateScope } from '../../updates/reportingCycle';
import type { LateScopeRequest } from '../../updates/lateScope';
import { chaseSummary, dueListCard, lateListCard } from '../reminderCards';
import { choiceCard } from '../updateCards';
import { replySafe } from '../text';
import { sameInTurn } from '../turnCommit';
import { coverage, cycleView, personOf, type BotParts } from './parts';
import { updatesShownTo } from '../identity';

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** "What's due from me": the user's items (by id: people.yaml) missing their update for the period, each with "Update now" and "No change". */
export async function sendDueList(parts: BotParts, context: TurnContext): Promise<void> {
  const person = personOf(context);
  const updates = parts.deps.updates;
  const view = cycleView(parts);
  const leads = updates.leadsOf(person);
  const led = itemsLedBy(view.items, leads);
  if (!led.length) {
    await context.sendActivity(
      `I don't know you as the lead of anything in the plans${person.name ? ` (${replySafe(person.name)})` : ''}, so nothing is due from you. I recognise leads by their Teams account, not their name: if you lead something, ask ${replySafe(updates.people.contact)} to add you to the list of leads.`,
    );
    return;
  }
  const due = dueFrom(view, leads);
  // No calendar of theirs covers today: the cycle has stopped, which is not the same as being up to date.
  const yours = coverage(parts, view, new Set(led.map((i) => i.planId)));
  const items = `${led.length} item${plural(led.length, '', 's')} you lead`;
  if (!due.length && !yours.current.length) {
    await context.sendActivity(noCalendarSentence(yours, view.now, `nothing is due from you for the ${items}`));
    return;
  }
  if (!due.length) {
    await context.sendActivity(`Nothing is due from you: the ${items} ${plural(led.length, 'has its', 'have their')} update for the current period.`);
    return;
  }
  const overdue = due.filter((d) => d.overdue).length;
  const shown = withLastSeenBy(due, view.submissions, updatesShownTo(context.activity, updates));
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(dueListCard(person.name, shown, leads)), `${due.length} update${plural(due.length, ' is', 's are')} due from you${overdue ? `, ${overdue} overdue` : ''}.`));
}

/** Managers' list of late updates with their leads; remembered so "chase them" chases the same list. */
export async function sendLateList(parts: BotParts, context: TurnContext, request: LateScopeRequest, question: string): Promise<void> {
  if (request.kind === 'notFound') {
    await context.sendActivity(replySafe(request.message));
    return;
  }
  if (request.kind === 'choose') {
    const choices = request.choices.map((c) => ({ title: c.title, data: { action: 'lateUpdates', planId: c.planId, priority: c.priority } }));
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(choiceCard(request.message, choices)), replySafe(request.message)));
    return;
  }
  const view = cycleView(parts);
  const list = lateUpdates(view, request.scope);
  const canChase = parts.deps.updates.isReviewer(personOf(context)) && !!parts.deps.reminders;
  const covered = coverage(parts, view, plansIn(parts, request.scope));
  const summary = list.late.length
    ? `${list.late.length} late update${plural(list.late.length, '', 's')}: ${request.label}.`
    : !covered.current.length
      ? noCalendarSentence(covered, view.now, `nothing can be late ${request.within}`)
      : `Nothing is late ${request.within}.${list.notYetDue.length ? ` ${list.notYetDue.length} update${plural(list.notYetDue.length, ' is', 's are')} still to come, not due yet.` : ''}`;
  if (list.late.length) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(lateListCard(request.label, list, canChase)), summary));
  else await context.sendActivity(summary);
  await parts.listedLate.set(context, { scope: request.scope, label: request.label });
  await parts.lastAnswer.set(context, { query: question, intent: 'overdue', authority: request.scope.authority as AnswerContext['authority'] });
}

/** "Chase them", right after a late list: reminds each reachable lead of their late items on it. Reviewers only. */
export async function chase(parts: BotParts, context: TurnContext): Promise<void> {
  const person = personOf(context);
  if (!parts.deps.updates.isReviewer(person)) {
    await context.sendActivity("Sorry, only the plan's reviewers can chase leads for their updates. If you should be one, ask the plan team to add you.");
    return;
  }
  const previous = await parts.lastAnswer.get(context);
  const listed = await parts.listedLate.get(context);
  const reminders = parts.deps.reminders;
  if (!listed || previous?.intent !== 'overdue' || !reminders) {
    await context.sendActivity('First ask me which updates are late ("overdue updates", or "what\'s missing for priority 2 in the city"), then say "chase them" and I will remind their leads.');
    return;
  }
  const covered = coverage(parts, cycleView(parts), plansIn(parts, listed.scope));
  if (!covered.current.length) {
    await context.sendActivity(noCalendarSentence(covered, parts.now(), 'no update is late and there is no one to chase'));
    return;
  }
  // Once per turn however often the turn is run again; the claims also keep it to once per lead, item and day.
  const report = await sameInTurn(context, 'chase', () => reminders.chase(listed.scope, { id: person.id, name: person.name }));
  await context.sendActivity(chaseSummary(report));
}

/** The plans a late list's scope covers (undefined: every plan). */
function plansIn(parts: BotParts, scope: LateScope): Set<string> | undefined {
  if (scope.planId) return new Set([scope.planId]);
  if (scope.authority) return new Set(parts.deps.updates.plans().filter((p) => p.authority === scope.authority).map((p) => p.id));
  return undefined;
}
