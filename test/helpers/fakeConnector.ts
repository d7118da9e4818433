/**
 * A local stand-in for the Bot Framework connector (what Teams' serviceUrl
 * points at): a real HTTP server on a free port that accepts the bot's
 * outgoing activities, POST /v3/conversations/:id/activities (a new message,
 * as a proactive reminder is) and …/activities/:replyToId (a reply), records
 * them and answers with an id as the connector does. Activities sent to the
 * bot with this serviceUrl, and without deliveryMode expectReplies, make the
 * bot answer through it, and make the stored conversation reference point here.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface ReceivedActivity {
  conversationId: string;
  /** The activity this one replies to, when the bot used the reply route. */
  replyTo?: string;
  authorization?: string;
  activity: {
    type: string;
    text?: string;
    recipient?: { id: string; name?: string };
    attachments?: { contentType: string; content: Record<string, unknown> }[];
    [k: string]: unknown;
  };
}

export interface FakeConnector {
  /** The serviceUrl to put on activities (ends with a slash, as Teams' do). */
  serviceUrl: string;
  received: ReceivedActivity[];
  /** Answer the next `n` posts with this status (to test refusals). */
  failNext(n: number, status?: number): void;
  /** Resolves once `predicate` holds for what was received (polling; rejects after `ms`). */
  waitFor(predicate: (r: ReceivedActivity[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const received: ReceivedActivity[] = [];
  let failures = 0;
  let failStatus = 500;
  const server: Server = createServer((req, res) => {
    // Not res.writeHead(…).end(…): restify, loaded in the same process, patches writeHead and it returns nothing.
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    void body(req).then((text) => {
      const m = ROUTE.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        reply(404, { error: { code: 'NotFound', message: `${req.method} ${req.url}` } });
        return;
      }
      if (failures > 0) {
        failures--;
        reply(failStatus, { error: { code: 'ServiceError', message: 'refused by the fake connector' } });
        return;
      }
      received.push({ conversationId: decodeURIComponent(m[1]), replyTo: m[2] && decodeURIComponent(m[2]), authorization: req.headers.authorization, activity: JSON.parse(text) as ReceivedActivity['activity'] });
      reply(200, { id: randomUUID() });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    received,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    async waitFor(predicate, ms = 15_000) {
      const t0 = Date.now();
      while (!predicate(received)) {
        if (Date.now() - t0 > ms) throw new Error(`the fake connector did not receive what was expected within ${ms} ms; it has ${received.length} activities`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Reminder cards among what the connector received: activities whose card is headed "Reminder…". */
export function reminderCards(received: ReceivedActivity[]): ReceivedActivity[] {
  return received.filter((r) => r.activity.attachments?.some((a) => JSON.stringify(a.content).includes('"Reminder:')));
}
