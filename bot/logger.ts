/**
 * Structured JSON logs (pino). Message text and narratives are personal and
 * sensitive in this setting, so they are logged only when LOG_CONTENT=true.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { app: 'plan-assistant' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything: tests and command-line tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
