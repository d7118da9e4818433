/**
 * Turns that may land on different instances (or run at once on one):
 *
 * - OptimisticConversationState commits conversation state with the eTag it
 *   read, so a turn that read state someone else has since overwritten fails
 *   with an eTag conflict instead of silently overwriting it. (The SDK's
 *   BotState always writes with eTag "*": last writer wins.)
 * - runCommitted holds a turn's replies until its state is committed. On a
 *   conflict the held replies are dropped, the state reloaded and the turn run
 *   again (a bounded number of times), so no reply is based on state that was
 *   overwritten. Works with expectReplies: the held replies are released into
 *   the adapter's bufferedReplyActivities only after the commit.
 *
 * Side effects in a turn must survive being run again: submissions carry
 * idempotency keys, and onceInTurn() keeps other writes to one per turn.
 */
import { ActivityTypes, ConversationState, INVOKE_RESPONSE_KEY, type Activity, type ResourceResponse, type Storage, type StoreItem, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { isETagConflict } from '../storage/errors';
import type { Logger } from './logger';

/** How many times a turn runs before it gives up on a conflict (then the error path apologises). */
export const MAX_TURN_ATTEMPTS = 3;

/**
 * What the state was when read (or last written), to tell whether the turn changed it. The SDK's
 * calculateChangeHash does the same with a per-key replacer and SHA-256, computed three times a
 * turn; the state is small plain JSON (the stores keep it as JSON), so its JSON text is the
 * fingerprint, compared directly.
 */
function fingerprint(state: Record<string, unknown>): string {
  return JSON.stringify(state);
}

interface Cached {
  state: Record<string, unknown>;
  /** fingerprint() of the state as read or last written. */
  hash: string;
  /** The eTag read with the state; undefined when the conversation had none. */
  eTag?: string;
}

/**
 * ConversationState whose saveChanges is checked against the eTag it loaded.
 * A conversation with no state yet is created with a fresh made-up eTag, so if
 * another instance created it meanwhile the write conflicts too (the stores
 * create an item whose key does not exist, and refuse a wrong eTag for one
 * that does).
 */
export class OptimisticConversationState extends ConversationState {
  private readonly cacheKey = Symbol('optimisticConversationState');

  constructor(
    private readonly store: Storage,
    namespace = '',
  ) {
    super(store, namespace);
  }

  private key(context: TurnContext): string {
    const key = this.getStorageKey(context);
    if (!key) throw new Error('ConversationState: no storage key for this activity.');
    return key;
  }

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (cached && !force) return cached.state;
    const key = this.key(context);
    const item = (await this.store.read([key]))[key] as StoreItem | undefined;
    const { eTag, ...state } = item ?? {};
    context.turnState.set(this.cacheKey, { state, hash: fingerprint(state), eTag: typeof eTag === 'string' ? eTag : undefined } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (!cached) {
      if (!force) return;
      cached = { state: {}, hash: '' };
    }
    const now = fingerprint(cached.state);
    if (!force && cached.hash === now) return;
    const sent = cached.eTag ?? `new-${randomUUID()}`;
    const item: StoreItem = { ...cached.state, eTag: sent };
    await this.store.write({ [this.key(context)]: item });
    // Our stores stamp the new eTag on the item; with one that does not, a second save this turn overwrites.
    cached.eTag = item.eTag !== sent ? item.eTag : '*';
    cached.hash = now;
    context.turnState.set(this.cacheKey, cached);
  }

  override async clear(context: TurnContext): Promise<void> {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    context.turnState.set(this.cacheKey, { state: {}, hash: '', eTag: cached?.eTag } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    await this.store.delete([this.key(context)]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    return (context.turnState.get(this.cacheKey) as Cached | undefined)?.state;
  }
}

/** Anything with the BotState methods runCommitted needs (ConversationState, plain or optimistic). */
export interface CommittableState {
  load(context: TurnContext, force?: boolean): Promise<unknown>;
  saveChanges(context: TurnContext, force?: boolean): Promise<void>;
}

export interface RunCommittedOptions {
  attempts?: number;
  logger?: Logger;
  /** Called each time the turn is run again after a conflict (attempt: the run about to start, 2 or more). */
  onRetry?: (attempt: number) => void;
}

/**
 * The turn ran and committed, but its replies could not be handed to the
 * channel's connector (refused, unreachable, a serviceUrl that goes nowhere).
 * A failure of sending, not of the bot: nothing to apologise for through the
 * same connector, and the conversation's state stands.
 */
export class ReplyNotDeliveredError extends Error {
  constructor(cause: unknown) {
    super(`the reply could not be delivered: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReplyNotDeliveredError';
  }
}

/**
 * Runs a turn's logic, commits the conversation state, and only then sends
 * the replies. On an eTag conflict: drop the replies, reload, run again.
 */
export async function runCommitted(context: TurnContext, state: CommittableState, logic: () => Promise<void>, options: RunCommittedOptions = {}): Promise<void> {
  const attempts = options.attempts ?? MAX_TURN_ATTEMPTS;
  const held: Partial<Activity>[] = [];
  let holding = true;
  context.onSendActivities(async (_ctx, activities, next): Promise<ResourceResponse[]> => {
    if (!holding) return next();
    held.push(...activities);
    // As the SDK does, let the turn see that it has answered an invoke (so the handler does not answer it twice).
    for (const a of activities) if (a.type === ActivityTypes.InvokeResponse) context.turnState.set(INVOKE_RESPONSE_KEY, a);
    return activities.map(() => ({ id: '' }));
  });
  try {
    for (let attempt = 1; ; attempt++) {
      held.length = 0;
      context.turnState.delete(INVOKE_RESPONSE_KEY);
      try {
        await logic();
        await state.saveChanges(context, false);
        break;
      } catch (err) {
        if (!isETagConflict(err) || attempt >= attempts) throw err;
        options.logger?.warn({ conversation: context.activity.conversation?.id, activityId: context.activity.id, attempt }, 'conversation state changed during the turn; running it again');
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20 * attempt)));
        await state.load(context, true);
        options.onRetry?.(attempt + 1);
      }
    }
  } finally {
    holding = false;
  }
  if (!held.length) return;
  try {
    await context.sendActivities(held);
  } catch (err) {
    throw new ReplyNotDeliveredError(err);
  }
}

const ONCE = Symbol('onceInTurn');

/** Runs a side effect once per turn, however many times the turn runs (keyed by what it does). */
export async function onceInTurn(context: TurnContext, key: string, effect: () => Promise<void> | void): Promise<void> {
  let done = context.turnState.get(ONCE) as Set<string> | undefined;
  if (!done) context.turnState.set(ONCE, (done = new Set()));
  if (done.has(key)) return;
  await effect();
  done.add(key);
}

/** The same value for every run of this turn: computed the first time (a rate-limit decision, for instance). */
export function sameInTurn<T>(context: TurnContext, key: string, compute: () => T): T {
  const k = `sameInTurn:${key}`;
  if (context.turnState.has(k)) return context.turnState.get(k) as T;
  const v = compute();
  context.turnState.set(k, v);
  return v;
}

const SAVED = Symbol('savedInTurn');

/**
 * Whether a submit result should be reported as "already received": it was a
 * duplicate, and not of a submission an earlier run of this same turn saved
 * (that run's "Saved." was dropped with its state, so this run says it).
 */
export function alreadyReceived(context: TurnContext, r: { submission: { id: string }; duplicate: boolean }): boolean {
  let saved = context.turnState.get(SAVED) as Set<string> | undefined;
  if (!saved) context.turnState.set(SAVED, (saved = new Set()));
  if (!r.duplicate) {
    saved.add(r.submission.id);
    return false;
  }
  return !saved.has(r.submission.id);
}
