/**
 * The per-user rate limit shared by every instance on one PostgreSQL
 * database: the same token bucket as bot/rateLimit.ts, kept in a row per
 * sender (rate_limits) and taken in one call of rate_limit_take(), which
 * locks the sender's row, refills it by the database's clock and takes a
 * token, so two instances serving one user allow the configured rate between
 * them. Rows of senders whose bucket has been full again for a while are
 * deleted now and then, so the table holds only recent senders.
 */
import { clean, type PgDatabase, type PgLogger } from './postgres';
import type { RateDecision, RateLimit, RateLimitOptions } from '../bot/rateLimit';

/** How often one instance deletes rows of senders idle long enough for their bucket to be full. */
const PRUNE_EVERY_MS = 10 * 60_000;

export class PgRateLimiter implements RateLimit {
  private prunedAt = 0;
  private warnedAt = 0;

  constructor(
    private readonly db: PgDatabase,
    private readonly opts: RateLimitOptions,
    private readonly logger?: PgLogger,
  ) {}

  async check(key: string): Promise<RateDecision> {
    let decision: RateDecision;
    try {
      const r = await this.db.query<{ decision: RateDecision }>('SELECT rate_limit_take($1, $2, $3) AS decision', [clean(key).slice(0, 1024), this.opts.burst, this.opts.perMinute / 60]);
      decision = r.rows[0]?.decision ?? 'allow';
    } catch (err) {
      // The database is unreachable: the turn itself will say so (it cannot read its state); the limit does not add a refusal of its own.
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'rate limit not checked: the database did not answer');
      }
      return 'allow';
    }
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      // A bucket untouched for burst / rate (at least an hour) is full again: its row says nothing a new one would not.
      const idleSeconds = Math.max(3600, (this.opts.burst / this.opts.perMinute) * 60);
      this.db.query('DELETE FROM rate_limits WHERE at < extract(epoch FROM clock_timestamp()) - $1', [idleSeconds]).catch(() => undefined);
    }
    return decision;
  }
}
