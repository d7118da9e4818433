/**
 * `npm run summary -- --plan <plan> --priority <n> [--docx <file>]`: a
 * priority summary as plain text for a board paper, and with --docx the same
 * summary as a Word board report written to <file>. <plan> is a plan id, a
 * name staff use for it (its aliases: "cypf", "council"), or an authority
 * ("city", "county"), which means that authority's children's plan running
 * today, else its most recent. It reads the knowledge the bot reads
 * (KNOWLEDGE_DIR) and its day (PLAN_TODAY), from the environment or .env, as
 * the bot does.
 */
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../bot/config';
import { catalogueOf, type Catalogue } from '../knowledge/catalogue';
import { planClock } from '../knowledge/clock';
import { DEFAULT_CONTENT_DIR, loadKnowledgeCached } from '../knowledge/loader';
import { SearchIndex } from '../knowledge/search';
import { Summariser } from '../knowledge/summary';
import { summaryText } from '../reports/summaryText';
import { boardReport } from '../reports/boardReport';
import { parseCliArgs, usageError } from './cliArgs';

const usage = (plans: string[] = []) =>
  `usage: npm run summary -- --plan <plan> --priority <n> [--docx <file>]\n` +
  `  --plan <plan>      a plan id or a name staff use for it, or an authority (city, county) for its current children's plan${plans.length ? `\n                     plans: ${plans.join(', ')}` : ''}\n` +
  '  --priority <n>     the priority number within that plan\n' +
  '  --docx <file>      also write the summary as a Word board report to <file>';
const { values } = parseCliArgs(usage(), { options: { plan: { type: 'string' }, priority: { type: 'string' }, docx: { type: 'string' } } });
const planArg = values.plan;
const priority = Number(values.priority);
loadDotEnv();
const config = configuration();
const knowledge = loadKnowledgeCached(config.KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR).knowledge;
const catalogue = catalogueOf(knowledge);
const now = planClock(config.PLAN_TODAY);
const planNames = catalogue.plans.map((p) => `${p.id} (${p.label})`);
const planId = planArg ? planFor(planArg, catalogue, now()) : undefined;
if (!planId) usageError(usage(planNames), planArg ? `No plan "${planArg}".` : '--plan is required.');
if (!values.priority || !Number.isInteger(priority)) usageError(usage(planNames), `--priority needs a whole number${values.priority ? `, not "${values.priority}"` : ''}.`);
const summariser = new Summariser(knowledge, new SearchIndex(knowledge), { now, catalogue });
const s = summariser.summarise(planId, priority);
if (!s) {
  console.error(`No priority ${priority} in ${planId}; it has ${summariser.prioritiesOf(planId).join(', ')}.`);
  process.exit(1);
}
console.log(summaryText(s));
if (values.docx) {
  const file = values.docx;
  boardReport(s).then(
    (bytes) => {
      writeFileSync(file, bytes);
      console.error(`Word board report written to ${file}`);
    },
    (e: unknown) => {
      console.error(`The Word board report could not be written: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}

/** A plan id; else a plan named by the word (its aliases, "council" as "council plan"); else an authority's current children's plan. */
function planFor(word: string, c: Catalogue, today: Date): string | undefined {
  if (c.plan(word)) return word;
  for (const text of [word, `${word} plan`]) {
    const named = c.plansNamed(c.named(text));
    if (named.length === 1) return named[0];
    if (named.length > 1) return c.current(named, today)?.plan.id;
  }
  const authority = c.plans.find((p) => p.authority === word.toLowerCase())?.authority;
  return authority ? c.defaultPlan(authority, today)?.plan.id : undefined;
}

function configuration(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
