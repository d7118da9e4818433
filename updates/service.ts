/**
 * The progress-update service: finding the item an update is about, building
 * and saving a submission, reviewing, and who may do what. Plain TypeScript;
 * the dialogs and cards call it and render its results.
 */
import { createHash } from 'node:crypto';
import type { Knowledge, WithDoc } from '../knowledge/loader';
import type { Activity, Indicator, Priority, ReportingCalendar } from '../knowledge/schema';
import type { SearchIndex } from '../knowledge/search';
import { understand, updateSubject } from '../knowledge/understand';
import { latestFigure } from '../knowledge/figures';
import { catalogueOf } from '../knowledge/catalogue';
import type { PublishedUpdates } from './published';
import { updatesVisibleTo, type SeesUpdate } from './visibility';
import { cleanText } from './validation';
import { ledByAny, PeopleDirectory, type Identity } from '../knowledge/people';
import { answerable, leadsOf } from './leads';
import type { Draft, NewSubmission, Person, ReviewDecision, ReviewResult, Submission, UpdateItem, UpdateStore } from './types';

// The service's types live in types.ts (due.ts and visibility.ts need them without the service); re-exported for its callers.
export type { Draft, UpdateItem } from './types';

export type SubmitPolicy = 'anyone' | 'leads';

export interface UpdateServiceOptions {
  reviewers: string[];
  /** anyone: any member of the tenant may submit; leads: only named leads, for their own items. */
  submitPolicy?: SubmitPolicy;
  /** The plans' named leads and their ids (people.yaml): who a lead is. Default: nobody has an id. */
  people?: PeopleDirectory;
}

export class UpdateService {
  private readonly items = new Map<string, UpdateItem>();

  constructor(
    private readonly knowledge: Knowledge,
    private readonly index: SearchIndex,
    readonly store: UpdateStore,
    readonly published: PublishedUpdates,
    private readonly options: UpdateServiceOptions,
  ) {
    const priorities = new Map(knowledge.priorities.map((p) => [p.id, p]));
    const plans = new Map(knowledge.plans.map((p) => [p.id, p]));
    const catalogue = catalogueOf(knowledge);
    const add = (r: WithDoc<Indicator> | WithDoc<Activity>, kind: 'indicator' | 'activity') => {
      const p = priorities.get(r.priority) as WithDoc<Priority> | undefined;
      if (!p) return;
      const ind = kind === 'indicator' ? (r as Indicator) : undefined;
      this.items.set(r.id, {
        id: r.id,
        kind,
        title: r.title,
        planId: p.plan,
        priorityId: p.id,
        priorityNumber: p.number,
        authority: plans.get(p.plan)?.authority ?? 'county',
        authorityLabel: catalogue.authorityLabel(plans.get(p.plan)?.authority ?? 'county'),
        planShort: shortName(plans.get(p.plan)),
        unit: ind?.unit,
        polarity: ind?.polarity ?? 'none',
        previous: ind ? latestFigure(ind)?.value : undefined,
        ...leadsOf(r, this.people),
      });
    };
    for (const x of knowledge.indicators) add(x, 'indicator');
    for (const x of knowledge.activities) add(x, 'activity');
  }

  item(id: string): UpdateItem | undefined {
    const it = this.items.get(id);
    if (!it) return undefined;
    const latest = this.published.latestApproved(id);
    return latest?.value ? { ...it, previous: latest.value } : it;
  }

  /** Every activity and indicator an update can be about (the plans' own figures, not approved updates). */
  allItems(): UpdateItem[] {
    return [...this.items.values()];
  }

  /** Every item, grouped by plan (in the order the plans are listed) and priority: the one-card form's full list. */
  itemsByPlan(): UpdateItem[] {
    const order = new Map(this.knowledge.plans.map((p, i) => [p.id, i]));
    // Array sort is stable: within a priority, items keep the knowledge's order (indicators, then activities).
    return this.allItems().sort((a, b) => (order.get(a.planId) ?? 99) - (order.get(b.planId) ?? 99) || a.priorityNumber - b.priorityNumber);
  }

  /** Each plan's reporting calendar, by plan id; a plan without one is never chased. */
  reportingCalendars(): Map<string, ReportingCalendar> {
    return new Map(this.knowledge.plans.flatMap((p) => (p.reporting ? [[p.id, p.reporting] as const] : [])));
  }

  plan(planId: string): { id: string; title: string; authority: string; authorityLabel: string } | undefined {
    return this.plans().find((p) => p.id === planId);
  }

  /** The plans' named leads and their ids. */
  get people(): PeopleDirectory {
    return this.options.people ?? (this.noPeople ??= PeopleDirectory.empty());
  }
  private noPeople?: PeopleDirectory;

  /** The leads (as named in the plans) this person is, by id (people.yaml); never by their display name. */
  leadsOf(person: Identity): ReadonlySet<string> {
    return this.people.leadNamesOf(person);
  }

  /** Items whose named leads include this person (by id): offered first. */
  ownItems(person: Identity, limit = 6): UpdateItem[] {
    const leads = this.leadsOf(person);
    if (!leads.size) return [];
    return [...this.items.values()].filter((i) => ledByAny(answerable(i), leads)).slice(0, limit);
  }

  /** Fuzzy search over activities and indicators for what the lead typed. */
  search(text: string, limit = 5): { item: UpdateItem; confidence: number }[] {
    const u = understand(updateSubject(text), catalogueOf(this.knowledge));
    const concepts = this.index.concepts(u.searchText);
    if (!concepts.length) return [];
    const seen = new Set<string>();
    const out: { item: UpdateItem; confidence: number }[] = [];
    for (const h of this.index.search(concepts, { authority: u.authority, limit: 60 })) {
      const item = this.items.get(h.record.id);
      if (!item || seen.has(item.id) || h.coverage < 0.5) continue;
      seen.add(item.id);
      out.push({ item, confidence: h.coverage });
      if (out.length === limit) break;
    }
    return out;
  }

  plans(): { id: string; title: string; authority: string; authorityLabel: string }[] {
    const catalogue = catalogueOf(this.knowledge);
    return this.knowledge.plans.map((p) => ({ id: p.id, title: p.title, authority: p.authority, authorityLabel: catalogue.authorityLabel(p.authority) }));
  }

  priorities(planId: string): { id: string; number: number; title: string }[] {
    const byNumber = new Map<number, { id: string; number: number; title: string }>();
    for (const p of this.knowledge.priorities.filter((x) => x.plan === planId)) {
      // Several documents report on the same priority: one choice per number, preferring a titled one.
      const cur = byNumber.get(p.number);
      if (!cur || (!cur.title && p.title)) byNumber.set(p.number, { id: p.id, number: p.number, title: p.title ?? `Priority ${p.number}` });
    }
    return [...byNumber.values()].sort((a, b) => a.number - b.number);
  }

  itemsIn(planId: string, priorityNumber: number): UpdateItem[] {
    return [...this.items.values()].filter((i) => i.planId === planId && i.priorityNumber === priorityNumber);
  }

  /**
   * Whether this person may approve or return updates: listed in REVIEWERS by AAD object id or
   * channel user id. Never by display name: names are not unique, and are whatever the account says
   * (a name that happens to be a reviewer's id makes nobody a reviewer). A blank id is no id.
   */
  isReviewer(person: Person & { aadObjectId?: string; channelUserId?: string }): boolean {
    const norm = (x: string) => x.trim().toLowerCase();
    const ids = [person.id, person.aadObjectId, person.channelUserId].filter((x): x is string => typeof x === 'string' && !!x.trim()).map(norm);
    return this.options.reviewers.some((r) => !!r.trim() && ids.includes(norm(r)));
  }

  /** Which updates this person may see (updates/visibility.ts): approved ones, their own, and all of them for a reviewer. */
  visibleTo(person: Person & { aadObjectId?: string; channelUserId?: string }): SeesUpdate {
    return updatesVisibleTo(person.id, this.isReviewer(person));
  }

  /**
   * Whether this person may submit for this item under the configured policy; a reason when not.
   * With `leads`, only a named lead of the item, recognised by id (people.yaml): a display name never
   * counts. When none of the item's leads has an id, nobody can be recognised: say whom to ask.
   */
  maySubmit(person: Identity, item: UpdateItem): { ok: true } | { ok: false; message: string } {
    if ((this.options.submitPolicy ?? 'anyone') === 'anyone') return { ok: true };
    const who = answerable(item);
    if (ledByAny(who, this.leadsOf(person))) return { ok: true };
    const contact = this.people.contact;
    const organisations = item.organisations.map((o) => o.name).join(', ');
    if (!who.length) {
      return item.organisations.length
        ? { ok: false, message: `The plans name no person as lead of "${item.title}", only ${organisations}, so I can't tell who may report on it. Ask ${contact} to name a contact for it in the list of leads (people.yaml).` }
        : { ok: false, message: `The plans name no lead for "${item.title}", so I can't tell who may report on it. Ask ${contact} to add its lead to the list of leads, with their Teams account.` };
    }
    const named = who.join(', ');
    if (!who.some((l) => this.people.hasId(l))) {
      return { ok: false, message: `Only the named leads can report on "${item.title}" (${named}), and I don't know their Teams account yet, so I can't tell whether that is you. Ask ${contact} to add ${who.length === 1 ? 'them' : 'the leads'} to the list of leads (people.yaml) with their Teams id.` };
    }
    return { ok: false, message: `Only the named leads can report on "${item.title}" (${named}). If you should be one, ask ${contact} to add you to the list of leads.` };
  }

  /** Saves a complete draft. Resolves once the submission is committed. */
  async submit(draft: Draft, person: Person, idempotencyKey: string): Promise<{ submission: Submission; duplicate: boolean }> {
    const item = draft.itemId ? this.items.get(draft.itemId) : undefined;
    if (!item || !draft.period || !draft.status || !draft.narrative) throw new Error('incomplete draft');
    const s: NewSubmission = {
      idempotencyKey,
      recordId: item.id,
      recordKind: item.kind,
      recordTitle: item.title,
      planId: item.planId,
      priorityId: item.priorityId,
      value: item.kind === 'indicator' ? draft.value : undefined,
      unit: item.kind === 'indicator' ? item.unit : undefined,
      period: draft.period,
      status: draft.status,
      narrative: draft.narrative,
      reason: draft.reason,
      recovery: draft.recovery,
      evidence: draft.evidence,
      submitter: { id: person.id, name: cleanText(person.name).replace(/\s+/g, ' ') },
      ...(draft.carriedForward ? { carriedForward: true } : {}),
    };
    let r: { submission: Submission; duplicate: boolean };
    try {
      r = await this.store.submit(s);
    } catch (err) {
      throw new SaveFailedError(err);
    }
    if (!r.duplicate) this.published.apply(r.submission);
    return r;
  }

  async review(id: string, decision: ReviewDecision, reviewer: Person, comment?: string): Promise<ReviewResult> {
    // Nothing invisible is stored: no control, bidi or zero-width characters in the comment or the reviewer's name.
    const r = await this.store.review(id, decision, { id: reviewer.id, name: cleanText(reviewer.name).replace(/\s+/g, ' ') }, comment === undefined ? undefined : cleanText(comment));
    if (r.ok) this.published.apply(r.submission);
    return r;
  }
}

/** A plan's short name: its first alias without "plan" ("CYPF", "CYPP", "Council"), else its title. */
function shortName(plan: { title: string; aliases?: string[] } | undefined): string | undefined {
  if (!plan) return undefined;
  const a = (plan.aliases?.[0] ?? plan.title).replace(/\s+plan$/i, '') || plan.title;
  return a.charAt(0).toUpperCase() + a.slice(1);
}

/**
 * A submission could not be saved (the database unreachable or too slow, or
 * a fault): its transaction did not commit, so the user is told nothing was
 * saved and to try again; the idempotency key makes the retry safe.
 */
export class SaveFailedError extends Error {
  static readonly userMessage = "I couldn't save that just now, nothing was saved, please try again.";
  constructor(cause: unknown) {
    super(`saving the update failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SaveFailedError';
  }
}

/**
 * The key a card's or dialog's submission is saved under: its own key (the form id, the dialog's
 * confirm key) within the conversation it was sent in. The store scopes it to the submitter too, so a
 * key someone else replays is theirs alone: it never finds, or blocks, another user's submission.
 * The conversation id is hashed: ids can be long, and the key must stay within the store's limit.
 */
export function idempotencyKey(source: 'form' | 'dialog', conversationId: string, key: string): string {
  return `${source}:${createHash('sha256').update(conversationId).digest('base64url').slice(0, 16)}:${key}`;
}

/** A short reference people can quote: the first 8 characters of the id. */
export function reference(s: Pick<Submission, 'id'>): string {
  return s.id.slice(0, 8).toUpperCase();
}
