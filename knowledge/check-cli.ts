/**
 * `npm run knowledge:check`: validates the knowledge files without starting
 * the bot. Errors (a broken reference, a wrong field) are printed with their
 * file, line and field path and stop it (exit 1). Then, plan by plan and
 * document by document, what a plan still lacks is printed as warnings
 * (authoring.ts): priorities without indicators, figures without a period,
 * items without a named lead, a reporting calendar that has ended. It reads
 * the folder the bot reads (KNOWLEDGE_DIR, from the environment or .env; or
 * the folder given as its argument) and its day (PLAN_TODAY). When the
 * knowledge is valid it refreshes the snapshot the bot starts from. It also
 * checks the people file (the leads' Teams ids) and says which leads have none.
 */
import { join } from 'node:path';
import { loadDotEnv } from '../bot/config';
import { authoringWarnings, type AuthoringWarning } from './authoring';
import { catalogueOf } from './catalogue';
import { planClock, planTodayProblem } from './clock';
import { KnowledgeError, knowledgeCounts, loadKnowledgeCached, DEFAULT_CONTENT_DIR } from './loader';
import { parseCliArgs, usageError } from '../scripts/cliArgs';
import { loadPeople, PEOPLE_FILE_NAME } from './people';
import { plural } from './plural';
import { isoDay } from './periods';

const USAGE = 'usage: npm run knowledge:check [-- <knowledge dir>]   (default KNOWLEDGE_DIR, else knowledge/content; PLAN_TODAY sets the day)';
/** Warnings of one kind shown for one plan or document before "… and N more". */
const SHOWN_PER_GROUP = 6;

const { positionals } = parseCliArgs(USAGE, { allowPositionals: true });
if (positionals.length > 1) usageError(USAGE, 'Give at most one knowledge folder.');
loadDotEnv();
const dir = positionals[0] ?? (process.env.KNOWLEDGE_DIR?.trim() || DEFAULT_CONTENT_DIR);
const planToday = process.env.PLAN_TODAY?.trim() || undefined;
const dayProblem = planToday && planTodayProblem(planToday);
if (dayProblem) usageError(USAGE, `PLAN_TODAY ${dayProblem}, got "${planToday}".`);
const today = planClock(planToday)();
try {
  const loaded = loadKnowledgeCached(dir, undefined, { refresh: true });
  const k = loaded.knowledge;
  const catalogue = catalogueOf(k);
  const warnings = authoringWarnings(k, today, loaded.locate);
  const counts = knowledgeCounts(k);
  console.log(`knowledge OK in ${dir}: ${Object.entries(counts).map(([key, v]) => `${key} ${v}`).join(', ')}`);
  console.log(`as on ${isoDay(today)}${planToday ? ' (PLAN_TODAY)' : ''}: ${warnings.length ? plural(warnings.length, 'warning') : 'nothing missing'}`);
  const where = (w: { file?: string; line?: number }) => (w.file ? `${w.file}${w.line ? `:${w.line}` : ''}` : '');
  const print = (ws: AuthoringWarning[], indent: string) => {
    for (const w of ws.slice(0, SHOWN_PER_GROUP)) console.log(`${indent}warning${w.file ? ` ${where(w)}` : ''}: ${w.message}`);
    if (ws.length > SHOWN_PER_GROUP) console.log(`${indent}… and ${ws.length - SHOWN_PER_GROUP} more like these`);
  };
  for (const plan of catalogue.plans) {
    const mine = warnings.filter((w) => w.plan === plan.id);
    const at = loaded.locate?.(plan.id);
    console.log(`\nplan ${plan.id}: ${plan.title} (${catalogue.authorityLabel(plan.authority)}, ${plan.label}, runs ${plan.runs.from} to ${plan.runs.to})${at ? ` ${where(at)}` : ''}`);
    print(mine.filter((w) => !w.document), '  ');
    for (const docId of plan.documents) {
      const n = (xs: { doc: string }[]) => xs.filter((x) => x.doc === docId).length;
      const file = loaded.locate?.(docId)?.file;
      console.log(`  document ${docId}${file ? ` (${file})` : ''}: ${n(k.priorities)} priorities, ${n(k.activities)} activities, ${n(k.indicators)} indicators, ${n(k.passages)} passages`);
      const ws = mine.filter((w) => w.document === docId);
      // Grouped by what is missing, so a long list of one kind does not hide the others.
      for (const kind of [/has no period|has no year/, /names no lead/, /./]) {
        const group = ws.filter((w) => kind.test(w.message));
        ws.splice(0, ws.length, ...ws.filter((w) => !group.includes(w)));
        print(group, '    ');
      }
    }
  }
  // The leads' ids (people.yaml) are checked too; a lead without an id cannot be recognised by the bot.
  const people = loadPeople(join(dir, PEOPLE_FILE_NAME));
  const leads = [...new Set([...k.activities, ...k.indicators].flatMap((r) => r.leads).filter((n) => !people.isOrganisation(n)))];
  const missing = people.withoutId(leads);
  console.log(`\n${PEOPLE_FILE_NAME}: ${people.entries.length} entries; ${leads.length - missing.length} of the ${leads.length} leads the plans name have a Teams id${missing.length ? ` (none yet for: ${missing.join(', ')})` : ''}`);
} catch (e) {
  if (e instanceof KnowledgeError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
