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
 * Charts (Chart.Donut, Chart.VerticalBar, Chart.Line, …) are Teams' own
 * elements, unknown to the `adaptivecards` library (it logs UnknownElementType
 * and renders the element's `fallback`, as any client without charts does).
 * So, for each chart:
 * - its JSON is validated against its definition in the Teams card schema
 *   (microsoft/teams.ts packages/cards/schema.json, kept in
 *   test/fixtures/teams-cards; validated with ajv): property names, types,
 *   colours, data points;
 * - it must have a `fallback` that is not itself a chart (a FactSet or a
 *   Table), and that fallback must hold the same figures: one row per slice,
 *   bar or point, the row's label the chart's legend or x, its value the
 *   chart's number as written (so the number read from it is the chart's).
 *   Figures the card's own text already states (outside any chart: a
 *   headline, a fact) need no row: the fallback may hold only the others, in
 *   the chart's order, and may be "drop" when the card states them all;
 * - the card with every chart replaced by its fallback (what a client without
 *   charts shows; a dropped chart is left out) goes through the Teams rules and
 *   the `adaptivecards` library as any other card.
 *
 * The package's `lib` entry is ES modules that Node cannot load as they are
 * published; its UMD bundle (`dist/adaptivecards.js`) loads in Node and is the
 * same object model.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's ESM `lib` entry does not load in Node; its UMD bundle does
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberIn } from '../../knowledge/text';
import { FIXTURES } from './paths';

type Json = Record<string, unknown>;

/** What Teams renders of Adaptive Cards 1.5 (and this bot may use). */
const TEAMS_ELEMENTS = new Set(['TextBlock', 'RichTextBlock', 'FactSet', 'Container', 'ColumnSet', 'Column', 'Image', 'ImageSet', 'ActionSet', 'Table', 'Input.Text', 'Input.ChoiceSet', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.Toggle']);
const TEAMS_ACTIONS = new Set(['Action.Submit', 'Action.ShowCard', 'Action.OpenUrl', 'Action.ToggleVisibility', 'Action.Execute']);

/** Teams' chart elements: validated against the Teams card schema, and replaced by their fallback for everything else. */
const TEAMS_CHARTS = new Set(['Chart.Donut', 'Chart.Pie', 'Chart.VerticalBar', 'Chart.VerticalBar.Grouped', 'Chart.HorizontalBar', 'Chart.HorizontalBar.Stacked', 'Chart.Line', 'Chart.Gauge']);

let teamsSchema: Ajv | undefined;
/** The Teams card schema's validator for one definition ("Chart.Donut"), compiled once. */
function teamsDefinition(type: string): ValidateFunction | undefined {
  if (!teamsSchema) {
    teamsSchema = new Ajv({ strict: false, allErrors: true });
    teamsSchema.addSchema(JSON.parse(readFileSync(join(FIXTURES, 'teams-cards', 'schema.json'), 'utf8')) as object, 'teams');
  }
  return teamsSchema.getSchema(`teams#/definitions/${type}`);
}

/** Primary actions Teams shows on a card or in one action set before the overflow menu. */
export const TEAMS_MAX_ACTIONS = 6;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObject) : []);

/** Every chart element of a card (with its path), wherever it is: body, containers, columns, ShowCard cards. */
function chartsIn(card: Json): [Json, string][] {
  const out: [Json, string][] = [];
  walk(card, (node, path, kind) => {
    if (kind === 'element' && TEAMS_CHARTS.has(String(node.type))) out.push([node, path]);
  });
  return out;
}

/** The card as a client without charts sees it: every chart replaced by its fallback, or left out for "drop" (a copy; the card is not changed). */
function withFallbacks(card: Json): Json {
  const dropped = (v: unknown) => isObject(v) && TEAMS_CHARTS.has(String(v.type)) && v.fallback === 'drop';
  const swap = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.filter((x) => !dropped(x)).map(swap);
    if (!isObject(v)) return v;
    if (TEAMS_CHARTS.has(String(v.type)) && isObject(v.fallback)) return swap(v.fallback);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
  };
  return swap(card) as Json;
}

/** The rows of a chart's FactSet (or Table of two columns) fallback, as label and value. */
function fallbackRows(fallback: Json): [string, string][] {
  if (fallback.type === 'FactSet') return list(fallback.facts).map((f) => [String(f.title), String(f.value)]);
  if (fallback.type === 'Table') {
    const textOf = (cell: Json) => list(cell.items).map((i) => String(i.text ?? '')).join(' ');
    return list(fallback.rows).map((r) => list(r.cells)).filter((c) => c.length >= 2).map((c) => [textOf(c[0]), textOf(c[1])]);
  }
  return [];
}

/** The figures a chart draws, as label and number: a donut's slices, bars, the points of a line. */
function chartFigures(chart: Json): [string, number][] {
  switch (chart.type) {
    case 'Chart.Donut':
    case 'Chart.Pie':
      return list(chart.data).map((d) => [String(d.legend), Number(d.value)]);
    case 'Chart.VerticalBar':
    case 'Chart.HorizontalBar':
      return list(chart.data).map((d) => [String(d.x), Number(d.y)]);
    case 'Chart.Line':
      return list(chart.data).flatMap((series) => list(series.values).map((p): [string, number] => [String(p.x), Number(p.y)]));
    default:
      return [];
  }
}

/** The numbers the card's own text writes, outside its charts (TextBlocks, facts, table cells): what a fallback need not repeat. */
function statedNumbers(card: Json): Set<number> {
  const out = new Set<number>();
  const strings = (v: unknown): string[] => {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.flatMap(strings);
    if (!isObject(v) || TEAMS_CHARTS.has(String(v.type))) return [];
    return Object.entries(v).flatMap(([k, x]) => (k === 'type' || k === 'id' || k === 'data' ? [] : strings(x)));
  };
  for (const s of strings(card.body)) for (const m of s.matchAll(/[-+]?\d[\d,]*(?:\.\d+)?/g)) out.add(Number(m[0].replace(/,/g, '')));
  return out;
}

/** What is wrong with the charts of a card: not as the Teams schema defines them, no fallback, or a fallback with other figures. */
export function chartErrors(card: Json): string[] {
  const errors: string[] = [];
  const stated = statedNumbers(card);
  for (const [chart, path] of chartsIn(card)) {
    const type = String(chart.type);
    const validate = teamsDefinition(type);
    if (!validate) errors.push(`${path}: ${type} has no definition in the Teams card schema`);
    else if (!validate(chart)) for (const e of validate.errors ?? []) errors.push(`${path}: ${type} (Teams card schema): ${e.instancePath || '(element)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`);
    const fallback = chart.fallback;
    if (!isObject(fallback) && fallback !== 'drop') {
      errors.push(`${path}: ${type} needs a fallback (a FactSet or Table with the same figures, or "drop" when the card's text states them all) for clients without charts`);
      continue;
    }
    if (isObject(fallback) && TEAMS_CHARTS.has(String(fallback.type))) errors.push(`${path}: ${type}'s fallback is another chart; it must be a FactSet or a Table`);
    const drawn = chartFigures(chart);
    const rows = isObject(fallback) ? fallbackRows(fallback) : [];
    if (!drawn.length) errors.push(`${path}: ${type} draws nothing`);
    // A row for every figure, or for every figure the card's text does not state.
    const unstated = drawn.filter(([, value]) => !stated.has(value));
    const expected = rows.length === drawn.length ? drawn : unstated;
    if (rows.length !== expected.length) {
      const missingRows = unstated.filter(([label]) => !rows.some((r) => r[0] === label)).map(([label, value]) => `"${label}" (${value})`);
      errors.push(`${path}: ${type} draws ${drawn.length} figures but its fallback has ${rows.length} rows${missingRows.length ? `, and the card's text does not state ${missingRows.join(', ')}` : ''}`);
    }
    expected.forEach(([label, value], i) => {
      const row = rows[i];
      if (!row) return;
      if (row[0] !== label) errors.push(`${path}: ${type} figure ${i} is labelled "${label}" but its fallback row says "${row[0]}"`);
      if (numberIn(row[1]) !== value) errors.push(`${path}: ${type} figure ${i} ("${label}") is ${value} but its fallback row says "${row[1]}"`);
    });
  }
  return errors;
}

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
      if (!TEAMS_ELEMENTS.has(type) && !TEAMS_CHARTS.has(type)) errors.push(`${path}: ${type} is not an element Teams renders`);
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

/** Teams' dynamic typeahead (`choices.data`, a Data.Query on an Input.ChoiceSet): Teams reads it on 1.5 cards, the 1.5 SDK does not know it. */
const TYPEAHEAD = 'choices.data';

function withoutTypeahead(card: Json): Json {
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip) : isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== TYPEAHEAD).map(([k, x]) => [k, strip(x)])) : v);
  return strip(card) as Json;
}

/** A typeahead as Teams wants it: on a filtered Input.ChoiceSet, a Data.Query naming its dataset. */
function typeaheadErrors(card: Json): string[] {
  const errors: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isObject(v)) {
      const q = v[TYPEAHEAD];
      if (q !== undefined) {
        if (v.type !== 'Input.ChoiceSet') errors.push(`${path}: ${TYPEAHEAD} belongs on an Input.ChoiceSet`);
        if (!isObject(q) || q.type !== 'Data.Query' || typeof q.dataset !== 'string' || !q.dataset) errors.push(`${path}: ${TYPEAHEAD} needs { type: 'Data.Query', dataset }`);
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    }
  };
  walk(card, 'card');
  return errors;
}

/** Every reason the card is not a valid Adaptive Card 1.5 that Teams renders in full; empty when it is. */
export function validateCard(card: unknown): string[] {
  if (!isObject(card)) return ['a card must be an object'];
  // The card as it goes over the wire: JSON, nothing else.
  const json = JSON.parse(JSON.stringify(card)) as Json;
  // Charts against the Teams schema; then the card as a client without charts shows it (each chart's fallback), as any card.
  const plain = withFallbacks(json);
  return [...chartErrors(json), ...typeaheadErrors(json), ...teamsErrors(plain), ...sdkErrors(withoutTypeahead(plain))];
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
