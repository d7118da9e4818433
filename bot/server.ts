/**
 * HTTP hosting: restify with one CloudAdapter. /api/messages takes Bot
 * Framework activities (replies come back in the response body when the
 * activity asks for expectReplies); /healthz says whether the bot is ready.
 *
 * Bad input is refused at the edge with the right status before it reaches the
 * adapter: malformed JSON 400, bodies over 1 MB 413, activities without a
 * type, conversation or sender 400.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ActivityHandlerBase, type TurnContext, type ConversationState } from 'botbuilder';
import { z } from 'zod';
import type { Config } from './config';
import type { Logger } from './logger';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The least an activity needs for the bot to answer it; anything else is a 400. */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    conversation: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    from: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    serviceUrl: z.string().max(2048).optional(),
    text: z.string().optional(),
    value: z.unknown().optional(),
  })
  .passthrough();

export interface Readiness {
  ready: boolean;
  version: string;
  counts?: Record<string, number>;
  detail?: string;
}

export interface ServerDeps {
  config: Config;
  logger: Logger;
  /** Reports whether the bot can answer yet (knowledge loaded, storage open). */
  readiness: () => Readiness;
  /** The bot, once ready. */
  bot: () => ActivityHandlerBase | undefined;
  conversationState?: () => ConversationState | undefined;
}

export function createAdapter(config: Config, logger: Logger, conversationState?: () => ConversationState | undefined): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    // Without an app id the SDK's SingleTenant check would refuse to start: anonymous mode is MultiTenant-shaped.
    MicrosoftAppType: config.MicrosoftAppId ? config.MicrosoftAppType : 'MultiTenant',
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    logger.error({ err, conversation: context.activity?.conversation?.id, activityId: context.activity?.id }, 'turn failed');
    try {
      await context.sendActivity("Sorry, something went wrong on my side and I couldn't finish that. Please try again; if it keeps happening, tell the plan team.");
    } catch (sendErr) {
      logger.warn({ err: sendErr }, 'could not send the error message');
    }
    // Clear the conversation's state so a broken dialog does not trap the user.
    const state = conversationState?.();
    if (state) {
      try {
        await state.delete(context);
      } catch (stateErr) {
        logger.warn({ err: stateErr }, 'could not clear conversation state');
      }
    }
  };
  return adapter;
}

export function createServer(deps: ServerDeps, adapter: CloudAdapter = createAdapter(deps.config, deps.logger, deps.conversationState)): Server {
  const server = restify.createServer({ name: 'plan-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: false }));

  server.get('/healthz', async (_req: Request, res: Response) => {
    const r = deps.readiness();
    res.json(r.ready ? 200 : 503, { status: r.ready ? 'ok' : 'starting', version: r.version, knowledge: r.counts ?? {}, ...(r.detail ? { detail: r.detail } : {}) });
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const bot = deps.bot();
    if (!deps.readiness().ready || !bot) {
      res.json(503, { error: 'starting', message: 'The bot is starting; try again in a moment.' });
      return;
    }
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      res.json(400, { error: 'bad_request', message: 'The body must be a JSON object (a Bot Framework activity).' });
      return;
    }
    const parsed = IncomingActivity.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.json(400, { error: 'bad_request', message: `Invalid activity: ${issue.path.join('.') || 'body'} ${issue.message}` });
      return;
    }
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (err) {
      deps.logger.error({ err }, 'request failed');
      if (!res.headersSent) res.json(500, { error: 'internal', message: 'The bot could not process this request.' });
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
