/**
 * Per-user rate limit: a token bucket per sender, refilled continuously. A
 * burst beyond it gets one polite reply and costs the server a map lookup;
 * idle buckets are dropped so memory stays bounded (maxTracked senders, the
 * least recently seen forgotten first). Every activity a user sends counts:
 * messages, card buttons, conversation updates and invokes.
 *
 * This one is per process, for the single SQLite instance; with PostgreSQL
 * the instances share one limit (storage/postgresRateLimit.ts), so N
 * instances allow the configured rate, not N times it.
 */
export interface RateLimitOptions {
  /** Messages allowed in a burst. */
  burst: number;
  /** Sustained messages per minute. */
  perMinute: number;
  /** Most senders tracked at once (oldest forgotten first). */
  maxTracked?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Whether this sender has been told they are going too fast since they last had a token. */
  warned: boolean;
}

export type RateDecision = 'allow' | 'warn' | 'drop';

/** What the bot asks of a limiter (in memory, or shared through PostgreSQL). */
export interface RateLimit {
  check(key: string): RateDecision | Promise<RateDecision>;
}

export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly opts: RateLimitOptions, private readonly now: () => number = Date.now) {}

  /** allow: go ahead; warn: refuse and say so once; drop: refuse silently (already warned). */
  check(key: string): RateDecision {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.opts.burst, at: t, warned: false };
      if (this.buckets.size >= (this.opts.maxTracked ?? 50_000)) this.buckets.delete(this.buckets.keys().next().value as string);
    } else {
      this.buckets.delete(key); // re-insert below: the Map's order is least recently seen first
      b.tokens = Math.min(this.opts.burst, b.tokens + ((t - b.at) / 60_000) * this.opts.perMinute);
      b.at = t;
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.warned = false;
      return 'allow';
    }
    if (b.warned) return 'drop';
    b.warned = true;
    return 'warn';
  }

  get tracked(): number {
    return this.buckets.size;
  }
}

/** Invokes sent as a person types (the typeahead's application/search, the message extension's query): one per keystroke. */
const SEARCH_INVOKES: ReadonlySet<string> = new Set(['application/search', 'composeExtension/query']);

/**
 * The bucket an activity counts against: the sender's, or for a search invoke the sender's search bucket
 * (`search:<id>`), so typing in a search box does not use up their allowance for messages and buttons,
 * and is still bounded by the same rate.
 */
export function rateKey(activity: { type?: unknown; name?: unknown }, senderId: string): string {
  return activity.type === 'invoke' && typeof activity.name === 'string' && SEARCH_INVOKES.has(activity.name) ? `search:${senderId}` : senderId;
}
