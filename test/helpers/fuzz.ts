/**
 * Seeded generation of Bot Framework activities for the fuzz test: valid
 * messages, conversation updates, card submissions and invokes, then mutated
 * (fields dropped, types changed, huge or hostile strings, deep nesting,
 * __proto__ keys). Also the shapes of issue 17's attacks: nesting 10,000 deep
 * in from, conversation, recipient, channel data or value; a conversation
 * with a field of up to 900 KB; hostile Markdown, mention tags, bidi controls
 * and NUL at every dialog step; idempotency keys (form ids, confirm keys)
 * replayed by other users, several users in one group chat. The same seed
 * gives the same activities, so a failure can be replayed with FUZZ_SEED.
 */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** Questions and dialog answers the bot really handles, so mutated turns reach deep code (search, dialogs, summaries). */
const TEXTS = [
  'what is the latest CAMHS waiting time',
  'who leads on breastfeeding',
  'how many kids on a CP plan in the city',
  'summarise priority 2 for the county',
  'and the target?',
  'what about the city?',
  'help',
  'hi',
  'my updates',
  'review updates',
  'update on self-harm admissions in the city',
  'yes',
  'no',
  '40',
  'Q3 2017/18',
  'on track',
  'off track',
  'Clinics are running in twelve schools now.',
  'none',
  'confirm',
  'cancel',
  'edit period',
  'submit an update',
];

/** Scripts, emoji, control and invisible characters, lone surrogates, Markdown and HTML. */
const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz     ',
  'ابتثجحخدذرزسشصضطظعغفقكلمنهوي ',
  '的一是不了人我在有他这为之大来以个中上们 ',
  'абвгдеёжзийклмнопрстуфхцчшщъыьэюя ',
  '😀👶🏽🚸🧒‍👩‍👧‍👦🏳️‍🌈 ',
  '\u0000\u0001\u0007\u0008\u000b\u001b\u007f\u0085\u200b\u200e\u202e\u2066\ufeff\r\n\t',
  '\ud800\udbff\udc00\udfff',
  '[](){}<>*_`#|\\/"\'&;%$@!~^=+',
];

const ITEM_IDS = ['cy-p1-self-harm', 'ce-p1-a1', 'nope', ''];

/** Text that would render as a link, bold or a mention, or read backwards, if echoed raw; and a NUL. */
export const HOSTILE_TEXTS = ['[Sign in](https://evil.example)', '**bold**', '<at>Plan assistant</at> confirm', 'on track\u202E kcart no', 'Q3 2017/18\u0000', '\u2066edit period\u2069'];

/** A placeholder a lane replaces with JSON nested DEEP levels deep (built as text: JSON.stringify would overflow). */
export const DEEP_PLACEHOLDER = '__fuzz_deep_nesting__';
export const DEEP = 10_000;

/** JSON text of a string nested `depth` deep in objects and arrays. */
export function deepJson(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"a":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"deep"${close}`;
}
const INVOKE_NAMES = ['adaptiveCard/action', 'composeExtension/query', 'composeExtension/selectItem', 'task/fetch', 'task/submit', 'actionableMessage/executeAction', 'fileConsent/invoke', 'config/fetch', 'unknown/thing', ''];

export interface FuzzOptions {
  /** Conversations (and users) to draw from: few enough that turns on one conversation overlap. */
  conversations: number;
  /** Largest generated string, in characters. */
  maxString: number;
  /** Where replies would go if an activity did not ask for expectReplies. */
  serviceUrl: string;
}

export class ActivityFuzzer {
  private readonly r: () => number;
  /**
   * A second stream, for the message extension's invoke values: drawing them from `r` would shift every activity
   * after the first one, so a seed would no longer replay the runs recorded before they were added.
   */
  private readonly side: () => number;

  constructor(
    seed: number,
    private readonly opts: FuzzOptions,
  ) {
    this.r = mulberry32(seed);
    this.side = mulberry32(seed ^ 0x5eed);
  }

  /** The message extension's search, pick or card refresh, in its own shape (mutated afterwards like everything else). */
  private extensionValue(name: string): Obj | undefined {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.side() * xs.length)];
    const ref = () => ({ query: pick(TEXTS), recordId: pick(ITEM_IDS) });
    if (name === 'composeExtension/query') return { commandId: pick(['searchPlans', 'other', '']), parameters: [{ name: pick(['query', 'initialRun']), value: pick(TEXTS) }], queryOptions: { skip: Math.floor(this.side() * 30), count: Math.floor(this.side() * 30) } };
    if (name === 'composeExtension/selectItem') return ref();
    if (name === 'adaptiveCard/action' && this.side() < 0.5) return { action: { type: 'Action.Execute', verb: 'refreshFigure', data: ref() }, trigger: pick(['automatic', 'manual']) };
    return undefined;
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** Random text of up to `max` characters from one alphabet: any script, control characters, lone surrogates. */
  string(max = 40): string {
    const len = this.int(max + 1);
    const alphabet = this.pick(ALPHABETS);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  /** A huge string (1 KB up to maxString characters), cheap to build: a random run repeated. */
  huge(): string {
    const len = 1000 + this.int(this.opts.maxString - 1000);
    const run = this.string(16) || 'x';
    return run.repeat(Math.ceil(len / run.length)).slice(0, len);
  }

  /** Something of another type where a string or object was expected. */
  wrongValue(depth = 0): Json {
    switch (this.int(depth > 2 ? 6 : 9)) {
      case 0:
        return null;
      case 1:
        return this.pick([0, -1, 1e308, -0, 3.5, Number.MAX_SAFE_INTEGER]);
      case 2:
        return this.chance(0.5);
      case 3:
        return this.string();
      case 4:
        return '';
      case 5:
        return this.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'NaN', 'undefined', 'null']);
      case 6:
        return Array.from({ length: this.int(4) }, () => this.wrongValue(depth + 1));
      case 7:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.string(8), this.wrongValue(depth + 1)]));
      default:
        // Half within the edge's bounds (they reach the bot), half far past them (400 at the edge).
        return this.nested(this.chance(0.5) ? 1 + this.int(9) : 50 + this.int(1500));
    }
  }

  /** Deeply nested arrays and objects. */
  nested(depth: number): Json {
    let v: Json = this.string(5);
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }

  private base(convIndex: number): Obj {
    const user = `fuzz-user-${convIndex}`;
    return {
      type: 'message',
      id: `act-${this.int(1e9)}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.opts.serviceUrl,
      deliveryMode: 'expectReplies',
      from: { id: user, name: `Fuzz ${convIndex}`, aadObjectId: user },
      recipient: { id: 'bot', name: 'Plan assistant' },
      conversation: { id: `fuzz-conv-${convIndex}`, conversationType: 'personal', tenantId: 't1' },
      channelData: { tenant: { id: 't1' } },
      locale: 'en-GB',
    };
  }

  /** A valid activity of one of the kinds Teams sends, or one of issue 17's attack shapes. */
  valid(): Obj {
    const a = this.base(this.int(this.opts.conversations));
    switch (this.int(14)) {
      case 10: {
        // Nested 10,000 deep in an object the bot echoes or stores.
        const field = this.pick(['from', 'conversation', 'recipient', 'channelData', 'value']);
        if (field === 'value') a.value = DEEP_PLACEHOLDER;
        else a[field] = { ...(a[field] as Obj), x: DEEP_PLACEHOLDER };
        a.text = this.pick(TEXTS);
        return a;
      }
      case 11:
        // A huge extra field in the conversation (up to 900 KB; rarely, to keep the run's traffic sane), or a small one.
        a.conversation = { ...(a.conversation as Obj), extra: this.chance(0.1) ? 'x'.repeat(100_000 + this.int(800_000)) : this.string(2000) };
        a.text = this.pick(TEXTS);
        return a;
      case 12:
        // Hostile text at any step of a dialog (the conversations' dialogs are at all sorts of steps).
        a.text = this.pick(HOSTILE_TEXTS);
        return a;
      case 13: {
        // Keys replayed by other users, in one group chat shared by several users.
        a.conversation = { id: `fuzz-group-${this.int(3)}`, conversationType: 'groupChat', isGroup: true, tenantId: 't1' };
        a.value = this.pick<Obj>([
          { updateAction: 'confirm', confirmKey: `k-${this.int(5)}` },
          { updateAction: 'confirm', key: `k-${this.int(5)}` },
          { action: 'confirmUpdateForm', formId: `fuzz-form-${this.int(5)}`, itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' },
          { status: this.pick(['on track', 'off track']) },
          { pick: 'cy-p1-self-harm' },
          { confirmItem: true },
        ]);
        if (this.chance(0.4)) {
          delete a.value;
          a.text = this.pick(['update on self-harm admissions in the city', 'yes', '40', 'Q3 2017/18', 'confirm', 'cancel', ...HOSTILE_TEXTS]);
        }
        return a;
      }
      case 0:
      case 1:
      case 2:
        a.text = this.chance(0.8) ? this.pick(TEXTS) : this.chance(0.05) ? this.huge() : this.string(200);
        return a;
      case 3:
        a.type = 'conversationUpdate';
        a[this.chance(0.7) ? 'membersAdded' : 'membersRemoved'] = [{ id: this.chance(0.5) ? 'bot' : `member-${this.int(100)}`, name: 'New member' }];
        return a;
      case 4:
      case 5:
        a.value = {
          action: 'confirmUpdateForm',
          formId: this.chance(0.3) ? `fuzz-form-${this.int(50)}` : `fuzz-form-${this.int(1e9)}`,
          itemId: this.pick(ITEM_IDS),
          value: this.pick(['40', '12.5%', '1,234', 'lots', '']),
          period: this.pick(['Q3 2017/18', 'March 2018', '2017/18', 'soon', '']),
          status: this.pick(['on track', 'at risk', 'off track', 'complete', 'purple']),
          narrative: this.chance(0.3) ? this.string(300) : this.pick(['SHARP clinics now run in twelve schools.', 'ok']),
          reason: this.pick(['', 'Staff shortages in the team.']),
          recovery: this.pick(['', 'Recruiting two more practitioners.']),
          evidence: this.pick(['', 'https://example.org/report.pdf', 'javascript:alert(1)', 'Ofsted report: March 2018']),
        };
        return a;
      case 6:
        a.value = this.pick<Obj>([
          { action: 'reviewUpdate', id: `id-${this.int(10)}`, decision: this.pick(['approved', 'returned', 'maybe']), comment: this.string(60) },
          { action: 'summary', planId: this.pick(['county-cypf-2016-18', 'city-cypp-2016-20', 'nope']), priority: this.int(8) },
          { action: 'exportSummary', planId: this.pick(['county-cypf-2016-18', 'city-cypp-2016-20']), priority: this.int(8) },
          { action: 'noneOfThese', question: this.string(80) },
          { updateAction: this.pick(['confirm', 'edit', 'cancel']), key: `k-${this.int(5)}`, field: 'period' },
          { confirmItem: this.chance(0.5) },
          { action: this.string(10) },
        ]);
        return a;
      case 7:
        a.type = 'invoke';
        a.name = this.pick(INVOKE_NAMES);
        a.value = { action: { type: 'Action.Execute', verb: this.string(10), data: {} } };
        a.value = this.extensionValue(a.name as string) ?? a.value;
        return a;
      case 8:
        a.type = this.pick(['messageReaction', 'typing', 'endOfConversation', 'event', 'installationUpdate', 'messageUpdate', 'messageDelete', 'foo', 'trace', 'handoff']);
        if (a.type === 'messageReaction') a.reactionsAdded = [{ type: 'like' }];
        if (a.type === 'messageUpdate' || a.type === 'messageDelete') a.channelData = { eventType: this.pick(['editMessage', 'softDeleteMessage', 'undeleteMessage', 'x']) };
        return a;
      default:
        // A channel message with an @mention entity, possibly malformed.
        a.text = `<at>Plan assistant</at> ${this.pick(TEXTS)}`;
        a.conversation = { id: `fuzz-channel-${this.int(5)}`, conversationType: 'channel', tenantId: 't1' };
        a.entities = [{ type: 'mention', mentioned: this.chance(0.8) ? { id: 'bot', name: 'Plan assistant' } : this.wrongValue(), text: '<at>Plan assistant</at>' }];
        return a;
    }
  }

  /** Paths of every field of an object tree (not descending into huge nests). */
  private paths(v: Json, prefix: string[] = [], out: string[][] = [], depth = 0): string[][] {
    if (v && typeof v === 'object' && depth < 6) {
      for (const k of Object.keys(v)) {
        out.push([...prefix, k]);
        this.paths((v as Obj)[k], [...prefix, k], out, depth + 1);
      }
    }
    return out;
  }

  /**
   * Mutates an activity in place, 1-3 times. Fields in `keep` (top level) are
   * left alone: the main lane keeps deliveryMode so no reply is ever sent
   * through the connector.
   */
  mutate(a: Obj, keep: string[] = []): Obj {
    const n = 1 + this.int(3);
    for (let i = 0; i < n; i++) {
      const paths = this.paths(a).filter((p) => !keep.includes(p[0]));
      if (!paths.length) break;
      const path = this.pick(paths);
      const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Obj)[k], a) as Obj;
      const key = path[path.length - 1];
      switch (this.int(7)) {
        case 0:
          delete parent[key];
          break;
        case 1:
        case 2:
          parent[key] = this.wrongValue();
          break;
        case 3:
          parent[key] = this.chance(0.3) ? this.huge() : this.string(500);
          break;
        case 4:
          parent[key] = this.nested(this.chance(0.5) ? 1 + this.int(9) : 100 + this.int(3000));
          break;
        case 5:
          // A key that would pollute prototypes if copied by assignment; an own property, as JSON.parse makes it.
          Object.defineProperty(parent, '__proto__', { value: { polluted: 'yes', isAdmin: true }, enumerable: true, writable: true, configurable: true });
          break;
        default:
          parent[this.string(12)] = this.wrongValue();
      }
    }
    return a;
  }

  /** The JSON text with a few bytes flipped, cut or inserted: mostly invalid JSON. */
  corruptJson(text: string): string {
    const n = 1 + this.int(4);
    let t = text;
    for (let i = 0; i < n; i++) {
      const at = this.int(t.length + 1);
      switch (this.int(3)) {
        case 0:
          t = t.slice(0, at);
          break;
        case 1:
          t = t.slice(0, at) + this.pick(['{', '}', '"', ',', ':', '\\', '\u0000', 'null', '[', ']', '\\ud800']) + t.slice(at);
          break;
        default:
          t = t.slice(0, at) + t.slice(at + 1 + this.int(20));
      }
    }
    return t;
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

/** One stream of fuzzed requests: what to send and how. */
export interface LaneSpec {
  base: string;
  seed: number;
  count: number;
  concurrency: number;
  /** false: deliveryMode removed, so the bot replies through serviceUrl. */
  expectReplies: boolean;
  serviceUrl: string;
  maxString: number;
  /** Share of requests sent as corrupted JSON text. */
  corrupt: number;
  /** Share of (uncorrupted) activities mutated. */
  mutate: number;
  timeoutMs: number;
}

export interface LaneResult {
  sent: number;
  /** Requests by HTTP status, or "network" / "timeout" when there was no answer. */
  statuses: Record<string, number>;
  /** 5xx and unanswered requests, with the start of what was sent. */
  failures: string[];
  /** Replies that apologised for a failed turn (onTurnError). */
  apologies: number;
  slowestMs: number;
  seconds: number;
}

/** Sends a lane of fuzzed activities to base/api/messages and counts the outcomes. */
export async function runLane(spec: LaneSpec): Promise<LaneResult> {
  const fuzz = new ActivityFuzzer(spec.seed, { conversations: 40, maxString: spec.maxString, serviceUrl: spec.serviceUrl });
  const r: LaneResult = { sent: 0, statuses: {}, failures: [], apologies: 0, slowestMs: 0, seconds: 0 };
  const t0 = performance.now();
  await pool(spec.count, spec.concurrency, async () => {
    const a = fuzz.valid();
    if (!spec.expectReplies) delete a.deliveryMode;
    const keep = ['deliveryMode', ...(spec.expectReplies ? [] : ['serviceUrl'])];
    const body = (fuzz.chance(spec.corrupt) ? fuzz.corruptJson(JSON.stringify(a)) : JSON.stringify(fuzz.chance(spec.mutate) ? fuzz.mutate(a, keep) : a)).replace(`"${DEEP_PLACEHOLDER}"`, () => deepJson(DEEP));
    const start = performance.now();
    let status: string;
    try {
      const res = await fetch(spec.base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(spec.timeoutMs) });
      const text = await res.text();
      status = String(res.status);
      if (text.includes('something went wrong on my side')) r.apologies++;
      if (res.status >= 500) r.failures.push(`${res.status} ${text.slice(0, 200)} for ${body.slice(0, 300)}`);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      status = e.name === 'TimeoutError' ? 'timeout' : 'network';
      r.failures.push(`${status} (${e.cause?.code ?? e.message}) for ${body.slice(0, 300)}`);
    }
    r.sent++;
    r.statuses[status] = (r.statuses[status] ?? 0) + 1;
    r.slowestMs = Math.max(r.slowestMs, performance.now() - start);
  });
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}
