/**
 * What every step of answering reads: the index, the documents and
 * priorities by id, approved updates, and the few ways of quoting and citing
 * a record that every composer shares.
 */
import type { Knowledge, WithDoc } from '../loader';
import type { Activity, Indicator, Priority, Source, SourceDocument } from '../schema';
import { catalogueOf, type Catalogue } from '../catalogue';
import type { GlossaryRecord, Hit, IndexedRecord, SearchIndex, Unit } from '../search';
import type { Understanding } from '../understand';
import { hasQuantity, LEANS_ON_PREVIOUS, periodsIn, type YearSpan } from '../text';
import { ANSWER_TUNING } from './tuning';
import type { Answer, AnswerSource, UpdatesView } from './types';
import { FIGURE_INTENTS, truncate } from './words';

export class AnswerEnv {
  readonly docs: Map<string, SourceDocument>;
  readonly priorities: Map<string, WithDoc<Priority>>;

  constructor(
    readonly index: SearchIndex,
    readonly updates?: UpdatesView,
    /** Names of plans, documents and authorities, and which figures are newest: from the YAML (catalogue.ts). */
    readonly catalogue: Catalogue = catalogueOf(index.knowledge),
  ) {
    this.docs = new Map(index.knowledge.documents.map((d) => [d.id, d]));
    this.priorities = new Map(index.knowledge.priorities.map((p) => [p.id, p]));
  }

  get knowledge(): Knowledge {
    return this.index.knowledge;
  }

  /**
   * The sentence with the sentences after it in the same passage, whole, while
   * they fit in about `budget` characters: in the plans what happened, the
   * figures and what comes next usually follow the sentence that names the
   * thing ("Peer review in June 2017 … Strengths identified: …"). A sentence
   * that continues the thought ("This increased to …") is always kept, and the
   * one before is added when this one leans on it ("This …").
   */
  sentenceWithContext(unit: Unit, budget: number = ANSWER_TUNING.quote.figure): string {
    // A function of the knowledge, asked for the same sentences by requirements and composers answer after answer.
    let byBudget = this.withContext.get(unit);
    if (!byBudget) this.withContext.set(unit, (byBudget = new Map()));
    let s = byBudget.get(budget);
    if (s === undefined) byBudget.set(budget, (s = this.readWithContext(unit, budget)));
    return s;
  }

  /** sentenceWithContext of each sentence of the plans, by budget. */
  private readonly withContext = new WeakMap<Unit, Map<number, string>>();

  private readWithContext(unit: Unit, budget: number): string {
    const most = ANSWER_TUNING.quote.most;
    const around = this.index.neighbours(unit);
    const i = around.findIndex((x) => x.id === unit.id);
    let s = unit.text;
    // "…five areas for change to:" is followed by its list: include it.
    if (s.endsWith(':')) {
      for (const n of around.slice(i + 1)) {
        if (s.length + n.text.length > most) break;
        s += ' ' + n.text;
      }
      return s;
    }
    for (const [k, n] of around.slice(i + 1).entries()) {
      const continues = k === 0 && (/^(this|it|these|that|however|which|but|and|although|whilst|while|as a result|in addition|since)\b/i.test(n.text) || s.length < ANSWER_TUNING.quote.tooShort);
      if (!continues && s.length + n.text.length + 1 > budget) break;
      if (s.length + n.text.length + 1 > most) break;
      s += ' ' + n.text;
    }
    const prev = around[i - 1];
    if (prev && LEANS_ON_PREVIOUS.test(unit.text) && prev.text.length < ANSWER_TUNING.quote.pointedBackTo) s = prev.text + ' ' + s;
    return s;
  }

  sourceOf(r: IndexedRecord, unit?: Unit): AnswerSource {
    if (r.kind === 'glossary') {
      const g = r.record;
      const gd = g.source ? this.docs.get(g.source.document) : undefined;
      return { document: gd?.id ?? 'glossary', title: gd?.title ?? 'Glossary', short: gd?.shortTitle, date: gd?.date ?? '', section: g.source?.section ?? 'Glossary' };
    }
    const d = this.docs.get(r.doc);
    let source: Source | undefined;
    if (unit && unit.field === 'text') {
      const narratives: { source: Source }[] =
        r.kind === 'activity' ? r.record.progress : r.kind === 'indicator' ? r.record.commentary : r.kind === 'priority' ? r.record.summary : [{ source: r.record.source }];
      source = narratives[unit.group - 10]?.source;
    }
    if (unit && unit.field === 'action' && r.kind === 'activity') source = r.record.actions[unit.position]?.source;
    source ??= r.record.source;
    return { document: r.doc, title: d?.title ?? r.doc, short: d?.shortTitle, date: d?.date ?? '', section: source?.section ?? '', ref: source?.ref };
  }

  leadsOf(r: IndexedRecord): string[] {
    if (r.kind !== 'activity' && r.kind !== 'indicator') return [];
    const out: string[] = [];
    if (r.record.leads.length) out.push(r.record.leads.join(', '));
    if (r.record.leadOrganisation) out.push(r.record.leadOrganisation);
    return out;
  }

  suggestionsFor(r: IndexedRecord): string[] {
    const out: string[] = [];
    if (this.leadsOf(r).length) out.push('Who leads this?');
    // A trend: several figures, in this record or across the records that carry its measure on (`continues`).
    if (r.kind === 'indicator' && (r.record.values.length > 1 || this.catalogue.measures.series(r.id).length > 1)) out.push('Show the trend');
    if (r.kind === 'indicator' && r.record.target) out.push('And the target?');
    if (r.priorityNumber) out.push(`Summarise priority ${r.priorityNumber} ${this.catalogue.planPhrase(r.plan)}`);
    return out.slice(0, 3);
  }

  addActivityFacts(a: Answer, act: Activity) {
    if (act.leads.length) a.facts.push({ label: 'Named leads', value: act.leads.join(', ') });
    if (act.leadOrganisation) a.facts.push({ label: 'Lead organisation', value: act.leadOrganisation });
    if (act.governanceGroup) a.facts.push({ label: 'Governance group', value: act.governanceGroup });
    // The strategy it delivers, as the plan names it ("NCC Transitions Protocol (currently being refreshed)").
    if (act.strategicPlan) a.facts.push({ label: 'Strategic plan', value: act.strategicPlan });
  }

  addPlanFacts(a: Answer, r: IndexedRecord) {
    const d = this.docs.get(r.doc);
    const p = r.priorityId ? this.priorities.get(r.priorityId) : undefined;
    // The priority is named by the source's section ("Priority 2, 2.a iii)"); it is only added when that does not say it.
    const section = this.sourceOf(r).section;
    if (p && !/\bpriority\s*\d/i.test(section)) a.facts.push({ label: 'Priority', value: truncate(`${p.number}${p.title ? `. ${p.title}` : ''}`, ANSWER_TUNING.names.choice) });
    // The authority when the document's short name does not say it.
    if (d && !/\b(county|city)\b/i.test(d.shortTitle ?? '')) a.facts.push({ label: 'Authority', value: this.catalogue.authorityName(d.authority) });
  }

  choiceTitle(r: IndexedRecord): string {
    return `${truncate(r.title, ANSWER_TUNING.names.choice)} (${this.catalogue.authorityLabel(r.authority)})`;
  }

  /** A question that will find the record again when a choice is clicked. */
  queryFor(r: IndexedRecord): string {
    return `${truncate(r.title, ANSWER_TUNING.names.query)} in ${this.catalogue.authorityPhrase(r.authority)}`;
  }

  /**
   * Periods a hit can speak for. A sentence that names a period speaks for
   * that period only ("During 2016, 238 …" is not a 2017 figure). An
   * indicator's name speaks for the periods of its figures. Otherwise, for a
   * figure the document's own period and date count; for other questions the
   * passage around the sentence does too ("… will be formed in 2018/19" can
   * answer what is planned for 2018/19, never what a figure was).
   */
  periodsAround(h: Hit, u: Understanding): readonly YearSpan[] {
    const forFigure = FIGURE_INTENTS.has(u.intent);
    let around = this.aroundUnit.get(h.unit);
    if (!around) this.aroundUnit.set(h.unit, (around = {}));
    const key = forFigure ? 'figure' : 'other';
    return (around[key] ??= this.readPeriodsAround(h, forFigure));
  }

  /** periodsAround of each sentence of the plans, for figure questions and for the others: a function of the knowledge. */
  private readonly aroundUnit = new WeakMap<Unit, { figure?: readonly YearSpan[]; other?: readonly YearSpan[] }>();

  private readPeriodsAround(h: Hit, forFigure: boolean): readonly YearSpan[] {
    const own = this.periodsInPlans(h.unit.text);
    if (own.length) return own;
    const d = this.docs.get(h.record.doc);
    if (h.record.kind === 'indicator') {
      const ind: Indicator = h.record.record;
      if (ind.values.length) {
        const texts = ind.values.flatMap((v) => [v.period ?? '', v.note ?? '']);
        if (ind.target?.period) texts.push(ind.target.period);
        const periods = periodsIn(texts.join(' '));
        if (periods.length) return periods;
      }
      // An indicator with no figures has a figure for no period, whatever its document covers.
      if (!ind.values.length && forFigure) return [];
    }
    const texts = [h.record.title, d?.date ?? '', d?.period ?? ''];
    if (!forFigure) texts.push(...this.index.neighbours(h.unit).map((n) => n.text));
    return periodsIn(texts.join(' '));
  }

  /**
   * periodsIn of a text of the plans (a sentence, a figure's period): what it says depends on the knowledge alone, and
   * reranking, requirements and composers ask about the same texts answer after answer, so each is read once. Only the
   * plans' own texts come here, never a question's. The result is shared: callers must not change it.
   */
  periodsInPlans(text: string): readonly YearSpan[] {
    let periods = this.planPeriods.get(text);
    if (!periods) this.planPeriods.set(text, (periods = periodsIn(text)));
    return periods;
  }

  private readonly planPeriods = new Map<string, readonly YearSpan[]>();

  /** hasQuantity of a sentence of the plans, read once per sentence (the figure and period requirements and the composers ask). */
  statesQuantity(unit: Unit): boolean {
    let states = this.quantityIn.get(unit);
    if (states === undefined) this.quantityIn.set(unit, (states = hasQuantity(unit.text)));
    return states;
  }

  private readonly quantityIn = new WeakMap<Unit, boolean>();

  private readonly definitions = new Map<string, GlossaryRecord | undefined>();

  /** Finds "Long Name (ABC)" in the plans' text when the glossary lacks the term (cached: it scans every unit). */
  definitionInText(term: string): GlossaryRecord | undefined {
    const key = term.toLowerCase();
    if (!this.definitions.has(key)) {
      if (this.definitions.size > ANSWER_TUNING.definitionCache) this.definitions.clear();
      this.definitions.set(key, /^[a-z0-9&]{2,10}$/.test(key) ? this.findDefinition(key) : undefined);
    }
    return this.definitions.get(key);
  }

  private findDefinition(term: string): GlossaryRecord | undefined {
    const re = new RegExp(`((?:[A-Z][\\w'’-]*\\s+(?:(?:and|of|for|to|the|in|&)\\s+)*){1,8})\\(${term}\\)`, 'i');
    for (const u of this.index.units) {
      const m = u.text.match(re);
      if (m && m[1].trim()) {
        const words = m[1].trim().split(/\s+/);
        const letters = term.replace(/[^a-z]/gi, '').length;
        // Keep as many capitalised words as the acronym has letters (roughly).
        const meaning = words.slice(-Math.max(letters, 2)).join(' ').replace(/^(and|of|for|to|the|in)\s+/i, '');
        return { term: term.toUpperCase(), meanings: [meaning], synonyms: [] };
      }
    }
    // Spelled out without the acronym beside it ("Paediatric Sexual Assault and Referral Centre" for SARC):
    // capitalised words whose initials spell it, small joining words skipped. Three letters at least, so
    // two capitalised words in a row are never taken for an acronym.
    const letters = term.toUpperCase().replace(/[^A-Z]/g, '');
    if (letters.length < 3 || letters.length !== term.length) return undefined;
    const spelled = new RegExp(`\\b${[...letters].map((l) => `${l}[a-z'’-]+`).join(`\\s+(?:(?:and|of|for|to|the|in|&)\\s+)?`)}\\b`);
    for (const u of this.index.units) {
      const m = u.text.match(spelled);
      if (m) return { term: letters, meanings: [m[0]], synonyms: [] };
    }
    return undefined;
  }
}
