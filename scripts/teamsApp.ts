/**
 * The Teams app package: `buildPackage` turns appPackage/manifest.json (a
 * template) and the two icons into the zip that Teams Admin Center or the
 * Teams client accepts, refusing to write it while anything is wrong.
 *
 * Maintained libraries do the generic work: the official Teams manifest
 * schema (v1.22, the copy shipped by Microsoft's `@microsoft/app-manifest`)
 * validated by ajv, `pngjs` to read the icons and `fflate` to write the zip.
 * This file keeps only what the schema cannot say: the rules of this app (one
 * conversational bot whose id is the app id, the six commands in every scope,
 * one search message extension served by that bot,
 * the command limits Teams documents but the schema leaves looser, semver
 * versions, placeholders filled, icons at the package root), the icon sizes
 * and the white-on-transparent outline.
 *
 * Used by scripts/package.ts (the command), scripts/make-icons.ts and
 * test/manifest.test.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { noun } from '../knowledge/plural';

/** The repository root (this file runs from dist/scripts). */
export const ROOT = join(__dirname, '..', '..');
export const APP_PACKAGE_DIR = join(ROOT, 'appPackage');
export const DEFAULT_OUT_DIR = join(APP_PACKAGE_DIR, 'build');
export const ZIP_NAME = 'plan-assistant.zip';

export const MANIFEST_VERSION = '1.22';
export const SCHEMA_URL = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Microsoft's copy of the schema at SCHEMA_URL, as the Agents Toolkit ships it. */
export const SCHEMA_FILE = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
/** Placeholders in the template, filled by `fillTemplate`. */
export const APP_ID_PLACEHOLDER = '${{BOT_ID}}';
export const VERSION_PLACEHOLDER = '${{APP_VERSION}}';
/** The commands the bot understands; every command list offers them all. */
export const REQUIRED_COMMANDS = ['ask', 'update', 'my updates', 'review updates', 'summary', 'help'] as const;
export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
/**
 * Limits Teams documents for the command menu (manifest reference, bots.commandLists)
 * that the schema does not enforce: it allows 128 and 4000 characters.
 */
export const COMMAND_TITLE_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 128;
/** The zip's entries carry this date, so the same inputs give the same bytes. */
const ZIP_DATE = new Date(2025, 0, 1);

interface ManifestSchema {
  definitions: Record<'guid' | 'semver' | 'hexColor' | 'httpsUrl', { pattern: string }>;
}
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as ManifestSchema;
/** The schema's own patterns, so a GUID or a version means here what it means to Teams. */
const GUID = new RegExp(schema.definitions.guid.pattern);
const SEMVER = new RegExp(schema.definitions.semver.pattern);

export const isGuid = (s: unknown): s is string => typeof s === 'string' && GUID.test(s);

// ---------------------------------------------------------------- icons

/** An 8-bit RGBA image, rows top to bottom, 4 bytes a pixel (what pngjs reads and writes). */
export type RgbaImage = Pick<PNG, 'width' | 'height' | 'data'>;

/**
 * Pixels that break Teams' rule for the outline icon: each must be fully
 * transparent (alpha 0) or white (#FFFFFF, any alpha). Returns up to `max`
 * descriptions, empty when the icon is white on transparent.
 */
export function outlineViolations(img: RgbaImage, max = 5): string[] {
  const bad: string[] = [];
  for (let i = 0; i < img.width * img.height && bad.length < max; i++) {
    const [r, g, b, a] = img.data.subarray(i * 4, i * 4 + 4);
    if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) bad.push(`pixel (${i % img.width}, ${Math.floor(i / img.width)}) is rgba(${r}, ${g}, ${b}, ${a})`);
  }
  return bad;
}

/** The problems with one icon file: not a PNG, the wrong size, or (for the outline) not white on transparent. */
function iconProblems(key: 'color' | 'outline', name: string, data: Buffer): string[] {
  const size = key === 'color' ? COLOR_ICON_SIZE : OUTLINE_ICON_SIZE;
  let img: RgbaImage;
  try {
    img = PNG.sync.read(data);
  } catch (e) {
    return [`icons.${key}: ${name} is not a PNG that can be read: ${(e as Error).message}`];
  }
  if (img.width !== size || img.height !== size) return [`icons.${key}: ${name} is ${img.width}×${img.height}; Teams needs ${size}×${size}`];
  const bad = key === 'outline' ? outlineViolations(img) : [];
  return bad.length ? [`icons.outline: ${name} must be white on transparent; ${bad.join('; ')}`] : [];
}

// ---------------------------------------------------------------- manifest

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

let compiled: ValidateFunction | undefined;
/** The schema, compiled once on first use (about 0.3 s) with the options Microsoft's own toolkit uses. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** `/bots/0/commandLists` as `bots[0].commandLists`, the way the other messages name places. */
function dotted(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('') || 'the manifest';
}

/** What the schema's named patterns mean, for messages a person can act on. */
const PATTERN_MEANING: Record<string, string> = {
  guid: 'a GUID such as 00000000-0000-0000-0000-000000000000',
  semver: 'a version major.minor.patch',
  hexColor: 'a hex colour such as #1E5A8A',
  httpsUrl: 'a URL starting https:// or http://',
};

/**
 * One schema error as a sentence naming the place, the value and the rule.
 * Ours, not ajv's messages (or ajv-errors, which needs the schema edited):
 * those name a JSON pointer and a keyword, these name places as the app's
 * own rules do and say what the value was.
 */
function describe(e: ErrorObject): string {
  const at = dotted(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown property "${dotted(e.instancePath, String(p.additionalProperty))}" (not in the v${MANIFEST_VERSION} schema)`;
    case 'required':
      return `${dotted(e.instancePath, String(p.missingProperty))} is required`;
    case 'maxLength':
    case 'minLength':
      return `${at} is ${typeof data === 'string' ? data.length : '?'} characters; the ${e.keyword === 'maxLength' ? 'limit' : 'minimum'} is ${String(p.limit)}`;
    case 'maxItems':
    case 'minItems':
      return `${at} has ${Array.isArray(data) ? data.length : '?'} items; the ${e.keyword === 'maxItems' ? 'limit' : 'minimum'} is ${String(p.limit)}`;
    case 'pattern': {
      const named = /#\/definitions\/(\w+)\/pattern$/.exec(e.schemaPath)?.[1];
      return `${at} must be ${(named && PATTERN_MEANING[named]) ?? `text matching ${String(p.pattern)}`}, not ${JSON.stringify(data)}`;
    }
    case 'enum':
      return `${at} is ${JSON.stringify(data)}; the schema allows ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}, not ${JSON.stringify(data)}`;
    default:
      return `${at} ${e.message ?? `breaks the schema rule ${e.keyword}`}`;
  }
}

/**
 * Validates a filled manifest: first against the official v1.22 schema, then
 * against this app's own rules (see the file comment). Returns one message
 * per problem, empty when the manifest is good.
 */
export function validateManifest(manifest: unknown): string[] {
  if (!isObj(manifest)) return ['the manifest must be a JSON object'];
  const validate = schemaValidator();
  const errors = validate(manifest) ? [] : (validate.errors ?? []).map(describe);
  return [...errors, ...appRules(manifest)];
}

/** The rules of this app that the schema cannot express. */
function appRules(m: Obj): string[] {
  const errors: string[] = [];
  const err = (msg: string) => errors.push(msg);
  if (m.$schema !== SCHEMA_URL) err(`$schema must be ${SCHEMA_URL}`);
  if (typeof m.version === 'string' && !SEMVER.test(m.version)) err(`version "${m.version}" must be semver major.minor.patch`);
  if (isObj(m.icons)) {
    for (const k of ['color', 'outline'] as const) {
      const v = m.icons[k];
      if (typeof v === 'string' && !/^[\w.-]+\.png$/i.test(v)) err(`icons.${k} must name a .png file at the root of the package, not ${JSON.stringify(v)}`);
    }
  }
  if (!Array.isArray(m.bots) || m.bots.length !== 1) err('bots must hold exactly one bot');
  else if (isObj(m.bots[0])) botRules(m.bots[0], m.id, err);
  if (!Array.isArray(m.composeExtensions) || m.composeExtensions.length !== 1) err('composeExtensions must hold the one message extension (Search the plans)');
  else if (isObj(m.composeExtensions[0])) searchRules(m.composeExtensions[0], m.id, err);
  const placeholders = JSON.stringify(m).match(/\$\{\{[^}]*\}\}/g);
  if (placeholders) err(`unfilled placeholders: ${[...new Set(placeholders)].join(', ')}`);
  return errors;
}

/** One conversational bot, the app's own id, the three scopes, each with one command list offering every command. */
function botRules(bot: Obj, appId: unknown, err: (m: string) => void): void {
  if (isGuid(bot.botId) && bot.botId !== appId) err('bots[0].botId must equal the app id');
  if (bot.isNotificationOnly === true) err('bots[0].isNotificationOnly must be false: the bot is conversational');
  // The Word board report goes by Teams' file consent flow in personal chats, which needs it (bot/managerView.ts).
  if (bot.supportsFiles !== true) err('bots[0].supportsFiles must be true: the bot sends Word reports by file consent');
  const scopes = Array.isArray(bot.scopes) ? bot.scopes.map(String) : [];
  const want = [...BOT_SCOPES].sort().join(', ');
  if (scopes.length !== BOT_SCOPES.length || [...scopes].sort().join(', ') !== want) err(`bots[0].scopes must be ${want}`);

  const lists = bot.commandLists;
  if (!Array.isArray(lists) || lists.length === 0) {
    err('bots[0].commandLists is required: Teams shows it as the command menu');
    return;
  }
  const covered = new Set<string>();
  lists.forEach((list: unknown, i) => {
    const at = `bots[0].commandLists[${i}]`;
    if (!isObj(list) || !Array.isArray(list.scopes) || !Array.isArray(list.commands)) return; // reported by the schema
    for (const s of list.scopes.map(String)) {
      if (!scopes.includes(s)) err(`${at}.scopes has ${JSON.stringify(s)}, which is not a scope of the bot`);
      else if (covered.has(s)) err(`${at}.scopes: ${s} already has a command list`);
      covered.add(s);
    }
    const titles: string[] = [];
    list.commands.forEach((c: unknown, j) => {
      if (!isObj(c)) return;
      const cat = `${at}.commands[${j}]`;
      if (typeof c.title === 'string') {
        titles.push(c.title.toLowerCase());
        if (c.title.length > COMMAND_TITLE_MAX) err(`${cat}.title is ${c.title.length} characters; the limit is ${COMMAND_TITLE_MAX}`);
      }
      if (typeof c.description === 'string' && c.description.length > COMMAND_DESCRIPTION_MAX) err(`${cat}.description is ${c.description.length} characters; the limit is ${COMMAND_DESCRIPTION_MAX}`);
    });
    const dupes = titles.filter((t, k) => titles.indexOf(t) !== k);
    if (dupes.length) err(`${at} repeats ${dupes.join(', ')}`);
    const missing = REQUIRED_COMMANDS.filter((t) => !titles.includes(t));
    if (missing.length) err(`${at} lacks the ${noun(missing.length, 'command')} ${missing.join(', ')}`);
  });
  const uncovered = scopes.filter((s) => !covered.has(s));
  if (uncovered.length) err(`no command list for the ${noun(uncovered.length, 'scope')} ${uncovered.join(', ')}`);
}

/**
 * The message extension: served by the app's own bot (Universal Actions on its cards need the same bot), with one
 * search command that takes one text parameter, available in the compose box and the command box.
 */
function searchRules(ext: Obj, appId: unknown, err: (m: string) => void): void {
  if (isGuid(ext.botId) && ext.botId !== appId) err('composeExtensions[0].botId must equal the app id (the same bot answers the search and refreshes its cards)');
  const commands = Array.isArray(ext.commands) ? ext.commands.filter(isObj) : [];
  if (commands.length !== 1) {
    err('composeExtensions[0].commands must hold exactly one command: the search');
    return;
  }
  const c = commands[0];
  if (c.type !== undefined && c.type !== 'query') err('composeExtensions[0].commands[0].type must be query: a search command');
  const params = Array.isArray(c.parameters) ? c.parameters.filter(isObj) : [];
  if (params.length !== 1) err('composeExtensions[0].commands[0].parameters must hold exactly one parameter: what to search for');
  else if (params[0].inputType !== undefined && params[0].inputType !== 'text') err('composeExtensions[0].commands[0].parameters[0].inputType must be text');
  const context = Array.isArray(c.context) ? c.context.map(String) : ['compose', 'commandBox'];
  if (!context.includes('compose')) err('composeExtensions[0].commands[0].context must include compose: the search is used from the compose box');
}

/** The template with its placeholders filled: every occurrence of the app id and version placeholders. */
export function fillTemplate(template: string, values: { appId: string; version: string }): unknown {
  const filled = template.split(APP_ID_PLACEHOLDER).join(values.appId).split(VERSION_PLACEHOLDER).join(values.version);
  return JSON.parse(filled) as unknown;
}

/** The version in package.json: the app version Teams sees. */
export function packageVersion(root = ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`The Teams app package was not written:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PackageError';
  }
}

export interface BuildOptions {
  /** The bot's Microsoft app id (a GUID): becomes the manifest id and botId. */
  appId: string;
  /** Defaults to the version in package.json. */
  version?: string;
  /** Folder holding manifest.json and the icons; defaults to appPackage/. */
  sourceDir?: string;
  /** Folder to write the zip to; defaults to appPackage/build/. */
  outDir?: string;
}

export interface BuildResult {
  zipPath: string;
  manifest: Obj;
  entries: string[];
  bytes: number;
}

/**
 * Fills the template, validates the manifest and the icons, and writes the
 * zip (manifest.json, then the two icons, at its root). Throws a
 * PackageError listing every problem instead of writing a bad package.
 */
export function buildPackage(opts: BuildOptions): BuildResult {
  const sourceDir = opts.sourceDir ?? APP_PACKAGE_DIR;
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  if (!isGuid(opts.appId)) throw new PackageError([`the app id must be a GUID such as 00000000-0000-0000-0000-000000000000, not ${JSON.stringify(opts.appId)}`]);
  const version = opts.version ?? packageVersion();

  const manifestPath = join(sourceDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new PackageError([`${manifestPath} not found`]);
  let manifest: unknown;
  try {
    manifest = fillTemplate(readFileSync(manifestPath, 'utf8'), { appId: opts.appId, version });
  } catch (e) {
    throw new PackageError([`${manifestPath} is not valid JSON: ${(e as Error).message}`]);
  }
  const problems = validateManifest(manifest);
  const m = manifest as Obj;
  const icons = isObj(m.icons) ? m.icons : {};
  const files: Record<string, Buffer> = {};
  for (const key of ['color', 'outline'] as const) {
    const name = icons[key];
    if (typeof name !== 'string') continue; // reported by validateManifest
    const p = join(sourceDir, name);
    if (!existsSync(p)) {
      problems.push(`icons.${key}: ${p} not found (npm run icons makes it)`);
      continue;
    }
    files[name] = readFileSync(p);
    problems.push(...iconProblems(key, name, files[name]));
  }
  if (problems.length) throw new PackageError(problems);

  const manifestJson = Buffer.from(JSON.stringify(m, null, 2) + '\n', 'utf8');
  // manifest.json first, deflated; the icons stored, as PNGs are compressed already.
  const entries: Record<string, [Uint8Array, { level: 0 | 9 }]> = { 'manifest.json': [manifestJson, { level: 9 }] };
  for (const [name, data] of Object.entries(files)) entries[name] = [data, { level: 0 }];
  const zip = zipSync(entries, { mtime: ZIP_DATE });
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, ZIP_NAME);
  writeFileSync(zipPath, zip);
  return { zipPath, manifest: m, entries: Object.keys(entries), bytes: zip.length };
}
