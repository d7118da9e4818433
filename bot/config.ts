/**
 * Configuration, read once from the environment and validated with zod. A bad
 * value stops start-up with a message naming the variable and the problem,
 * because a bot that starts half-configured fails later in ways that are much
 * harder to trace.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../knowledge/loader';
import { PEOPLE_FILE_NAME } from '../knowledge/people';
import { z } from 'zod';
import { planTodayProblem } from '../knowledge/clock';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const boolFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { errorMap: () => ({ message: 'must be true or false' }) })
    .optional()
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on'),
);

/** A flag that is on unless set to false. */
const boolFlagOn = z.preprocess((v) => emptyAsUndefined(v) ?? 'true', boolFlag);

const list = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
);

export const ConfigSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a port number' }).int().min(0).max(65535).default(3978)),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
    MicrosoftAppId: z.preprocess(emptyAsUndefined, z.string().uuid('must be the bot registration\'s application (client) id, a GUID').optional()),
    MicrosoftAppPassword: z.preprocess(emptyAsUndefined, z.string().optional()),
    MicrosoftAppType: z.preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant')),
    MicrosoftAppTenantId: z.preprocess(emptyAsUndefined, z.string().optional()),
    KNOWLEDGE_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
    // The plans' named leads and their Teams ids (default: people.yaml in the knowledge folder).
    PEOPLE_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    LOG_CONTENT: boolFlag,
    REVIEWERS: list,
    RATE_LIMIT_BURST: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number' }).int().min(1).max(10_000).default(30)),
    RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number' }).int().min(1).max(100_000).default(120)),
    SUBMIT_POLICY: z.preprocess(emptyAsUndefined, z.enum(['anyone', 'leads'], { errorMap: () => ({ message: 'must be anyone or leads' }) }).default('anyone')),
    // PostgreSQL: set DATABASE_URL to keep every store there (several instances, one database); unset = SQLite under DATA_DIR.
    DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// (or postgresql://) connection URL, for example postgres://user:password@host:5432/db?sslmode=verify-full').optional()),
    DATABASE_SCHEMA: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a schema name: lower-case letters, digits and _, starting with a letter or _').default('public')),
    PG_POOL_MAX: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number' }).int().min(1).max(200).default(10)),
    PG_STATEMENT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number of milliseconds' }).int().min(100).max(600_000).default(5000)),
    // The reporting cycle: reminders to leads whose updates are due. Off by default (`npm run remind` works either way).
    REMINDERS: boolFlag,
    REMINDER_DAYS_BEFORE: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number of days' }).int().min(0).max(90).default(7)),
    REMINDER_DAYS_AFTER: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number of days' }).int().min(1).max(90).default(1)),
    // The day the reporting cycle and "the current plan" run on (YYYY-MM-DD): unset = the real date.
    PLAN_TODAY: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .superRefine((v, ctx) => {
          const problem = planTodayProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: `${problem}, for example 2019-10-20 (unset: today's real date)` });
        })
        .optional(),
    ),
    // The message extension: each result's preview has a tap, so Teams sends composeExtension/selectItem when one is picked.
    // Agents Playground 0.2.x shows no results whose previews have one: `npm run playground` turns it off.
    MESSAGE_EXTENSION_SELECT_ITEM: boolFlagOn,
    /** The update form's item field as Teams' dynamic typeahead; off for the Agents Playground, which has none (npm run playground). */
    FORM_TYPEAHEAD: boolFlagOn,
    REMINDER_INTERVAL_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number of minutes' }).int().min(1).max(24 * 60).default(60)),
    // Exports: where file consent is not available, a Word report is a signed link to this server, working for a few minutes.
    PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be the bot\'s public base URL, for example https://planbot.example.org').transform((u) => u.replace(/\/+$/, '')).optional()),
    EXPORT_LINK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters (a random secret, the same on every instance)').optional()),
    EXPORT_LINK_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number({ invalid_type_error: 'must be a whole number of minutes' }).int().min(1).max(24 * 60).default(15)),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.MicrosoftAppId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required when NODE_ENV=production (without it every request is accepted unauthenticated)' });
    }
    if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set (the client secret of the app registration)' });
    }
    if (c.MicrosoftAppId && c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required for a SingleTenant app (the directory (tenant) id)' });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super('Invalid configuration:\n' + problems.map((p) => '  ' + p).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Reads `.env` in the working directory into process.env, if there is one.
 * Variables already set in the environment win. The bot and every command-line
 * tool that reads configuration call this first, so they all see the same
 * settings (a DATABASE_URL in .env, say).
 */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Parses configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = ConfigSchema.safeParse(env);
  if (r.success) return r.data;
  throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Teams (Bot Framework channel) user id: "29:1AbC…", "8:orgid:…". */
const CHANNEL_USER_ID = /^\d+:\S+$/;

/**
 * REVIEWERS entries that are neither an AAD object id (a GUID) nor a Teams user id: display names
 * (or other made-up ids). A name matches only people without an AAD object id, never a Teams user.
 */
export function reviewerNames(reviewers: string[]): string[] {
  return reviewers.filter((r) => !GUID.test(r) && !CHANNEL_USER_ID.test(r));
}

/** The people file (the plans' leads and their ids): PEOPLE_FILE, else people.yaml in the knowledge folder. */
export function peopleFile(c: Pick<Config, 'PEOPLE_FILE' | 'KNOWLEDGE_DIR'>): string {
  return c.PEOPLE_FILE ?? join(c.KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR, PEOPLE_FILE_NAME);
}

/** True when no app id is configured: Bot Framework auth then accepts every request. */
export function isAnonymous(c: Config): boolean {
  return !c.MicrosoftAppId;
}
