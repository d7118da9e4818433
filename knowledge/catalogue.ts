/**
 * The catalogue of plans, built from the YAML and nothing else: the plans and
 * their documents, the names staff use for them (aliases, matched loosely),
 * how each authority is named, when each plan runs and reports, which plan a
 * request for an authority means on a given day, and the series of figures
 * that measure the same thing (measures.ts). Everything that matches a plan
 * or document name, labels an authority or picks a default plan reads it, so
 * next year's plan is a YAML file, not a code change.
 *
 * Built once per loaded knowledge (catalogueOf) and never changed. It holds no
 * clock: whatever depends on the day takes the day as an argument.
 */
import type { Knowledge, WithDoc } from './loader';
import type { Authority, AuthorityNames, Plan, Priority, SourceDocument } from './schema';
import { NameMatcher, type NameTarget } from './names';
import { Measures } from './measures';
import { isoDay, readWhen, spanOf, type Span } from './periods';
import { normalise } from './text';

export interface CataloguePlan extends Plan {
  /** Short label for choices ("CYPF 2016-18"): the plan's `label`, else its title. */
  label: string;
  /** The days it runs: April of its first year to March of its last, or to its reporting calendar's `until`. */
  runs: Span;
  /** Its documents, the plan's own (improvement or action plan) first. */
  documents: string[];
}

/** What a text names: plans and documents, and the words that named them. */
export interface Named {
  plans: string[];
  documents: string[];
  /** The words of the text that named them (normalised), to take out of what is searched for. */
  phrases: string[];
}

/** The plan's own document (its improvement or action plan), not a report on it. */
export function isPlanItself(d: Pick<SourceDocument, 'kind'> | undefined): boolean {
  return d?.kind === 'improvement-plan' || d?.kind === 'action-plan';
}

/** A choice between priorities of plans: its plan and number. */
export interface PriorityKey {
  planId: string;
  priority: number;
}

/** Longest label of a priority on a choice button, after the words every priority of its plan shares. */
const PRIORITY_LABEL_LENGTH = 40;

export class Catalogue {
  readonly plans: CataloguePlan[];
  readonly measures: Measures;
  readonly names: NameMatcher;
  private readonly planById: Map<string, CataloguePlan>;
  private readonly docById: Map<string, SourceDocument>;
  private readonly authorities = new Map<string, Required<AuthorityNames>>();
  /** Each plan's planPhrase, worked out when the catalogue is built: most answers' suggestions ask for one. */
  private readonly phrases = new Map<string, string>();

  constructor(readonly knowledge: Knowledge) {
    this.docById = new Map(knowledge.documents.map((d) => [d.id, d]));
    this.plans = knowledge.plans.map((p) => {
      const span = spanOf(p.period) ?? { from: '0000-01-01', to: '9999-12-31', label: p.period };
      const docs = knowledge.documents.filter((d) => d.plan === p.id).sort((a, b) => Number(isPlanItself(b)) - Number(isPlanItself(a)));
      return { ...p, label: p.label ?? p.title, runs: { ...span, to: p.reporting?.until ?? span.to }, documents: docs.map((d) => d.id) };
    });
    this.planById = new Map(this.plans.map((p) => [p.id, p]));
    for (const a of knowledge.authorities ?? []) this.authorities.set(a.id, { place: a.label, phrase: `the ${a.label.toLowerCase()}`, ...a });
    const entries: { alias: string; target: NameTarget }[] = [];
    for (const p of knowledge.plans) {
      // A plan is named by its aliases and by its title, with or without its years ("Children and Young People's Plan").
      for (const alias of [...p.aliases, p.title, p.title.replace(/\s*\(?\b(19|20)\d\d\b.*$/, '')]) entries.push({ alias, target: { kind: 'plan', id: p.id } });
    }
    for (const d of knowledge.documents) for (const alias of d.aliases) entries.push({ alias, target: { kind: 'document', id: d.id } });
    this.names = new NameMatcher(entries);
    this.measures = new Measures(knowledge);
    for (const p of this.plans) this.phrases.set(p.id, this.phraseOf(p));
  }

  plan(id: string | undefined): CataloguePlan | undefined {
    return id === undefined ? undefined : this.planById.get(id);
  }

  document(id: string | undefined): SourceDocument | undefined {
    return id === undefined ? undefined : this.docById.get(id);
  }

  /** How an authority is named: from plans.yaml, else its id capitalised ("partnership" is "Partnership", never "County"). */
  authority(a: Authority | string): Required<AuthorityNames> {
    const known = this.authorities.get(a);
    if (known) return known;
    const label = a.charAt(0).toUpperCase() + a.slice(1);
    return { id: a as Authority, name: label, label, place: label, phrase: `the ${a}` };
  }

  /** "Nottinghamshire County Council". */
  authorityName(a: Authority | string): string {
    return this.authority(a).name;
  }

  /** "County". */
  authorityLabel(a: Authority | string): string {
    return this.authority(a).label;
  }

  /** "Nottinghamshire County". */
  authorityPlace(a: Authority | string): string {
    return this.authority(a).place;
  }

  /** "the county": as a question names it. */
  authorityPhrase(a: Authority | string): string {
    return this.authority(a).phrase;
  }

  /** The plans and documents a text names ("in the mid-year review", "the CYPF plan 2018-21"), typo-tolerant. */
  named(text: string): Named {
    const found = this.names.find(normalise(text));
    const ids = (kind: NameTarget['kind']) => [...new Set(found.flatMap((f) => f.targets.filter((t) => t.kind === kind).map((t) => t.id)))];
    return { plans: ids('plan'), documents: ids('document'), phrases: found.map((f) => f.text) };
  }

  /**
   * The documents a question points at: those it names; else the own documents of the plans it names (a
   * plan's own and its evidence, written by its authority: "the CYPF plan" is not the partnership's review of it).
   * "The mid-year review of the CYPF plan" is the review: naming a document wins over naming its plan.
   */
  preferredDocuments(named: Named): string[] {
    if (named.documents.length) return named.documents;
    return named.plans.flatMap((id) => {
      const plan = this.planById.get(id);
      if (!plan) return [];
      const own = plan.documents.filter((d) => this.docById.get(d)?.authority === plan.authority);
      return own.length ? own : plan.documents;
    });
  }

  /** The plans a text names: by their own names, or by naming one of their documents. */
  plansNamed(named: Named): string[] {
    return [...new Set([...named.plans, ...named.documents.map((d) => this.docById.get(d)?.plan).filter((x): x is string => !!x)])];
  }

  /** Whether the plan runs on this day. */
  isRunning(plan: CataloguePlan, today: Date): boolean {
    const d = isoDay(today);
    return plan.runs.from <= d && d <= plan.runs.to;
  }

  /**
   * Of these plans, the current one: the one running on the day (the latest to start, if several), else the
   * most recent (the latest to end). `running` says which.
   */
  current(planIds: string[], today: Date): { plan: CataloguePlan; running: boolean } | undefined {
    const plans = planIds.map((id) => this.planById.get(id)).filter((p): p is CataloguePlan => !!p);
    const running = plans.filter((p) => this.isRunning(p, today)).sort((a, b) => (a.runs.from < b.runs.from ? 1 : -1))[0];
    if (running) return { plan: running, running: true };
    const d = isoDay(today);
    const ended = plans.filter((p) => p.runs.to < d).sort((a, b) => (a.runs.to < b.runs.to ? 1 : a.runs.to > b.runs.to ? -1 : a.runs.from < b.runs.from ? 1 : -1))[0];
    // Only plans still to start: the soonest.
    const next = plans.sort((a, b) => (a.runs.from < b.runs.from ? -1 : 1))[0];
    const plan = ended ?? next;
    return plan && { plan, running: false };
  }

  /**
   * The plan a request for an authority means when it names none, among `planIds` (default: all): the
   * authority's current children's plan. Undefined when the authority has none among them.
   */
  defaultPlan(authority: Authority | string, today: Date, planIds: string[] = this.plans.map((p) => p.id)): { plan: CataloguePlan; running: boolean } | undefined {
    const childrens = planIds.filter((id) => {
      const p = this.planById.get(id);
      return p && p.authority === authority && p.kind === 'childrens-plan';
    });
    return this.current(childrens, today);
  }

  /**
   * How a suggestion the bot writes names a plan, so that reading it back finds the same plan: "for the city"
   * when it is its authority's only plan, else "of the <its first alias no other plan has>".
   */
  planPhrase(planId: string | undefined): string {
    const plan = this.plan(planId);
    if (!plan) return '';
    return this.phrases.get(plan.id) ?? this.phraseOf(plan);
  }

  private phraseOf(plan: CataloguePlan): string {
    if (this.plans.filter((p) => p.authority === plan.authority).length === 1) return `for ${this.authorityPhrase(plan.authority)}`;
    const own = plan.aliases.find((a) => {
      const n = this.named(a);
      return n.plans.length === 1 && n.plans[0] === plan.id && this.plansNamed(n).length === 1;
    });
    return `of the ${own ?? plan.title}`;
  }

  /** The priorities of a plan by number, each the first with a title (the plan's own document first). */
  priorities(planId: string): Map<number, WithDoc<Priority>> {
    const plan = this.plan(planId);
    const order = new Map((plan?.documents ?? []).map((d, i) => [d, i]));
    const out = new Map<number, WithDoc<Priority>>();
    const ps = this.knowledge.priorities.filter((p) => p.plan === planId).sort((a, b) => (order.get(a.doc) ?? 99) - (order.get(b.doc) ?? 99));
    for (const p of ps) if (!out.has(p.number) || (!out.get(p.number)!.title && p.title)) out.set(p.number, p);
    return out;
  }

  /**
   * A priority's title without the words every priority of its plan starts with ("Children and young people
   * are happy and healthy" -> "Happy and healthy"), shortened for a button; undefined when it has no title.
   * The shortest title any document gives the priority is used: reports often shorten the plan's own.
   */
  priorityLabel(planId: string, n: number): string | undefined {
    const shortest = new Map<number, string>();
    for (const p of this.knowledge.priorities) {
      if (p.plan !== planId || !p.title) continue;
      const cur = shortest.get(p.number);
      if (!cur || p.title.length < cur.length) shortest.set(p.number, p.title);
    }
    const title = shortest.get(n);
    if (!title) return undefined;
    const words = (s: string) => s.split(/\s+/);
    const key = (w: string) => normalise(w).replace(/\W/g, '');
    const own = words(title);
    // The most words it starts with in common with another of the plan's priorities (leaving at least one).
    let common = 0;
    for (const [m, other] of shortest) {
      if (m === n) continue;
      const o = words(other);
      let k = 0;
      while (k < own.length - 1 && k < o.length && key(own[k]) === key(o[k])) k++;
      common = Math.max(common, k);
    }
    // What is left reads as a label without its joining verb ("are safe" -> "Safe").
    let rest = own
      .slice(common >= 2 ? common : 0)
      .join(' ')
      .replace(/^(are|is|will|have|has|and|to|be)\s+/i, '');
    rest = rest.charAt(0).toUpperCase() + rest.slice(1);
    return rest.length > PRIORITY_LABEL_LENGTH ? rest.slice(0, PRIORITY_LABEL_LENGTH - 1).replace(/\s+\S*$/, '') + '…' : rest;
  }

  /**
   * Short labels for a choice between priorities, leading with what differs: the authority when the choices
   * span more than one, the plan when they span more than one, then the priority ("County · CYPF 2016-18 ·
   * P2 Happy and healthy").
   */
  choiceLabels(keys: PriorityKey[]): string[] {
    const plans = keys.map((k) => this.plan(k.planId));
    const authorities = new Set(plans.map((p) => p?.authority));
    const planIds = new Set(keys.map((k) => k.planId));
    return keys.map((k, i) => {
      const plan = plans[i];
      const short = this.priorityLabel(k.planId, k.priority);
      const parts = [authorities.size > 1 && plan ? this.authorityLabel(plan.authority) : undefined, planIds.size > 1 ? plan?.label : undefined, `P${k.priority}${short ? ` ${short}` : ''}`];
      return parts.filter(Boolean).join(' · ');
    });
  }

  /**
   * "As at" for a figure: its period in full ("Q2 2026/27", "April 2018"); a period without a year is said to
   * be so; a figure without a period is as at its document's period or date, and says that is where it is from.
   */
  asAt(period: string | undefined, docId: string | undefined): string {
    if (period) {
      const w = readWhen(period);
      return w?.kind === 'dated' ? w.span.label : `${period.trim()} (the source gives no year)`;
    }
    const d = this.document(docId);
    if (!d) return '';
    const span = spanOf(d.period) ?? spanOf(d.date);
    return `${span?.label ?? d.date} (${spanOf(d.period) ? 'period' : 'date'} of the document)`;
  }
}

const built = new WeakMap<Knowledge, Catalogue>();

/** The catalogue of a loaded knowledge, built on first use and kept with it (the knowledge never changes once loaded). */
export function catalogueOf(knowledge: Knowledge): Catalogue {
  let c = built.get(knowledge);
  if (!c) {
    c = new Catalogue(knowledge);
    built.set(knowledge, c);
  }
  return c;
}
