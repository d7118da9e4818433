/**
 * The Teams activity handler: turns activities into calls on the answering,
 * summary and update modules and renders their results. It holds no business
 * logic of its own, so the modules stay free of botbuilder.
 */
import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, TurnContext, type ConversationState, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
// Deep imports: the package index also loads the recognizers-text prompts (~250 ms and ~30 MB at start-up); see eslint.config.mjs.
import { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
import { DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
import { randomUUID } from 'node:crypto';
import type { Answer, AnswerContext, Answerer } from '../knowledge/answer';
import type { UnansweredEntry, UnansweredLog } from '../knowledge/unanswered';
import type { Summariser } from '../knowledge/summary';
import { withLastSeenBy } from '../updates/visibility';
import { answerCard, askButton, helpAbout, helpCard, notFoundCard, type HelpAbout } from './cards';
import { summaryCard, summaryChoiceCard, overviewCard, overviewHeadline } from './summaryCards';
import { withDefaultedPlan } from './defaultPlanCard';
import { calendarCoverage, noCalendarSentence, type CalendarCoverage } from '../updates/calendar';
import { ManagerView } from './managerView';
import { myUpdatesCard, reviewCard, updateFormCard } from './updateCards';
import { messageText, replySafe } from './text';
import type { RateDecision, RateLimit } from './rateLimit';
import type { Logger } from './logger';
import type { UpdateService } from '../updates/service';
import { idempotencyKey, reference } from '../updates/service';
import { senderOf, type Sender } from './identity';
import { cleanText, validateUpdateForm } from '../updates/validation';
import { looksLikeDialogAnswer, notYourUpdate, UPDATE_DIALOG, UpdateDialog } from '../dialogs/updateDialog';
import { UserDialogState } from './userDialogs';
import { alreadyReceived, onceInTurn, ReplyNotDeliveredError, runCommitted, sameInTurn } from './turnCommit';
import { noteOutcome, noteTurn, restartTurnLog, turnLog, type TurnLog } from './turnLog';
import { findError } from '../storage/errors';
import { chaseSummary, CYCLE_ACTIONS, CycleCardActionSchema, dueListCard, lateListCard, nothingToCarryCard, type CycleCardAction } from './reminderCards';
import { choiceCard } from './updateCards';
import { storableReference } from './proactive';
import type { ConversationRecorder } from '../updates/conversations';
import type { ReminderRunner } from '../updates/reminderRunner';
import { dueFrom, itemsLedBy, lateUpdates, type CycleView, type LateScope } from '../updates/reportingCycle';
import { lateScopeFor, priorityScope, type LateScopeRequest } from '../updates/lateScope';
import { recordNoChange } from '../updates/noChange';
import type { MessageExtension } from './messageExtension';
import { isSharedFigureMessage } from './figureCards';

export interface PlanBotDeps {
  answerer: Answerer;
  summariser: Summariser;
  conversationState: ConversationState;
  unanswered: UnansweredLog;
  updates: UpdateService;
  logger: Logger;
  /** Log message text (off by default: it may hold personal information). */
  logContent?: boolean;
  /** Every activity a user sends counts (messages, buttons, conversation updates, invokes). */
  rateLimiter?: RateLimit;
  /** Remembers where each user can be reached, for reminders. */
  conversations?: ConversationRecorder;
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
interface ListedLate {
  scope: LateScope;
  label: string;
}

/** Longest message text the bot will read; longer text is cut, and the user told. */
export const MAX_TEXT = 2000;

export class PlanBot extends TeamsActivityHandler {
  private readonly lastAnswer: StatePropertyAccessor<AnswerContext | undefined>;
  private readonly dialogs: DialogSet;
  /** Each person's own dialog in the conversation (a group chat's updates are kept apart). */
  private readonly userDialogs: UserDialogState;
  private readonly listedLate: StatePropertyAccessor<ListedLate | undefined>;
  /** What the help card says the bot knows, from the catalogue. */
  private readonly help: HelpAbout;
  private readonly managers: ManagerView;

  constructor(private readonly deps: PlanBotDeps) {
    super();
    this.managers = deps.managers ?? new ManagerView({ summariser: deps.summariser, updates: deps.updates, now: deps.now, logger: deps.logger });
    this.lastAnswer = deps.conversationState.createProperty<AnswerContext | undefined>('lastAnswer');
    this.listedLate = deps.conversationState.createProperty<ListedLate | undefined>('listedLate');
    this.userDialogs = new UserDialogState(deps.conversationState, () => this.now());
    this.dialogs = new DialogSet(this.userDialogs);
    this.help = helpAbout(deps.answerer.catalogue);
    this.dialogs.add(new UpdateDialog(deps.updates));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      // One welcome per update, however many joined: a member list (or a 200 KB string posing as one) must not become a card per entry.
      const added: unknown[] = Array.isArray(context.activity.membersAdded) ? context.activity.membersAdded : [];
      if (added.some((m) => !!m && typeof m === 'object' && (m as { id?: unknown }).id !== context.activity.recipient?.id)) {
        await context.sendActivity(
          MessageFactory.attachment(
            CardFactory.adaptiveCard(helpCard(this.help)),
            "Hello! I'm the plan assistant. Ask me about the partnership's plans: figures, leads, due dates and summaries.",
          ),
        );
        noteTurn(context, 'conversationUpdate', 'welcomed');
      }
      await next();
    });
  }

  /**
   * Runs the turn, commits conversation state (checked against the eTag it
   * read), then sends the replies; on a conflict with a turn on another
   * instance, drops the replies and runs the turn again on the fresh state.
   * Every turn, however it ends (a failed one too), writes one "turn" log line.
   */
  override async run(context: TurnContext): Promise<void> {
    const t0 = performance.now();
    const log = turnLog(context);
    try {
      // Every activity counts towards its sender's limit; once per turn, however often the turn runs.
      const limited = await sameInTurn(context, 'rateLimit', async (): Promise<RateDecision> => (this.deps.rateLimiter ? this.deps.rateLimiter.check(personOf(context).id) : 'allow'));
      if (limited !== 'allow') return await this.tooFast(context, limited);
      await this.recordConversation(context);
      await runCommitted(
        context,
        this.deps.conversationState,
        () => {
          restartTurnLog(context);
          return super.run(context);
        },
        { logger: this.deps.logger, onRetry: () => log.retries++ },
      );
    } catch (err) {
      log.outcome = findError(err, ReplyNotDeliveredError) ? 'notDelivered' : 'error';
      log.extra.error = err instanceof Error ? err.name : typeof err;
      throw err;
    } finally {
      this.writeTurnLog(context, log, t0);
    }
  }

  /**
   * A sender over their rate limit: a message is always answered (a silent drop looks like a broken bot),
   * with a fixed text that costs nothing to build; an invoke gets 429; anything else (a conversation
   * update's welcome card) is skipped. Nothing else runs: no state, no database.
   */
  private async tooFast(context: TurnContext, limited: RateDecision): Promise<void> {
    const type = context.activity.type;
    noteTurn(context, 'rateLimited', limited);
    if (type === ActivityTypes.Message) {
      await context.sendActivity(limited === 'warn' ? "You're sending messages faster than I can keep up with. Please wait a moment, then try again." : 'Still too fast: please wait a moment.');
    } else if (type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 429, body: { statusCode: 429, type: 'application/vnd.microsoft.error', value: { code: 'TooManyRequests', message: 'Too many requests: please wait a moment.' } } } });
    }
  }

  /**
   * The turn's one log line: ids, activity type, intent and outcome as the handlers recorded them,
   * duration and retries; the message text only with LOG_CONTENT=true.
   */
  private writeTurnLog(context: TurnContext, log: TurnLog, t0: number): void {
    const a = context.activity;
    const type = typeof a.type === 'string' ? a.type : 'unknown';
    const text = this.deps.logContent && type === ActivityTypes.Message ? messageText(a).slice(0, MAX_TEXT) : '';
    this.deps.logger.info(
      {
        conversation: a.conversation?.id,
        activityId: a.id,
        user: a.from?.aadObjectId || a.from?.id,
        type,
        intent: log.intent ?? type,
        outcome: log.outcome ?? 'ignored',
        ms: Number((performance.now() - t0).toFixed(1)),
        ...(log.retries ? { retries: log.retries } : {}),
        ...log.extra,
        ...(text ? { text } : {}),
      },
      'turn',
    );
  }

  /**
   * Invokes: the message extension's search, pick and its cards' refresh go to its own module, and a
   * Word report's file consent to the managers' view. Otherwise this bot's cards use Action.Submit
   * (which sends a message), and it declares no action command, task module, tab or sign-in, so no other
   * invoke has anything to do here. The SDK answers those it has no handler for with 501, and throws a
   * TypeError on some with a malformed value (composeExtension/submitAction with a null value); instead:
   * an Action.Execute (adaptiveCard/action) gets a message saying the button is not supported, a
   * malformed one 400, any other invoke 200 with an empty invoke response.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const extension = await this.deps.messageExtension?.invoke(context);
    if (extension) return extension;
    const a = context.activity;
    const name = typeof a.name === 'string' && a.name ? a.name.slice(0, 64) : '(none)';
    if (name === 'fileConsent/invoke') return this.managers.fileConsent(context);
    if (name === 'adaptiveCard/action') {
      const action = (a.value as { action?: unknown } | null | undefined)?.action;
      if (!action || typeof action !== 'object' || (action as { type?: unknown }).type !== 'Action.Execute') {
        noteTurn(context, `invoke:${name}`, 'badRequest');
        return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Expected an Action.Execute action.' } } };
      }
      noteTurn(context, `invoke:${name}`, 'unsupported');
      return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: "That button isn't supported. Type your question, or \"help\"." } };
    }
    noteTurn(context, `invoke:${name}`, 'unsupported');
    return { status: 200 };
  }

  /** Teams' dispatch of an edited message reads channelData.eventType unchecked; without channel data there is nothing to do. */
  protected override async dispatchMessageUpdateActivity(context: TurnContext): Promise<void> {
    if (context.activity.channelData && typeof context.activity.channelData === 'object') return super.dispatchMessageUpdateActivity(context);
    await this.defaultNextEvent(context)();
  }

  /** As for edits: a deleted message without channel data has nothing for this bot to do. */
  protected override async dispatchMessageDeleteActivity(context: TurnContext): Promise<void> {
    if (context.activity.channelData && typeof context.activity.channelData === 'object') return super.dispatchMessageDeleteActivity(context);
    await this.defaultNextEvent(context)();
  }

  /** Summaries as the sender may see them: unreviewed updates only for their submitter and reviewers. */
  private summariser(context: TurnContext): Summariser {
    return this.deps.summariser.seenBy(this.deps.updates.visibleTo(personOf(context)));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Keeps where the user can be reached (on install and on every message; the
   * recorder only writes when it changed). Personal chats only: a reminder
   * lists one lead's late items, which belongs in their own chat, not in a
   * team channel. A failure to record never fails the turn.
   */
  private async recordConversation(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (!this.deps.conversations || (a.type !== ActivityTypes.Message && a.type !== ActivityTypes.ConversationUpdate)) return;
    if (!a.from?.id || !a.serviceUrl || !a.conversation?.id || (a.conversation.conversationType && a.conversation.conversationType !== 'personal')) return;
    // Only what a reminder needs, bounded; a reference that does not fit is not kept.
    const reference = storableReference(TurnContext.getConversationReference(a));
    if (!reference) return;
    try {
      await this.deps.conversations.record(personOf(context), reference, this.now());
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not record the conversation reference');
    }
  }

  /** Records an unanswered question once per turn, however many times the turn runs; a failure to record never fails the answer. */
  private async recordUnanswered(context: TurnContext, entry: UnansweredEntry): Promise<void> {
    try {
      await onceInTurn(context, `unanswered:${entry.reason}:${entry.question}`, () => this.deps.unanswered.record(entry));
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not record the unanswered question');
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const value = activity.value as Record<string, unknown> | undefined;
    let text = messageText(activity);

    // Card actions that stand on their own (forms, reviews, summaries) work whatever else is going on.
    if (!text && value && typeof value === 'object' && typeof value.action === 'string') {
      await this.handleCardAction(context, value);
      return;
    }
    // The sender's own guided flow in progress gets the message first (in a group chat, others' updates are theirs).
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) {
      noteTurn(context, 'dialog', 'dialog');
      const r = await dc.continueDialog();
      if (r.status !== DialogTurnStatus.empty) {
        noteTurn(context, 'dialog', r.status);
        return;
      }
    }
    // Someone else's update is in progress here: an answer to it, or a press of its buttons, is not this sender's to give.
    const others = await this.userDialogs.othersInProgress(context);
    if (!text && value && typeof value === 'object') {
      // A confirmation card pressed again after its update was saved: say so rather than save twice, but only to
      // whoever saved it (the key is theirs). `confirmKey` on current cards, `key` on cards sent before.
      const key = typeof value.confirmKey === 'string' ? value.confirmKey : typeof value.key === 'string' ? value.key : undefined;
      const mine = value.updateAction === 'confirm' && key ? await this.deps.updates.store.byIdempotencyKey(personOf(context).id, idempotencyKey('dialog', conversationOf(context), key)) : undefined;
      noteTurn(context, 'staleButton', mine ? 'alreadyReceived' : others.length ? 'notYours' : 'finished');
      await context.sendActivity(
        mine
          ? `That update was already received (reference ${reference(mine)}); it is ${mine.reviewState}. Nothing new was saved.`
          : others.length
            ? notYourUpdate(others[0])
            : "That button belongs to a conversation that has finished. Say what you'd like to do, or \"help\".",
      );
      return;
    }
    if (text && others.length && looksLikeDialogAnswer(text)) {
      noteTurn(context, 'dialog', 'notYours');
      await context.sendActivity(notYourUpdate(others[0]));
      return;
    }
    if (!text && isSharedFigureMessage(activity)) {
      noteTurn(context, 'sharedCard', 'ignored');
      return;
    }
    if (!text) {
      noteTurn(context, 'none', 'noText');
      await context.sendActivity('Please type a question about the plans, or "help" to see what I can do.');
      return;
    }
    let cut = false;
    if (text.length > MAX_TEXT) {
      text = text.slice(0, MAX_TEXT);
      cut = true;
    }

    const previous = await this.lastAnswer.get(context);
    const answer = this.deps.answerer.answer(text, previous);
    if (answer.kind === 'submit') {
      noteTurn(context, answer.intent, 'dialog');
      await dc.beginDialog(UPDATE_DIALOG, { user: personOf(context), opening: text, itemId: answer.target?.recordId });
      return;
    }
    noteTurn(context, answer.intent, answer.kind, { record: answer.context?.recordId, confidence: Number(answer.confidence.toFixed(3)), ...(cut ? { cut } : {}) });
    if (cut) answer.text = `(Your message was long, so I read its first ${MAX_TEXT} characters.) ` + answer.text;
    await this.render(context, answer, text);
    if (answer.context) await this.lastAnswer.set(context, answer.context);
  }

  private async render(context: TurnContext, answer: Answer, question: string): Promise<void> {
    switch (answer.kind) {
      case 'help':
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard(this.help)), 'Here is what I can do.'));
        return;
      case 'greeting':
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard(this.help)), 'Hello! Ask me about the plans.'));
        return;
      case 'summary':
        await this.renderSummary(context, question, answer);
        return;
      case 'myUpdates': {
        const list = await this.deps.updates.store.bySubmitter(personOf(context).id, 10);
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(myUpdatesCard(list)), list.length ? `Your ${list.length} most recent update${list.length === 1 ? '' : 's'}:` : ''));
        return;
      }
      case 'review':
        await this.sendReviewList(context);
        return;
      case 'myDue':
        await this.sendDueList(context);
        return;
      case 'overdue':
        await this.sendLateList(context, lateScopeFor(question, answer.target?.authority, this.deps.summariser), question);
        return;
      case 'chase':
        await this.chase(context);
        return;
      case 'changes':
        await this.managers.whatChanged(context, question, answer.target?.authority, await this.lastAnswer.get(context));
        return;
      case 'digest':
        await this.managers.digest(context, question);
        return;
      case 'notFound': {
        await this.recordUnanswered(context, { question, reason: 'notFound', suggestions: answer.choices.map((c) => c.title), conversation: context.activity.conversation?.id });
        const msg = MessageFactory.attachment(CardFactory.adaptiveCard(notFoundCard(answer, question)), replySafe(answer.text));
        await context.sendActivity(msg);
        return;
      }
      default: {
        // Plain sentences, but they can quote what users wrote (an approved update's narrative and reporter): made inert.
        // One message: the answer's sentence as its text, the card below it (Teams shows both together); the
        // follow-ups are the card's own buttons, so no separate suggested actions say them again.
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(answerCard(answer)), replySafe(answer.text)));
      }
    }
  }

  private async renderSummary(context: TurnContext, question: string, answer: Answer): Promise<void> {
    const result = this.summariser(context).request(question, answer.target?.authority, await this.lastAnswer.get(context));
    if (result.kind === 'choose') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryChoiceCard(result)), replySafe(result.message)));
      return;
    }
    if (result.kind === 'notFound') {
      await this.recordUnanswered(context, { question, reason: 'notFound', suggestions: [], conversation: context.activity.conversation?.id });
      await context.sendActivity(replySafe(result.message));
      return;
    }
    if (result.kind === 'overview') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(overviewCard(result.overview)), replySafe(overviewHeadline(result.overview))));
      return;
    }
    const { summary, defaulted } = result;
    // No plan named, only an authority: the plan it means on the day, saying which, with the others one tap away.
    const card = defaulted ? withDefaultedPlan(summaryCard(summary), defaulted, summary) : summaryCard(summary);
    const msg = MessageFactory.attachment(CardFactory.adaptiveCard(card), defaulted ? `${replySafe(defaulted.message)} ${summary.headline}` : summary.headline);
    await context.sendActivity(msg);
    await this.lastAnswer.set(context, { query: question, intent: 'summary', priorityId: result.summary.priorityIds[0], authority: result.summary.authority });
  }

  private async sendReviewList(context: TurnContext): Promise<void> {
    if (!this.deps.updates.isReviewer(personOf(context))) {
      await context.sendActivity("Sorry, only the plan's reviewers can review updates. If you should be one, ask the plan team to add you.");
      return;
    }
    const pending = await this.deps.updates.store.pending(10);
    if (!pending.length) {
      await context.sendActivity('There are no updates waiting for review.');
      return;
    }
    await context.sendActivity(`${pending.length} update${pending.length === 1 ? '' : 's'} waiting for review${pending.length === 10 ? ' (the oldest 10)' : ''}:`);
    for (const p of pending) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reviewCard(p))));
  }

  /** The plans and submissions as this instance knows them, today. */
  private cycleView(): CycleView {
    const u = this.deps.updates;
    return { items: u.allItems(), calendars: u.reportingCalendars(), submissions: u.published.all(), now: this.now() };
  }

  /** Which plans' reporting calendars cover today, among those of `planIds` (default: every plan). */
  private coverage(view: CycleView, planIds?: Set<string>): CalendarCoverage {
    const calendars = new Map([...view.calendars].filter(([id]) => !planIds || planIds.has(id)));
    return calendarCoverage(calendars, (id) => this.deps.updates.plan(id)?.title, view.now);
  }

  /** "What's due from me": the user's items (by id: people.yaml) missing their update for the period, each with "Update now" and "No change". */
  private async sendDueList(context: TurnContext): Promise<void> {
    const person = personOf(context);
    const view = this.cycleView();
    const leads = this.deps.updates.leadsOf(person);
    const led = itemsLedBy(view.items, leads);
    if (!led.length) {
      await context.sendActivity(
        `I don't know you as the lead of anything in the plans${person.name ? ` (${replySafe(person.name)})` : ''}, so nothing is due from you. I recognise leads by their Teams account, not their name: if you lead something, ask ${replySafe(this.deps.updates.people.contact)} to add you to the list of leads.`,
      );
      return;
    }
    const due = dueFrom(view, leads);
    // No calendar of theirs covers today: the cycle has stopped, which is not the same as being up to date.
    const yours = this.coverage(view, new Set(led.map((i) => i.planId)));
    if (!due.length && !yours.current.length) {
      await context.sendActivity(noCalendarSentence(yours, view.now, `nothing is due from you for the ${led.length} item${led.length === 1 ? '' : 's'} you lead`));
      return;
    }
    if (!due.length) {
      await context.sendActivity(`Nothing is due from you: the ${led.length} item${led.length === 1 ? '' : 's'} you lead ${led.length === 1 ? 'has its' : 'have their'} update for the current period.`);
      return;
    }
    const overdue = due.filter((d) => d.overdue).length;
    const shown = withLastSeenBy(due, view.submissions, this.deps.updates.visibleTo(person));
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(dueListCard(person.name, shown)), `${due.length} update${due.length === 1 ? ' is' : 's are'} due from you${overdue ? `, ${overdue} overdue` : ''}.`));
  }

  /** Managers' list of late updates with their leads; remembered so "chase them" chases the same list. */
  private async sendLateList(context: TurnContext, request: LateScopeRequest, question: string): Promise<void> {
    if (request.kind === 'notFound') {
      await context.sendActivity(replySafe(request.message));
      return;
    }
    if (request.kind === 'choose') {
      const choices = request.choices.map((c) => ({ title: c.title, data: { action: 'lateUpdates', planId: c.planId, priority: c.priority } }));
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(choiceCard(request.message, choices)), replySafe(request.message)));
      return;
    }
    const view = this.cycleView();
    const list = lateUpdates(view, request.scope);
    const canChase = this.deps.updates.isReviewer(personOf(context)) && !!this.deps.reminders;
    const covered = this.coverage(view, this.plansIn(request.scope));
    const summary = list.late.length
      ? `${list.late.length} late update${list.late.length === 1 ? '' : 's'}: ${request.label}.`
      : !covered.current.length
        ? noCalendarSentence(covered, view.now, `nothing can be late ${request.within}`)
        : `Nothing is late ${request.within}.${list.notYetDue.length ? ` ${list.notYetDue.length} update${list.notYetDue.length === 1 ? ' is' : 's are'} still to come, not due yet.` : ''}`;
    if (list.late.length) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(lateListCard(request.label, list, canChase)), summary));
    else await context.sendActivity(summary);
    await this.listedLate.set(context, { scope: request.scope, label: request.label });
    await this.lastAnswer.set(context, { query: question, intent: 'overdue', authority: request.scope.authority as AnswerContext['authority'] });
  }

  /** "Chase them", right after a late list: reminds each reachable lead of their late items on it. Reviewers only. */
  private async chase(context: TurnContext): Promise<void> {
    const person = personOf(context);
    if (!this.deps.updates.isReviewer(person)) {
      await context.sendActivity("Sorry, only the plan's reviewers can chase leads for their updates. If you should be one, ask the plan team to add you.");
      return;
    }
    const previous = await this.lastAnswer.get(context);
    const listed = await this.listedLate.get(context);
    if (!listed || previous?.intent !== 'overdue' || !this.deps.reminders) {
      await context.sendActivity('First ask me which updates are late ("overdue updates", or "what\'s missing for priority 2 in the city"), then say "chase them" and I will remind their leads.');
      return;
    }
    const reminders = this.deps.reminders;
    const covered = this.coverage(this.cycleView(), this.plansIn(listed.scope));
    if (!covered.current.length) {
      await context.sendActivity(noCalendarSentence(covered, this.now(), 'no update is late and there is no one to chase'));
      return;
    }
    // Once per turn however often the turn is run again; the claims also keep it to once per lead, item and day.
    const report = await sameInTurn(context, 'chase', () => reminders.chase(listed.scope, { id: person.id, name: person.name }));
    await context.sendActivity(chaseSummary(report));
  }

  /** The plans a late list's scope covers (undefined: every plan). */
  private plansIn(scope: LateScope): Set<string> | undefined {
    if (scope.planId) return new Set([scope.planId]);
    if (scope.authority) return new Set(this.deps.updates.plans().filter((p) => p.authority === scope.authority).map((p) => p.id));
    return undefined;
  }

  private async handleCycleAction(context: TurnContext, action: CycleCardAction): Promise<void> {
    switch (action.action) {
      case 'updateNow': {
        const item = this.deps.updates.item(action.itemId);
        if (!item) {
          await context.sendActivity('That item is not in the plans any more. Say "what\'s due from me" for your current list.');
          return;
        }
        const dc = await this.dialogs.createContext(context);
        const interrupted = !!dc.activeDialog;
        if (interrupted) await dc.cancelAllDialogs();
        if (interrupted) await context.sendActivity('I have set aside the update you were in the middle of (nothing from it was saved).');
        await dc.beginDialog(UPDATE_DIALOG, { user: personOf(context), itemId: item.id, confirmed: true, period: action.period });
        return;
      }
      case 'noChange': {
        const r = await recordNoChange(this.deps.updates, personOf(context), action.itemId, action.period, this.now());
        noteOutcome(context, r.kind);
        if (r.kind === 'refused') {
          await context.sendActivity(replySafe(r.message));
        } else if (r.kind === 'nothingToCarry') {
          await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(nothingToCarryCard(r.item.title, r.item.id, action.period)), `There is no earlier update on "${r.item.title}" to carry forward.`));
        } else if (r.kind === 'alreadyUpdated') {
          await context.sendActivity(`There is already an update on "${r.submission.recordTitle}" for ${replySafe(r.submission.period)} (reference ${reference(r.submission)}; it is ${r.submission.reviewState}), so nothing new was saved.`);
        } else {
          const s = r.submission;
          await context.sendActivity(
            alreadyReceived(context, r)
              ? `That "no change" was already received (reference ${reference(s)}); it is ${s.reviewState}. Nothing new was saved.`
              : `Saved: no change on "${s.recordTitle}" for ${replySafe(s.period)}. The status (${replySafe(s.status)}) and progress of the ${r.from ? replySafe(r.from.period) : 'last'} update are carried forward; it is pending review (reference ${reference(s)}).`,
          );
        }
        return;
      }
      case 'lateUpdates': {
        const plan = this.deps.updates.plan(action.planId);
        const request: LateScopeRequest = plan ? priorityScope(plan.id, action.priority, plan.title) : { kind: 'notFound', message: 'I could not find that plan any more.' };
        await this.sendLateList(context, request, `late updates for priority ${action.priority}`);
        return;
      }
    }
  }

  private async handleUpdateForm(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const itemId = typeof value.itemId === 'string' ? value.itemId : '';
    const item = this.deps.updates.item(itemId);
    const formId = typeof value.formId === 'string' && /^[\w-]{1,100}$/.test(value.formId) ? value.formId : randomUUID();
    if (!item) {
      noteOutcome(context, 'notFound');
      await context.sendActivity('Please choose the activity or indicator the update is about; that one is not in the plans.');
      return;
    }
    const r = validateUpdateForm(value, { unit: item.unit, kind: item.kind, polarity: item.polarity, previous: item.previous });
    if (!r.ok) {
      // Shown again in the form's inputs (not rendered as Markdown), without control or bidi characters.
      const prefill = Object.fromEntries(['itemId', 'value', 'period', 'status', 'narrative', 'reason', 'recovery', 'evidence'].filter((k) => typeof value[k] === 'string').map((k) => [k, cleanText(String(value[k])).slice(0, 4000)]));
      // The messages quote what was typed: made inert.
      const errors = Object.entries(r.errors).map(([field, message]) => ({ field, message: message ?? '' }));
      const msg = MessageFactory.attachment(CardFactory.adaptiveCard(updateFormCard(formId, [item], prefill, errors)), `Nothing saved yet: ${errors.map((x) => replySafe(x.message)).join(' ')}`);
      noteOutcome(context, 'invalid');
      await context.sendActivity(msg);
      return;
    }
    const person = personOf(context);
    const allowed = this.deps.updates.maySubmit(person, item);
    if (!allowed.ok) {
      noteOutcome(context, 'refused');
      await context.sendActivity(replySafe(allowed.message));
      return;
    }
    // A failed save throws SaveFailedError: the error path tells the user nothing was saved and to try again.
    const saved = await this.deps.updates.submit(r.draft, person, idempotencyKey('form', conversationOf(context), formId));
    const { submission } = saved;
    const again = alreadyReceived(context, saved);
    noteOutcome(context, again ? 'duplicate' : 'saved');
    await context.sendActivity(
      again
        ? `That form was already received (reference ${reference(submission)}); it is ${submission.reviewState}. Nothing new was saved.`
        : `Saved. Your update on "${submission.recordTitle}" for ${replySafe(submission.period)} is pending review (reference ${reference(submission)}).`,
    );
  }

  private async handleReview(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const reviewer = personOf(context);
    if (!this.deps.updates.isReviewer(reviewer)) {
      noteOutcome(context, 'refused');
      await context.sendActivity("Sorry, only the plan's reviewers can approve or return updates.");
      return;
    }
    const id = typeof value.id === 'string' ? value.id : '';
    const decision = value.decision === 'approved' || value.decision === 'returned' ? value.decision : undefined;
    // Stored and shown to the lead: without control, bidi or zero-width characters (cleanText), which could disguise it.
    const comment = typeof value.comment === 'string' ? cleanText(value.comment).slice(0, 1000) : '';
    if (!id || !decision) {
      noteOutcome(context, 'invalid');
      await context.sendActivity("I couldn't read that review; please use the buttons on the update's card.");
      return;
    }
    if (decision === 'returned' && !comment) {
      await context.sendActivity('Please add a comment saying what needs changing, then press "Return with comment" again.');
      return;
    }
    const r = await this.deps.updates.review(id, decision, reviewer, comment || undefined);
    if (!r.ok) {
      noteOutcome(context, r.reason);
      await context.sendActivity(r.reason === 'notFound' ? 'I could not find that update.' : `That update was already ${r.submission?.reviewState} by ${r.submission?.reviewer?.name ? replySafe(r.submission.reviewer.name) : 'another reviewer'}.`);
      return;
    }
    const s = r.submission;
    noteOutcome(context, decision);
    await context.sendActivity(
      decision === 'approved'
        ? `Approved update ${reference(s)}: "${s.recordTitle}"${s.value ? ` ${replySafe(s.value)}` : ''} for ${replySafe(s.period)} is now the latest published fact.`
        : `Returned update ${reference(s)} to ${replySafe(s.submitter.name)} with your comment.`,
    );
  }

  private async handleCardAction(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const action = typeof value.action === 'string' ? value.action : undefined;
    // The action names the log may carry (what a card sends is the user's to choose).
    noteTurn(context, `card:${action && (CYCLE_ACTIONS.includes(action) || CARD_ACTIONS.includes(action)) ? action : 'unknown'}`, 'handled');
    if (action && CYCLE_ACTIONS.includes(action)) {
      const parsed = CycleCardActionSchema.safeParse(value);
      if (parsed.success) return this.handleCycleAction(context, parsed.data);
      noteOutcome(context, 'invalid');
      await context.sendActivity("I couldn't read that button's data. It may be from an older card: say \"what's due from me\" for a fresh one.");
      return;
    }
    if (action === 'ask') {
      // A follow-up or example question pressed on a card: the turn goes on exactly as if the user had typed it
      // (a dialog in progress gets it first; follow-ups use the last answer). Set on the activity, so a re-run turn does the same.
      const asked = typeof value.text === 'string' ? messageText({ text: value.text }) : '';
      if (asked) {
        context.activity.text = asked;
        context.activity.value = undefined;
        return this.handleMessage(context);
      }
    }
    if (action === 'submitUpdateForm') return this.handleUpdateForm(context, value);
    if (action === 'reviewUpdate') return this.handleReview(context, value);
    if (action === 'noneOfThese') {
      const question = typeof value.question === 'string' ? value.question.slice(0, 500) : '';
      await this.recordUnanswered(context, { question, reason: 'noneOfThese', suggestions: [], conversation: context.activity.conversation?.id });
      await context.sendActivity("Thanks, I've noted that none of those was what you were after, so the plan authors can add it.");
      return;
    }
    if (action === 'exportSummary') return this.managers.exportText(context, value);
    if (action === 'exportDocument') return this.managers.exportDocument(context, value);
    if (action === 'summary' && typeof value.planId === 'string' && typeof value.priority === 'number') {
      const summariser = this.summariser(context);
      const s = summariser.summarise(value.planId, value.priority, summariser.sinceFromCard(value.since));
      if (s) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryCard(s)), s.headline));
      else await context.sendActivity('I could not find that priority any more.');
      return;
    }
    const msg = MessageFactory.attachment(
      CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: "I didn't recognise that button. It may be from an older card.", wrap: true }], actions: [askButton('Help', 'help')] }),
      "I didn't recognise that button. It may be from an older card: ask again, or type help.",
    );
    noteOutcome(context, 'unrecognised');
    await context.sendActivity(msg);
  }
}

/** Card actions handled besides the reporting cycle's (for the turn log). */
const CARD_ACTIONS: readonly string[] = ['ask', 'submitUpdateForm', 'reviewUpdate', 'noneOfThese', 'exportSummary', 'exportDocument', 'summary'];

/** The conversation's id (present: the edge refuses activities without one). */
export function conversationOf(context: TurnContext): string {
  return context.activity.conversation?.id ?? '';
}

/** Who is talking (see identity.ts): the AAD object id when there is one, else the channel's user id; never the name. */
export function personOf(context: TurnContext): Sender {
  return senderOf(context.activity);
}
