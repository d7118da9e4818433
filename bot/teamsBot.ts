/**
 * The Teams activity handler, a router: the rate limit, state commits and the
 * turn log around every turn, then each kind of activity to its module:
 * messages to routes/message.ts, card buttons to the card actions
 * (actions/: one zod union, one handler per verb), invokes to the message
 * extension, the managers' view, the update form's typeahead
 * (routes/itemSearch.ts) and Action.Execute (routes/execute.ts, the same card
 * actions answered with the card that replaces the pressed one). No business
 * logic of its own.
 */
import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
// Deep imports: the package index also loads the recognizers-text prompts (~250 ms and ~30 MB at start-up); see eslint.config.mjs.
import { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
import type { AnswerContext } from '../knowledge/answer';
import { helpAbout, helpCard } from './cards';
import { ManagerView } from './managerView';
import { MAX_TEXT, messageText } from './text';
import { rateKey, type RateDecision } from './rateLimit';
import { UpdateDialog } from '../dialogs/updateDialog';
import { UserDialogState } from './userDialogs';
import { ReplyNotDeliveredError, runCommitted, sameInTurn } from './turnCommit';
import { noteTurn, restartTurnLog, turnLog, type TurnLog } from './turnLog';
import { findError } from '../storage/errors';
import { storableReference } from './proactive';
import { onCardAction } from './actions';
import { CardPressSchema } from './actions/schema';
import { onMessage } from './routes/message';
import { onItemSearch } from './routes/itemSearch';
import { onExecute } from './routes/execute';
import { personOf, type BotParts, type ListedLate, type PlanBotDeps } from './routes/parts';

export type { PlanBotDeps } from './routes/parts';
export { conversationOf, personOf } from './routes/parts';
export { MAX_TEXT } from './text';

export class PlanBot extends TeamsActivityHandler {
  private readonly parts: BotParts;

  constructor(private readonly deps: PlanBotDeps) {
    super();
    const userDialogs = new UserDialogState(deps.conversationState, () => this.now());
    const dialogs = new DialogSet(userDialogs);
    dialogs.add(new UpdateDialog(deps.updates, { typeahead: deps.formTypeahead }));
    this.parts = {
      deps,
      dialogs,
      userDialogs,
      lastAnswer: deps.conversationState.createProperty<AnswerContext | undefined>('lastAnswer'),
      listedLate: deps.conversationState.createProperty<ListedLate | undefined>('listedLate'),
      help: helpAbout(deps.answerer.catalogue),
      managers: deps.managers ?? new ManagerView({ summariser: deps.summariser, updates: deps.updates, now: deps.now, logger: deps.logger }),
      now: () => this.now(),
    };

    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      // One welcome per update, however many joined: a member list (or a 200 KB string posing as one) must not become a card per entry.
      const added: unknown[] = Array.isArray(context.activity.membersAdded) ? context.activity.membersAdded : [];
      if (added.some((m) => !!m && typeof m === 'object' && (m as { id?: unknown }).id !== context.activity.recipient?.id)) {
        await context.sendActivity(
          MessageFactory.attachment(
            CardFactory.adaptiveCard(helpCard(this.parts.help)),
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
      // Every activity counts towards its sender's limit (searches as they type in a bucket of their own); once per turn, however often the turn runs.
      const limited = await sameInTurn(context, 'rateLimit', async (): Promise<RateDecision> => (this.deps.rateLimiter ? this.deps.rateLimiter.check(rateKey(context.activity, personOf(context).id)) : 'allow'));
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
   * Invokes: the message extension's search, pick and its cards' refresh go to its own module, a Word
   * report's file consent to the managers' view, the update form's typeahead (application/search) to
   * routes/itemSearch.ts and Action.Execute presses (adaptiveCard/action) to routes/execute.ts, which
   * answers with the card that replaces the pressed one (an unknown verb: a message saying the button is
   * not supported; a malformed one: 400). The bot declares no action command, task module, tab or
   * sign-in, so any other invoke gets 200 with an empty invoke response (the SDK would answer 501, and
   * throws a TypeError on some with a malformed value).
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const extension = await this.deps.messageExtension?.invoke(context);
    if (extension) return extension;
    const a = context.activity;
    const name = typeof a.name === 'string' && a.name ? a.name.slice(0, 64) : '(none)';
    if (name === 'fileConsent/invoke') return this.parts.managers.fileConsent(context);
    if (name === 'application/search') return onItemSearch(this.parts, context);
    if (name === 'adaptiveCard/action') return onExecute(this.parts, context);
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

  /**
   * A message: a card button naming a verb goes to its card action (forms, reviews, summaries work whatever
   * else is going on); a pressed question comes back here as a typed one; everything else is read as text.
   */
  private async message(context: TurnContext): Promise<void> {
    let text = messageText(context.activity);
    // Only a press carries a value: a typed question skips the parse.
    const press = context.activity.value === undefined ? undefined : CardPressSchema.safeParse(context.activity.value);
    if (!text && press?.success) {
      if ((await onCardAction(this.parts, context, press.data.action, context.activity.value)) !== 'asMessage') return;
      text = messageText(context.activity);
    }
    // Cut before anything reads it: the dialogs read the activity's text themselves.
    const cut = text.length > MAX_TEXT;
    if (cut) context.activity.text = text = text.slice(0, MAX_TEXT);
    await onMessage(this.parts, context, text, cut);
  }
}
