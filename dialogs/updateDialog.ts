/**
 * The guided progress update: which item, the value (indicators), the period,
 * a RAG status, the narrative (with reason and recovery action when it is off
 * track or moving the wrong way), optional evidence, then a confirmation card
 * with an edit button for each field.
 *
 * It is one waterfall that loops (ask → answer → replaceDialog) over a state
 * object, rather than a fixed list of steps, so that "back", "start over" and
 * "edit" can move to any step. The state lives in the conversation state
 * store, so a restarted bot carries on where the lead was.
 */
// Deep imports: the package index also loads the recognizers-text prompts (~250 ms and ~30 MB at start-up); see eslint.config.mjs.
import { ActivityPrompt } from 'botbuilder-dialogs/lib/prompts/activityPrompt';
import type { PromptValidatorContext } from 'botbuilder-dialogs/lib/prompts/prompt';
import { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
import type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
import { Dialog, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
import type { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';
import { ActivityTypes, CardFactory, MessageFactory, type Activity, type Attachment } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { CommandDialog, commandOf } from './commandDialog';
import type { UpdateService } from '../updates/service';
import { idempotencyKey, reference } from '../updates/service';
import type { Draft, Person, UpdateItem } from '../updates/types';
import { checkAnswer, parsePeriod, parseStatus, reasonNeeded, UPDATE_FIELDS, type UpdateField } from '../updates/validation';
import { reportableItems } from '../updates/reportable';
import { choiceCard, confirmCard, itemLabel, itemPickerCard, MAX_CARD_ACTIONS, STATUS_CHOICES, updateFormCard } from '../bot/updateCards';
import { messageText, replySafe } from '../bot/text';
import { senderOf } from '../bot/identity';
import { alreadyReceived } from '../bot/turnCommit';

export const UPDATE_DIALOG = 'updateDialog';
const LOOP = 'updateLoop';
const ANSWER = 'answerPrompt';
/** Invalid answers in a row before the dialog gives up politely. */
export const MAX_FAILURES = 3;

export type Step = 'item' | 'plan' | 'priority' | 'chooseItem' | 'confirmItem' | 'value' | 'period' | 'status' | 'narrative' | 'reason' | 'recovery' | 'evidence' | 'confirm';

/** Fields of the draft, in the order they are asked (the form's, too). */
const FIELDS = UPDATE_FIELDS;
type Field = UpdateField;

export interface UpdateState {
  step: Step;
  draft: Draft;
  /** Fields answered so far (evidence may be answered with "none"). */
  answered: Field[];
  history: Step[];
  failures: number;
  /** Makes the final save idempotent: a retried turn saves once. */
  key: string;
  user: Person;
  choices?: { id: string; title: string }[];
  planId?: string;
  opening?: string;
}

export interface UpdateDialogOptions {
  user: Person;
  /** What the lead said to start ("update on the MASH"). */
  opening?: string;
  /** The item the opening message named, if the bot recognised one. */
  itemId?: string;
  /** The lead chose the item on a card ("Update now"): no need to ask "is this update for …?". */
  confirmed?: boolean;
  /** The period the update is due for, when the lead came from a reminder: not asked again (it can be edited). */
  period?: string;
}

const HELP: Record<Step, string> = {
  item: 'Type a few words from the activity or indicator you are reporting on (for example "MASH" or "breastfeeding"), pick one of yours, or browse the plans.',
  plan: 'Choose the plan the item belongs to.',
  priority: 'Choose the priority the item sits under.',
  chooseItem: 'Pick the item from the list, or type other words to search again.',
  confirmItem: 'Say yes if this is the item you are reporting on, or no to search again.',
  value: 'Give the new figure as a number, in the indicator\'s unit: for example 12.5% or 1,234.',
  period: 'Say which period the update is for: a quarter (Q3 2017/18), a month (March 2018) or a year (2017/18).',
  status: 'Choose on track, at risk, off track or complete (green, amber and red work too).',
  narrative: 'Describe the progress in a sentence or two: what has happened and what it means.',
  reason: 'Say why it is off track or moving the wrong way.',
  recovery: 'Say what will be done to bring it back on track, and by when.',
  evidence: 'Give the title of a document or an https link that shows the progress, or say "none".',
  confirm: 'Press Confirm to save, one of the Edit buttons to change a part, or Cancel. You can also type "confirm" or, for example, "edit period".',
};

const COMMON_HELP = 'At any point: "back" goes to the previous question, "start over" begins again, "cancel" stops without saving.';

/** What someone else is told when they answer (or press a button of) an update that is not theirs. */
export function notYourUpdate(owner: Person | undefined): string {
  const whose = owner?.name ? `${replySafe(owner.name)}'s` : "someone else's";
  return `This update is ${whose}; say "submit an update" to start your own.`;
}

/**
 * Whether a message reads as an answer to one of the dialog's questions (yes/no, confirm, a command, a
 * status, a period or a bare figure) rather than a question of its own: from someone who has no update
 * in progress while another person's is, it is taken for an attempt to answer theirs.
 */
export function looksLikeDialogAnswer(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  const cmd = commandOf(t);
  if (cmd && cmd !== 'help') return true;
  if (/^(y|yes|yeah|yep|n|no|nope|ok|okay|confirm|save|submit|cancel|none|n\/a|skip)\W*$/i.test(t) || /^edit\b/i.test(t)) return true;
  if (/^[-+−]?£?\s*\d[\d,.]*\s*(%|pp|per ?cent)?$/i.test(t)) return true;
  return t.length <= 40 && (parseStatus(t).ok || parsePeriod(t).ok);
}

export class UpdateDialog extends CommandDialog {
  constructor(
    private readonly service: UpdateService,
    private readonly options: { typeahead?: boolean } = {},
  ) {
    super(UPDATE_DIALOG);
    // An Adaptive Card button arrives as a message with a value and no text (Action.Submit), or as the check
    // card's Action.Execute invoke with the same value (bot/actions/answers.ts dialogStep): a TextPrompt would
    // re-ask forever, so the prompt accepts any of them.
    this.addDialog(
      new ActivityPrompt(ANSWER, async (p: PromptValidatorContext<Activity>) => {
        const a = p.recognized.value;
        const pressed = !!a && typeof a.value === 'object' && a.value !== null;
        if (a?.type === ActivityTypes.Invoke) return a.name === 'adaptiveCard/action' && pressed;
        return !!a && a.type === ActivityTypes.Message && (!!messageText(a) || pressed);
      }),
    );
    this.addDialog(new WaterfallDialog(LOOP, [this.ask.bind(this), this.answer.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** The update belongs to whoever started it: the owner is kept with the dialog and checked at every turn. */
  override async beginDialog(outerDc: DialogContext, options?: UpdateDialogOptions): Promise<DialogTurnResult> {
    const owner = options?.user ?? senderOf(outerDc.context.activity);
    if (outerDc.activeDialog) (outerDc.activeDialog.state as { owner?: Person }).owner = { id: owner.id, name: owner.name };
    return super.beginDialog(outerDc, { ...options, user: owner });
  }

  /** Only the owner continues it; anyone else (by id) is told whose it is, and their message goes nowhere. */
  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    const owner = (outerDc.activeDialog?.state as { owner?: Person } | undefined)?.owner;
    if (owner && owner.id !== senderOf(outerDc.context.activity).id) {
      await outerDc.context.sendActivity(notYourUpdate(owner));
      return Dialog.EndOfTurn;
    }
    return super.continueDialog(outerDc);
  }

  override async onBeginDialog(innerDc: DialogContext, options?: UpdateDialogOptions): Promise<DialogTurnResult> {
    const opts = options ?? { user: { id: 'unknown', name: '' } };
    const state: UpdateState = { step: 'item', draft: {}, answered: [], history: [], failures: 0, key: randomUUID(), user: opts.user, opening: opts.opening };
    // Skip what the opening message already answered: "update on the MASH" goes straight to confirming the MASH.
    const named = opts.itemId ? this.service.item(opts.itemId) : undefined;
    const picked = named && opts.confirmed ? this.pickItem(withPeriod(state, opts.period), named.id) : undefined;
    if (picked && typeof picked !== 'string') {
      // "Update now" on a due item: straight to the first question still open (the item and, usually, the period are known).
      return innerDc.beginDialog(LOOP, picked);
    }
    if (named) {
      state.step = 'confirmItem';
      state.choices = [{ id: named.id, title: itemLabel(named) }];
    } else if (opts.opening) {
      const found = this.service.search(opts.opening);
      if (found.length === 1 || (found.length > 1 && found[0].confidence - found[1].confidence >= 0.15)) {
        state.step = 'confirmItem';
        state.choices = [{ id: found[0].item.id, title: itemLabel(found[0].item) }];
      } else if (found.length > 1) {
        state.step = 'chooseItem';
        state.choices = found.map((f) => ({ id: f.item.id, title: itemLabel(f.item) }));
      }
    }
    return innerDc.beginDialog(LOOP, state);
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const s = step.options as UpdateState;
    return step.prompt(ANSWER, { prompt: this.question(s) });
  }

  /** The question for the current step, as text plus a card where buttons help. */
  private question(s: UpdateState): Partial<Activity> {
    const withCard = (t: string, a: Attachment) => MessageFactory.attachment(a, t);
    const item = s.draft.itemId ? this.service.item(s.draft.itemId) : undefined;
    switch (s.step) {
      case 'item': {
        const own = this.service.ownItems(s.user);
        const choices = [
          ...own.map((i) => ({ title: itemLabel(i), data: { pick: i.id } })),
          { title: 'Browse the plans', data: { browse: true } },
          { title: 'Use one form instead', data: { form: true } },
        ];
        return withCard('Which activity or indicator is this update for? Type a few words to search.', CardFactory.adaptiveCard(choiceCard('', choices, own.length ? 'Yours first; or type a few words to search.' : 'Type a few words to search, or browse.')));
      }
      case 'plan':
        return withCard('Which plan?', CardFactory.adaptiveCard(choiceCard('', this.service.plans().map((p) => ({ title: `${p.title} (${p.authorityLabel})`, data: { plan: p.id } })))));
      case 'priority':
        return withCard('Which priority?', CardFactory.adaptiveCard(choiceCard('', this.service.priorities(s.planId ?? '').map((p) => ({ title: `${p.number}. ${p.title}`, data: { priority: p.number } })))));
      case 'chooseItem': {
        const choices = s.choices ?? [];
        // A short list as buttons; a priority's whole list (up to 30 or so) as a drop-down.
        const pickCard =
          choices.length < MAX_CARD_ACTIONS
            ? choiceCard('', [...choices.map((c) => ({ title: c.title, data: { pick: c.id } })), { title: 'None of these', data: { pick: '' } }], 'Or type other words to search again.')
            : itemPickerCard(choices, 'Or type other words to search again.');
        return withCard('Which one is it?', CardFactory.adaptiveCard(pickCard));
      }
      case 'confirmItem': {
        const c = s.choices?.[0];
        return withCard(`Is this update for ${c?.title}?`, CardFactory.adaptiveCard(choiceCard('', [{ title: 'Yes', data: { confirmItem: true } }, { title: 'No, search again', data: { confirmItem: false } }])));
      }
      case 'value':
        return MessageFactory.text(`What is the new value for "${item?.title}"?${item?.unit ? ` (unit: ${item.unit})` : ''}${item?.previous ? ` The latest figure is ${item.previous}.` : ''}`);
      case 'period':
        return MessageFactory.text('Which period is this update for? For example Q3 2017/18, March 2018 or 2017/18.');
      case 'status':
        return withCard('What is the status?', CardFactory.adaptiveCard(choiceCard('', STATUS_CHOICES.map((x) => ({ title: x, data: { status: x } })))));
      case 'narrative':
        return MessageFactory.text('Describe the progress in a sentence or two.');
      case 'reason':
        return MessageFactory.text(s.draft.status === 'off track' ? 'It is off track: what is the reason?' : `The new value moves the wrong way for this indicator (previous ${item?.previous}): what is the reason?`);
      case 'recovery':
        return MessageFactory.text('What is the recovery action, and by when?');
      case 'evidence':
        return MessageFactory.text('Any evidence? Give a document title or an https link, or say "none".');
      case 'confirm':
        return MessageFactory.attachment(CardFactory.adaptiveCard(confirmCard(s.draft, item!, s.key)), 'Please check your update, then confirm.');
    }
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const s = step.options as UpdateState;
    const activity = step.result as Activity;
    const text = messageText(activity);
    const value = (typeof activity.value === 'object' && activity.value !== null ? activity.value : {}) as Record<string, unknown>;
    // Every message here may quote what the lead typed (a refused period, status, value, search words): all of it goes out
    // through the one escaping path, as the form's messages do.
    const say = (t: string) => step.context.sendActivity(replySafe(t));

    switch (commandOf(text)) {
      case 'help':
        await say(`${HELP[s.step]} ${COMMON_HELP}`);
        return step.replaceDialog(LOOP, s);
      case 'back': {
        const prev = s.history.pop();
        if (!prev) {
          await say('This is the first question.');
          return step.replaceDialog(LOOP, s);
        }
        s.answered = s.answered.filter((f) => f !== prev);
        return step.replaceDialog(LOOP, { ...s, step: prev, failures: 0 });
      }
      case 'start over':
        await say("Starting again. Nothing has been saved.");
        return step.replaceDialog(LOOP, { step: 'item', draft: {}, answered: [], history: [], failures: 0, key: randomUUID(), user: s.user } satisfies UpdateState);
      default:
    }

    const r = await this.handle(s, text, value, step);
    if (r === 'ended') return step.endDialog();
    if (typeof r === 'string') {
      // Invalid: say exactly what is wrong and ask again, up to a limit.
      s.failures++;
      if (s.failures >= MAX_FAILURES) {
        await say(`${r} I'll stop here so you are not stuck; nothing was saved. Say "submit an update" to start again.`);
        return step.endDialog();
      }
      await say(r);
      return step.replaceDialog(LOOP, s);
    }
    r.failures = 0;
    if (r.step !== s.step && !['confirm'].includes(s.step)) r.history = [...s.history, s.step];
    return step.replaceDialog(LOOP, r);
  }

  /** Applies an answer: the next state, an error message, or 'ended'. */
  private async handle(s: UpdateState, text: string, value: Record<string, unknown>, step: WaterfallStepContext): Promise<UpdateState | string | 'ended'> {
    const next = (patch: Partial<UpdateState>): UpdateState => {
      const n: UpdateState = { ...s, ...patch };
      n.step = this.nextStep(n);
      return n;
    };
    const answeredWith = (field: Field, draftPatch: Partial<Draft>): UpdateState => next({ draft: { ...s.draft, ...draftPatch }, answered: [...s.answered.filter((f) => f !== field), field] });

    switch (s.step) {
      case 'item': {
        if (typeof value.pick === 'string' && value.pick) return this.pickItem(s, value.pick);
        if (value.browse) return { ...s, step: 'plan' };
        if (value.form) {
          // Every item of every plan, the lead's own and those matching the opening words first (the first of them chosen).
          const suggested = [...this.service.ownItems(s.user, 20), ...(s.opening ? this.service.search(s.opening, 10).map((f) => f.item) : [])];
          // Only what the lead may report on, without placeholders: the form's typeahead offers the same.
          const list = reportableItems(this.service, s.user, dedupe([...suggested, ...this.service.itemsByPlan()]));
          if (!list.length) return 'There is nothing you can report on here: only the named leads can report on their items. Ask the plan team if you should be one.';
          const card = updateFormCard(randomUUID(), list, suggested.length ? { itemId: suggested[0].id } : {}, { owner: s.user.id, typeahead: this.options.typeahead });
          await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), 'Fill in the form and press Check and submit.'));
          return 'ended';
        }
        return this.searchItems(s, text);
      }
      case 'plan': {
        const plan = typeof value.plan === 'string' ? value.plan : this.service.plans().find((p) => text && p.title.toLowerCase().includes(text.toLowerCase()))?.id;
        if (!plan || !this.service.plans().some((p) => p.id === plan)) return 'Please choose one of the plans.';
        return { ...s, planId: plan, step: 'priority' };
      }
      case 'priority': {
        const n = typeof value.priority === 'number' ? value.priority : Number(text.replace(/\D/g, ''));
        if (!this.service.priorities(s.planId ?? '').some((p) => p.number === n)) return 'Please choose one of the priorities.';
        const items = this.service.itemsIn(s.planId ?? '', n);
        if (!items.length) return 'That priority has no activities or indicators to report on; choose another.';
        return { ...s, step: 'chooseItem', choices: items.slice(0, 25).map((i) => ({ id: i.id, title: itemLabel(i) })) };
      }
      case 'chooseItem': {
        if (typeof value.pick === 'string') return value.pick ? this.pickItem(s, value.pick) : { ...s, step: 'item', choices: undefined };
        const n = Number(text);
        if (Number.isInteger(n) && s.choices?.[n - 1]) return this.pickItem(s, s.choices[n - 1].id);
        if (/^(no|none|none of these|neither)\W*$/i.test(text)) return { ...s, step: 'item', choices: undefined };
        return this.searchItems(s, text);
      }
      case 'confirmItem': {
        const yes = value.confirmItem === true || /^(y|yes|yeah|yep|correct|that'?s (it|right)|right)\b/i.test(text);
        const no = value.confirmItem === false || /^(n|no|nope|not (it|that))\b/i.test(text);
        if (yes && s.choices?.[0]) return this.pickItem(s, s.choices[0].id);
        if (no) return { ...s, step: 'item', choices: undefined };
        return 'Please answer yes or no.';
      }
      case 'value':
      case 'period':
      case 'status':
      case 'narrative':
      case 'reason':
      case 'recovery':
      case 'evidence': {
        // The form's rules and messages (updates/validation checkAnswer): one safe path, two ways in.
        const item = this.service.item(s.draft.itemId ?? '');
        if (!item) return { ...s, step: 'item', choices: undefined };
        const r = checkAnswer(s.step, s.step === 'status' && typeof value.status === 'string' ? value.status : text, item);
        return r.ok ? answeredWith(s.step, r.draft) : r.message;
      }
      case 'confirm': {
        // A check card's button carries its update's key: a press of someone else's card (in a group chat, while this
        // sender's own update waits here) is not an answer to this one. Cards sent before keys were on every button have none.
        if (typeof value.confirmKey === 'string' && value.confirmKey !== s.key) {
          await step.context.sendActivity("That button is on someone else's update, not yours: nothing was changed. Yours is waiting for you to confirm, edit or cancel above.");
          return s;
        }
        const action = typeof value.updateAction === 'string' ? value.updateAction : /^(confirm|yes|save|submit)\b/i.test(text) ? 'confirm' : /^edit\b/i.test(text) ? 'edit' : undefined;
        if (action === 'cancel') {
          await step.context.sendActivity(this.cancelledMessage());
          return 'ended';
        }
        if (action === 'edit') {
          const field = (typeof value.field === 'string' ? value.field : text.replace(/^edit\s*/i, '').trim().toLowerCase()).replace(/^progress$/, 'narrative');
          if (field === 'item') return { ...s, step: 'item', choices: undefined };
          if ((FIELDS as readonly string[]).includes(field)) {
            return { ...s, step: field as Step, answered: s.answered.filter((f) => f !== field) };
          }
          return 'Which part do you want to edit? Item, value, period, status, progress or evidence.';
        }
        if (action === 'confirm') {
          // The submitter is the sender of this confirming activity, and it must be the update's owner (by id).
          const sender = senderOf(step.context.activity);
          if (sender.id !== s.user.id) {
            await step.context.sendActivity(notYourUpdate(s.user));
            return s;
          }
          // If the save fails (SaveFailedError), the turn fails without committing its state: the user is told nothing
          // was saved and stays at this step, so "confirm" again retries with the same key.
          const saved = await this.service.submit(s.draft, sender, idempotencyKey('dialog', step.context.activity.conversation?.id ?? '', s.key));
          const { submission } = saved;
          await step.context.sendActivity(
            alreadyReceived(step.context, saved)
              ? `That update was already received (reference ${reference(submission)}); it is ${submission.reviewState}.`
              : `Saved. Your update on "${submission.recordTitle}" for ${replySafe(submission.period)} is pending review (reference ${reference(submission)}). Say "my updates" to see where it is.`,
          );
          return 'ended';
        }
        return 'Please press Confirm, Edit or Cancel (or type "confirm").';
      }
    }
  }

  private pickItem(s: UpdateState, id: string): UpdateState | string {
    const item = this.service.item(id);
    if (!item) return 'I could not find that item any more; please search again.';
    const allowed = this.service.maySubmit(s.user, item);
    if (!allowed.ok) return allowed.message;
    const draft: Draft = { ...s.draft, itemId: id };
    // A new item resets its value (units differ); other answers stay.
    const answered = item.kind === 'indicator' ? s.answered.filter((f) => f !== 'value') : s.answered;
    if (item.kind !== 'indicator') delete draft.value;
    const n: UpdateState = { ...s, draft, answered, choices: undefined };
    n.step = this.nextStep(n);
    return n;
  }

  private searchItems(s: UpdateState, text: string): UpdateState | string {
    if (!text) return 'Type a few words from the activity or indicator, or use the buttons.';
    const found = this.service.search(text);
    if (!found.length) return `I couldn't find an activity or indicator matching "${text.slice(0, 80)}". Try other words, or browse the plans.`;
    if (found.length === 1 || found[0].confidence - found[1].confidence >= 0.15) return { ...s, step: 'confirmItem', choices: [{ id: found[0].item.id, title: itemLabel(found[0].item) }] };
    return { ...s, step: 'chooseItem', choices: found.map((f) => ({ id: f.item.id, title: itemLabel(f.item) })) };
  }

  /** The first field still to answer, in order; confirm when everything is in. */
  private nextStep(s: UpdateState): Step {
    const item = this.service.item(s.draft.itemId ?? '');
    if (!item) return 'item';
    const needReason = !!reasonNeeded(item, s.draft);
    for (const f of FIELDS) {
      if (f === 'value' && item.kind !== 'indicator') continue;
      if ((f === 'reason' || f === 'recovery') && !needReason) continue;
      if (!s.answered.includes(f)) return f;
    }
    return 'confirm';
  }
}

/** The state with the period already answered, if one was given and reads as a period. */
function withPeriod(s: UpdateState, period: string | undefined): UpdateState {
  const p = period ? parsePeriod(period) : undefined;
  return p?.ok ? { ...s, draft: { ...s.draft, period: p.period }, answered: [...s.answered, 'period'] } : s;
}

function dedupe(items: UpdateItem[]): UpdateItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}
