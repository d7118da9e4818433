/**
 * Dialog state per person within a conversation. In a group chat or channel
 * several people talk to the bot in one conversation; a guided update belongs
 * to the person who started it, so each person's dialog stack is kept apart
 * (keyed by their id) inside the conversation's state, and one person's
 * messages never continue another's update. In a personal chat there is one
 * person, so nothing changes there.
 *
 * Still one conversation-state item, so a turn commits it with its eTag as
 * before (turnCommit.ts). Bounded: a conversation keeps at most
 * DIALOG_BOUNDS.perConversation people's dialogs, and one left untouched for
 * DIALOG_BOUNDS.idleDays is dropped.
 */
import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs/lib/dialogContext';
import { senderOf } from './identity';
import type { Person } from '../updates/types';

/** How much dialog state one conversation holds (one named object: see the module comment). */
export const DIALOG_BOUNDS = {
  /** Most people with a dialog in progress in one conversation; beyond it the longest idle is dropped. */
  perConversation: 20,
  /** A dialog nobody has answered for this many days is dropped (its update was never confirmed, so nothing is lost). */
  idleDays: 30,
};

interface UserDialog {
  owner: Person;
  /** When its owner last spoke to it (ISO). */
  at: string;
  state: DialogState;
}

/** Keyed `u:<id>`, so no id can be a property such as "__proto__". */
type UserDialogs = Record<string, UserDialog>;

const keyOf = (id: string) => `u:${id}`;
const inProgress = (d: UserDialog | undefined): d is UserDialog => !!d && Array.isArray(d.state?.dialogStack) && d.state.dialogStack.length > 0;

/** Read the owner a legacy conversation-wide dialog recorded (the update dialog's options.user), if any. */
function legacyOwner(state: DialogState): Person | undefined {
  const inner = (state.dialogStack[0]?.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack ?? [];
  for (const d of inner) {
    const user = (d.state as { options?: { user?: unknown } } | undefined)?.options?.user as Partial<Person> | undefined;
    if (user && typeof user.id === 'string' && user.id) return { id: user.id, name: typeof user.name === 'string' ? user.name : '' };
  }
  return undefined;
}

/** The DialogSet's state accessor: the sender's own dialog stack. */
export class UserDialogState implements StatePropertyAccessor<DialogState> {
  private readonly all: StatePropertyAccessor<UserDialogs>;
  /** Where the one conversation-wide stack was kept before (moved to its owner on first read). */
  private readonly legacy: StatePropertyAccessor<DialogState>;

  constructor(
    conversationState: ConversationState,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.all = conversationState.createProperty<UserDialogs>('userDialogs');
    this.legacy = conversationState.createProperty<DialogState>('dialogState');
  }

  /** Everyone's dialogs in this conversation, tidied: others' finished or idle ones dropped, at most perConversation. */
  private async dialogs(context: TurnContext): Promise<UserDialogs> {
    const all = await this.all.get(context, {});
    const at = this.now();
    const legacy = await this.legacy.get(context);
    if (legacy) {
      const owner = Array.isArray(legacy.dialogStack) && legacy.dialogStack.length ? legacyOwner(legacy) : undefined;
      if (owner && !all[keyOf(owner.id)]) all[keyOf(owner.id)] = { owner, at: at.toISOString(), state: legacy };
      await this.legacy.delete(context);
    }
    const mine = keyOf(senderOf(context.activity).id);
    const oldest = new Date(at.getTime() - DIALOG_BOUNDS.idleDays * 86_400_000).toISOString();
    for (const [k, d] of Object.entries(all)) {
      if (k !== mine && (!inProgress(d) || !(d.at >= oldest))) delete all[k];
    }
    const others = Object.entries(all).filter(([k]) => k !== mine);
    const over = others.length - (DIALOG_BOUNDS.perConversation - 1);
    if (over > 0) for (const [k] of others.sort((a, b) => (a[1].at < b[1].at ? -1 : 1)).slice(0, over)) delete all[k];
    return all;
  }

  get(context: TurnContext): Promise<DialogState | undefined>;
  get(context: TurnContext, defaultValue: DialogState): Promise<DialogState>;
  async get(context: TurnContext, defaultValue?: DialogState): Promise<DialogState | undefined> {
    const all = await this.dialogs(context);
    const me = senderOf(context.activity);
    const key = keyOf(me.id);
    let mine = all[key];
    if (!mine) {
      if (defaultValue === undefined) return undefined;
      mine = all[key] = { owner: { id: me.id, name: me.name }, at: this.now().toISOString(), state: defaultValue };
    } else if (inProgress(mine)) {
      mine.at = this.now().toISOString();
    }
    return mine.state;
  }

  async set(context: TurnContext, value: DialogState): Promise<void> {
    const all = await this.dialogs(context);
    const me = senderOf(context.activity);
    all[keyOf(me.id)] = { owner: { id: me.id, name: me.name }, at: this.now().toISOString(), state: value };
  }

  async delete(context: TurnContext): Promise<void> {
    const all = await this.dialogs(context);
    delete all[keyOf(senderOf(context.activity).id)];
  }

  /** Whether the sender has a dialog in progress here (what a DialogContext's activeDialog would say, without building one). */
  async ownInProgress(context: TurnContext): Promise<boolean> {
    const all = await this.dialogs(context);
    return inProgress(all[keyOf(senderOf(context.activity).id)]);
  }

  /** The others in this conversation with a dialog in progress, the most recently active first. */
  async othersInProgress(context: TurnContext): Promise<Person[]> {
    const all = await this.dialogs(context);
    const mine = keyOf(senderOf(context.activity).id);
    return Object.entries(all)
      .filter(([k, d]) => k !== mine && inProgress(d))
      .sort((a, b) => (a[1].at < b[1].at ? 1 : -1))
      .map(([, d]) => d.owner);
  }
}
