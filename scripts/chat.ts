/**
 * `npm run chat`: talk to the bot in a terminal, for quick checks. It starts
 * the same bot in-process and speaks to it over HTTP as a channel does
 * (expectReplies). Cards are rendered as readable text: facts as aligned rows,
 * buttons as numbered choices; type a number to press one. A button on a card
 * with inputs (the update form) asks for each input in turn.
 */
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../bot/app';
import { loadConfig, loadDotEnv } from '../bot/config';
import { silentLogger } from '../bot/logger';
import { parseCliArgs } from './cliArgs';
import { identityFromArgs } from './localIdentity';

type Json = Record<string, unknown>;
interface Button {
  title: string;
  /** What pressing it sends: text (imBack) or a value (Action.Submit or Action.Execute), plus the card's inputs to ask for. */
  text?: string;
  value?: Json;
  inputs?: Json[];
  card?: Json;
  /** Shown where it stands on the card (an action set), so not listed again below it. */
  inline?: boolean;
}

const PAD = 22;

/** Collects a card action as a numbered button. */
function addButton(a: Json, buttons: Button[], inputs: Json[]): void {
  const data = (a.data ?? {}) as Json;
  const msteams = data.msteams as Json | undefined;
  if (a.type === 'Action.ShowCard') buttons.push({ title: String(a.title), card: a.card as Json });
  else if (msteams?.type === 'imBack') buttons.push({ title: String(a.title), text: String(msteams.value) });
  // Action.Execute's data sent as a message, as a client without Universal Actions does: the bot handles both alike.
  else if (a.type === 'Action.Submit' || a.type === 'Action.Execute') buttons.push({ title: String(a.title), value: data, inputs });
}

/** Renders one card element as text lines, collecting its inputs and the buttons of action sets inside it. */
function renderElement(el: Json, lines: string[], inputs: Json[], indent = '', buttons: Button[] = []): void {
  switch (el.type) {
    case 'TextBlock':
      lines.push(indent + String(el.text ?? ''));
      break;
    case 'FactSet':
      for (const f of (el.facts as Json[]) ?? []) lines.push(`${indent}${String(f.title).padEnd(PAD)} ${String(f.value)}`);
      break;
    case 'Container':
      for (const x of (el.items as Json[]) ?? []) renderElement(x, lines, inputs, indent + '  ', buttons);
      break;
    case 'ColumnSet':
      for (const col of (el.columns as Json[]) ?? []) for (const x of (col.items as Json[]) ?? []) renderElement(x, lines, inputs, indent, buttons);
      break;
    case 'ActionSet':
      // Buttons inside the card (one set per item): numbered where they stand.
      for (const a of (el.actions as Json[]) ?? []) {
        const before = buttons.length;
        addButton(a, buttons, inputs);
        if (buttons.length === before) continue;
        buttons[before].inline = true;
        lines.push(`${indent}(${buttons.length}) ${String(a.title)}`);
      }
      break;
    default:
      // A chart: its fallback, the same figures as text (charts.ts gives every chart one).
      if (String(el.type).startsWith('Chart.') && el.fallback && typeof el.fallback === 'object') renderElement(el.fallback as Json, lines, inputs, indent, buttons);
      else if (String(el.type).startsWith('Input.')) {
        inputs.push(el);
        lines.push(`${indent}[${String(el.label ?? el.id)}]${el.value ? ` (now: ${String(el.value)})` : ''}`);
      }
  }
}

export function renderCard(card: Json, buttons: Button[]): string[] {
  const lines: string[] = [];
  const inputs: Json[] = [];
  for (const el of (card.body as Json[]) ?? []) renderElement(el, lines, inputs, '', buttons);
  for (const a of (card.actions as Json[]) ?? []) addButton(a, buttons, inputs);
  // A link (a download): shown, to open in a browser. Hidden parts ("Show all") are shown already: a terminal does not scroll a card.
  for (const a of (card.actions as Json[]) ?? []) if (a.type === 'Action.OpenUrl') lines.push(`${String(a.title)}: ${String(a.url)}`);
  return lines;
}

/** Renders a reply: its text, its cards, its suggested actions; buttons are numbered across the reply. */
export function renderActivity(activity: Json, buttons: Button[]): string[] {
  const lines: string[] = [];
  const from = buttons.length;
  if (activity.text) lines.push(String(activity.text));
  for (const att of (activity.attachments as Json[]) ?? []) {
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') lines.push(...renderCard(att.content as Json, buttons));
  }
  // Suggested actions, unless the card already has the same button (an answer's follow-ups are on its card too).
  const onCard = new Set(buttons.slice(from).map((b) => b.title));
  for (const s of ((activity.suggestedActions as Json)?.actions as Json[]) ?? []) if (!onCard.has(String(s.title))) buttons.push({ title: String(s.title), text: String(s.value) });
  return lines;
}

export function renderButtons(buttons: Button[], from = 0): string[] {
  return buttons.slice(from).flatMap((b, i) => (b.inline ? [] : [`  ${from + i + 1}. ${b.title}`]));
}

const USAGE = [
  'usage: npm run chat [-- --as "<lead name>"] [--reviewer]   (then type questions; a number presses a button; "exit" ends)',
  '  --as NAME      be that lead, named as people.yaml lists them (a demo id if it gives none)',
  '  --reviewer     be a reviewer too (your id is added to REVIEWERS)',
  '  CHAT_USER_ID and CHAT_USER_NAME set who you are otherwise (default local-user, Local User)',
].join('\n');

async function main() {
  const { values } = parseCliArgs(USAGE, { options: { as: { type: 'string' }, reviewer: { type: 'boolean' } } });
  loadDotEnv();
  const fallback = { id: process.env.CHAT_USER_ID ?? 'local-user', name: process.env.CHAT_USER_NAME ?? 'Local User', aadObjectId: process.env.CHAT_USER_ID ?? 'local-user' };
  // Who you are: a lead (by the people file's id, or a demo one) and/or a reviewer (scripts/localIdentity.ts).
  const identity = identityFromArgs(values, USAGE, fallback);
  const config = loadConfig({ ...process.env, ...identity?.env, PORT: '0', HOST: '127.0.0.1' });
  const app = createApp(config, silentLogger());
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.start();
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const conversation = { id: 'chat-' + randomUUID(), conversationType: 'personal', tenantId: 'local' };
  const user = identity?.user ?? fallback;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  // Lines are queued so piped input (tests, scripts) is never lost between prompts.
  const queue: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  rl.on('close', () => {
    closed = true;
    while (waiting.length) waiting.shift()!(undefined);
  });
  const ask = (prompt: string): Promise<string | undefined> => {
    process.stdout.write(prompt);
    if (queue.length) return Promise.resolve(queue.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((r) => waiting.push(r));
  };
  let buttons: Button[] = [];

  const send = async (extra: Json) => {
    const activity = { type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/unused', deliveryMode: 'expectReplies', from: user, recipient: { id: 'bot', name: 'Plan assistant' }, conversation, locale: 'en-GB', ...extra };
    const res = await fetch(base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const body = (await res.json().catch(() => ({}))) as { activities?: Json[] };
    buttons = [];
    const out: string[] = [];
    for (const a of body.activities ?? []) out.push(...renderActivity(a, buttons), '');
    out.push(...renderButtons(buttons));
    console.log(out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
  };

  console.log(`Plan assistant: type a question, a number to press a button, or "exit".${identity ? `\n(${identity.description})` : ''}\n`);
  await send({ type: 'conversationUpdate', membersAdded: [user] });
  for (;;) {
    const got = await ask('> ');
    if (got === undefined) break; // input closed
    const line = got.trim();
    if (!process.stdin.isTTY) console.log(line);
    if (line === 'exit' || line === 'quit') break;
    if (!line) continue;
    const n = Number(line);
    const b = Number.isInteger(n) && n >= 1 ? buttons[n - 1] : undefined;
    if (!b) {
      await send({ text: line });
      continue;
    }
    if (b.card) {
      // Show the hidden part of the card, with its own buttons after the current ones.
      const extra: Button[] = [];
      const lines = renderCard(b.card, extra);
      const from = buttons.length;
      buttons.push(...extra);
      console.log([...lines, ...renderButtons(buttons, from)].join('\n') + '\n');
      continue;
    }
    if (b.text) {
      await send({ text: b.text });
      continue;
    }
    const value: Json = { ...b.value };
    for (const input of b.inputs ?? []) {
      const choices = (input.choices as Json[] | undefined)?.map((c) => `${String(c.value)}`).join(' | ');
      const answer = (await ask(`${String(input.label ?? input.id)}${choices ? ` [${choices}]` : ''}${input.value ? ` (enter for "${String(input.value)}")` : ''}: `)) ?? '';
      if (!process.stdin.isTTY) console.log(answer);
      value[String(input.id)] = answer.trim() || String(input.value ?? '');
    }
    await send({ value });
  }
  rl.close();
  await app.close();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
