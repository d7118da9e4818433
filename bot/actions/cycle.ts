/** The reporting cycle's buttons: "Update now" and "No change since last period" on a due item, a priority chosen for the late list. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { reference } from '../../updates/service';
import { priorityScope, type LateScopeRequest } from '../../updates/lateScope';
import { recordNoChange } from '../../updates/noChange';
import { UPDATE_DIALOG } from '../../dialogs/updateDialog';
import { nothingToCarryCard } from '../reminderCards';
import { replySafe } from '../text';
import { alreadyReceived } from '../turnCommit';
import { noteOutcome } from '../turnLog';
import { sendLateList } from '../routes/cycleLists';
import { personOf, type BotParts } from '../routes/parts';
import type { ActionOf } from './schema';
import type { ActionRoute } from './route';

async function unreadable(_parts: BotParts, context: TurnContext): Promise<void> {
  noteOutcome(context, 'invalid');
  await context.sendActivity("I couldn't read that button's data. It may be from an older card: say \"what's due from me\" for a fresh one.");
}

export const updateNow: ActionRoute<'updateNow'> = {
  invalid: unreadable,
  async handle(parts, context, action: ActionOf<'updateNow'>) {
    const item = parts.deps.updates.item(action.itemId);
    if (!item) {
      await context.sendActivity('That item is not in the plans any more. Say "what\'s due from me" for your current list.');
      return;
    }
    const dc = await parts.dialogs.createContext(context);
    if (dc.activeDialog) {
      await dc.cancelAllDialogs();
      await context.sendActivity('I have set aside the update you were in the middle of (nothing from it was saved).');
    }
    await dc.beginDialog(UPDATE_DIALOG, { user: personOf(context), itemId: item.id, confirmed: true, period: action.period });
  },
};

export const noChange: ActionRoute<'noChange'> = {
  invalid: unreadable,
  async handle(parts, context, action: ActionOf<'noChange'>) {
    const r = await recordNoChange(parts.deps.updates, personOf(context), action.itemId, action.period, parts.now());
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
  },
};

export const lateUpdatesFor: ActionRoute<'lateUpdates'> = {
  invalid: unreadable,
  async handle(parts, context, action: ActionOf<'lateUpdates'>) {
    const plan = parts.deps.updates.plan(action.planId);
    const request: LateScopeRequest = plan ? priorityScope(plan.id, action.priority, plan.title) : { kind: 'notFound', message: 'I could not find that plan any more.' };
    await sendLateList(parts, context, request, `late updates for priority ${action.priority}`);
  },
};
