/**
 * Priority summaries for managers, built only from the plan data: what the
 * plan says and what can be computed from it (statuses from target and
 * polarity, roll-up counts). No prose is invented; every line carries its
 * source. Plain TypeScript: the bot renders the result as a card, the CLI as
 * Markdown.
 */
import type { Knowledge, WithDoc } from './loader';
import type { Activity, Authority, Indicator, Plan, SourceDocument, Source } from './schema';
import { catalogueOf, type Catalogue } from './catalogue';
import { isoDay, longDate, MONTHS } from './periods';
import { parseSince } from './since';
import type { SearchIndex } from './search';
import { correctedQuestion, type AnswerSource, type ApprovedUpdate, type UpdatesView } from './answer';
import { direction, latestFigure, previousFigure, targetStatus, type Direction, type TargetStatus } from './figures';
import { contentTokens, normalise, sentences, squash } from './text';
import { understand } from './understand';
import { findChanges, type Changes, type Since } from './changes';
import { periodEnd } from '../updates/validation';
import type { Submission } from '../updates/types';
import { z } from 'zod';
import { plural } from './plural';

export type { Changes, ChangeEntry, Since } from './changes';
export { parseSince } from './since';

export interface IndicatorLine {
  id: string;
  title: string;
  latest?: string;
  previous?: string;
  target?: string;
  national?: string;
  polarity: string;
  status: TargetStatus;
  direction: Direction;
  lead?: string;
  update?: ApprovedUpdate;
  source: AnswerSource;
}

export interface ActionLine {
  activity: string;
  text: string;
  due?: string;
  /** The plan's documents hold progress or evidence of achievement for the activity. */
  evidence: boolean;
  source: AnswerSource;
}

export interface NarrativeLine {
  title: string;
  text: string;
  period?: string;
  origin: 'approved update' | 'document';
  source: AnswerSource;
}

/**
 * Something a manager must act on: an indicator off target or getting worse,
 * a key action past its due date with no progress recorded, updates overdue.
 */
export interface ExceptionLine {
  kind: 'off target' | 'worse' | 'past due' | 'updates overdue';
  /** What it is about: the indicator, the key action, or "3 updates overdue". */
  title: string;
  /** The figures or dates that make it an exception, as written ("46,000 (Q1 2017/18) against a target of 45,000"). */
  detail: string;
  source?: AnswerSource;
}

/** A line of progress for the first screen: the start of a narrative, with its period. */
export interface ProgressLine {
  title: string;
  /** The narrative's opening, cut at a word (the whole of it is in the narratives). */
  text: string;
  /** The period it reports on, or the date of its document or approval when it names none. */
  period: string;
  origin: 'approved update' | 'document';
  source: AnswerSource;
}

/** An update that is late for a priority's item (from the reporting cycle), as a summary needs it. */
export interface LateUpdate {
  title: string;
  period: string;
  /** ISO due date. */
  due: string;
  leads: string[];
}

export interface PrioritySummary {
  planId: string;
  planTitle: string;
  authority: Authority;
  /** The authority as it is named ("Nottinghamshire County Council"). */
  authorityName: string;
  /** The authority's place ("Nottinghamshire County"), for a file name. */
  authorityPlace: string;
  number: number;
  title: string;
  priorityIds: string[];
  headline: string;
  outcomes: string[];
  success: string[];
  indicators: IndicatorLine[];
  rollup: { indicators: number; onTarget: number; offTarget: number; noTarget: number; unknown: number; improving: number; worse: number; noChange: number };
  activities: { title: string; lead?: string; governance?: string; source: AnswerSource }[];
  actions: ActionLine[];
  narratives: NarrativeLine[];
  /** The report's own summary of the priority (council plan sections have one), first paragraph first. */
  planSummary: NarrativeLine[];
  leads: string[];
  sources: AnswerSource[];
  changes?: Changes;
  /** The day the summary is as at (ISO): today, unless the clock says otherwise. */
  asAt: string;
  /** No indicator of the priority has a target: it is judged by direction of travel instead. */
  noTargets: boolean;
  /** What a manager must act on, most serious first: off target, worse, past due, updates overdue. */
  exceptions: ExceptionLine[];
  /** A few lines of progress, newest approved updates first, each with its period. */
  progress: ProgressLine[];
  /** Updates late for the priority's items (the reporting cycle). */
  lateUpdates: LateUpdate[];
}

/** One choice when a request fits more than one priority: the plan, the priority and what a button says. */
export interface SummaryChoice {
  title: string;
  planId: string;
  priority: number;
  /** The plan's name with its authority ("County: <plan title>"), to group choices by plan. */
  planTitle?: string;
  /** The priority's own title, when the plan gives one. */
  priorityTitle?: string;
}

/** What one document says, priority by priority: its own sentences, first of each activity or paragraph. */
export interface DocumentOverview {
  document: { id: string; title: string; date: string };
  planId: string;
  sections: { number: number; title: string; points: { text: string; source: AnswerSource }[] }[];
}

/**
 * A request that named an authority (or a name several plans share) but not one plan, answered from the plan
 * it means on the day (Catalogue.defaultPlan): which plan was used and why, and the others, one tap away.
 */
export interface DefaultedPlan {
  message: string;
  alternatives: SummaryChoice[];
}

export type SummaryRequest =
  | { kind: 'summary'; summary: PrioritySummary; defaulted?: DefaultedPlan }
  | { kind: 'overview'; overview: DocumentOverview }
  /** More than one plan or priority fits: ask. `since` is kept so a choice still shows what changed. */
  | { kind: 'choose'; message: string; choices: SummaryChoice[]; since?: Since }
  | { kind: 'notFound'; message: string };

/** A plan (other than the best) is offered too when its best priority scores at least this share of the best one's votes. */
const ALSO_FITS = 0.4;

/** How a summary's first screen is drawn from it: one place for the numbers. */
export const SUMMARY_LIMITS = {
  /** Progress lines chosen for the first screen. */
  progressLines: 3,
  /** Longest progress line, in characters, cut at a word with "…" (the narrative is whole under "Show all" and in the exports). */
  progressChars: 180,
  /** Late items named in the "updates overdue" exception before "and N more". */
  lateNamed: 3,
  /** The outcomes in the summary's opening message, in characters, cut at a word (all of them are on the card). */
  headlineOutcomes: 220,
};

/** The updates late for a priority's items (the reporting cycle), as at a day. */
export type LateUpdatesOf = (planId: string, priority: number, now: Date) => LateUpdate[];

/** Reads the `since` a card button carries back (see summaryCards): a date and its label, or nothing. */
/** Documents that report on a plan: named in a summary request, their account of the priority leads. */
const REPORT_KINDS = ['review-report', 'performance-report', 'evidence-of-achievement'];

const SinceSchema = z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), label: z.string().min(1).max(100) });

export interface RequestOptions {
  /**
   * Answer a priority number several plans of one authority have from the plan it means on the day (default),
   * saying so with the others one tap away; false: always ask.
   */
  defaults?: boolean;
}

/** What a Summariser reads besides the knowledge and its index; every field has a default. */
export interface SummariserOptions {
  /** Approved (and, for readers who may see them, pending) updates; none: the plans' own figures only. */
  updates?: UpdatesView & { all?: () => readonly Submission[] };
  /** Today, for the plan running on the day, "since last quarter", the as-at date and what is past due (PLAN_TODAY). */
  now?: () => Date;
  catalogue?: Catalogue;
  /** Which updates the reader may see (updates/visibility.ts): approved ones only, unless seenBy() says more. */
  sees?: (s: Submission) => boolean;
  /** The updates late for a priority's items, from the reporting cycle; none when not given. */
  lateUpdates?: LateUpdatesOf;
}

export class Summariser {
  private readonly plans: Map<string, Plan>;
  private readonly docs: Map<string, SourceDocument>;
  private readonly updates?: SummariserOptions['updates'];
  private readonly now: () => Date;
  readonly catalogue: Catalogue;
  private readonly sees: (s: Submission) => boolean;
  private readonly lateUpdates?: LateUpdatesOf;

  constructor(
    private readonly knowledge: Knowledge,
    private readonly index: SearchIndex,
    private readonly options: SummariserOptions = {},
  ) {
    this.updates = options.updates;
    this.now = options.now ?? (() => new Date());
    this.catalogue = options.catalogue ?? catalogueOf(knowledge);
    this.sees = options.sees ?? ((s) => s.reviewState === 'approved');
    this.lateUpdates = options.lateUpdates;
    this.plans = new Map(knowledge.plans.map((p) => [p.id, p]));
    this.docs = new Map(knowledge.documents.map((d) => [d.id, d]));
  }

  /** The same summaries as one reader sees them: unreviewed updates only for their submitter and reviewers. */
  seenBy(sees: (s: Submission) => boolean): Summariser {
    return new Summariser(this.knowledge, this.index, { ...this.options, catalogue: this.catalogue, sees });
  }

  /**
   * Works out which plan and priority a request names, and asks, with
   * choices, whenever more than one fits: a priority number several plans have
   * (the city and county number theirs differently, and the county has two
   * plans), a theme more than one plan covers ("mental health"), or nothing
   * named at all (a bare "summary" is offered every plan's priorities).
   *
   * `previous` is what the conversation was last about: a follow-up on the
   * same priority ("Summarise priority 4 for the county", suggested under an
   * answer about a CYPF plan priority 4 indicator) means that plan's priority.
   */
  request(asked: string, authority?: Authority, previous?: { priorityId?: string }, options: RequestOptions = {}): SummaryRequest {
    // Read the request as the answerer reads questions: shorthand written out, typos in steering words corrected.
    const question = correctedQuestion(asked, this.index);
    const t = normalise(question);
    const u = understand(question, this.catalogue);
    const today = this.now();
    const since = parseSince(question, today);
    if (since && 'error' in since) return { kind: 'notFound', message: since.error };
    // "The happy and healthy section of the mid-year review": that report's account of the priority leads.
    const named = u.preferDocs.length === 1 && REPORT_KINDS.includes(this.docs.get(u.preferDocs[0])?.kind ?? '') ? u.preferDocs[0] : undefined;
    const summary = (planId: string, n: number, defaulted?: DefaultedPlan): SummaryRequest => {
      const s = this.summarise(planId, n, since, named);
      return s ? { kind: 'summary', summary: s, ...(defaulted ? { defaulted } : {}) } : { kind: 'notFound', message: `I couldn't find priority ${n} in the ${this.plans.get(planId)?.title ?? planId}.` };
    };

    // The plans the request can mean: those it names (by their names or their documents': the catalogue's
    // aliases), else those of the authority it names, else all of them.
    const area = authority ?? u.authority;
    const namedInArea = u.namedPlans.filter((p) => !area || this.plans.get(p)?.authority === area);
    const namedPlans = namedInArea.length ? namedInArea : u.namedPlans;
    const namedPlan = namedPlans.length === 1 ? namedPlans[0] : undefined;
    const inArea = [...this.plans.values()].filter((p) => p.authority === area).map((p) => p.id);
    const candidates = namedPlans.length ? namedPlans : inArea.length ? inArea : [...this.plans.keys()];
    const where = namedPlan ? `the ${this.plans.get(namedPlan)?.title ?? namedPlan}` : area && inArea.length ? `${this.catalogue.authorityPhrase(area)}'s plans` : 'the plans';

    let number = u.priorityNumber;
    // A performance report calls its priorities sections or outcomes ("outcome (5)", "section 2").
    if (number === undefined && namedPlan && this.catalogue.plan(namedPlan)?.documents.every((d) => this.docs.get(d)?.kind === 'performance-report')) {
      const m = t.match(/\b(?:section|outcome)\s*\(?(\d)\)?/);
      if (m) number = Number(m[1]);
    }

    if (number !== undefined) {
      const n = number;
      const keys = candidates.filter((p) => this.prioritiesOf(p).includes(n)).map((p) => `${p}#${n}`);
      if (keys.length === 1) return summary(keys[0].split('#')[0], n);
      // The priority the conversation is about, asked for by its number: no need to ask which plan.
      const current = this.knowledge.priorities.find((p) => p.id === previous?.priorityId);
      if (current && current.number === n && keys.includes(`${current.plan}#${n}`)) return summary(current.plan, n);
      if (!keys.length) return { kind: 'notFound', message: namedPlan ? `I couldn't find priority ${n} in ${where}.` : `None of ${where} has a priority ${n}.` };
      // "Priority 1 (children and young people are safe)": the plan whose priority has those words in its title.
      const titled = keys.filter((k) => this.titleSaid(k.split('#')[0], n, t));
      if (titled.length === 1) return summary(titled[0].split('#')[0], n);
      // One authority's plans (or plans sharing a name): the one it means on the day, and the others one tap away.
      if (options.defaults !== false) {
        const plans = keys.map((k) => k.split('#')[0]);
        const chosen = this.dayDefault(plans, area, namedPlans.length > 1, today);
        if (chosen) {
          const others = keys.filter((k) => !k.startsWith(`${chosen.planId}#`));
          return summary(chosen.planId, n, { message: chosen.message, alternatives: this.choices([`${chosen.planId}#${n}`, ...others]).slice(1) });
        }
      }
      return this.choose(`Priority ${n} of which plan?`, keys, since);
    }

    // By theme: the priorities whose titles, outcomes and records best match the words.
    // What is left of the request once plan, document, period and request words are gone is the theme.
    const theme = u.searchText
      .replace(
        /\b(summari[sz]e|summary|summaries|overview|sum up|round ?up|how is|how are|how's|doing|going|getting on|progressing|what changed|what has changed|since .*|priority|priorities|plan|plans|quick|brief|short|high level|headlines?|give me|can you|could you|please|pls|plz|tell me about|report|rag|a|an|the|of|for|on|in|me|us|all)\b/g,
        ' ',
      )
      .replace(/\s+/g, ' ')
      .trim();
    const concepts = theme ? this.index.concepts(theme) : [];
    // "Summarise the mid-year review": a report on a plan, not a priority: what it says under each priority.
    // (A plan itself, "summarise the city plan", is offered priority by priority instead.)
    const report = !!named;
    if (!concepts.length && report) {
      const overview = this.overview(named!);
      if (overview) return { kind: 'overview', overview };
    }
    if (!concepts.length) {
      // Nothing but "summary" (and perhaps a plan or an authority): offer the priorities to choose from.
      const keys = candidates.flatMap((p) => this.prioritiesOf(p).map((n) => `${p}#${n}`));
      const message = candidates.length === 1 ? `Which priority of the ${this.plans.get(candidates[0])?.title ?? 'plan'}?` : 'Which plan and priority would you like summarised?';
      return this.choose(message, keys, since);
    }
    const hits = this.index.search(concepts, { limit: 40 }).filter((h) => h.record.priorityNumber && h.record.plan && candidates.includes(h.record.plan) && h.coverage >= 0.5);
    const votes = new Map<string, number>();
    /** Priorities whose own title or outcomes match: they cover the theme whatever their records score. */
    const covered = new Set<string>();
    for (const h of hits) {
      const key = `${h.record.plan}#${h.record.priorityNumber}`;
      votes.set(key, (votes.get(key) ?? 0) + h.score * (h.record.kind === 'priority' ? 2 : 1));
      if (h.record.kind === 'priority') covered.add(key);
    }
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    if (!ranked.length) {
      // The theme is what the user typed: keep it to plain words when saying it back.
      const said = theme.replace(/[^a-z0-9 '-]/g, '').slice(0, 60).trim();
      return { kind: 'notFound', message: `I couldn't find a priority about "${said}" in ${where}. Say, for example, "summarise priority 2 for the county", or just "summary" to choose one.` };
    }
    const [best, top] = ranked[0];
    // Each plan's best priority, if it fits: a good share of the best votes, or a priority that names the theme itself.
    const fitting = new Map<string, string>();
    for (const [key, v] of ranked) {
      const plan = key.split('#')[0];
      if (!fitting.has(plan) && (key === best || v >= top * ALSO_FITS || covered.has(key))) fitting.set(plan, key);
    }
    if (fitting.size > 1) {
      // Every plan that fits, best first, and a close runner-up of the same plan; at most four.
      const offered = new Set(fitting.values());
      const keys = ranked.filter(([k, v]) => offered.has(k) || (fitting.has(k.split('#')[0]) && v >= top * 0.7)).map(([k]) => k);
      return this.choose('Which plan do you mean? More than one covers that.', keys.slice(0, 4), since);
    }
    const [p, n] = best.split('#');
    return summary(p, Number(n));
  }

  /** The `since` a card button sent back, if it is one (see SinceSchema); anything else is no "since". */
  sinceFromCard(x: unknown): Since | undefined {
    const r = SinceSchema.safeParse(x);
    return r.success ? r.data : undefined;
  }

  /** Does the request say a word of this plan's priority title that the other plans' titles for that number don't have? */
  private titleSaid(planId: string, n: number, t: string): boolean {
    const title = this.priorityTitle(planId, n);
    if (!title) return false;
    const said = new Set(contentTokens(t));
    const others = new Set(
      [...this.plans.keys()].filter((p) => p !== planId).flatMap((p) => contentTokens(this.priorityTitle(p, n) ?? '')),
    );
    return contentTokens(title).some((w) => said.has(w) && !others.has(w) && !/^(child|young|people|nottinghamshir|famili|family)$/.test(w));
  }

  /**
   * A document's overview: for each of its priorities, the first sentence of each activity's latest narrative
   * and of each paragraph filed under it (up to four), in the document's words, each with its source.
   */
  overview(docId: string): DocumentOverview | undefined {
    const doc = this.docs.get(docId);
    if (!doc) return undefined;
    const pris = this.knowledge.priorities.filter((p) => p.doc === docId).sort((a, b) => a.number - b.number);
    if (!pris.length) return undefined;
    const first = (text: string) => sentences(squash(text))[0] ?? squash(text);
    const sections = pris.map((p) => {
      const points: { text: string; source: AnswerSource }[] = [];
      for (const a of this.knowledge.activities.filter((x) => x.priority === p.id)) {
        const n = a.progress[a.progress.length - 1];
        // Named for its activity ("Future in Mind Transformation Plan 2015-2020: …") so a reader knows what it is about.
        if (n) points.push({ text: `${squash(a.title)}: ${first(n.text)}`, source: this.src(a.doc, n.source) });
      }
      for (const x of this.knowledge.passages.filter((x) => x.priority === p.id)) points.push({ text: first(x.text), source: this.src(x.doc, x.source) });
      return { number: p.number, title: p.title ?? `Priority ${p.number}`, points: points.slice(0, 4) };
    });
    return { document: { id: doc.id, title: doc.title, date: doc.date }, planId: doc.plan, sections };
  }

  private choose(message: string, keys: string[], since?: Since): SummaryRequest {
    return { kind: 'choose', message, choices: this.choices(keys), ...(since ? { since } : {}) };
  }

  /** Choices between priorities, labelled by what tells them apart ("County · CYPF 2016-18 · P2 Happy and healthy"). */
  private choices(keys: string[]): SummaryChoice[] {
    const parsed = keys.map((k) => ({ planId: k.split('#')[0], priority: Number(k.split('#')[1]) }));
    const labels = this.catalogue.choiceLabels(parsed);
    return parsed.map(({ planId, priority }, i): SummaryChoice => {
      const plan = this.plans.get(planId)!;
      const title = this.priorityTitle(planId, priority);
      return { title: labels[i], planId, priority, planTitle: `${this.catalogue.authorityLabel(plan.authority)}: ${plan.title}`, ...(title ? { priorityTitle: title } : {}) };
    });
  }

  /**
   * The plan a request means among these when it names no one plan: the authority's children's plan running on
   * the day, else its most recent (Catalogue.defaultPlan); among plans that share the name it used, the one
   * running, else the most recent. Undefined when the plans span authorities and none was named: then it asks.
   */
  private dayDefault(planIds: string[], area: Authority | undefined, sharedName: boolean, today: Date): { planId: string; message: string } | undefined {
    const authorities = new Set(planIds.map((p) => this.plans.get(p)?.authority));
    const authority = area ?? (authorities.size === 1 ? [...authorities][0] : undefined);
    if (!authority || !planIds.every((p) => this.plans.get(p)?.authority === authority)) return undefined;
    const childrens = this.catalogue.defaultPlan(authority, today, planIds);
    const pick = childrens ?? (sharedName ? this.catalogue.current(planIds, today) : undefined);
    if (!pick) return undefined;
    const day = longDate(today.toISOString());
    const what = `${this.catalogue.authorityPhrase(authority)}'s ${pick.running ? '' : 'most recent '}${childrens ? "children's plan" : 'plan of that name'}`;
    return { planId: pick.plan.id, message: `From the ${pick.plan.title} (${pick.plan.label}), ${what}${pick.running ? ` running on ${day}` : ` (none is running on ${day})`}.` };
  }

  prioritiesOf(planId: string): number[] {
    return [...new Set(this.knowledge.priorities.filter((p) => p.plan === planId).map((p) => p.number))].sort((a, b) => a - b);
  }

  private priorityTitle(planId: string, n: number): string | undefined {
    return this.knowledge.priorities.find((p) => p.plan === planId && p.number === n && p.title)?.title;
  }

  private src(doc: string, s: Source): AnswerSource {
    const d = this.docs.get(doc);
    return { document: doc, title: d?.title ?? doc, date: d?.date ?? '', section: s.section, ref: s.ref };
  }

  /** The summary of one priority of one plan, across every document that reports on it. */
  /** `fromDoc`: a report the request named; its account of the priority leads the summary. */
  summarise(planId: string, number: number, since?: Since, fromDoc?: string): PrioritySummary | undefined {
    const plan = this.plans.get(planId);
    const pris = this.knowledge.priorities.filter((p) => p.plan === planId && p.number === number);
    if (!plan || !pris.length) return undefined;
    const now = this.now();
    const asAt = isoDay(now);
    const ids = new Set(pris.map((p) => p.id));
    const title = pris.find((p) => p.title)?.title ?? `Priority ${number}`;
    const inPriority = <T extends { priority?: string }>(xs: T[]) => xs.filter((x) => x.priority && ids.has(x.priority));
    const indicators = inPriority(this.knowledge.indicators);
    const activities = inPriority(this.knowledge.activities);

    const indicatorLines: IndicatorLine[] = indicators.map((ind) => this.indicatorLine(ind));
    const rollup = { indicators: indicatorLines.length, onTarget: 0, offTarget: 0, noTarget: 0, unknown: 0, improving: 0, worse: 0, noChange: 0 };
    for (const l of indicatorLines) {
      if (l.status === 'on target') rollup.onTarget++;
      else if (l.status === 'off target') rollup.offTarget++;
      else if (l.status === 'no target') rollup.noTarget++;
      else rollup.unknown++;
      if (l.direction === 'improving') rollup.improving++;
      else if (l.direction === 'worse') rollup.worse++;
      else if (l.direction === 'no change') rollup.noChange++;
    }
    // "No targets" only when none is set at all: a target the figures cannot be judged against is still a target.
    const noTargets = indicators.length > 0 && indicators.every((i) => !i.target || /^n\/?a$/i.test(i.target.value.trim()));

    // Evidence of completion: progress recorded for the activity (or for an activity of the same number in an
    // evidence document), or an approved update on it.
    const evidenceFor = (a: WithDoc<Activity>) =>
      a.progress.length > 0 ||
      !!this.updates?.latestApproved(a.id) ||
      activities.some((o) => o !== a && o.number !== undefined && String(o.number) === String(a.number) && o.progress.length > 0);
    const actions: ActionLine[] = activities.flatMap((a) =>
      a.actions.map((x) => ({ activity: a.title, text: x.text, due: x.due, evidence: evidenceFor(a), source: this.src(a.doc, x.source) })),
    );

    const narratives: NarrativeLine[] = [];
    for (const ind of indicators) {
      const up = this.updates?.latestApproved(ind.id);
      if (up) narratives.push({ title: ind.title, text: up.narrative, period: up.period, origin: 'approved update', source: { document: 'updates', title: `Update by ${up.reporter}`, date: isoDay(up.approvedAt), section: ind.title } });
    }
    for (const a of activities) {
      const up = this.updates?.latestApproved(a.id);
      if (up) narratives.push({ title: a.title, text: up.narrative, period: up.period, origin: 'approved update', source: { document: 'updates', title: `Update by ${up.reporter}`, date: isoDay(up.approvedAt), section: a.title } });
    }
    narratives.sort((x, y) => (y.source.date < x.source.date ? -1 : 1));
    const planSummary: NarrativeLine[] = (fromDoc ? [...pris].sort((a, b) => Number(b.doc === fromDoc) - Number(a.doc === fromDoc)) : pris).flatMap((p) => p.summary.map((s) => ({ title: 'Summary', text: squash(s.text), period: s.period, origin: 'document' as const, source: this.src(p.doc, s.source) })));
    // The report's own summary of the priority first: it says in a paragraph what the rest adds up to.
    narratives.push(...planSummary);
    for (const a of activities) {
      const p = a.progress[a.progress.length - 1];
      if (p) narratives.push({ title: a.title, text: squash(p.text), period: p.period, origin: 'document', source: this.src(a.doc, p.source) });
    }
    for (const ind of indicators) {
      const c = ind.commentary[ind.commentary.length - 1];
      if (c) narratives.push({ title: ind.title, text: squash(c.text), period: c.period, origin: 'document', source: this.src(ind.doc, c.source) });
    }
    for (const x of this.knowledge.passages.filter((x) => x.priority && ids.has(x.priority))) {
      narratives.push({ title: x.heading ?? x.source.section, text: squash(x.text), period: x.period, origin: 'document', source: this.src(x.doc, x.source) });
    }

    const leads = [...new Set([...indicators, ...activities].flatMap((r) => [...r.leads, r.leadOrganisation].filter((x): x is string => !!x)))];
    const outcomes = [...new Set(pris.flatMap((p) => p.outcomes.map((o) => (o.code ? `${o.code}: ${o.text}` : o.text))))];
    const success = [...new Set(pris.flatMap((p) => p.success))];
    const late = this.lateUpdates?.(planId, number, now) ?? [];
    const exceptions = exceptionsOf(indicatorLines, actions, late, asAt);
    const fromIt = (x: NarrativeLine) => x.source.document === fromDoc;
    const report = fromDoc ? (planSummary.find(fromIt) ?? narratives.find(fromIt)) : undefined;
    const said = report && { by: this.docs.get(fromDoc!)?.shortTitle ?? this.docs.get(fromDoc!)?.title ?? fromDoc!, text: report.text };
    const headline = headlineOf({ authorityName: this.catalogue.authorityName(plan.authority), planTitle: plan.title, number, title, rollup, exceptions, outcomes, said, actions: actions.length });
    const sources = [...new Map(pris.map((p) => [p.doc, this.src(p.doc, p.source)])).values()];
    // After approved updates (the newest facts), a report the request named tells the progress first (a stable sort
    // keeps each document's order).
    const rank = (x: NarrativeLine) => (x.origin === 'approved update' ? 2 : x.source.document === fromDoc ? 1 : 0);
    const uniqueNarratives = dedupe(fromDoc ? [...narratives].sort((a, b) => rank(b) - rank(a)) : narratives);
    const summary: PrioritySummary = {
      planId,
      planTitle: plan.title,
      authority: plan.authority,
      authorityName: this.catalogue.authorityName(plan.authority),
      authorityPlace: this.catalogue.authorityPlace(plan.authority),
      number,
      title,
      priorityIds: [...ids],
      headline,
      outcomes,
      success,
      indicators: indicatorLines,
      rollup,
      activities: activities.map((a) => ({ title: a.title, lead: [a.leads.join(', '), a.leadOrganisation].filter(Boolean).join(' — ') || undefined, governance: a.governanceGroup, source: this.src(a.doc, a.source) })),
      actions,
      narratives: uniqueNarratives,
      planSummary,
      leads,
      sources,
      asAt,
      noTargets,
      exceptions,
      progress: progressOf(uniqueNarratives),
      lateUpdates: late,
    };
    if (since) summary.changes = { since: since.from, label: since.label, entries: this.changes([...ids], since) };
    return summary;
  }

  /**
   * What changed in these priorities (by id) since a date: updates (approved ones; unreviewed ones only for the
   * reader who may see them, see seenBy), the plans' figures, RAG changes, newest first.
   */
  changes(priorityIds: string[], since: Since) {
    const ids = new Set(priorityIds);
    const inPriority = <T extends { priority?: string }>(xs: T[]) => xs.filter((x) => x.priority && ids.has(x.priority));
    return findChanges({
      since,
      indicators: inPriority(this.knowledge.indicators),
      activities: inPriority(this.knowledge.activities),
      submissions: this.updates?.all?.() ?? [],
      sees: this.sees,
      cite: (doc, s) => this.src(doc, s),
    });
  }

  /** The priorities of a plan (or of every plan) as plan, number, title and ids: what a "what changed" report walks. */
  priorityKeys(planId?: string): { planId: string; number: number }[] {
    const keys = new Map<string, { planId: string; number: number }>();
    for (const p of this.knowledge.priorities) if (!planId || p.plan === planId) keys.set(`${p.plan}#${p.number}`, { planId: p.plan, number: p.number });
    return [...keys.values()];
  }

  /** One priority's plan, title and ids, for labels. */
  priorityInfo(planId: string, number: number): { planTitle: string; authority: Authority; authorityLabel: string; title: string; ids: string[] } | undefined {
    const plan = this.plans.get(planId);
    const pris = this.knowledge.priorities.filter((p) => p.plan === planId && p.number === number);
    if (!plan || !pris.length) return undefined;
    return { planTitle: plan.title, authority: plan.authority, authorityLabel: this.catalogue.authorityLabel(plan.authority), title: pris.find((p) => p.title)?.title ?? `Priority ${number}`, ids: pris.map((p) => p.id) };
  }

  private indicatorLine(ind: WithDoc<Indicator>): IndicatorLine {
    const latest = latestFigure(ind);
    const previous = previousFigure(ind, latest);
    const update = this.updates?.latestApproved(ind.id);
    const latestValue = update?.value ?? latest?.value;
    const prevValue = update?.value ? latest?.value : previous?.value;
    const withPeriod = (v?: string, p?: string) => (v ? `${v}${p ? ` (${p})` : ''}` : undefined);
    return {
      id: ind.id,
      title: ind.title,
      latest: update?.value ? withPeriod(update.value, update.period) : withPeriod(latest?.value, latest?.period),
      previous: update?.value ? withPeriod(latest?.value, latest?.period) : withPeriod(previous?.value, previous?.period),
      target: withPeriod(ind.target?.value, ind.target?.period),
      national: withPeriod(ind.national?.value, ind.national?.period),
      polarity: ind.polarity,
      status: targetStatus(ind.polarity, latestValue, ind.target?.value, ind.national?.value, prevValue),
      direction: direction(ind.polarity, latestValue, prevValue),
      lead: [ind.leads.join(', '), ind.leadOrganisation].filter(Boolean).join(' — ') || undefined,
      update,
      source: this.src(ind.doc, ind.source),
    };
  }

}


/**
 * Narratives without repeats: the same paragraph of the plans filed under a priority and one of its activities (or
 * in two documents) is said once. Approved updates are all kept: each is someone's report on its own item.
 */
function dedupe(narratives: NarrativeLine[]): NarrativeLine[] {
  const seen = new Set<string>();
  return narratives.filter((n) => {
    if (n.origin === 'approved update') return true;
    const k = normalise(n.text).replace(/[^a-z0-9]+/g, ' ').trim();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Text cut at a word before `max` characters, with "…" when anything was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max).replace(/\s+\S*$/, '').replace(/[\s,;:.–—-]+$/, '') + '…';
}

/**
 * The last day a key action's due date allows, as an ISO date: the last month named ("Between October 2016 and
 * end March 2017" -> 2017-03-31), else a period ("2016/17", "Q4 2016/17"); undefined for "Ongoing" and the like.
 */
export function dueBy(due: string): string | undefined {
  const months = [...due.toLowerCase().matchAll(/\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(20\d\d)\b/g)];
  const last = months[months.length - 1];
  if (last) {
    const m = MONTHS.indexOf(last[1]);
    return isoDay(new Date(Date.UTC(Number(last[2]), m + 1, 0)));
  }
  return periodEnd(due);
}

const withPeriod = (v?: string) => v ?? 'no figure';

/** The exceptions a manager must act on, most serious first: off target, worse, key actions past due with no progress, late updates. */
function exceptionsOf(indicators: IndicatorLine[], actions: ActionLine[], late: LateUpdate[], asAt: string): ExceptionLine[] {
  const out: ExceptionLine[] = [];
  for (const i of indicators.filter((x) => x.status === 'off target')) {
    out.push({ kind: 'off target', title: i.title, detail: `${withPeriod(i.latest)} against a target of ${i.target}${i.direction === 'worse' ? `, worse than ${i.previous}` : ''}`, source: i.source });
  }
  for (const i of indicators.filter((x) => x.status !== 'off target' && x.direction === 'worse')) {
    out.push({ kind: 'worse', title: i.title, detail: `${withPeriod(i.latest)}, worse than ${i.previous}`, source: i.source });
  }
  for (const a of actions) {
    const by = a.due ? dueBy(a.due) : undefined;
    if (by && by < asAt && !a.evidence) out.push({ kind: 'past due', title: a.text, detail: `due ${a.due}; no progress recorded (${a.activity})`, source: a.source });
  }
  if (late.length) {
    const named = late.slice(0, SUMMARY_LIMITS.lateNamed).map((l) => `${l.title}${l.leads.length ? ` (${l.leads.join(', ')})` : ''}`);
    const more = late.length - named.length;
    const periods = [...new Set(late.map((l) => l.period))].join(', ');
    const due = late.map((l) => l.due).sort()[0];
    out.push({ kind: 'updates overdue', title: plural(late.length, 'update') + ' overdue', detail: `for ${periods}, due ${due}: ${named.join('; ')}${more ? `; and ${more} more` : ''}` });
  }
  return out;
}

/**
 * The summary's opening message, as a manager skims it: which priority, what needs attention, what it is for (its
 * outcomes), then the counts that are not zero. The card below has every line.
 */
function headlineOf(p: {
  authorityName: string;
  planTitle: string;
  number: number;
  title: string;
  rollup: PrioritySummary['rollup'];
  exceptions: ExceptionLine[];
  outcomes: string[];
  /** A named report's own account of the priority: it leads instead of the outcomes. */
  said?: { by: string; text: string };
  actions: number;
}): string {
  const r = p.rollup;
  const kinds: [ExceptionLine['kind'], string][] = [['off target', 'off target'], ['worse', 'getting worse'], ['past due', 'past due'], ['updates overdue', 'overdue']];
  const attention = p.exceptions.length
    ? `Needs attention: ${kinds
        .map(([k, words]) => {
          const n = k === 'updates overdue' ? late(p.exceptions) : p.exceptions.filter((e) => e.kind === k).length;
          return n ? `${plural(n, k === 'past due' ? 'key action' : k === 'updates overdue' ? 'update' : 'indicator')} ${words}` : '';
        })
        .filter(Boolean)
        .join(', ')}.`
    : 'Nothing needs attention: nothing is off target, getting worse or past due.';
  const said = p.said ? ` ${p.said.by} says: ${clip(p.said.text, SUMMARY_LIMITS.headlineOutcomes)}` : '';
  const outcomes = !said && p.outcomes.length ? ` Outcomes: ${clip(p.outcomes.map((o) => o.replace(/[\s.:;,]+$/, '')).join('; '), SUMMARY_LIMITS.headlineOutcomes)}.` : '';
  const judged = r.onTarget + r.offTarget;
  const counts = !r.indicators
    ? 'No indicators with figures are recorded.'
    : `${plural(r.indicators, 'indicator')}: ${[judged ? `${r.onTarget} on target, ${r.offTarget} off target` : 'none judged against a target', r.improving ? `${r.improving} improving` : '', r.worse ? `${r.worse} worse` : ''].filter(Boolean).join(', ')}.`;
  const actions = p.actions ? ` ${plural(p.actions, 'key action')}.` : '';
  return `${p.authorityName}, ${p.planTitle}, priority ${p.number}: ${p.title}. ${attention}${said}${outcomes} ${counts}${actions}`;
}

/** How many updates the "updates overdue" exception stands for ("3 updates overdue"). */
function late(exceptions: ExceptionLine[]): number {
  const e = exceptions.find((x) => x.kind === 'updates overdue');
  return e ? Number(e.title.match(/^\d+/)?.[0] ?? 1) : 0;
}

/**
 * A few lines of progress: approved updates first (newest first), then the report's own summary of the priority
 * (its first paragraph only: the others say more of the same), then the latest narratives of its activities.
 */
function progressOf(narratives: NarrativeLine[]): ProgressLine[] {
  const firstSummary = narratives.find((n) => n.origin === 'document' && n.title === 'Summary');
  const chosen = narratives.filter((n) => n.origin === 'approved update' || n === firstSummary || n.title !== 'Summary');
  return chosen.slice(0, SUMMARY_LIMITS.progressLines).map((n) => ({
    title: n.title,
    text: clip(n.text, SUMMARY_LIMITS.progressChars),
    period: n.period ?? n.source.date,
    origin: n.origin,
    source: n.source,
  }));
}

