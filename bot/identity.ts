/**
 * Who sent an activity. Every action acts for the sender of the activity it
 * comes in, identified by id: the AAD object id when Teams gives one, else
 * the channel's user id. A display name is only ever shown, never compared:
 * names are not unique and guests choose their own.
 */
import type { Activity } from 'botbuilder';
import type { Person } from '../updates/types';
import type { UpdateService } from '../updates/service';
import { PUBLISHED_ONLY, type SeesUpdate } from '../updates/visibility';
import { cleanText } from '../updates/validation';

/** The sender, with both ids kept (reviewers and leads may be listed by either). */
export type Sender = Person & { aadObjectId?: string; channelUserId?: string };

/** Longest display name kept (as the submissions' schema allows). */
const MAX_NAME = 200;

/** An id as given, trimmed; blank ("  ", a tab) is no id. */
export function idOrNothing(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t ? t : undefined;
}

/** A display name for showing and storing: no control, bidi or zero-width characters, on one line. */
export function displayName(v: unknown): string {
  return typeof v === 'string' ? cleanText(v).replace(/\s+/g, ' ').slice(0, MAX_NAME) : '';
}

/** The sender of an activity. */
export function senderOf(activity: Partial<Pick<Activity, 'from'>>): Sender {
  const from = activity.from;
  const aadObjectId = idOrNothing(from?.aadObjectId);
  const channelUserId = idOrNothing(from?.id);
  return { id: aadObjectId ?? channelUserId ?? 'unknown', name: displayName(from?.name), aadObjectId, channelUserId };
}

/** A conversation others read too: a group chat, a channel or a meeting (anything but a one-to-one chat). */
export function isSharedConversation(activity: Partial<Pick<Activity, 'conversation'>>): boolean {
  const c = activity.conversation;
  return !!c && (c.isGroup === true || (!!c.conversationType && c.conversationType !== 'personal'));
}

/**
 * Which updates a reply may show where it is posted: in a one-to-one chat, what its sender may see (their own and,
 * for a reviewer, every unreviewed one); in a shared conversation everyone there reads it, so approved ones only,
 * whoever asked.
 */
export function updatesShownTo(activity: Partial<Pick<Activity, 'from' | 'conversation'>>, updates: Pick<UpdateService, 'visibleTo'>): SeesUpdate {
  return isSharedConversation(activity) ? PUBLISHED_ONLY : updates.visibleTo(senderOf(activity));
}
