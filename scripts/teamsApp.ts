/**
 * The Teams app package, with no dependencies: CRC-32, a minimal PNG encoder
 * and decoder, a minimal ZIP writer and reader, the manifest rules of the
 * v1.22 schema that matter for this app, and `buildPackage`, which turns
 * appPackage/manifest.json (a template) and the two icons into the zip that
 * Teams Admin Center or the Teams client accepts.
 *
 * Used by scripts/package.ts (the command), scripts/make-icons.ts and
 * test/manifest.test.ts.
 */
import { deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file runs from dist/scripts). */
export const ROOT = join(__dirname, '..', '..');
export const APP_PACKAGE_DIR = join(ROOT, 'appPackage');
export const DEFAULT_OUT_DIR = join(APP_PACKAGE_DIR, 'build');
export const ZIP_NAME = 'plan-assistant.zip';

export const MANIFEST_VERSION = '1.22';
export const SCHEMA_URL = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Placeholders in the template, filled by `fillTemplate`. */
export const APP_ID_PLACEHOLDER = '${{BOT_ID}}';
export const VERSION_PLACEHOLDER = '${{APP_VERSION}}';
/** The commands the bot understands; every command list offers them all. */
export const REQUIRED_COMMANDS = ['ask', 'update', 'my updates', 'review updates', 'summary', 'help'] as const;
export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

// ---------------------------------------------------------------- CRC-32

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as used by PNG and ZIP) of one or more buffers in sequence. */
export function crc32(...parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const buf of parts) for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------- PNG

/** An 8-bit RGBA image, rows top to bottom, 4 bytes a pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(head.subarray(4), body), 0);
  return Buffer.concat([head, body, crc]);
}

/** Encodes an RGBA image as a PNG (colour type 6, 8 bits, no interlace, filter 0 on every row). */
export function encodePng(img: RgbaImage): Buffer {
  const { width, height, data } = img;
  if (data.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes, got ${data.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    data.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

/** Reads the IHDR chunk: the PNG's dimensions and pixel format. Throws if the bytes are not a PNG. */
export function pngHeader(buf: Buffer): PngHeader {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file (IHDR is not the first chunk)');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24], colorType: buf[25], interlace: buf[28] };
}

/**
 * Decodes a non-interlaced 8-bit RGBA or RGB PNG (all five row filters) into
 * RGBA, checking every chunk's CRC. Enough for any icon this project makes
 * or that an image editor saves in those formats.
 */
export function decodePng(buf: Buffer): RgbaImage {
  const h = pngHeader(buf);
  if (h.bitDepth !== 8 || (h.colorType !== 6 && h.colorType !== 2) || h.interlace !== 0) {
    throw new Error(`unsupported PNG format: bit depth ${h.bitDepth}, colour type ${h.colorType}, interlace ${h.interlace} (need 8-bit RGB or RGBA, not interlaced)`);
  }
  const idat: Buffer[] = [];
  let pos = 8;
  let ended = false;
  while (pos + 12 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (body.length !== len) throw new Error(`PNG chunk ${type} is truncated`);
    if (crc32(buf.subarray(pos + 4, pos + 8), body) !== buf.readUInt32BE(pos + 8 + len)) throw new Error(`PNG chunk ${type} has a bad CRC`);
    if (type === 'IDAT') idat.push(body);
    pos += 12 + len;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new Error('PNG has no IEND chunk');
  const channels = h.colorType === 6 ? 4 : 3;
  const stride = h.width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== (stride + 1) * h.height) throw new Error('PNG image data has the wrong length');
  const pixels = Buffer.alloc(stride * h.height);
  for (let y = 0; y < h.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels] : 0;
      const b = y > 0 ? pixels[out - stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[out - stride + x - channels] : 0;
      let v: number;
      switch (filter) {
        case 0: v = line[x]; break;
        case 1: v = line[x] + a; break;
        case 2: v = line[x] + b; break;
        case 3: v = line[x] + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = line[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`PNG row ${y} has unknown filter type ${filter}`);
      }
      pixels[out + x] = v & 0xff;
    }
  }
  if (channels === 4) return { width: h.width, height: h.height, data: pixels };
  const rgba = Buffer.alloc(h.width * h.height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += 3, j += 4) {
    rgba[j] = pixels[i];
    rgba[j + 1] = pixels[i + 1];
    rgba[j + 2] = pixels[i + 2];
    rgba[j + 3] = 255;
  }
  return { width: h.width, height: h.height, data: rgba };
}

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

// ---------------------------------------------------------------- ZIP

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export interface ZipEntryRead extends ZipEntry {
  /** 0 stored, 8 deflated. */
  method: number;
}

/** MS-DOS time and date fields of a local time. */
function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Writes a ZIP archive: one local header and body per entry (deflated when
 * that is smaller, stored otherwise), the central directory and the end
 * record. The same entries and date give the same bytes.
 */
export function writeZip(entries: ZipEntry[], modified = new Date(2025, 0, 1)): Buffer {
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    if (!/^[\x20-\x7e]+$/.test(e.name) || e.name.startsWith('/') || e.name.includes('\\')) throw new Error(`writeZip: bad entry name ${JSON.stringify(e.name)}`);
    const name = Buffer.from(e.name, 'latin1');
    const deflated = deflateRawSync(e.data, { level: 9 });
    const method = deflated.length < e.data.length ? 8 : 0;
    const body = method === 8 ? deflated : e.data;
    const crc = crc32(e.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed to extract (2.0)
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18); // compressed size
    local.writeUInt32LE(e.data.length, 22); // uncompressed size
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE(20, 4); // version made by (2.0, MS-DOS attributes)
    central.writeUInt16LE(20, 6); // version needed to extract
    central.writeUInt16LE(0, 8); // flags
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16); // offset of the central directory
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, cd, end]);
}

/**
 * Reads a ZIP archive through its central directory (as unzip and Teams do),
 * inflating each entry and checking its size and CRC against the directory.
 */
export function readZip(buf: Buffer): ZipEntryRead[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntryRead[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;

    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`${name}: bad local file header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const body = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(body);
    else if (method === 8) data = inflateRawSync(body);
    else throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== usize) throw new Error(`${name}: size ${data.length}, directory says ${usize}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, data, method });
  }
  return entries;
}

// ---------------------------------------------------------------- manifest

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** The schema's semver pattern: major.minor.patch, no pre-release or build. */
const SEMVER = /^([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const isGuid = (s: unknown): s is string => typeof s === 'string' && GUID.test(s);

/** Top-level properties the v1.22 schema allows (it sets additionalProperties: false). */
const TOP_LEVEL = new Set([
  '$schema', 'manifestVersion', 'version', 'id', 'localizationInfo', 'developer', 'name', 'description', 'icons', 'accentColor',
  'configurableTabs', 'staticTabs', 'bots', 'connectors', 'subscriptionOffer', 'composeExtensions', 'permissions', 'devicePermissions',
  'validDomains', 'webApplicationInfo', 'graphConnector', 'showLoadingIndicator', 'isFullScreen', 'activities', 'configurableProperties',
  'supportedChannelTypes', 'defaultBlockUntilAdminAction', 'publisherDocsUrl', 'defaultInstallScope', 'defaultGroupCapability',
  'meetingExtensionDefinition', 'authorization', 'extensions', 'dashboardCards', 'copilotAgents', 'intuneInfo', 'elementRelationshipSet',
  'backgroundLoadConfiguration',
]);
const BOT_PROPERTIES = new Set(['botId', 'configuration', 'needsChannelSelector', 'isNotificationOnly', 'supportsFiles', 'supportsCalling', 'supportsVideo', 'scopes', 'commandLists', 'requirementSet']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rules of the Teams app manifest schema v1.22 that matter for this app,
 * plus the app's own: one conversational bot whose id is the app id, in the
 * personal, team and groupChat scopes, offering the six commands. Command
 * titles and descriptions are held to the documented 32 and 128 characters.
 * Returns one message per problem, empty when the manifest is good.
 */
export function validateManifest(manifest: unknown): string[] {
  const errors: string[] = [];
  const err = (m: string) => errors.push(m);
  if (!isObj(manifest)) return ['the manifest must be a JSON object'];
  const m = manifest;

  const str = (v: unknown, path: string, max: number, opts: { required?: boolean; min?: number } = {}): v is string => {
    if (v === undefined && !opts.required) return false;
    if (typeof v !== 'string') {
      err(`${path} must be a string`);
      return false;
    }
    if (v.length < (opts.min ?? (opts.required ? 1 : 0))) err(`${path} must not be empty`);
    if (v.length > max) err(`${path} is ${v.length} characters; the limit is ${max}`);
    return true;
  };
  const httpsUrl = (v: unknown, path: string) => {
    if (str(v, path, 2048, { required: true }) && !/^https:\/\/[^\s/]+\.[^\s]+$/.test(v)) err(`${path} must be an https:// URL`);
  };

  for (const k of Object.keys(m)) if (!TOP_LEVEL.has(k)) err(`unknown property "${k}" (not in the v${MANIFEST_VERSION} schema)`);
  if (m.manifestVersion !== MANIFEST_VERSION) err(`manifestVersion must be "${MANIFEST_VERSION}", not ${JSON.stringify(m.manifestVersion)}`);
  if (m.$schema !== SCHEMA_URL) err(`$schema must be ${SCHEMA_URL}`);
  if (str(m.version, 'version', 256, { required: true }) && !SEMVER.test(m.version)) err(`version "${m.version}" must be semver major.minor.patch`);
  if (!isGuid(m.id)) err(`id must be a GUID (the bot's Microsoft app id), not ${JSON.stringify(m.id)}`);

  if (!isObj(m.developer)) err('developer is required');
  else {
    str(m.developer.name, 'developer.name', 32, { required: true });
    httpsUrl(m.developer.websiteUrl, 'developer.websiteUrl');
    httpsUrl(m.developer.privacyUrl, 'developer.privacyUrl');
    httpsUrl(m.developer.termsOfUseUrl, 'developer.termsOfUseUrl');
  }
  if (!isObj(m.name)) err('name is required');
  else {
    str(m.name.short, 'name.short', 30, { required: true });
    str(m.name.full, 'name.full', 100);
  }
  if (!isObj(m.description)) err('description is required');
  else {
    str(m.description.short, 'description.short', 80, { required: true });
    str(m.description.full, 'description.full', 4000, { required: true });
  }
  if (!isObj(m.icons)) err('icons is required');
  else {
    for (const k of ['color', 'outline'] as const) {
      const v = m.icons[k];
      if (str(v, `icons.${k}`, 2048, { required: true }) && !/^[\w.-]+\.png$/i.test(v)) err(`icons.${k} must name a .png file at the root of the package, not ${JSON.stringify(v)}`);
    }
  }
  if (typeof m.accentColor !== 'string' || !HEX_COLOR.test(m.accentColor)) err(`accentColor must be a hex colour such as #1E5A8A, not ${JSON.stringify(m.accentColor)}`);

  if (m.validDomains !== undefined) {
    if (!Array.isArray(m.validDomains) || m.validDomains.length > 16 || m.validDomains.some((d) => typeof d !== 'string' || d.length > 2048 || /^https?:|\//.test(d))) {
      err('validDomains must be at most 16 domain names (no scheme or path)');
    }
  }

  if (!Array.isArray(m.bots) || m.bots.length !== 1) err('bots must hold exactly one bot');
  else {
    const bot: unknown = m.bots[0];
    if (!isObj(bot)) err('bots[0] must be an object');
    else validateBot(bot, m.id, err);
  }

  const placeholders = JSON.stringify(m).match(/\$\{\{[^}]*\}\}/g);
  if (placeholders) err(`unfilled placeholders: ${[...new Set(placeholders)].join(', ')}`);
  return errors;
}

function validateBot(bot: Obj, appId: unknown, err: (m: string) => void): void {
  for (const k of Object.keys(bot)) if (!BOT_PROPERTIES.has(k)) err(`unknown property "bots[0].${k}"`);
  if (!isGuid(bot.botId)) err(`bots[0].botId must be a GUID, not ${JSON.stringify(bot.botId)}`);
  else if (bot.botId !== appId) err('bots[0].botId must equal the app id');
  for (const k of ['isNotificationOnly', 'supportsFiles', 'supportsCalling', 'supportsVideo', 'needsChannelSelector']) {
    if (bot[k] !== undefined && typeof bot[k] !== 'boolean') err(`bots[0].${k} must be true or false`);
  }
  if (bot.isNotificationOnly === true) err('bots[0].isNotificationOnly must be false: the bot is conversational');
  if (bot.supportsFiles === true) err('bots[0].supportsFiles must be false: the bot handles no files');

  const scopes = bot.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0) {
    err('bots[0].scopes is required');
    return;
  }
  if (scopes.length > 3 || new Set(scopes).size !== scopes.length) err('bots[0].scopes must hold at most 3 different scopes');
  const want = [...BOT_SCOPES].sort().join(', ');
  if ([...(scopes as unknown[])].map(String).sort().join(', ') !== want) err(`bots[0].scopes must be ${want}`);

  const lists = bot.commandLists;
  if (!Array.isArray(lists) || lists.length === 0) {
    err('bots[0].commandLists is required: Teams shows it as the command menu');
    return;
  }
  if (lists.length > 3) err(`bots[0].commandLists has ${lists.length} lists; the limit is 3`);
  const covered = new Set<string>();
  lists.forEach((list: unknown, i) => {
    const at = `bots[0].commandLists[${i}]`;
    if (!isObj(list)) {
      err(`${at} must be an object`);
      return;
    }
    if (!Array.isArray(list.scopes) || list.scopes.length === 0) err(`${at}.scopes is required`);
    else {
      for (const s of list.scopes) {
        if (!(scopes as unknown[]).includes(s)) err(`${at}.scopes has ${JSON.stringify(s)}, which is not a scope of the bot`);
        else if (covered.has(s as string)) err(`${at}.scopes: ${String(s)} already has a command list`);
        covered.add(String(s));
      }
    }
    if (!Array.isArray(list.commands) || list.commands.length === 0) {
      err(`${at}.commands is required`);
      return;
    }
    if (list.commands.length > 10) err(`${at} has ${list.commands.length} commands; the limit is 10`);
    const titles: string[] = [];
    list.commands.forEach((c: unknown, j) => {
      const cat = `${at}.commands[${j}]`;
      if (!isObj(c)) {
        err(`${cat} must be an object`);
        return;
      }
      for (const k of Object.keys(c)) if (k !== 'title' && k !== 'description') err(`unknown property "${cat}.${k}"`);
      if (str2(c.title, `${cat}.title`, 32, err)) titles.push((c.title as string).toLowerCase());
      str2(c.description, `${cat}.description`, 128, err);
    });
    const dupes = titles.filter((t, k) => titles.indexOf(t) !== k);
    if (dupes.length) err(`${at} repeats ${dupes.join(', ')}`);
    const missing = REQUIRED_COMMANDS.filter((t) => !titles.includes(t));
    if (missing.length) err(`${at} lacks the command${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  });
  const uncovered = (scopes as unknown[]).filter((s) => !covered.has(String(s)));
  if (uncovered.length) err(`no command list for the scope${uncovered.length > 1 ? 's' : ''} ${uncovered.join(', ')}`);
}

function str2(v: unknown, path: string, max: number, err: (m: string) => void): boolean {
  if (typeof v !== 'string' || v.trim() === '') {
    err(`${path} must be a non-empty string`);
    return false;
  }
  if (v.length > max) err(`${path} is ${v.length} characters; the limit is ${max}`);
  return true;
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
  const files: ZipEntry[] = [];
  for (const [key, size] of [['color', COLOR_ICON_SIZE], ['outline', OUTLINE_ICON_SIZE]] as const) {
    const name = icons[key];
    if (typeof name !== 'string') continue; // reported by validateManifest
    const p = join(sourceDir, name);
    if (!existsSync(p)) {
      problems.push(`icons.${key}: ${p} not found (npm run icons makes it)`);
      continue;
    }
    const data = readFileSync(p);
    try {
      const h = pngHeader(data);
      if (h.width !== size || h.height !== size) problems.push(`icons.${key}: ${name} is ${h.width}×${h.height}; Teams needs ${size}×${size}`);
      if (key === 'outline') {
        const bad = outlineViolations(decodePng(data));
        if (bad.length) problems.push(`icons.outline: ${name} must be white on transparent; ${bad.join('; ')}`);
      }
    } catch (e) {
      problems.push(`icons.${key}: ${name}: ${(e as Error).message}`);
    }
    files.push({ name, data });
  }
  if (problems.length) throw new PackageError(problems);

  const entries: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(JSON.stringify(m, null, 2) + '\n', 'utf8') }, ...files];
  const zip = writeZip(entries);
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, ZIP_NAME);
  writeFileSync(zipPath, zip);
  return { zipPath, manifest: m, entries: entries.map((e) => e.name), bytes: zip.length };
}
