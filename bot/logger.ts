/**
 * Structured JSON logs (pino). Message text and narratives are personal and
 * sensitive in this setting, so they are logged only when LOG_CONTENT=true.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The service's logger, writing to stdout asynchronously (pino's sonic-boom destination): a turn's log line costs
 * no write system call of its own, as lines written while one write is under way go out together with the next.
 * Nothing waits for a buffer to fill (minLength 0), so a line still appears as soon as the event loop is free.
 * Whatever is still pending is written synchronously when the process exits, however it exits (a signal's stop,
 * a failed start-up, process.exit anywhere).
 */
export function createLogger(level: string = 'info'): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 0 });
  process.once('exit', () => flushQuietly(destination));
  return pino({ level, base: { app: 'plan-assistant' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

function flushQuietly(destination: { flushSync(): void }): void {
  try {
    destination.flushSync();
  } catch {
    // Nothing pending, or stdout already closed: nothing more can be written.
  }
}

/** A logger that drops everything: tests and command-line tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
