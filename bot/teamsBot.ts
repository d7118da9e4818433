/**
 * The Teams activity handler: turns activities into calls on the answering,
 * summary and update modules and renders their results. It holds no business
 * logic of its own, so the modules stay free of botbuilder.
 */
import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, type TurnContext, type ConversationState, type StatePropertyAccessor } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { randomUUID } from 'node:crypto';
import type { Answer, AnswerContext, Answerer } from '../knowledge/answer';
import type { UnansweredEntry, UnansweredLog } from '../knowledge/unanswered';
import type { Summariser } from '../knowledge/summary';
import { answerCard, helpCard, imBack, notFoundCard } from './cards';
import { summaryCard, summaryChoiceCard } from './summaryCards';
import { myUpdatesCard, reviewCard, updateFormCard } from './updateCards';
import { messageText } from './text';
import type { RateLimiter } from './rateLimit';
import type { Logger } from './logger';
import type { UpdateService } from '../updates/service';
import { reference } from '../updates/service';
import type { Person } from '../updates/types';
import { validateUpdateForm } from '../updates/validation';
import { UPDATE_DIALOG, UpdateDialog } from '../dialogs/updateDialog';
import { alreadyReceived, onceInTurn, runCommitted, sameInTurn } from './turnCommit';

export interface PlanBotDeps {
  answerer: Answerer;
  summariser: Summariser;
  conversationState: ConversationState;
  unanswered: UnansweredLog;
  updates: UpdateService;
  logger: Logger;
  /** Log message text (off by default: it may hold personal information). */
  logContent?: boolean;
  rateLimiter?: RateLimiter;
}

/** Longest message text the bot will read; longer text is cut, and the user told. */
export const MAX_TEXT = 2000;

export class PlanBot extends TeamsActivityHandler {
  private readonly lastAnswer: StatePropertyAccessor<AnswerContext | undefined>;
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: PlanBotDeps) {
    super();
    this.lastAnswer = deps.conversationState.createProperty<AnswerContext | undefined>('lastAnswer');
    this.dialogs = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
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
            CardFactory.adaptiveCard(helpCard()),
            "Hello! I'm the plan assistant. Ask me about the partnership's plans: figures, leads, due dates and summaries.",
          ),
        );
      }
      await next();
    });
  }

  /**
   * Runs the turn, commits conversation state (checked against the eTag it
   * read), then sends the replies; on a conflict with a turn on another
   * instance, drops the replies and runs the turn again on the fresh state.
   */
  override async run(context: TurnContext): Promise<void> {
    await runCommitted(context, this.deps.conversationState, () => super.run(context), { logger: this.deps.logger });
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
    const t0 = performance.now();
    const activity = context.activity;
    const limited = sameInTurn(context, 'rateLimit', () => this.deps.rateLimiter?.check(personOf(context).id) ?? 'allow');
    if (limited !== 'allow') {
      // Always answer (a silent drop looks like a broken bot), but with a fixed text that costs nothing to build.
      await context.sendActivity(limited === 'warn' ? "You're sending messages faster than I can keep up with. Please wait a moment, then try again." : 'Still too fast: please wait a moment.');
      this.logTurn(context, 'rateLimited', limited, t0);
      return;
    }
    const value = activity.value as Record<string, unknown> | undefined;
    let text = messageText(activity);

    // Card actions that stand on their own (forms, reviews, summaries) work whatever else is going on.
    if (!text && value && typeof value === 'object' && typeof value.action === 'string') {
      await this.handleCardAction(context, value);
      return;
    }
    // A guided flow in progress gets the message first.
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) {
      const r = await dc.continueDialog();
      if (r.status !== DialogTurnStatus.empty) return;
    }
    if (!text && value && typeof value === 'object') {
      // A confirmation card pressed again after its update was saved: say so rather than save twice.
      const saved = value.updateAction === 'confirm' && typeof value.key === 'string' ? await this.deps.updates.store.byIdempotencyKey(value.key) : undefined;
      await context.sendActivity(
        saved
          ? `That update was already received (reference ${reference(saved)}); it is ${saved.reviewState}. Nothing new was saved.`
          : "That button belongs to a conversation that has finished. Say what you'd like to do, or \"help\".",
      );
      return;
    }
    if (!text) {
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
      await dc.beginDialog(UPDATE_DIALOG, { user: personOf(context), opening: text, itemId: answer.target?.recordId });
      this.logTurn(context, answer.intent, 'dialog', t0);
      return;
    }
    if (cut) answer.text = `(Your message was long, so I read its first ${MAX_TEXT} characters.) ` + answer.text;
    await this.render(context, answer, text);
    if (answer.context) await this.lastAnswer.set(context, answer.context);

    this.logTurn(context, answer.intent, answer.kind, t0, { record: answer.context?.recordId, confidence: Number(answer.confidence.toFixed(3)), ...(this.deps.logContent ? { text } : {}) });
  }

  private logTurn(context: TurnContext, intent: string, outcome: string, t0: number, extra: Record<string, unknown> = {}) {
    this.deps.logger.info(
      { conversation: context.activity.conversation?.id, activityId: context.activity.id, user: context.activity.from?.aadObjectId ?? context.activity.from?.id, intent, outcome, ms: Number((performance.now() - t0).toFixed(1)), ...extra },
      'turn',
    );
  }

  private async render(context: TurnContext, answer: Answer, question: string): Promise<void> {
    switch (answer.kind) {
      case 'help':
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard()), 'Here is what I can do.'));
        return;
      case 'greeting':
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(helpCard()), 'Hello! Ask me about the plans.'));
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
      case 'notFound': {
        await this.recordUnanswered(context, { question, reason: 'notFound', suggestions: answer.choices.map((c) => c.title), conversation: context.activity.conversation?.id });
        const msg = MessageFactory.attachment(CardFactory.adaptiveCard(notFoundCard(answer, question)), answer.text);
        await context.sendActivity(msg);
        return;
      }
      default: {
        const msg = MessageFactory.attachment(CardFactory.adaptiveCard(answerCard(answer)), answer.text);
        if (answer.suggestions.length) msg.suggestedActions = { to: [], actions: answer.suggestions.slice(0, 3).map((s) => ({ type: 'imBack', title: s, value: s })) };
        await context.sendActivity(msg);
      }
    }
  }

  private async renderSummary(context: TurnContext, question: string, answer: Answer): Promise<void> {
    const result = this.deps.summariser.request(question, answer.target?.authority);
    if (result.kind === 'choose') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryChoiceCard(result)), result.message));
      return;
    }
    if (result.kind === 'notFound') {
      await this.recordUnanswered(context, { question, reason: 'notFound', suggestions: [], conversation: context.activity.conversation?.id });
      await context.sendActivity(result.message);
      return;
    }
    const msg = MessageFactory.attachment(CardFactory.adaptiveCard(summaryCard(result.summary)), result.summary.headline);
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

  private async handleUpdateForm(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const itemId = typeof value.itemId === 'string' ? value.itemId : '';
    const item = this.deps.updates.item(itemId);
    const formId = typeof value.formId === 'string' && /^[\w-]{1,100}$/.test(value.formId) ? value.formId : randomUUID();
    if (!item) {
      await context.sendActivity('Please choose the activity or indicator the update is about; that one is not in the plans.');
      return;
    }
    const r = validateUpdateForm(value, { unit: item.unit, kind: item.kind, polarity: item.polarity, previous: item.previous });
    if (!r.ok) {
      const prefill = Object.fromEntries(['itemId', 'value', 'period', 'status', 'narrative', 'reason', 'recovery', 'evidence'].filter((k) => typeof value[k] === 'string').map((k) => [k, String(value[k]).slice(0, 4000)]));
      const msg = MessageFactory.attachment(CardFactory.adaptiveCard(updateFormCard(formId, [item], prefill, r.errors)), `Nothing saved yet: ${r.errors.map((x) => x.message).join(' ')}`);
      await context.sendActivity(msg);
      return;
    }
    const person = personOf(context);
    const allowed = this.deps.updates.maySubmit(person, item);
    if (!allowed.ok) {
      await context.sendActivity(allowed.message);
      return;
    }
    // A failed save throws SaveFailedError: the error path tells the user nothing was saved and to try again.
    const saved = await this.deps.updates.submit(r.draft, person, `form:${formId}`);
    const { submission } = saved;
    await context.sendActivity(
      alreadyReceived(context, saved)
        ? `That form was already received (reference ${reference(submission)}); it is ${submission.reviewState}. Nothing new was saved.`
        : `Saved. Your update on "${submission.recordTitle}" for ${submission.period} is pending review (reference ${reference(submission)}).`,
    );
  }

  private async handleReview(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const reviewer = personOf(context);
    if (!this.deps.updates.isReviewer(reviewer)) {
      await context.sendActivity("Sorry, only the plan's reviewers can approve or return updates.");
      return;
    }
    const id = typeof value.id === 'string' ? value.id : '';
    const decision = value.decision === 'approved' || value.decision === 'returned' ? value.decision : undefined;
    const comment = typeof value.comment === 'string' ? value.comment.trim().slice(0, 1000) : '';
    if (!id || !decision) {
      await context.sendActivity("I couldn't read that review; please use the buttons on the update's card.");
      return;
    }
    if (decision === 'returned' && !comment) {
      await context.sendActivity('Please add a comment saying what needs changing, then press "Return with comment" again.');
      return;
    }
    const r = await this.deps.updates.review(id, decision, reviewer, comment || undefined);
    if (!r.ok) {
      await context.sendActivity(r.reason === 'notFound' ? 'I could not find that update.' : `That update was already ${r.submission?.reviewState} by ${r.submission?.reviewer?.name ?? 'another reviewer'}.`);
      return;
    }
    const s = r.submission;
    await context.sendActivity(
      decision === 'approved'
        ? `Approved update ${reference(s)}: "${s.recordTitle}"${s.value ? ` ${s.value}` : ''} for ${s.period} is now the latest published fact.`
        : `Returned update ${reference(s)} to ${s.submitter.name} with your comment.`,
    );
  }

  private async handleCardAction(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const action = typeof value.action === 'string' ? value.action : undefined;
    if (action === 'submitUpdateForm') return this.handleUpdateForm(context, value);
    if (action === 'reviewUpdate') return this.handleReview(context, value);
    if (action === 'noneOfThese') {
      const question = typeof value.question === 'string' ? value.question.slice(0, 500) : '';
      await this.recordUnanswered(context, { question, reason: 'noneOfThese', suggestions: [], conversation: context.activity.conversation?.id });
      await context.sendActivity("Thanks, I've noted that none of those was what you were after, so the plan authors can add it.");
      return;
    }
    if (action === 'exportSummary' && typeof value.planId === 'string' && typeof value.priority === 'number') {
      const md = this.deps.summariser.markdown(value.planId, value.priority);
      await context.sendActivity(md ? { type: ActivityTypes.Message, text: md, textFormat: 'markdown' } : 'I could not find that priority any more.');
      return;
    }
    if (action === 'summary' && typeof value.planId === 'string' && typeof value.priority === 'number') {
      const s = this.deps.summariser.summarise(value.planId, value.priority);
      if (s) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(summaryCard(s)), s.headline));
      else await context.sendActivity('I could not find that priority any more.');
      return;
    }
    const msg = MessageFactory.attachment(
      CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: "I didn't recognise that button. It may be from an older card.", wrap: true }], actions: [imBack('Help', 'help')] }),
      "I didn't recognise that button. It may be from an older card: ask again, or type help.",
    );
    await context.sendActivity(msg);
  }
}

/** Who is talking: the Teams AAD object id when there is one, else the channel's user id. */
export function personOf(context: TurnContext): Person & { aadObjectId?: string } {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  return { id: from.aadObjectId ?? from.id, name: (from.name ?? '').slice(0, 200), aadObjectId: from.aadObjectId };
}
