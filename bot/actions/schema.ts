/**
 * Every card action the bot's cards send, as one zod discriminated union on
 * `action`: what a button sends is parsed here once, and the verbs the
 * dispatch map, the turn log and Action.Execute know are this union's.
 */
import { z } from 'zod';
import { CycleCardActionSchema } from '../reminderCards';

/** A card's own text, bounded (a card may send anything). */
const shortText = (max: number) => z.string().max(100_000).transform((s) => s.slice(0, max));

export const CardActionSchema = z.discriminatedUnion('action', [
  ...CycleCardActionSchema.options,
  /**
   * A button of the guided update's check card (Action.Execute): Confirm, Edit <field> or Cancel, for the sender's
   * dialog in progress, which reads it as the step's answer (dialogs/updateDialog.ts), as it reads the same data by Action.Submit.
   */
  z.object({ action: z.literal('dialogStep'), updateAction: z.enum(['confirm', 'edit', 'cancel']), confirmKey: z.string().max(200).optional(), field: z.string().max(40).optional() }),
  /** A follow-up or example question pressed on a card. */
  z.object({ action: z.literal('ask'), text: z.string().max(100_000) }),
  /** The one-card update form: its fields are the form's own schema's to check (updates/validation.ts), field by field. */
  z.object({ action: z.literal('submitUpdateForm') }).passthrough(),
  /** The form's check card: Confirm saves, Change shows the form again; both carry the form's fields. */
  z.object({ action: z.literal('confirmUpdateForm') }).passthrough(),
  z.object({ action: z.literal('editUpdateForm') }).passthrough(),
  /** A reviewer's decision; a comment that is not text is no comment. */
  z.object({ action: z.literal('reviewUpdate'), id: z.string().min(1).max(200), decision: z.enum(['approved', 'returned']), comment: z.string().catch('') }),
  /** A review card's refresh (Universal Actions): the update's card as it is now. */
  z.object({ action: z.literal('refreshReview'), id: z.string().min(1).max(200) }),
  z.object({ action: z.literal('noneOfThese'), question: shortText(500).catch('') }),
  /** Exports: the manager view checks the plan and priority (its ExportRequestSchema). */
  z.object({ action: z.literal('exportSummary') }).passthrough(),
  z.object({ action: z.literal('exportDocument') }).passthrough(),
  z.object({ action: z.literal('summary'), planId: z.string().min(1).max(100), priority: z.number(), since: z.unknown().optional() }),
]);
export type CardAction = z.infer<typeof CardActionSchema>;
export type Verb = CardAction['action'];
export type ActionOf<V extends Verb> = Extract<CardAction, { action: V }>;

/** Any button press that names a verb: the envelope, before the verb's own payload is checked. */
export const CardPressSchema = z.object({ action: z.string().min(1).max(100) });

/** A verb this bot's cards send (for the log: what a card sends is the user's to choose). */
export function knownVerb(verb: string): verb is Verb {
  return CardActionSchema.optionsMap.has(verb);
}
