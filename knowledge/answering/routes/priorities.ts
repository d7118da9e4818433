/** A plan's priorities, and a priority's "what success looks like" or outcomes, in the plans' own words. */
import type { WithDoc } from '../../loader';
import type { Priority } from '../../schema';
import type { Understanding } from '../../understand';
import { normalise } from '../../text';
import type { AnswerEnv } from '../env';
import { blank, type Answer } from '../types';
import { isPlanItself } from '../words';

/** The priorities of the plan(s) a question names (by document or authority), in the plans' own titles. */
export function prioritiesAnswer(env: AnswerEnv, u: Understanding): Answer | undefined {
  const fromDocs = new Set(u.preferDocs.map((d) => env.docs.get(d)?.plan).filter((x): x is string => !!x));
  const plans = env.knowledge.plans.filter((p) => (fromDocs.size ? fromDocs.has(p.id) : !u.authority || p.authority === u.authority));
  if (!plans.length || plans.length > 2) return undefined;
  const a = blank('answer', 'list', '');
  const parts: string[] = [];
  for (const plan of plans) {
    // Titles as the plan's own document writes them, else as any report on it does.
    const own = env.knowledge.documents.filter((d) => d.plan === plan.id).sort((x, y) => Number(isPlanItself(y)) - Number(isPlanItself(x)));
    const byNumber = new Map<number, WithDoc<Priority>>();
    for (const d of own) for (const p of env.knowledge.priorities.filter((x) => x.doc === d.id && x.title)) if (!byNumber.has(p.number)) byNumber.set(p.number, p);
    if (!byNumber.size) continue;
    const list = [...byNumber.values()].sort((x, y) => x.number - y.number);
    parts.push(`The ${plan.title} (${env.catalogue.authorityName(plan.authority)}) has ${list.length} priorities: ${list.map((p) => `${p.number}. ${p.title}`).join('; ')}.`);
    for (const p of list) {
      a.facts.push({ label: `${plans.length > 1 ? `${env.catalogue.authorityLabel(plan.authority)} ` : ''}Priority ${p.number}`, value: p.title! });
      const d = env.docs.get(p.doc);
      if (d && !a.sources.some((x) => x.document === d.id)) a.sources.push({ document: d.id, title: d.title, date: d.date, section: p.source.section, ref: p.source.ref });
    }
    a.suggestions.push(...list.slice(0, 3 - a.suggestions.length).map((p) => `Summarise priority ${p.number} ${env.catalogue.planPhrase(plan.id)}`));
  }
  if (!parts.length) return undefined;
  a.text = parts.join(' ');
  a.title = plans.length === 1 ? plans[0].title : 'Priorities';
  a.confidence = 1;
  return a;
}

/**
 * A priority's "what success looks like" or its outcomes, when the question
 * asks for one of them and names the priority by number. Each plan that has
 * that part for that priority answers (naming no plan can mean two).
 */
export function priorityPartAnswer(env: AnswerEnv, u: Understanding): Answer | undefined {
  const t = normalise(u.text);
  const part = /\bsuccess (look|looks|would look|will look)\b|\bwhat (does|would|will) success\b|\bsuccess (criteria|measures)\b/.test(t)
    ? 'success'
    : /\boutcomes?\b/.test(t) && (u.intent === 'list' || u.intent === 'lookup')
      ? 'outcomes'
      : undefined;
  if (!part || u.priorityNumber === undefined) return undefined;
  const docs = u.preferDocs.length ? new Set(u.preferDocs) : undefined;
  const found = env.knowledge.priorities.filter(
    (p) => p.number === u.priorityNumber && (!docs || docs.has(p.doc)) && (!u.authority || env.docs.get(p.doc)?.authority === u.authority) && p[part].length > 0,
  );
  // One priority per plan: the plan's own document first.
  const byPlan = new Map<string, WithDoc<Priority>>();
  for (const p of found.sort((x, y) => Number(isPlanItself(env.docs.get(y.doc))) - Number(isPlanItself(env.docs.get(x.doc))))) {
    if (!byPlan.has(p.plan)) byPlan.set(p.plan, p);
  }
  if (!byPlan.size || byPlan.size > 2) return undefined;
  const a = blank('answer', 'list', '');
  const parts: string[] = [];
  for (const p of byPlan.values()) {
    const plan = env.knowledge.plans.find((x) => x.id === p.plan);
    const d = env.docs.get(p.doc);
    const items = part === 'success' ? p.success : p.outcomes.map((o) => (o.code ? `${o.code}: ${o.text}` : o.text));
    const name = `priority ${p.number}${p.title ? ` (${p.title})` : ''} of the ${plan?.title ?? d?.title ?? 'plan'}`;
    parts.push(`${part === 'success' ? 'What success looks like for' : 'The outcomes of'} ${name}: ${items.map((x) => x.replace(/[.;\s]+$/, '')).join('; ')}.`);
    for (const x of items) a.facts.push({ label: part === 'success' ? 'Success' : 'Outcome', value: x });
    if (d) a.sources.push({ document: d.id, title: d.title, date: d.date, section: p.source.section, ref: p.source.ref });
    if (plan) a.suggestions.push(`Summarise priority ${p.number} ${env.catalogue.planPhrase(plan.id)}`);
    a.context = { query: u.text, intent: 'list', authority: plan?.authority, priorityId: p.id };
  }
  a.text = parts.join(' ');
  a.title = `Priority ${u.priorityNumber}`;
  a.confidence = 1;
  return a;
}
