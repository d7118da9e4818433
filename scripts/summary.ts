/**
 * `npm run summary -- --plan <plan> --priority <n>`: a priority summary as
 * Markdown for a board report. <plan> is a plan id or a word that names it
 * (city, county, council). It reads the knowledge the bot reads: KNOWLEDGE_DIR
 * from the environment or .env, as for the bot.
 */
import { ConfigError, loadConfig, loadDotEnv } from '../bot/config';
import { DEFAULT_CONTENT_DIR, loadKnowledgeCached } from '../knowledge/loader';
import { SearchIndex } from '../knowledge/search';
import { Summariser } from '../knowledge/summary';
import { parseCliArgs, usageError } from './cliArgs';

const names: Record<string, string> = { city: 'city-cypp-2016-20', cypp: 'city-cypp-2016-20', county: 'county-cypf-2016-18', cypf: 'county-cypf-2016-18', council: 'county-council-plan' };
const usage = (planIds: string[] = []) =>
  `usage: npm run summary -- --plan <${[...planIds, ...Object.keys(names)].join('|')}> --priority <n>\n` +
  '  --plan <plan>      a plan id, or city, county, council\n' +
  '  --priority <n>     the priority number within that plan';
const { values } = parseCliArgs(usage(), { options: { plan: { type: 'string' }, priority: { type: 'string' } } });
const planArg = values.plan;
const priority = Number(values.priority);
loadDotEnv();
const knowledge = loadKnowledgeCached(knowledgeDir()).knowledge;
const planId = planArg ? (knowledge.plans.some((p) => p.id === planArg) ? planArg : names[planArg.toLowerCase()]) : undefined;
if (!planId) usageError(usage(knowledge.plans.map((p) => p.id)), planArg ? `No plan "${planArg}".` : '--plan is required.');
if (!values.priority || !Number.isInteger(priority)) usageError(usage(knowledge.plans.map((p) => p.id)), `--priority needs a whole number${values.priority ? `, not "${values.priority}"` : ''}.`);
const s = new Summariser(knowledge, new SearchIndex(knowledge));
const md = s.markdown(planId, priority);
if (!md) {
  console.error(`No priority ${priority} in ${planId}; it has ${s.prioritiesOf(planId).join(', ')}.`);
  process.exit(1);
}
console.log(md);

function knowledgeDir(): string {
  try {
    return loadConfig().KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
