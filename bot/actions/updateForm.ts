/**
 * The one-card update form, on the same safe path as the dialog: "Check and submit" checks every field
 * (updates/validation.ts, the dialog's rules) and shows the check card; its Confirm checks again and saves
 * for review, and the card becomes "Submitted ✓". A form carries whose it is: someone else's press is refused.
 */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { idempotencyKey, reference, type UpdateItem } from '../../updates/service';
import { cleanText, validateUpdateForm, type UpdateDraft } from '../../updates/validation';
import { formCheckCard, submittedCard, updateFormCard, type FormFields } from '../updateCards';
import { replySafe } from '../text';
import { alreadyReceived } from '../turnCommit';
import { noteOutcome } from '../turnLog';
import { conversationOf, personOf, type BotParts } from '../routes/parts';
import type { ActionRoute } from './route';

const typed = z.string().optional().catch(undefined);
/** What a form's buttons carry besides the verb: its id, whose it is, and its fields as typed (text only). */
const FormPressSchema = z.object({
  /** The form's id keys its idempotency: a damaged one gets a fresh id (and the form, shown again, carries it). */
  formId: z.string().regex(/^[\w-]{1,100}$/).catch(() => randomUUID()),
  owner: z.string().max(300).optional().catch(undefined),
  itemId: typed,
  value: typed,
  period: typed,
  status: typed,
  narrative: typed,
  reason: typed,
  recovery: typed,
  evidence: typed,
});

/** Shown again in the form's inputs and carried on the check card: without control or bidi characters. */
function cleanFields(typedFields: Record<string, string | undefined>): FormFields {
  return Object.fromEntries(Object.entries(typedFields).flatMap(([k, v]) => (v === undefined ? [] : [[k, cleanText(v).slice(0, 4000)]])));
}

type Checked = { item: UpdateItem; draft: UpdateDraft; fields: FormFields; formId: string; owner: string };

/** The press checked as the form is: replies and gives undefined when it cannot go on (not yours, no item, a field wrong, not allowed). */
async function check(parts: BotParts, context: TurnContext, raw: Record<string, unknown>): Promise<Checked | undefined> {
  const { formId, owner, ...typedFields } = FormPressSchema.parse(raw);
  const person = personOf(context);
  if (owner && owner !== person.id) {
    noteOutcome(context, 'notYours');
    await context.sendActivity('This form is someone else\'s, so nothing was saved. Say "submit an update" to start your own.');
    return undefined;
  }
  const fields = cleanFields(typedFields);
  const item = parts.deps.updates.item(fields.itemId ?? '');
  if (!item) {
    noteOutcome(context, 'notFound');
    await context.sendActivity('Please choose the activity or indicator the update is about; that one is not in the plans.');
    return undefined;
  }
  // The form's own id as sent: a missing or damaged one is refused by the form's schema (the form shown again has a good one).
  const r = validateUpdateForm({ ...raw, action: 'submitUpdateForm' }, { unit: item.unit, kind: item.kind, polarity: item.polarity, previous: item.previous });
  if (!r.ok) {
    // Each message next to its field on the form shown again (in place of the pressed one, with Action.Execute).
    noteOutcome(context, 'invalid');
    const errors = Object.entries(r.errors).map(([field, message]) => ({ field, message: message ?? '' }));
    const n = errors.length;
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(updateFormCard(formId, [item], fields, { errors, owner: person.id, typeahead: parts.deps.formTypeahead })), `Nothing saved yet: ${n === 1 ? 'one thing needs' : `${n} things need`} correcting on the form.`));
    return undefined;
  }
  const allowed = parts.deps.updates.maySubmit(person, item);
  if (!allowed.ok) {
    noteOutcome(context, 'refused');
    await context.sendActivity(replySafe(allowed.message));
    return undefined;
  }
  return { item, draft: r.draft, fields, formId, owner: person.id };
}

export const submitUpdateForm: ActionRoute<'submitUpdateForm'> = {
  async handle(parts, context, press) {
    const ok = await check(parts, context, press);
    if (!ok) return;
    noteOutcome(context, 'check');
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(formCheckCard(ok.draft, ok.item, ok.fields, ok.formId, ok.owner)), 'Please check your update, then confirm.'));
  },
};

export const editUpdateForm: ActionRoute<'editUpdateForm'> = {
  async handle(parts, context, press) {
    const { formId, owner, ...typedFields } = FormPressSchema.parse(press);
    const person = personOf(context);
    const item = parts.deps.updates.item(typedFields.itemId ?? '');
    if ((owner && owner !== person.id) || !item) return 'unrecognised';
    const fields = cleanFields(typedFields);
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(updateFormCard(formId, [item], fields, { owner: person.id, typeahead: parts.deps.formTypeahead })), 'Change what you need, then check and submit again.'));
  },
};

export const confirmUpdateForm: ActionRoute<'confirmUpdateForm'> = {
  async handle(parts, context, press) {
    const ok = await check(parts, context, press);
    if (!ok) return;
    // A failed save throws SaveFailedError: the error path tells the user nothing was saved and to try again.
    const saved = await parts.deps.updates.submit(ok.draft, personOf(context), idempotencyKey('form', conversationOf(context), ok.formId));
    const { submission } = saved;
    const again = alreadyReceived(context, saved);
    noteOutcome(context, again ? 'duplicate' : 'saved');
    await context.sendActivity(
      MessageFactory.attachment(
        CardFactory.adaptiveCard(submittedCard(submission, again)),
        again
          ? `That form was already received (reference ${reference(submission)}); it is ${submission.reviewState}. Nothing new was saved.`
          : `Saved. Your update on "${submission.recordTitle}" for ${replySafe(submission.period)} is pending review (reference ${reference(submission)}).`,
      ),
    );
  },
};
