/** The one-card update form submitted: checked field by field (updates/validation.ts), then saved for review. */
import { CardFactory, MessageFactory } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { idempotencyKey, reference } from '../../updates/service';
import { cleanText, validateUpdateForm } from '../../updates/validation';
import { updateFormCard } from '../updateCards';
import { replySafe } from '../text';
import { alreadyReceived } from '../turnCommit';
import { noteOutcome } from '../turnLog';
import { conversationOf, personOf } from '../routes/parts';
import type { ActionRoute } from './route';

/** What the form is shown again with: its fields as typed (text only). */
const PrefillSchema = z.object({
  itemId: z.string().optional().catch(undefined),
  value: z.string().optional().catch(undefined),
  period: z.string().optional().catch(undefined),
  status: z.string().optional().catch(undefined),
  narrative: z.string().optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  recovery: z.string().optional().catch(undefined),
  evidence: z.string().optional().catch(undefined),
});
/** The form's id keys its idempotency: a damaged one gets a fresh id (and the form, shown again, carries it). */
const FormIdSchema = z.string().regex(/^[\w-]{1,100}$/).catch(() => randomUUID());

export const submitUpdateForm: ActionRoute<'submitUpdateForm'> = {
  async handle(parts, context, form) {
    const fields = PrefillSchema.parse(form);
    const item = parts.deps.updates.item(fields.itemId ?? '');
    const formId = FormIdSchema.parse(form.formId);
    if (!item) {
      noteOutcome(context, 'notFound');
      await context.sendActivity('Please choose the activity or indicator the update is about; that one is not in the plans.');
      return;
    }
    const r = validateUpdateForm(form, { unit: item.unit, kind: item.kind, polarity: item.polarity, previous: item.previous });
    if (!r.ok) {
      // Shown again in the form's inputs (not rendered as Markdown), without control or bidi characters.
      const prefill = Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, cleanText(v).slice(0, 4000)]])));
      // The messages quote what was typed: made inert.
      noteOutcome(context, 'invalid');
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(updateFormCard(formId, [item], prefill, r.errors)), `Nothing saved yet: ${r.errors.map((x) => replySafe(x.message)).join(' ')}`));
      return;
    }
    const person = personOf(context);
    const allowed = parts.deps.updates.maySubmit(person, item);
    if (!allowed.ok) {
      noteOutcome(context, 'refused');
      await context.sendActivity(replySafe(allowed.message));
      return;
    }
    // A failed save throws SaveFailedError: the error path tells the user nothing was saved and to try again.
    const saved = await parts.deps.updates.submit(r.draft, person, idempotencyKey('form', conversationOf(context), formId));
    const { submission } = saved;
    const again = alreadyReceived(context, saved);
    noteOutcome(context, again ? 'duplicate' : 'saved');
    await context.sendActivity(
      again
        ? `That form was already received (reference ${reference(submission)}); it is ${submission.reviewState}. Nothing new was saved.`
        : `Saved. Your update on "${submission.recordTitle}" for ${replySafe(submission.period)} is pending review (reference ${reference(submission)}).`,
    );
  },
};
