/**
 * Starts the real HTTP server in-process on a free port with its own SQLite
 * file, and talks to it as Teams does (expectReplies), for HTTP tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { silentLogger } from '../../bot/logger';

export interface TestServer {
  app: App;
  base: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `now`: the bot's clock (due dates, reminders, a shared card's "as at"); the system clock when not given. */
export async function startTestServer(env: Record<string, string> = {}, { start = true, now }: { start?: boolean; now?: () => Date } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-assistant-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env });
  // Other knowledge than the shipped one keeps its snapshot apart, so the shared one stays the shipped knowledge's.
  const app = createApp(config, silentLogger(), { now, ...(env.KNOWLEDGE_DIR ? { knowledgeSnapshot: join(dataDir, 'knowledge.snapshot.json') } : {}) });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  const port = (app.server.address() as AddressInfo).port;
  if (start) await app.start();
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  type: string;
  text?: string;
  attachments?: { contentType: string; content: Record<string, unknown> }[];
  suggestedActions?: { actions: { title: string; value: unknown }[] };
}

/** All visible text of a reply: its text and every string in its cards. */
export function visibleText(r: Reply): string {
  const parts: string[] = [];
  if (r.text) parts.push(r.text);
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!['type', '$schema', 'version', 'style', 'size', 'weight', 'spacing'].includes(k)) walk(x);
  };
  for (const a of r.attachments ?? []) walk(a.content);
  for (const a of r.suggestedActions?.actions ?? []) parts.push(a.title);
  return parts.join('\n');
}

export class TestConversation {
  readonly id: string;
  readonly conversationType: string;
  /** `conversation` joins another's conversation (a group chat: the same id, another user). */
  constructor(
    readonly base: string,
    readonly user: { id: string; name: string; aadObjectId?: string } = { id: 'user-' + randomUUID().slice(0, 8), name: 'Test User', aadObjectId: randomUUID() },
    conversation: { id?: string; conversationType?: string } = {},
  ) {
    this.id = conversation.id ?? 'conv-' + randomUUID();
    this.conversationType = conversation.conversationType ?? 'personal';
  }

  activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/unused',
      deliveryMode: 'expectReplies',
      from: this.user,
      recipient: { id: 'bot', name: 'Plan assistant' },
      conversation: { id: this.id, conversationType: this.conversationType, tenantId: 't1', ...(this.conversationType === 'personal' ? {} : { isGroup: true }) },
      locale: 'en-GB',
      ...extra,
    };
  }

  async post(body: unknown, raw = false): Promise<{ status: number; replies: Reply[]; body: string }> {
    const res = await fetch(this.base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
    const text = await res.text();
    let replies: Reply[] = [];
    try {
      replies = (JSON.parse(text) as { activities?: Reply[] }).activities ?? [];
    } catch {
      /* not JSON */
    }
    return { status: res.status, replies, body: text };
  }

  async say(text: string, extra: Record<string, unknown> = {}) {
    const r = await this.post(this.activity({ text, ...extra }));
    return { ...r, text: r.replies.map(visibleText).join('\n') };
  }

  async submit(value: Record<string, unknown>) {
    const r = await this.post(this.activity({ value }));
    return { ...r, text: r.replies.map(visibleText).join('\n') };
  }
}
