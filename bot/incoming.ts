/**
 * What an incoming activity must be before the bot touches it: the fields the
 * SDK and the bot read, of the right types, and bounds on the depth and size
 * of every object the bot echoes (from, recipient, conversation go back out in
 * every reply) or stores (conversation references, card values). Anything
 * else is a 400 at the edge; nothing of it is logged.
 *
 * The activity handed on is rebuilt: from, recipient and conversation hold
 * only the fields the bot and the SDK use, so a reply is built from these
 * validated, bounded fields and never echoes a client's object back whole.
 */
import { z } from 'zod';

/** The bounds, in one place (bytes are of the field's JSON). */
export const ACTIVITY_BOUNDS = {
  /** Deepest nesting anywhere in an activity: Teams' own activities nest a few levels. */
  depth: 32,
  from: { depth: 2, bytes: 4096 },
  recipient: { depth: 2, bytes: 4096 },
  conversation: { depth: 2, bytes: 4096 },
  channelData: { depth: 10, bytes: 64 * 1024 },
  /** Card data and invoke values: a whole update form is a few KB. */
  value: { depth: 10, bytes: 128 * 1024 },
  entities: { depth: 10, bytes: 64 * 1024 },
} as const;

type Bounded = Exclude<keyof typeof ACTIVITY_BOUNDS, 'depth'>;
const BOUNDED: Bounded[] = ['from', 'recipient', 'conversation', 'channelData', 'value', 'entities'];

/**
 * Whether a JSON value nests no deeper than `limit` (an object or array is one level). Iterative, and it
 * stops at the first level too deep, so a body nested 100,000 deep costs no stack and little time.
 */
export function nestsWithin(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return false;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
  }
  return true;
}

const id = z.string().min(1).max(1024);
const name = z.string().max(1024).nullish();

/**
 * The least an activity needs for the bot to answer it, and the type of every field the SDK reads
 * without checking it; anything else is a 400. Without a channelId the SDK cannot key conversation
 * state ("missing activity.channelId"); Teams' dispatch reads channelData.eventType (null fails);
 * the recipient, id and deliveryMode decide where and how replies go. from, recipient and
 * conversation keep only their known fields (zod strips the rest).
 */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64),
    id: z.string().max(1024).optional(),
    deliveryMode: z.string().max(64).optional(),
    channelData: z.object({}).passthrough().optional(),
    recipient: z.object({ id: z.string().max(1024), name, role: z.string().max(64).nullish() }).optional(),
    conversation: z.object({
      id,
      name,
      conversationType: z.string().max(64).nullish(),
      tenantId: z.string().max(256).nullish(),
      isGroup: z.boolean().nullish(),
    }),
    // The sender's name and AAD id reach queries and text handling: strings or nothing (an array would be spread into SQL parameters).
    from: z.object({ id, name, aadObjectId: z.string().max(1024).nullish(), role: z.string().max(64).nullish() }),
    serviceUrl: z.string().max(2048).optional(),
    text: z.string().optional(),
    value: z.unknown().optional(),
  })
  .passthrough();

export type CheckedActivity = z.infer<typeof IncomingActivity>;

/** The activity, validated and rebuilt, or why it is refused (a short message naming the field, never its content). */
export function checkActivity(body: unknown): { ok: true; activity: CheckedActivity } | { ok: false; message: string } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'The body must be a JSON object (a Bot Framework activity).' };
  if (!nestsWithin(body, ACTIVITY_BOUNDS.depth)) return { ok: false, message: `Invalid activity: nested more than ${ACTIVITY_BOUNDS.depth} levels deep.` };
  const fields = body as Record<string, unknown>;
  for (const field of BOUNDED) {
    const v = fields[field];
    if (v === undefined || v === null || typeof v !== 'object') continue;
    const bound = ACTIVITY_BOUNDS[field];
    if (!nestsWithin(v, bound.depth)) return { ok: false, message: `Invalid activity: ${field} is nested more than ${bound.depth} levels deep.` };
    if (Buffer.byteLength(JSON.stringify(v)) > bound.bytes) return { ok: false, message: `Invalid activity: ${field} is larger than ${bound.bytes} bytes.` };
  }
  const parsed = IncomingActivity.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Invalid activity: ${issue.path.join('.') || 'body'} ${issue.message}`.slice(0, 200) };
  }
  return { ok: true, activity: parsed.data };
}
