/**
 * What every route and card action of the bot works with: its dependencies,
 * the conversation state it keeps and the small lookups they share (who is
 * talking, the reporting cycle as of today). Built once by PlanBot.
 */
import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
import type { AnswerContext, Answerer } from '../../knowledge/answer';
import type { UnansweredEntry, UnansweredLog } from '../../knowledge/unanswered';
import type { Summariser } from '../../knowledge/summary';
import type { UpdateService } from '../../updates/service';
import type { ConversationRecorder } from '../../updates/conversations';
import type { ReminderRunner } from '../../updates/reminderRunner';
import type { CycleView, LateScope } from '../../updates/reportingCycle';
import { calendarCoverage, type CalendarCoverage } from '../../updates/calendar';
import type { HelpAbout } from '../cards';
import type { ManagerView } from '../managerView';
import type { MessageExtension } from '../messageExtension';
import type { RateLimit } from '../rateLimit';
import type { Logger } from '../logger';
import type { UserDialogState } from '../userDialogs';
import type { RefreshAudience } from '../refreshAudience';
import { senderOf, updatesShownTo, type Sender } from '../identity';
import { onceInTurn } from '../turnCommit';

export interface PlanBotDeps {
  answerer: Answerer;
  summariser: Summariser;
  conversationState: ConversationState;
  unanswered: UnansweredLog;
  updates: UpdateService;
  logger: Logger;
  /** Log message text (off by default: it may hold personal information). */
  logContent?: boolean;
  /** Every activity a user sends counts (messages, buttons, conversation updates, invokes); search invokes in a bucket of their own. */
  rateLimiter?: RateLimit;
  /** Remembers where each user can be reached, for reminders. */
  conversations?: ConversationRecorder;
  /** The update form's item field searches as the lead types (Teams' typeahead); false for the Agents Playground (FORM_TYPEAHEAD). */
  formTypeahead?: boolean;
  /** Whom a review card refreshes for (Universal Actions: REVIEWERS as Teams ids), so each reviewer sees who decided. */
  reviewers?: RefreshAudience;
  /** Sends reminders when a manager says "chase them". */
  reminders?: ReminderRunner;
  /** Today, for due dates (tests fix it). */
  now?: () => Date;
  /** Exports, "what changed since" and the weekly digest (bot/managerView.ts); by default without links or digests. */
  managers?: ManagerView;
  /** The "Search the plans" message extension and its cards' refresh (bot/messageExtension.ts). */
  messageExtension?: MessageExtension;
}

/** The late list a manager last asked for, so "chase them" chases exactly that scope. */
export interface ListedLate {
  scope: LateScope;
  label: string;
}

export interface BotParts {
  deps: PlanBotDeps;
  dialogs: DialogSet;
  /** Each person's own dialog in the conversation (a group chat's updates are kept apart). */
  userDialogs: UserDialogState;
  lastAnswer: StatePropertyAccessor<AnswerContext | undefined>;
  listedLate: StatePropertyAccessor<ListedLate | undefined>;
  /** What the help card says the bot knows, from the catalogue. */
  help: HelpAbout;
  managers: ManagerView;
  now(): Date;
}

/** The Teams ids a review card's refresh names (none without REVIEWERS). */
export async function reviewerRefreshIds(parts: BotParts): Promise<string[]> {
  return (await parts.deps.reviewers?.userIds()) ?? [];
}

/** Who is talking (see identity.ts): the AAD object id when there is one, else the channel's user id; never the name. */
export function personOf(context: TurnContext): Sender {
  return senderOf(context.activity);
}

/** The conversation's id (present: the edge refuses activities without one). */
export function conversationOf(context: TurnContext): string {
  return context.activity.conversation?.id ?? '';
}

/** Summaries as the reader may see them: unreviewed updates only for their submitter and reviewers, in their own chat. */
export function summariserFor(parts: BotParts, context: TurnContext): Summariser {
  return parts.deps.summariser.seenBy(updatesShownTo(context.activity, parts.deps.updates));
}

/** The plans and submissions as this instance knows them, today. */
export function cycleView(parts: BotParts): CycleView {
  const u = parts.deps.updates;
  return { items: u.allItems(), calendars: u.reportingCalendars(), submissions: u.published.all(), now: parts.now() };
}

/** Which plans' reporting calendars cover today, among those of `planIds` (default: every plan). */
export function coverage(parts: BotParts, view: CycleView, planIds?: Set<string>): CalendarCoverage {
  const calendars = new Map([...view.calendars].filter(([id]) => !planIds || planIds.has(id)));
  return calendarCoverage(calendars, (id) => parts.deps.updates.plan(id)?.title, view.now);
}

/** Records an unanswered question once per turn, however many times the turn runs; a failure to record never fails the answer. */
export async function recordUnanswered(parts: BotParts, context: TurnContext, entry: UnansweredEntry): Promise<void> {
  try {
    await onceInTurn(context, `unanswered:${entry.reason}:${entry.question}`, () => parts.deps.unanswered.record(entry));
  } catch (err) {
    parts.deps.logger.warn({ err }, 'could not record the unanswered question');
  }
}
