import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import {
  APP_ID_PLACEHOLDER,
  APP_PACKAGE_DIR,
  BOT_SCOPES,
  MANIFEST_VERSION,
  PackageError,
  REQUIRED_COMMANDS,
  SCHEMA_FILE,
  SCHEMA_URL,
  VERSION_PLACEHOLDER,
  ZIP_NAME,
  buildPackage,
  fillTemplate,
  outlineViolations,
  packageVersion,
  validateManifest,
} from '../scripts/teamsApp';
import { colorIcon, iconFiles, outlineIcon } from '../scripts/make-icons';
import { QUERY_PARAMETER, SEARCH_COMMAND } from '../bot/messageExtension';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const PACKAGE_JS = join(__dirname, '..', 'scripts', 'package.js');
const TEMPLATE = readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are plain JSON, mutated freely below */
const filled = (): any => fillTemplate(TEMPLATE, { appId: APP_ID, version: '1.2.3' });
const commandLists = (m: any): { scopes: string[]; commands: { title: string; description: string }[] }[] => m.bots[0].commandLists;
const searchCommand = (m: any) => m.composeExtensions[0].commands[0];
/** The zip's entries, in the order of its directory, read by fflate. */
const unzip = (path: string): [string, Buffer][] => Object.entries(unzipSync(readFileSync(path))).map(([name, data]) => [name, Buffer.from(data)]);
const readPng = (path: string) => PNG.sync.read(readFileSync(path));

describe('Teams app manifest', () => {
  describe('the template', () => {
    const t = JSON.parse(TEMPLATE);

    it('is on the v1.22 schema, with the app id and version as placeholders', () => {
      expect(t.manifestVersion).to.equal('1.22').and.equal(MANIFEST_VERSION);
      expect(t.$schema).to.equal('https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.schema.json').and.equal(SCHEMA_URL);
      expect(t.id).to.equal(APP_ID_PLACEHOLDER);
      expect(t.bots[0].botId).to.equal(APP_ID_PLACEHOLDER);
      expect(t.version).to.equal(VERSION_PLACEHOLDER);
    });

    it('once filled, passes every rule', () => {
      expect(validateManifest(filled())).to.deep.equal([]);
    });

    it('keeps names, descriptions and developer details within the schema limits', () => {
      const m = filled();
      expect(m.name.short).to.equal('Plan assistant');
      expect(m.name.short.length).to.be.at.most(30);
      expect(m.name.full.length).to.be.at.most(100);
      expect(m.description.short.length).to.be.within(1, 80);
      expect(m.description.full.length).to.be.within(1, 4000);
      expect(m.developer.name.length).to.be.within(1, 32);
      for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(m.developer[k], k).to.match(/^https:\/\/www\.nottinghamshire\.gov\.uk\//);
      expect(m.accentColor).to.match(/^#[0-9a-fA-F]{6}$/);
      expect(m.icons).to.deep.equal({ color: 'color.png', outline: 'outline.png' });
    });

    it('declares one conversational bot in personal, team and groupChat scopes', () => {
      const m = filled();
      expect(m.bots).to.have.length(1);
      const bot = m.bots[0];
      expect(bot.botId).to.equal(m.id).and.equal(APP_ID);
      expect([...bot.scopes].sort()).to.deep.equal(['groupChat', 'personal', 'team']).and.deep.equal([...BOT_SCOPES].sort());
      // Files: the Word board report is offered with Teams' file consent card in personal chats (bot/managerView.ts).
      expect(bot.supportsFiles).to.equal(true);
      expect(bot.isNotificationOnly).to.equal(false);
    });

    it('offers the six commands in every scope, within the limits of the command menu', () => {
      const lists = commandLists(filled());
      expect(lists.length).to.be.within(1, 3);
      expect(lists.flatMap((l) => l.scopes).sort()).to.deep.equal(['groupChat', 'personal', 'team']);
      for (const l of lists) {
        expect(l.commands.length, l.scopes.join()).to.be.at.most(10);
        expect(l.commands.map((c) => c.title)).to.have.members([...REQUIRED_COMMANDS]);
        for (const c of l.commands) {
          expect(c.title.length, c.title).to.be.within(1, 32);
          expect(c.description.length, c.title).to.be.within(10, 128);
        }
      }
    });
  });

  describe('the message extension', () => {
    it('is declared: served by the app\'s own bot, one search command "Search the plans" with one text parameter', () => {
      const m = filled();
      expect(m.composeExtensions).to.have.length(1);
      const ext = m.composeExtensions[0];
      // The same bot answers the search and refreshes the cards it inserts (Universal Actions need that).
      expect(ext.botId).to.equal(APP_ID).and.equal(m.bots[0].botId);
      expect(ext.commands).to.have.length(1);
      const c = searchCommand(m);
      expect(c).to.deep.include({ id: SEARCH_COMMAND, type: 'query', title: 'Search the plans', initialRun: true, fetchTask: false });
      expect(c.description).to.match(/^Find a figure, activity or priority/);
      expect(c.description.length).to.be.at.most(128);
      expect(c.context).to.include('compose').and.include('commandBox');
      expect(c.parameters).to.deep.equal([{ name: QUERY_PARAMETER, title: 'Search', description: 'What you are looking for, e.g. camhs waiting time, child protection plans city', inputType: 'text' }]);
    });

    it('is there in personal, group and meeting chats and channels: the bot has the personal, groupChat and team scopes', () => {
      // A compose extension has no scopes of its own in v1.22: it goes where the app goes. A meeting's chat is a group
      // chat (Teams: "apps in meetings need groupchat scope"), and a refresh in a group chat or channel needs the bot's
      // team or groupChat scope (Teams: "Universal Actions for search based message extensions").
      const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
      expect(Object.keys(schema.properties.composeExtensions.items.properties)).not.to.include('scopes');
      expect(filled().bots[0].scopes).to.include.members(['personal', 'groupChat', 'team']);
    });
  });

  describe('validateManifest rejects', () => {
    const cases: [string, (m: any) => void, RegExp][] = [
      ['a 40-character command title', (m) => (commandLists(m)[0].commands[0].title = 'a'.repeat(40)), /title is 40 characters; the limit is 32/],
      ['a 129-character command description', (m) => (commandLists(m)[1].commands[2].description = 'd'.repeat(129)), /description is 129 characters; the limit is 128/],
      ['11 commands in a list', (m) => commandLists(m)[0].commands.push(...[1, 2, 3, 4, 5].map((n) => ({ title: `extra ${n}`, description: 'An extra command' }))), /^bots\[0\]\.commandLists\[0\]\.commands has 11 items; the limit is 10$/],
      ['a list without "review updates"', (m) => (commandLists(m)[1].commands = commandLists(m)[1].commands.filter((c) => c.title !== 'review updates')), /lacks the command review updates/],
      ['a scope with no command list', (m) => (commandLists(m)[1].scopes = ['team']), /no command list for the scope groupChat/],
      ['an app id that is not a GUID', (m) => (m.id = 'plan-assistant'), /^id must be a GUID/],
      ['a bot id different from the app id', (m) => (m.bots[0].botId = '00000000-0000-0000-0000-000000000001'), /botId must equal the app id/],
      ['a version that is not major.minor.patch', (m) => (m.version = '1.2'), /must be semver/],
      ['another manifest version', (m) => (m.manifestVersion = '1.17'), /manifestVersion must be "1.22"/],
      ['a $schema of another version', (m) => (m.$schema = SCHEMA_URL.replace('v1.22', 'v1.17')), /\$schema must be/],
      ['a 31-character short name', (m) => (m.name.short = 'n'.repeat(31)), /name.short is 31 characters; the limit is 30/],
      ['an 81-character short description', (m) => (m.description.short = 's'.repeat(81)), /description.short is 81 characters; the limit is 80/],
      ['a missing full description', (m) => delete m.description.full, /^description\.full is required$/],
      ['a developer name over 32 characters', (m) => (m.developer.name = "Nottinghamshire Children's Partnership"), /developer.name is 38 characters; the limit is 32/],
      ['a privacy URL without its scheme', (m) => (m.developer.privacyUrl = 'www.nottinghamshire.gov.uk/privacy'), /^developer\.privacyUrl must be a URL starting https:\/\/ or http:\/\/, not "www/],
      ['an accent colour that is not hex', (m) => (m.accentColor = 'blue'), /accentColor must be a hex colour/],
      ['a bot without the team scope', (m) => (m.bots[0].scopes = ['personal', 'groupChat']), /scopes must be groupChat, personal, team/],
      ['a notification-only bot', (m) => (m.bots[0].isNotificationOnly = true), /isNotificationOnly must be false/],
      ['a property the schema does not know', (m) => (m.packageName = 'uk.gov.nottinghamshire.plans'), /^unknown property "packageName" \(not in the v1\.22 schema\)$/],
      ['a property the schema does not know, deep in a command', (m) => ((commandLists(m)[0].commands[2] as any).emoji = '✏️'), /^unknown property "bots\[0\]\.commandLists\[0\]\.commands\[2\]\.emoji"/],
      ['a scope Teams does not have', (m) => (commandLists(m)[1].scopes = ['team', 'meetings']), /^bots\[0\]\.commandLists\[1\]\.scopes\[1\] is "meetings"; the schema allows "team", "personal", "groupChat", "copilot"$/],
      ['a command without a description', (m) => delete (commandLists(m)[0].commands[1] as any).description, /^bots\[0\]\.commandLists\[0\]\.commands\[1\]\.description is required$/],
      ['a second bot', (m) => m.bots.push({ ...m.bots[0] }), /^bots has 2 items; the limit is 1$/],
      ['a manifest with no icons', (m) => delete m.icons, /^icons is required$/],
      ['an unfilled placeholder', (m) => (m.name.full = 'Plan assistant ${{ENV}}'), /unfilled placeholders: \$\{\{ENV\}\}/],
      ['an icon in a subfolder', (m) => (m.icons.outline = 'icons/outline.png'), /icons.outline must name a .png file at the root/],
      ['no message extension', (m) => delete m.composeExtensions, /^composeExtensions must hold the one message extension/],
      ['a message extension served by another bot', (m) => (m.composeExtensions[0].botId = '00000000-0000-0000-0000-000000000002'), /^composeExtensions\[0\]\.botId must equal the app id/],
      ['a second search command', (m) => m.composeExtensions[0].commands.push({ ...searchCommand(m), id: 'again' }), /commands must hold exactly one command/],
      ['an action command instead of a search', (m) => (searchCommand(m).type = 'action'), /type must be query/],
      ['a search with two parameters', (m) => searchCommand(m).parameters.push({ name: 'authority', title: 'Authority' }), /parameters must hold exactly one parameter/],
      ['a search parameter that is not text', (m) => (searchCommand(m).parameters[0].inputType = 'date'), /inputType must be text/],
      ['a search not offered in the compose box', (m) => (searchCommand(m).context = ['commandBox']), /context must include compose/],
      ['a 33-character command title', (m) => (searchCommand(m).title = 't'.repeat(33)), /^composeExtensions\[0\]\.commands\[0\]\.title is 33 characters; the limit is 32$/],
      ['a search parameter without a title', (m) => delete searchCommand(m).parameters[0].title, /^composeExtensions\[0\]\.commands\[0\]\.parameters\[0\]\.title is required$/],
    ];
    for (const [what, mutate, message] of cases) {
      it(what, () => {
        const m = filled();
        mutate(m);
        const errors = validateManifest(m);
        expect(errors.some((e) => message.test(e)), errors.join('\n')).to.equal(true);
      });
    }

    it('anything that is not an object', () => {
      expect(validateManifest(null)).to.have.length(1);
      expect(validateManifest([])).to.have.length(1);
    });

    it('using the official v1.22 schema, from Microsoft\'s package', () => {
      const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
      expect(SCHEMA_FILE).to.contain(join('@microsoft', 'app-manifest')).and.contain(join('v1.22', 'MicrosoftTeams.schema.json'));
      expect(schema.properties.manifestVersion.const).to.equal('1.22');
      expect(schema.additionalProperties).to.equal(false);
    });
  });

  describe('icons', () => {
    it('have the sizes Teams needs, read from the PNG header', () => {
      expect(readPng(join(APP_PACKAGE_DIR, 'color.png'))).to.include({ width: 192, height: 192 });
      expect(readPng(join(APP_PACKAGE_DIR, 'outline.png'))).to.include({ width: 32, height: 32 });
    });

    it('outline.png is white on transparent, with a visible glyph', () => {
      const img = readPng(join(APP_PACKAGE_DIR, 'outline.png'));
      let transparent = 0, opaque = 0;
      for (let i = 0; i < img.width * img.height; i++) {
        const [r, g, b, a] = img.data.subarray(i * 4, i * 4 + 4);
        if (a === 0) transparent++;
        else {
          expect([r, g, b], `pixel ${i}`).to.deep.equal([255, 255, 255]);
          if (a === 255) opaque++;
        }
      }
      expect(transparent, 'transparent background').to.be.above(img.width * img.height * 0.4);
      expect(opaque, 'solid white strokes').to.be.above(150);
    });

    it('color.png is full colour: opaque and mostly the accent colour', () => {
      const img = readPng(join(APP_PACKAGE_DIR, 'color.png'));
      const at = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];
      expect(at(96, 4)[3]).to.equal(255);
      const [r, g, b] = at(96, 12);
      expect(b, 'blue background').to.be.above(r + 60).and.above(g + 20);
      expect(at(70, 70), 'white bubble').to.deep.equal([255, 255, 255, 255]);
    });

    it('are what scripts/make-icons.ts draws (rebuild with npm run icons)', () => {
      expect(readPng(join(APP_PACKAGE_DIR, 'color.png')).data.equals(colorIcon().data)).to.equal(true);
      expect(readPng(join(APP_PACKAGE_DIR, 'outline.png')).data.equals(outlineIcon().data)).to.equal(true);
    });

    it('are the very files npm run icons writes, byte for byte', () => {
      for (const [name, data] of Object.entries(iconFiles())) expect(data.equals(readFileSync(join(APP_PACKAGE_DIR, name))), name).to.equal(true);
    });

    it('outlineViolations finds a grey pixel', () => {
      const img = outlineIcon();
      img.data.set([128, 128, 128, 255], (5 * 32 + 7) * 4);
      expect(outlineViolations(img)).to.deep.equal(['pixel (7, 5) is rgba(128, 128, 128, 255)']);
    });
  });

  describe('the package', () => {
    let out: string;
    before(() => (out = mkdtempSync(join(tmpdir(), 'plan-assistant-package-'))));
    after(() => rmSync(out, { recursive: true, force: true }));

    it('holds exactly manifest.json, color.png and outline.png, with the app id filled in', () => {
      const r = buildPackage({ appId: APP_ID, outDir: out });
      expect(r.zipPath).to.equal(join(out, ZIP_NAME));
      const entries = unzip(r.zipPath);
      expect(entries.map(([name]) => name)).to.deep.equal(['manifest.json', 'color.png', 'outline.png']).and.deep.equal(r.entries);

      const m = JSON.parse(entries[0][1].toString('utf8'));
      expect(m.id).to.equal(APP_ID);
      expect(m.bots[0].botId).to.equal(APP_ID);
      expect(m.composeExtensions[0].botId).to.equal(APP_ID);
      expect(m.version).to.equal(packageVersion()).and.match(/^\d+\.\d+\.\d+$/);
      expect(JSON.stringify(m)).not.to.contain('${{');
      expect(validateManifest(m)).to.deep.equal([]);
    });

    it('holds what it should, byte for byte: the template with its placeholders replaced, and the icons make-icons draws', () => {
      const r = buildPackage({ appId: APP_ID, version: '4.5.6', outDir: join(out, 'content') });
      const entries = new Map(unzip(r.zipPath));
      // Written out here, independently of fillTemplate: every placeholder replaced, pretty-printed with two spaces and a final newline.
      const expected = JSON.stringify(JSON.parse(TEMPLATE.replaceAll('${{BOT_ID}}', APP_ID).replaceAll('${{APP_VERSION}}', '4.5.6')), null, 2) + '\n';
      expect(strFromU8(entries.get('manifest.json')!)).to.equal(expected);
      for (const [name, draw] of [['color.png', colorIcon], ['outline.png', outlineIcon]] as const) {
        const icon = entries.get(name)!;
        expect(icon.equals(readFileSync(join(APP_PACKAGE_DIR, name))), `${name}: the committed file`).to.equal(true);
        expect(PNG.sync.read(icon).data.equals(draw().data), `${name}: the pixels make-icons draws`).to.equal(true);
      }
    });

    it('is a ZIP that unzip accepts, with the files at its root', function () {
      if (spawnSync('unzip', ['-v']).status !== 0) this.skip();
      const zip = join(out, ZIP_NAME);
      if (!existsSync(zip)) buildPackage({ appId: APP_ID, outDir: out });
      const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
      expect(listing.trim().split('\n')).to.deep.equal(['manifest.json', 'color.png', 'outline.png']);
      expect(execFileSync('unzip', ['-t', zip], { encoding: 'utf8' })).to.match(/No errors detected/);
    });

    it('is not written when the manifest breaks a rule or the outline icon is coloured', () => {
      const src = mkdtempSync(join(tmpdir(), 'plan-assistant-src-'));
      const dest = join(src, 'build');
      try {
        const t = JSON.parse(TEMPLATE);
        t.bots[0].commandLists[0].commands[0].title = 'ask the plan assistant a question!';
        writeFileSync(join(src, 'manifest.json'), JSON.stringify(t));
        copyFileSync(join(APP_PACKAGE_DIR, 'color.png'), join(src, 'color.png'));
        const grey = new PNG({ width: 32, height: 32 });
        grey.data.fill(0x80);
        writeFileSync(join(src, 'outline.png'), PNG.sync.write(grey));
        let error: unknown;
        try {
          buildPackage({ appId: APP_ID, sourceDir: src, outDir: dest });
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(PackageError);
        const problems = (error as PackageError).problems.join('\n');
        expect(problems).to.match(/title is 34 characters; the limit is 32/);
        expect(problems).to.match(/icons.outline: outline.png must be white on transparent/);
        expect(existsSync(join(dest, ZIP_NAME))).to.equal(false);
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
    });

    describe('npm run package (dist/scripts/package.js)', () => {
      const run = (appId: string | undefined, args: string[] = []) => {
        const env = { ...process.env };
        delete env.MicrosoftAppId;
        if (appId !== undefined) env.MicrosoftAppId = appId;
        // Run in the temp folder so a developer's .env cannot supply an app id.
        return spawnSync(process.execPath, [PACKAGE_JS, ...args], { cwd: out, env, encoding: 'utf8' });
      };

      it('refuses without MicrosoftAppId, saying what to set', () => {
        const r = run(undefined, ['--out', join(out, 'none')]);
        expect(r.status).to.equal(1);
        expect(r.stderr).to.match(/MicrosoftAppId is not set/);
        expect(existsSync(join(out, 'none'))).to.equal(false);
      });

      it('refuses an app id that is not a GUID', () => {
        const r = run('my-bot', ['--out', join(out, 'bad')]);
        expect(r.status).to.equal(1);
        expect(r.stderr).to.match(/MicrosoftAppId must be a GUID/);
        expect(existsSync(join(out, 'bad'))).to.equal(false);
      });

      it('writes the zip with the app id from the environment', () => {
        const id = 'a1b2c3d4-0000-4000-8000-123456789abc';
        const r = run(id, ['--out', join(out, 'cli')]);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.contain(ZIP_NAME);
        const entries = unzip(join(out, 'cli', ZIP_NAME));
        expect(entries.map(([name]) => name)).to.deep.equal(['manifest.json', 'color.png', 'outline.png']);
        expect(JSON.parse(entries[0][1].toString('utf8'))).to.include({ id });
      });
    });
  });
});
