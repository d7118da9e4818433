/**
 * Entry point: `npm start`. Reads configuration once, starts listening at
 * once (so /healthz can say "starting"), then loads the knowledge and storage.
 */
import { ConfigError, isAnonymous, loadConfig, loadDotEnv } from './config';
import { createLogger } from './logger';
import { createApp } from './app';
import { KnowledgeError } from '../knowledge/loader';

async function main() {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (isAnonymous(config)) {
    logger.warn('No MicrosoftAppId: running in local anonymous mode (Agents Playground, tests). Every request is accepted; never run like this in production.');
  }
  const app = createApp(config, logger);
  await new Promise<void>((resolve) => app.server.listen(config.PORT, config.HOST, () => resolve()));
  logger.info({ url: app.server.url, port: config.PORT }, 'listening');
  try {
    await app.start();
  } catch (e) {
    if (e instanceof KnowledgeError) console.error(e.message);
    else logger.fatal({ err: e }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

void main();
