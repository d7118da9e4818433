/**
 * The in-bot reminder schedule (REMINDERS=on): a pass soon after start-up,
 * then one every REMINDER_INTERVAL_MINUTES. Passes never overlap, the timer
 * never keeps the process alive (unref), and stop() waits for a pass under
 * way so the database is not closed beneath it. With several instances each
 * runs its own schedule; the reminder claims keep every reminder to one send.
 */
export interface ScheduleLogger {
  warn(obj: object, msg: string): void;
}

export interface ReminderSchedule {
  stop(): Promise<void>;
}

export function startReminderSchedule(pass: () => Promise<unknown>, intervalMs: number, logger?: ScheduleLogger, firstAfterMs = 1000): ReminderSchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    running = pass().then(
      () => undefined,
      // A failed pass (database down, say) is logged and the next one tries again: nothing was marked sent.
      (err: unknown) => logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'reminder pass failed'),
    );
    void running.finally(() => {
      running = undefined;
      schedule(intervalMs);
    });
  };
  schedule(firstAfterMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
