/**
 * What a plan added as YAML still lacks, for `npm run knowledge:check`. The
 * loader stops on errors (a broken reference, a field of the wrong shape);
 * these are warnings: the knowledge loads and the bot answers from it, but
 * part of the reporting cycle or of the answers will be missing until the
 * author fills them in. Each names the plan or document, and the file and
 * line when the loader knows them.
 */
import type { Knowledge, Locate } from './loader';
import { latestFigure } from './figures';
import { catalogueOf } from './catalogue';
import { isoDay, longDate, readWhen } from './periods';
import { isNamedCount, isPercentUnit } from '../updates/validation';

export interface AuthoringWarning {
  plan: string;
  /** The document the warning is about, when it is about one. */
  document?: string;
  file?: string;
  line?: number;
  message: string;
}

/** Has the plan's last day passed? */
function calendarEnded(until: string, today: Date): boolean {
  return until < isoDay(today);
}

/**
 * An indicator whose unit says one thing while every figure the plan reports for it says another: "number"
 * over percentages (the city's early help measure is titled "Number of…" but reports 60.5%), or "%" over
 * plain numbers. An update is checked against the unit (updates/validation.ts), so it must be the figures' own.
 */
export function unitAgainstFigures(x: Knowledge['indicators'][number]): string | undefined {
  const values = x.values.map((v) => v.value);
  if (!values.length || !x.unit) return undefined;
  // The update check's own reading of the unit (updates/validation.ts), so the warning is about what it would refuse.
  const percentUnit = isPercentUnit(x.unit);
  const percentages = values.filter((v) => /%/.test(v)).length;
  if (isNamedCount(x.unit) && percentages === values.length) return `its unit is "${x.unit}" but every figure is a percentage (unit: "%")`;
  if (percentUnit && percentages === 0 && values.every((v) => /^\s*[\d,.]+\s*$/.test(v))) return `its unit is "${x.unit}" but no figure is a percentage`;
  return undefined;
}

export function authoringWarnings(k: Knowledge, today: Date, locate: Locate = () => undefined): AuthoringWarning[] {
  const catalogue = catalogueOf(k);
  const out: AuthoringWarning[] = [];
  const at = (id: string) => locate(id) ?? {};
  for (const plan of catalogue.plans) {
    const warn = (message: string, document?: string, id = document ?? plan.id) => out.push({ plan: plan.id, ...(document ? { document } : {}), ...at(id), message });
    if (!plan.documents.length) warn('no document reports on this plan yet: add one file per document, with `plan: ' + plan.id + '` in its header');
    if (!plan.reporting) warn('it has no reporting calendar (`reporting`): its leads are never asked for updates');
    else if (plan.reporting.until && calendarEnded(plan.reporting.until, today)) {
      warn(`its reporting calendar ended on ${longDate(plan.reporting.until)}: its leads are no longer asked for updates (move \`reporting.until\` later to extend it)`);
    }
    // Priorities the plan's documents give, and whether any document gives them an indicator.
    const priorities = k.priorities.filter((p) => p.plan === plan.id);
    for (const n of [...new Set(priorities.map((p) => p.number))].sort((a, b) => a - b)) {
      const ids = new Set(priorities.filter((p) => p.number === n).map((p) => p.id));
      if (!k.indicators.some((x) => ids.has(x.priority))) warn(`priority ${n} has no indicators: its summary will have no figures`, undefined, priorities.find((p) => p.number === n)!.id);
    }
    for (const docId of plan.documents) {
      const inDoc = <T extends { doc: string }>(xs: T[]) => xs.filter((x) => x.doc === docId);
      for (const x of inDoc(k.indicators)) {
        const latest = latestFigure(x);
        if (latest && !latest.period) warn(`indicator ${x.id}: its latest figure (${latest.value}) has no period, so it cannot be ordered against other reports`, docId, x.id);
        else if (latest && readWhen(latest.period)?.kind === 'yearless') warn(`indicator ${x.id}: its latest figure's period "${latest.period}" has no year`, docId, x.id);
        const older = x.continues ? k.indicators.find((y) => y.id === x.continues) : undefined;
        const olderPlan = older && catalogue.plan(catalogue.document(older.doc)?.plan);
        const unitClash = unitAgainstFigures(x);
        if (unitClash) warn(`indicator ${x.id}: ${unitClash}, so a lead's update in the plan's own form is refused`, docId, x.id);
        if (olderPlan && olderPlan.authority !== plan.authority) warn(`indicator ${x.id} continues ${older.id}, which is ${catalogue.authorityName(olderPlan.authority)}'s: a series is one authority's measure`, docId, x.id);
      }
      // An item with no named person as lead: nobody can be asked for its update, or reminded.
      for (const r of [...inDoc(k.indicators), ...inDoc(k.activities)]) {
        if (!r.leads.length) warn(`${r.id} names no lead${r.leadOrganisation ? ` person (only the organisation "${r.leadOrganisation}")` : ''}: nobody is asked for its updates`, docId, r.id);
      }
    }
  }
  return out;
}
