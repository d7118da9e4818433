/**
 * The turn log: what a turn was about and how it ended, filled in by the
 * handlers as they go (on the TurnContext's turn state) and written once, as
 * one pino line ("turn"), by PlanBot.run when the turn is over, whatever path
 * it took: answered, a dialog step, a card action, a welcome, ignored, or
 * failed. Message text is not part of it: run() adds it only with
 * LOG_CONTENT=true.
 */
import type { TurnContext } from 'botbuilder';

export interface TurnLog {
  /** What the turn asked for: an answer intent, "dialog", "card:<action>", "invoke:<name>"… */
  intent?: string;
  /** How it ended: the answer kind, "dialog", "saved", "refused", "noText", "welcomed", "ignored", "error"… */
  outcome?: string;
  /** Small, non-personal details worth a field (record id, confidence). */
  extra: Record<string, unknown>;
  /** How many times the turn was run again after another turn changed the conversation's state. */
  retries: number;
}

const TURN_LOG = Symbol('turnLog');

/** The turn's log record, created on first use. */
export function turnLog(context: TurnContext): TurnLog {
  let log = context.turnState.get(TURN_LOG) as TurnLog | undefined;
  if (!log) context.turnState.set(TURN_LOG, (log = { extra: {}, retries: 0 }));
  return log;
}

/** Records what the turn was about and how it ended (the last call in a run wins). */
export function noteTurn(context: TurnContext, intent: string, outcome: string, extra: Record<string, unknown> = {}): void {
  const log = turnLog(context);
  log.intent = intent;
  log.outcome = outcome;
  Object.assign(log.extra, extra);
}

/** Records how the turn ended, keeping what it was about. */
export function noteOutcome(context: TurnContext, outcome: string, extra: Record<string, unknown> = {}): void {
  const log = turnLog(context);
  log.outcome = outcome;
  Object.assign(log.extra, extra);
}

/** Forgets what an earlier run of the same turn recorded (it is being run again), keeping the retry count. */
export function restartTurnLog(context: TurnContext): void {
  const log = turnLog(context);
  log.intent = undefined;
  log.outcome = undefined;
  log.extra = {};
}
