/**
 * `npm run package [-- --out <dir>]`: writes the Teams app package,
 * appPackage/build/plan-assistant.zip (manifest.json, color.png and
 * outline.png at its root), for upload in Teams Admin Center or the Teams
 * client. The app id comes from MicrosoftAppId (the environment, or a .env
 * file in the working directory, as for the bot); the version from
 * package.json. Nothing is written unless the manifest and icons pass
 * `validateManifest` and the icon checks.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCliArgs } from './cliArgs';
import { DEFAULT_OUT_DIR, PackageError, buildPackage, isGuid } from './teamsApp';

const USAGE = `usage: npm run package [-- --out <dir>]   (with MicrosoftAppId set to the bot's app id)
  --out <dir>   where to write plan-assistant.zip (default appPackage/build)`;

function main(argv: string[]): number {
  const { values } = parseCliArgs(USAGE, { options: { out: { type: 'string' } } }, argv);
  const outDir = values.out ? resolve(values.out) : DEFAULT_OUT_DIR;
  if (existsSync('.env')) process.loadEnvFile('.env');
  const appId = (process.env.MicrosoftAppId ?? '').trim();
  if (!appId) {
    console.error(
      'MicrosoftAppId is not set. The Teams app package needs the Azure Bot\'s app (client) id: it becomes the manifest id and the bot id.\n' +
        'Set it in the environment or in .env, e.g.  MicrosoftAppId=<app id> npm run package',
    );
    return 1;
  }
  if (!isGuid(appId)) {
    console.error(`MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000 (the app registration's client id), not ${JSON.stringify(appId)}.`);
    return 1;
  }
  try {
    const r = buildPackage({ appId, outDir });
    console.log(`wrote ${r.zipPath} (${r.bytes} bytes: ${r.entries.join(', ')})`);
    console.log(`app id ${appId}, version ${String(r.manifest.version)}. Upload it in Teams Admin Center (Manage apps > Upload) or in Teams (Apps > Manage your apps > Upload an app).`);
    return 0;
  } catch (e) {
    if (e instanceof PackageError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
