/**
 * Errors every store raises the same way, whichever engine is behind it, so
 * the hosting layer can tell "someone else wrote first" (run the turn again)
 * from "the database cannot be reached" (say so, keep the conversation) from
 * a bug.
 */

/** Raised when a write carries an eTag that is no longer current. Same message shape as the SDK's stores. */
export class ETagConflictError extends Error {
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/** The SDK's stores and ours all say "eTag conflict"; match the message, not the class. */
export function isETagConflict(err: unknown): boolean {
  return err instanceof Error && /eTag conflict/i.test(err.message);
}

/**
 * The database could not be reached, or did not answer in time. Nothing in
 * the failed operation was committed (or, for a lost COMMIT acknowledgement,
 * it is unknown; idempotency keys make a retry safe either way).
 */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The first error of a class in an error's chain: its `cause`s, and the
 * `error` botbuilder-dialogs wraps a dialog's failure in (DialogContextError).
 */
export function findError<T extends Error>(err: unknown, cls: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 8; depth++) {
    if (e instanceof cls) return e;
    const x = e as { cause?: unknown; error?: unknown };
    e = x.cause ?? x.error;
  }
  return undefined;
}

export function isStorageUnavailable(err: unknown): boolean {
  return !!findError(err, StorageUnavailableError);
}
