/**
 * Mocha runs without `exit: true` (.mocharc.json): the run ends by itself once
 * every server, pool, timer, child process and browser a test opened is
 * closed, so a leak shows instead of being cut off. This root hook (loaded by
 * .mocharc.json's `require`) makes a leak a clear failure rather than a hang:
 * if the process is still alive LEAK_GRACE_MS after the last test (a clean run
 * ends within a fraction of a second), it lists what is still open and exits 1.
 * Its own timer is unref'd, so it never keeps the process alive.
 * (why-is-node-running would add where each handle was made, but only by
 * hooking every async resource from the start of the run; this costs nothing
 * until a run fails to end, and then that package is the next step.)
 */
import type { ChildProcess } from 'node:child_process';
import type { Server, Socket } from 'node:net';

/** How long after the last test the run may take to end: slow closes (a child's SIGTERM grace of 3 s) fit well within it. */
export const LEAK_GRACE_MS = Number(process.env.LEAK_GRACE_MS ?? 10_000);

/** One open handle, described well enough to find the test that opened it. */
function describeHandle(h: unknown): string {
  const name = (h as { constructor?: { name?: string } })?.constructor?.name ?? typeof h;
  try {
    if (name === 'Server') return `Server listening on ${JSON.stringify((h as Server).address())}`;
    if (name === 'Socket') {
      const s = h as Socket;
      return `Socket ${s.localAddress ?? ''}:${s.localPort ?? ''} -> ${s.remoteAddress ?? ''}:${s.remotePort ?? ''}`;
    }
    if (name === 'ChildProcess') return `ChildProcess pid ${(h as ChildProcess).pid}: ${(h as ChildProcess).spawnargs.join(' ').slice(0, 200)}`;
  } catch {
    /* described by its name alone */
  }
  return name;
}

/** What keeps the process alive, leaving out its own standard streams. */
export function openHandles(): string[] {
  const stdio = new Set<unknown>([process.stdin, process.stdout, process.stderr]);
  // _getActiveHandles is undocumented but the only way to see which server or child it is; getActiveResourcesInfo adds
  // the kinds of everything open, timers included (Node lists no timer among the handles).
  const handles = ((process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles() ?? []).filter((h) => !stdio.has(h));
  const kinds = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
  return [...handles.map(describeHandle), ...(kinds.length ? [`open resources by kind: ${kinds.join(', ')}`] : [])];
}

export const mochaHooks = {
  afterAll(): void {
    setTimeout(() => {
      const open = openHandles();
      console.error(
        `\nThe test run did not end by itself ${LEAK_GRACE_MS / 1000} s after the last test: something a test opened is still open.\n` +
          (open.length ? open.map((o) => `  - ${o}`).join('\n') : '  (nothing is listed: look for a pending request or an open browser)') +
          '\nClose it in the test (an after/afterEach hook, or finally).',
      );
      // Mocha sets the exit code from the failure count in an 'exit' listener of its own; this one, added later, runs after it.
      process.on('exit', () => (process.exitCode = 1));
      process.exit(1);
    }, LEAK_GRACE_MS).unref();
  },
};
