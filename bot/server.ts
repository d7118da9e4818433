/**
 * HTTP hosting: restify with one CloudAdapter. /api/messages takes Bot
 * Framework activities (replies come back in the response body when the
 * activity asks for expectReplies); /healthz says whether the bot is ready.
 *
 * Bad input is refused at the edge with the right status before it reaches the
 * adapter: malformed JSON 400, bodies over 1 MB 413, compressed bodies 415,
 * activities without a type, channel, conversation or sender, with a field
 * the SDK reads of the wrong type, or nested or sized beyond the bounds in
 * incoming.ts 400. Every refusal is a short JSON body, and no request body is
 * ever logged: not by the bot, and not by restify, whose logger gets only
 * the method and URL of a request.
 */
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { CloudAdapter, type Activity, type ActivityHandlerBase, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse, type TurnContext, type ConversationState } from 'botbuilder';
// botbuilder's own authentication package (same version): a refusal is its AuthenticationError.
import { AuthenticationError } from 'botframework-connector';
import { CheckedAuthentication, ReusingAuthentication } from './auth';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import pino from 'pino';
import { checkActivity } from './incoming';
import type { Config } from './config';
import type { Logger } from './logger';
import { findError, isETagConflict, isStorageUnavailable } from '../storage/errors';
import { SaveFailedError } from '../updates/service';
import { ReplyNotDeliveredError } from './turnCommit';
import type { ExportLinks } from '../reports/exportLinks';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface Readiness {
  ready: boolean;
  version: string;
  counts?: Record<string, number>;
  detail?: string;
  /** The day the bot runs the reporting cycle on (PLAN_TODAY, else the real date), YYYY-MM-DD. */
  today?: string;
  /** The shared database (PostgreSQL), when there is one: /healthz is 503 while it is unreachable. */
  database?: { ok: boolean; detail?: string };
}

/** Said when a turn failed because the database could not be reached; the conversation is kept. */
export const DATABASE_DOWN_MESSAGE = "I can't reach my database just now, so I couldn't finish that and nothing from it was saved. Please try again in a minute.";

export interface ServerDeps {
  config: Config;
  logger: Logger;
  /** Reports whether the bot can answer yet (knowledge loaded, storage open). */
  readiness: () => Readiness;
  /** The bot, once ready. */
  bot: () => ActivityHandlerBase | undefined;
  conversationState?: () => ConversationState | undefined;
  /** Exported documents behind signed links (GET /exports/<id>?exp=…&sig=…), once storage is open. */
  exports?: () => ExportLinks | undefined;
}

/**
 * The CloudAdapter, able to run an activity the edge has already validated (CloudAdapter.process would
 * read the raw body again and print every refusal's stack to the console).
 */
export class EdgeAdapter extends CloudAdapter {
  /** Authenticates the request and runs the turn; the invoke response or expectReplies replies to send back, if any. */
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger, conversationState?: () => ConversationState | undefined): EdgeAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    // Without an app id the SDK's SingleTenant check would refuse to start: anonymous mode is MultiTenant-shaped.
    MicrosoftAppType: config.MicrosoftAppId ? config.MicrosoftAppType : 'MultiTenant',
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const auth = config.MicrosoftAppId ? new CheckedAuthentication(options, logger) : new ReusingAuthentication(options);
  const adapter = new EdgeAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    const where = { conversation: context.activity?.conversation?.id, activityId: context.activity?.id };
    // The turn ran and committed but the connector would not take its replies (unreachable, refused, a serviceUrl that
    // goes nowhere): a failure of sending, not of the bot. An apology would go the same way; the state stands.
    const undelivered = findError(err, ReplyNotDeliveredError);
    if (undelivered) {
      logger.warn({ ...where, err: undelivered.cause instanceof Error ? undelivered.cause : undelivered }, 'reply not delivered');
      return;
    }
    // A failed save or an unreachable database is not the conversation's fault: say what happened and keep its state
    // (a dialog stays where it was, so trying again works). Same for a turn that kept losing to concurrent turns.
    const saveFailed = !!findError(err, SaveFailedError);
    const keepState = saveFailed || isStorageUnavailable(err) || isETagConflict(err);
    logger.error({ err, ...where, reply: saveFailed ? 'saveFailed' : isStorageUnavailable(err) ? 'databaseDown' : 'apology' }, 'turn failed');
    try {
      await context.sendActivity(
        saveFailed
          ? SaveFailedError.userMessage
          : isStorageUnavailable(err)
            ? DATABASE_DOWN_MESSAGE
            : "Sorry, something went wrong on my side and I couldn't finish that. Please try again; if it keeps happening, tell the plan team.",
      );
    } catch (sendErr) {
      logger.warn({ err: sendErr }, 'could not send the error message');
    }
    // Clear the conversation's state so a broken dialog does not trap the user.
    const state = conversationState?.();
    if (state && !keepState) {
      try {
        await state.delete(context);
      } catch (stateErr) {
        logger.warn({ err: stateErr }, 'could not clear conversation state');
      }
    }
  };
  return adapter;
}

/**
 * The turn-state key under which botbuilder-dialogs keeps the memory scopes and path resolvers a
 * DialogContext uses (DialogStateManager, botbuilder-dialogs 4.23). Without it in turn state, every
 * DialogContext (one per message) builds them again through a fresh service collection: about
 * 50-100 µs and much garbage a turn, for the same stateless objects each time.
 */
export const DIALOG_STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/**
 * Runs a turn with the dialog state configuration the SDK built on an earlier turn; the first turn
 * that creates a DialogContext builds it the SDK's own way, and later turns reuse it. The scopes
 * hold no per-turn data (they read everything from the turn's context), and nothing changes them
 * after they are built.
 */
export function reusingDialogConfiguration(run: (context: TurnContext) => Promise<void>): (context: TurnContext) => Promise<void> {
  let configuration: unknown;
  return async (context) => {
    if (configuration) context.turnState.set(DIALOG_STATE_CONFIGURATION_KEY, configuration);
    try {
      await run(context);
    } finally {
      configuration ??= context.turnState.get(DIALOG_STATE_CONFIGURATION_KEY);
    }
  };
}

/**
 * restify's own logger: the bot's, at warn or above, and told to log only a request's method and URL
 * (restify logs `req` when a formatter fails, `res` and response bodies at trace, a handler's
 * return value at warn). Nothing a client sent reaches the logs this way.
 */
function restifyLogger(logger: Logger): Logger {
  const level = pino.levels.values[logger.level] > pino.levels.values.warn ? logger.level : 'warn';
  const omitted = () => '[omitted]';
  return logger.child(
    { component: 'restify' },
    {
      level,
      serializers: {
        req: (req: { method?: unknown; url?: unknown }) => ({ method: req?.method, url: typeof req?.url === 'string' ? req.url.slice(0, 200) : undefined }),
        res: (res: { statusCode?: unknown }) => ({ statusCode: res?.statusCode }),
        body: omitted,
        value: omitted,
        err: (err: { name?: unknown; message?: unknown }) => ({ type: err?.name, message: typeof err?.message === 'string' ? err.message.slice(0, 200) : undefined }),
      },
    },
  );
}

export function createServer(deps: ServerDeps, adapter: EdgeAdapter = createAdapter(deps.config, deps.logger, deps.conversationState)): Server {
  const server = restify.createServer({ name: 'plan-assistant', handleUncaughtExceptions: false, // restify 11 logs through pino; its type definitions still describe bunyan's logger.
    log: restifyLogger(deps.logger) as unknown as restify.ServerOptions['log'] });
  // The body limit counts bytes on the wire: a 1 MB gzip body inflated to 1 GB and crashed the process (string too long).
  // Bot Framework never compresses activities, so a compressed body is refused before it is read.
  server.use((req: Request, res: Response, next: Next) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      res.json(415, { error: 'unsupported_encoding', message: 'Compressed request bodies are not accepted.' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: false }));

  server.get('/healthz', async (_req: Request, res: Response) => {
    const r = deps.readiness();
    const ok = r.ready && (r.database?.ok ?? true);
    const detail = r.detail ?? (r.database?.ok === false ? r.database.detail : undefined);
    res.json(ok ? 200 : 503, { status: ok ? 'ok' : r.ready ? 'unavailable' : 'starting', version: r.version, ...(r.today ? { today: r.today } : {}), knowledge: r.counts ?? {}, ...(detail ? { detail } : {}), ...(r.database ? { database: r.database } : {}) });
  });

  const runTurn = reusingDialogConfiguration((context) => {
    const bot = deps.bot();
    if (!bot) throw new Error('The bot is not ready.');
    return bot.run(context);
  });
  server.post('/api/messages', async (req: Request, res: Response) => {
    const bot = deps.bot();
    if (!deps.readiness().ready || !bot) {
      res.json(503, { error: 'starting', message: 'The bot is starting; try again in a moment.' });
      return;
    }
    const checked = checkActivity(req.body as unknown);
    if (!checked.ok) {
      res.json(400, { error: 'bad_request', message: checked.message });
      return;
    }
    const activity = validateAndFixActivity(checked.activity as unknown as Activity);
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      const response = await adapter.run(authHeader, activity, runTurn);
      // As CloudAdapter.process answers: the invoke response's (or expectReplies') status and body, else 200.
      if (response?.body !== undefined) res.send(response.status ?? 200, response.body);
      else res.send(response?.status ?? 200);
    } catch (err) {
      const refused = findError(err, AuthenticationError);
      if (refused || (err as { statusCode?: unknown })?.statusCode === 401) {
        // Once, through the logger, without a stack: a flood of bad tokens is a flood of one-line warnings, nothing more.
        deps.logger.warn({ status: 401, reason: (refused ?? (err as Error)).message?.slice(0, 200) }, 'request refused: not authenticated');
        if (!res.headersSent) res.json(401, { error: 'unauthorized', message: 'The request is not authenticated.' });
        return;
      }
      deps.logger.error({ err }, 'request failed');
      if (!res.headersSent) res.json(500, { error: 'internal', message: 'The bot could not process this request.' });
    }
  });

  // An exported document, by its signed link (reports/exportLinks.ts): checked before anything is read.
  server.get('/exports/:id', async (req: Request, res: Response) => {
    const plainText = (status: number, message: string) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(status);
      res.end(message + '\n');
    };
    const links = deps.exports?.();
    if (!links) {
      plainText(503, 'Exports are not available yet; try again in a moment.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    try {
      const opened = await links.open(id, url.searchParams.get('exp') ?? '', url.searchParams.get('sig') ?? '');
      if (opened.status !== 200) {
        plainText(opened.status, opened.message);
        return;
      }
      const f = opened.file;
      res.setHeader('Content-Type', f.contentType);
      res.setHeader('Content-Length', String(f.content.length));
      res.setHeader('Content-Disposition', `attachment; filename="${f.fileName.replace(/[^\w .-]/g, '')}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.writeHead(200);
      res.end(f.content);
    } catch (err) {
      deps.logger.error({ err }, 'export download failed');
      if (!res.headersSent) plainText(isStorageUnavailable(err) ? 503 : 500, 'The document could not be fetched just now; try again in a moment.');
    }
  });

  // Any other method on /api/messages: say what is allowed rather than 404.
  server.get('/api/messages', async (_req: Request, res: Response) => {
    res.json(405, { error: 'method_not_allowed', message: 'POST Bot Framework activities here.' });
  });

  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // bodyParser errors: keep the status restify chose (400 bad JSON, 413 too large) with a plain JSON body.
    const status = err.statusCode ?? 500;
    if (status >= 500) deps.logger.error({ err, url: req.url }, 'request error');
    (err as unknown as { toJSON: () => unknown }).toJSON = () => ({ error: status === 413 ? 'too_large' : status === 400 ? 'bad_request' : 'error', message: status >= 500 ? 'Internal error' : err.message });
    cb();
  });
  return server;
}
