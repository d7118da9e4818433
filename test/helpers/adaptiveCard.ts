/**
 * "Valid as Adaptive Card 1.5", checked with Microsoft's own Adaptive Cards
 * object model (the `adaptivecards` package, the renderer's parser and
 * validator), plus the rules Teams adds:
 *
 * - the SDK parses the card for schema 1.5; any event it raises (an unknown
 *   element or action type, an invalid property value, a property 1.5 does not
 *   have) is an error, and so is any issue its own validation reports (inputs
 *   without unique ids, a choice set without choices, required inputs without
 *   label or error message, duplicate ids, …);
 * - a round trip through the SDK (parse, then toJSON) keeps every element and
 *   action with its id, title and data: the SDK silently drops what it does
 *   not understand, which Teams would not show either;
 * - Teams: the root card says version 1.5, elements and actions are ones Teams
 *   renders, every TextBlock wraps (the Teams column is narrow), every action
 *   has a title, ToggleVisibility targets exist.
 *
 * The package's `lib` entry is ES modules that Node cannot load as they are
 * published; its UMD bundle (`dist/adaptivecards.js`) loads in Node and is the
 * same object model.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's ESM `lib` entry does not load in Node; its UMD bundle does
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

type Json = Record<string, unknown>;

/** What Teams renders of Adaptive Cards 1.5 (and this bot may use). */
const TEAMS_ELEMENTS = new Set(['TextBlock', 'RichTextBlock', 'FactSet', 'Container', 'ColumnSet', 'Column', 'Image', 'ImageSet', 'ActionSet', 'Table', 'Input.Text', 'Input.ChoiceSet', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.Toggle']);
const TEAMS_ACTIONS = new Set(['Action.Submit', 'Action.ShowCard', 'Action.OpenUrl', 'Action.ToggleVisibility', 'Action.Execute']);

/** Primary actions Teams shows on a card or in one action set before the overflow menu. */
export const TEAMS_MAX_ACTIONS = 6;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObject) : []);

/** Calls `visit` on every element and action of a card, with its path, down through containers and ShowCard cards. */
function walk(card: Json, visit: (node: Json, path: string, kind: 'element' | 'action') => void, path = ''): void {
  const elements = (items: unknown, at: string) =>
    list(items).forEach((el, i) => {
      const p = `${at}[${i}]`;
      visit(el, p, 'element');
      elements(el.items, `${p}.items`);
      elements(el.columns, `${p}.columns`);
      actions(el.actions, `${p}.actions`);
      if (isObject(el.selectAction)) {
        visit(el.selectAction, `${p}.selectAction`, 'action');
      }
      if (el.type === 'Table') list(el.rows).forEach((row, r) => list(row.cells).forEach((cell, c) => elements(cell.items, `${p}.rows[${r}].cells[${c}].items`)));
    });
  const actions = (items: unknown, at: string) =>
    list(items).forEach((a, i) => {
      const p = `${at}[${i}]`;
      visit(a, p, 'action');
      if (a.type === 'Action.ShowCard' && isObject(a.card)) walk(a.card, visit, `${p}.card.`);
    });
  elements(card.body, `${path}body`);
  actions(card.actions, `${path}actions`);
}

/**
 * Each element and action as "where type #id "title" data" (where: the chain of
 * containers, without indices, so one dropped element does not shift the rest):
 * what a round trip must keep.
 */
function inventory(card: Json): string[] {
  const out: string[] = [];
  walk(card, (node, path) => {
    const parts = [path.replace(/\[\d+\]/g, ''), String(node.type)];
    if (typeof node.id === 'string') parts.push(`#${node.id}`);
    if (typeof node.title === 'string') parts.push(JSON.stringify(node.title));
    if (node.data !== undefined) parts.push(JSON.stringify(node.data));
    out.push(parts.join(' '));
  });
  return out;
}

/** What is in `before` and not in `after`, counting repeats. */
function missing(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of after) left.set(x, (left.get(x) ?? 0) + 1);
  return before.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n) left.set(x, n - 1);
    return n === 0;
  });
}

/** Teams' own rules, on the card as the bot sends it. */
function teamsErrors(card: Json): string[] {
  const errors: string[] = [];
  if (card.type !== 'AdaptiveCard') errors.push('type must be AdaptiveCard');
  if (card.version !== '1.5') errors.push(`version must be 1.5, got ${String(card.version)}`);
  if (!Array.isArray(card.body)) errors.push('body must be an array');
  const ids = new Set<string>();
  const toggles: [string, unknown][] = [];
  walk(card, (node, path, kind) => {
    const type = String(node.type);
    if (typeof node.id === 'string') ids.add(node.id);
    if (kind === 'element') {
      if (!TEAMS_ELEMENTS.has(type)) errors.push(`${path}: ${type} is not an element Teams renders`);
      if (type === 'TextBlock') {
        if (typeof node.text !== 'string' || !node.text) errors.push(`${path}: TextBlock needs text`);
        if (node.wrap !== true) errors.push(`${path}: TextBlock must wrap (Teams cuts unwrapped text off)`);
      }
      if (type === 'FactSet') for (const [i, f] of list(node.facts).entries()) if (typeof f.title !== 'string' || typeof f.value !== 'string') errors.push(`${path}.facts[${i}] needs title and value strings`);
      if (type === 'Input.ChoiceSet') for (const c of list(node.choices)) if (typeof c.title !== 'string' || typeof c.value !== 'string') errors.push(`${path}: choices need title and value strings`);
    } else {
      if (!TEAMS_ACTIONS.has(type)) errors.push(`${path}: ${type} is not an action Teams supports`);
      if (typeof node.title !== 'string' || !node.title) errors.push(`${path}: action needs a title`);
      if (type === 'Action.ShowCard' && (!isObject(node.card) || node.card.type !== 'AdaptiveCard')) errors.push(`${path}: Action.ShowCard needs an AdaptiveCard`);
      if (type === 'Action.ToggleVisibility') toggles.push([path, node.targetElements]);
    }
  });
  for (const [path, targets] of toggles) {
    const names = (Array.isArray(targets) ? targets : []).map((t) => (typeof t === 'string' ? t : isObject(t) ? String(t.elementId) : ''));
    if (!names.length) errors.push(`${path}: Action.ToggleVisibility needs targetElements`);
    for (const n of names) if (!ids.has(n)) errors.push(`${path}: Action.ToggleVisibility targets "${n}", which is not in the card`);
  }
  return errors;
}

/** What the Adaptive Cards SDK says about the card, and what its round trip lost. */
function sdkErrors(json: Json): string[] {
  const errors: string[] = [];
  const card = new AC.AdaptiveCard();
  // Teams shows six primary actions per card or action set; a seventh goes into an overflow menu.
  card.hostConfig = new AC.HostConfig({ actions: { maxActions: TEAMS_MAX_ACTIONS } });
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    errors.push(`adaptivecards (parse): ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) errors.push(`adaptivecards (validate): ${AC.ValidationEvent[e.event]}: ${e.message}`);
  const back = card.toJSON() as Json | undefined;
  const before = inventory(json);
  const after = back ? inventory(back) : [];
  for (const x of missing(before, after)) errors.push(`adaptivecards (round trip) dropped or changed: ${x}`);
  for (const x of missing(after, before)) errors.push(`adaptivecards (round trip) added: ${x}`);
  return errors;
}

/** Every reason the card is not a valid Adaptive Card 1.5 that Teams renders in full; empty when it is. */
export function validateCard(card: unknown): string[] {
  if (!isObject(card)) return ['a card must be an object'];
  // The card as it goes over the wire: JSON, nothing else.
  const json = JSON.parse(JSON.stringify(card)) as Json;
  return [...teamsErrors(json), ...sdkErrors(json)];
}

interface WithAttachments {
  attachments?: { contentType?: string; content?: unknown }[];
}

/** Checks every Adaptive Card attached to some replies; the errors name the reply and the attachment. */
export function validateReplyCards(replies: (WithAttachments | undefined)[]): string[] {
  const errors: string[] = [];
  replies.forEach((r, i) =>
    (r?.attachments ?? []).forEach((a, j) => {
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive') return;
      for (const e of validateCard(a.content)) errors.push(`reply ${i}, attachment ${j}: ${e}`);
    }),
  );
  return errors;
}
