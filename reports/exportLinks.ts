/**
 * Short-lived signed download links for exported documents, where Teams' file
 * consent flow is not available (group chats, channels, the Agents
 * Playground): GET /exports/<id>?exp=<unix seconds>&sig=<hex>. The document is
 * kept briefly in the store under a random id; the URL holds no data, only
 * that id, when it expires, and an HMAC-SHA256 (key: EXPORT_LINK_SECRET) over
 * both, so a link cannot be made, changed or extended without the secret.
 * A link is checked before the store is read: a forged or expired one costs
 * no database query. Expired documents are deleted when new ones are stored.
 *
 * Hand-written rather than a library: it is two calls to node:crypto
 * (createHmac, timingSafeEqual), which is what a library would wrap.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const StoredExportSchema = z.object({
  id: z.string().uuid(),
  /** Who asked for it (AAD object id, else channel user id): for the record, not for access (the signed link is the access). */
  userId: z.string().min(1).max(200),
  fileName: z.string().min(1).max(200),
  contentType: z.string().min(1).max(200),
  content: z.instanceof(Buffer),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type StoredExport = z.infer<typeof StoredExportSchema>;

/** Both back ends implement this (storage/sqliteDigests.ts, storage/postgresDigests.ts). */
export interface ExportStore {
  /** Stores a document, and deletes those that expired before `now`. */
  put(e: StoredExport, now: Date): Promise<void>;
  get(id: string): Promise<StoredExport | undefined>;
}

export interface ExportLinkOptions {
  /** The HMAC key. */
  secret: string;
  /** How long a link works. */
  minutes: number;
  /** The bot's public base URL ("https://bot.example.org"), without a trailing slash. */
  baseUrl: () => string;
  /** The clock links expire by (tests fix it). */
  now?: () => Date;
}

export type Opened = { status: 200; file: StoredExport } | { status: 403 | 404 | 410; message: string };

/** The signature of a link: HMAC-SHA256 over the id and the expiry, hex. */
export function signature(secret: string, id: string, exp: number): string {
  return createHmac('sha256', secret).update(`${id}.${exp}`).digest('hex');
}

/** A secret for links when none is configured: random, so links work on this instance until it restarts. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class ExportLinks {
  constructor(
    private readonly store: ExportStore,
    private readonly options: ExportLinkOptions,
  ) {}

  get minutes(): number {
    return this.options.minutes;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Keeps the document and returns the link to it, with when it stops working. */
  async create(userId: string, fileName: string, contentType: string, content: Buffer): Promise<{ url: string; expiresAt: Date }> {
    const now = this.now();
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.options.minutes * 60_000);
    await this.store.put({ id, userId, fileName, contentType, content, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() }, now);
    const exp = Math.floor(expiresAt.getTime() / 1000);
    return { url: `${this.options.baseUrl()}/exports/${id}?exp=${exp}&sig=${signature(this.options.secret, id, exp)}`, expiresAt };
  }

  /** Checks a link (signature first, then expiry) and returns its document. */
  async open(id: string, exp: string, sig: string): Promise<Opened> {
    const now = this.now();
    const forged: Opened = { status: 403, message: 'This download link is not valid.' };
    if (!/^[0-9a-f-]{36}$/.test(id) || !/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return forged;
    const expected = Buffer.from(signature(this.options.secret, id, Number(exp)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return forged;
    if (Number(exp) * 1000 <= now.getTime()) return { status: 410, message: `This download link has expired (links work for ${this.options.minutes} minutes). Ask the bot to export the summary again.` };
    const file = await this.store.get(id);
    if (!file || Date.parse(file.expiresAt) <= now.getTime()) return { status: 410, message: 'This document is no longer kept. Ask the bot to export the summary again.' };
    return { status: 200, file };
  }
}
