// A bare echo bot on the plan assistant's stack, as the benchmark's baseline:
// restify 11 with the same body parser, one CloudAdapter with
// ConfigurationBotFrameworkAuthentication and an empty app id (local anonymous
// mode, as the bot runs in the benchmark), and an ActivityHandler whose
// onMessage echoes the text. No state, no storage, no knowledge: what the
// hosting stack alone costs per message.
//   PORT=3999 node bench/echo-bot.mjs
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(ROOT, 'package.json'));
const restify = require('restify');
const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder');

const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: '',
  MicrosoftAppPassword: '',
  // As bot/server.ts does in anonymous mode: SingleTenant without an app id refuses to start.
  MicrosoftAppType: 'MultiTenant',
  MicrosoftAppTenantId: '',
});
const adapter = new CloudAdapter(auth);

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}
const bot = new EchoBot();

const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false, rejectUnknown: false }));
server.get('/healthz', async (_req, res) => res.json(200, { status: 'ok' }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});

const port = Number(process.env.PORT ?? 3999);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`echo bot on ${server.url}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
