import { expect } from 'chai';
import { planClock } from '../knowledge/clock';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig, isAnonymous } from '../bot/config';
import { ROOT } from './helpers/paths';

const APP_ID = '00000000-0000-0000-0000-000000000001';

describe('configuration', () => {
  it('has working defaults: port 3978, ./data, local anonymous mode', () => {
    const c = loadConfig({});
    expect(c.PORT).to.equal(3978);
    expect(c.DATA_DIR).to.equal('./data');
    expect(c.LOG_CONTENT).to.equal(false);
    expect(isAnonymous(c)).to.equal(true);
  });

  it('uses SQLite unless DATABASE_URL is set; PostgreSQL settings have defaults', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).to.equal(undefined);
    expect([c.DATABASE_SCHEMA, c.PG_POOL_MAX, c.PG_STATEMENT_TIMEOUT_MS]).to.deep.equal(['public', 10, 5000]);
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:s%40cret@db.example.org:5432/plans?sslmode=verify-full' }).DATABASE_URL).to.include('sslmode=verify-full');
  });

  it('reminders are off by default, 7 days before and 1 day after the due date, every 60 minutes', () => {
    const c = loadConfig({});
    expect([c.REMINDERS, c.REMINDER_DAYS_BEFORE, c.REMINDER_DAYS_AFTER, c.REMINDER_INTERVAL_MINUTES]).to.deep.equal([false, 7, 1, 60]);
    expect(loadConfig({ REMINDERS: 'on', REMINDER_DAYS_BEFORE: '3', REMINDER_DAYS_AFTER: '5', REMINDER_INTERVAL_MINUTES: '15' })).to.deep.include({ REMINDERS: true, REMINDER_DAYS_BEFORE: 3, REMINDER_DAYS_AFTER: 5, REMINDER_INTERVAL_MINUTES: 15 });
    expect(loadConfig({ REMINDERS: 'off' }).REMINDERS).to.equal(false);
  });

  it('PLAN_TODAY sets the day the reporting cycle runs on; unset, the real date', () => {
    expect(loadConfig({}).PLAN_TODAY).to.equal(undefined);
    expect(loadConfig({ PLAN_TODAY: ' 2019-10-20 ' }).PLAN_TODAY).to.equal('2019-10-20');
    expect(loadConfig({ PLAN_TODAY: '' }).PLAN_TODAY).to.equal(undefined);
    const clock = planClock('2019-10-20');
    expect(clock().toISOString().slice(0, 10)).to.equal('2019-10-20');
    expect(Math.abs(planClock()().getTime() - Date.now())).to.be.below(60_000);
  });

  it('the message extension\'s results have a tap (Teams calls selectItem) unless MESSAGE_EXTENSION_SELECT_ITEM is false', () => {
    expect(loadConfig({}).MESSAGE_EXTENSION_SELECT_ITEM).to.equal(true);
    expect(loadConfig({ MESSAGE_EXTENSION_SELECT_ITEM: '' }).MESSAGE_EXTENSION_SELECT_ITEM).to.equal(true);
    expect(loadConfig({ MESSAGE_EXTENSION_SELECT_ITEM: 'false' }).MESSAGE_EXTENSION_SELECT_ITEM).to.equal(false);
    expect(loadConfig({ MESSAGE_EXTENSION_SELECT_ITEM: 'off' }).MESSAGE_EXTENSION_SELECT_ITEM).to.equal(false);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '' }).PORT).to.equal(3978);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_CONTENT: 'maybe' }, /LOG_CONTENT must be true or false/],
    [{ MicrosoftAppId: 'not-a-guid' }, /MicrosoftAppId must be the bot registration's application \(client\) id/],
    [{ NODE_ENV: 'production' }, /MicrosoftAppId is required when NODE_ENV=production/],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: 't' }, /MicrosoftAppPassword is required/],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' }, /MicrosoftAppTenantId is required for a SingleTenant app/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ DATABASE_URL: 'mysql://db/plans' }, /DATABASE_URL must be a postgres:\/\//],
    [{ DATABASE_SCHEMA: 'Plan-Bot' }, /DATABASE_SCHEMA must be a schema name/],
    [{ PG_POOL_MAX: '0' }, /PG_POOL_MAX/],
    [{ PG_STATEMENT_TIMEOUT_MS: 'soon' }, /PG_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds/],
    [{ REMINDERS: 'sometimes' }, /REMINDERS must be true or false/],
    [{ MESSAGE_EXTENSION_SELECT_ITEM: 'tap' }, /MESSAGE_EXTENSION_SELECT_ITEM must be true or false/],
    [{ REMINDER_DAYS_BEFORE: 'a week' }, /REMINDER_DAYS_BEFORE must be a whole number of days/],
    [{ REMINDER_DAYS_AFTER: '0' }, /REMINDER_DAYS_AFTER/],
    [{ REMINDER_INTERVAL_MINUTES: '0' }, /REMINDER_INTERVAL_MINUTES/],
    [{ PLAN_TODAY: '20/10/2019' }, /PLAN_TODAY must be a date written YYYY-MM-DD/],
    [{ PLAN_TODAY: '2019-02-30' }, /PLAN_TODAY is not a real date/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with a message naming the variable`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
  }

  it('parses reviewer lists', () => {
    expect(loadConfig({ REVIEWERS: 'Ann Lee, 1234-abcd ,,' }).REVIEWERS).to.deep.equal(['Ann Lee', '1234-abcd']);
  });

  it('the real entry point refuses to start in production without an app id, naming the variable', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bot', 'index.js')], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', MicrosoftAppId: '', PORT: '0' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('MicrosoftAppId is required when NODE_ENV=production');
  });
});
