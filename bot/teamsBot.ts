/**
 * The Teams activity handler: turns activities into calls on the answering,
 * summary and update modules and renders their results. It holds no business
 * logic of its own, so the modules stay free of botbuilder.
 */
import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, TurnContext, type ConversationState, type StatePropertyAccessor, type Activity } from 'botbuilder';
import type { Answer, AnswerContext, Answerer } from '../knowledge/answer';
import type { UnansweredLog } from '../knowledge/unanswered';
import type { Summariser } from '../knowledge/summary';
import { answerCard, helpCard, imBack, notFoundCard } from './cards';
import { summaryCard, summaryChoiceCard } from './summaryCards';
import type { Logger } from './logger';

export interface PlanBotDeps {
  answerer: Answerer;
  summariser: Summariser;
  conversationState: ConversationState;
  unanswered: UnansweredLog;
  logger: Logger;
  /** Log message text (off by default: it may hold personal information). */
  logContent?: boolean;
}

/** Longest message text the bot will read; longer text is cut, and the user told. */
export const MAX_TEXT = 2000;

export class PlanBot extends TeamsActivityHandler {
  private readonly lastAnswer: StatePropertyAccessor<AnswerContext | undefined>;

  constructor(private readonly deps: PlanBotDeps) {
    super();
    this.lastAnswer = deps.conversationState.createProperty<AnswerContext | undefined>('lastAnswer');

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      for (const m of context.activity.membersAdded ?? []) {
        if (m.id !== context.activity.recipient?.id) {
          await context.sendActivity(
            MessageFactory.attachment(
              CardFactory.adaptiveCard(helpCard()),
              "Hello! I'm the plan assistant. Ask me about the partnership's plans: figures, leads, due dates and summaries.",
            ),
          );
        }
      }
      await next();
    });
  }

  /** Saves conversation state after every turn, including turns that threw. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const t0 = performance.now();
    const activity = context.activity;
    const value = activity.value as Record<string, unknown> | undefined;
    let text = messageText(activity);

    if (!text && value && typeof value === 'object') {
      await this.handleCardAction(context, value);
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
    if (cut) answer.text = `(Your message was long, so I read its first ${MAX_TEXT} characters.) ` + answer.text;
    await this.render(context, answer, text);
    if (answer.context) await this.lastAnswer.set(context, answer.context);

    this.deps.logger.info(
      {
        conversation: activity.conversation?.id,
        activityId: activity.id,
        intent: answer.intent,
        outcome: answer.kind,
        record: answer.context?.recordId,
        confidence: Number(answer.confidence.toFixed(3)),
        ms: Number((performance.now() - t0).toFixed(1)),
        ...(this.deps.logContent ? { text } : {}),
      },
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
      case 'submit':
      case 'myUpdates':
      case 'review':
        await context.sendActivity('Progress updates are not available in this version yet. You can ask me about the plans in the meantime.');
        return;
      case 'notFound': {
        this.deps.unanswered.record({ question, reason: 'notFound', suggestions: answer.choices.map((c) => c.title), conversation: context.activity.conversation?.id });
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
      this.deps.unanswered.record({ question, reason: 'notFound', suggestions: [], conversation: context.activity.conversation?.id });
      await context.sendActivity(result.message);
      return;
    }
    const msg = MessageFactory.attachment(CardFactory.adaptiveCard(summaryCard(result.summary)), result.summary.headline);
    await context.sendActivity(msg);
    await this.lastAnswer.set(context, { query: question, intent: 'summary', priorityId: result.summary.priorityIds[0], authority: result.summary.authority });
  }

  private async handleCardAction(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const action = typeof value.action === 'string' ? value.action : undefined;
    if (action === 'noneOfThese') {
      const question = typeof value.question === 'string' ? value.question.slice(0, 500) : '';
      this.deps.unanswered.record({ question, reason: 'noneOfThese', suggestions: [], conversation: context.activity.conversation?.id });
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

/** The user's text without the bot's @mention (channel messages carry "<at>Bot</at> question"). */
export function messageText(activity: Partial<Activity>): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  if (activity.entities?.length && activity.recipient) {
    try {
      text = TurnContext.removeRecipientMention(activity as Activity) ?? text;
    } catch {
      // Malformed mention entities: fall back to stripping <at> tags below.
    }
  }
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
