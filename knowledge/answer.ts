/**
 * Answers a question from the knowledge, as a careful analyst would: the
 * exact words and figures of the plans, their period, how they compare, who
 * leads, and where they come from. Below the confidence threshold it says it
 * could not find the answer and offers choices; it never guesses a figure.
 *
 * Plain TypeScript: no botbuilder. The bot layer only renders an Answer.
 */
import type { Knowledge, WithDoc } from './loader';
import { AUTHORITY_NAMES, type Activity, type Authority, type Figure, type Indicator, type Passage, type Priority, type SourceDocument, type Source } from './schema';
import { editDistance, SearchIndex, type Concept, type Hit, type IndexedRecord, type GlossaryRecord, type Unit } from './search';
import { understand, updateSubject, UNDERSTANDING_WORDS, type Understanding, type Intent } from './understand';
import { direction, latestFigure, polarityWords, previousFigure, targetStatus } from './figures';
import { contentTokens, expandShortForms, hasQuantity, normalise, periodMatches, periodsIn, squash, stem, STOP_WORDS, LEANS_ON_PREVIOUS, type YearSpan } from './text';

/** Coverage of the question's weighted meaning below which the bot says it could not find it. */
export const CONFIDENCE_THRESHOLD = 0.6;
/** How many units a question's search returns: enough to rerank by what the intent needs and offer choices. */
export const SEARCH_LIMIT = 12;
/** Hits this close to the best are shown alongside it. */
const RELATED_MARGIN = 0.1;

export interface AnswerFact {
  label: string;
  value: string;
}

export interface AnswerSource {
  document: string;
  title: string;
  date: string;
  section: string;
  ref?: string;
}

export interface Choice {
  title: string;
  /** What the bot receives when the user picks it. */
  query: string;
}

/** What the conversation remembers so follow-ups can lean on the last answer. */
export interface AnswerContext {
  recordId?: string;
  query: string;
  intent: Intent;
  authority?: Authority;
  priorityId?: string;
}

export interface ApprovedUpdate {
  value?: string;
  unit?: string;
  period?: string;
  status: string;
  narrative: string;
  reporter: string;
  approvedAt: string;
  submittedAt: string;
}

/** Approved and pending progress updates, as answers need them. Implemented by the store. */
export interface UpdatesView {
  latestApproved(recordId: string): ApprovedUpdate | undefined;
  pendingCount(recordId: string): number;
}

export type AnswerKind = 'answer' | 'notFound' | 'help' | 'greeting' | 'summary' | 'submit' | 'myUpdates' | 'review' | 'myDue' | 'overdue' | 'chase';

export interface Answer {
  kind: AnswerKind;
  /** The plain sentence(s) that come first: the figure with its period, or the words of the plan. */
  text: string;
  title?: string;
  /** Label / value rows for the card. */
  facts: AnswerFact[];
  /** Quoted sentences from the plans that support the answer. */
  quotes: { text: string; source: AnswerSource }[];
  sources: AnswerSource[];
  /** Suggested follow-ups (at most three). */
  suggestions: string[];
  /** "Did you mean" choices when not found, or the plan choice when ambiguous. */
  choices: Choice[];
  context?: AnswerContext;
  /** For summaries and updates: which priority / record the request is about. */
  target?: { recordId?: string; priorityId?: string; planId?: string; authority?: Authority; since?: string };
  confidence: number;
  intent: Intent;
}

function blank(kind: AnswerKind, intent: Intent, text: string): Answer {
  return { kind, intent, text, facts: [], quotes: [], sources: [], suggestions: [], choices: [], confidence: 0 };
}

const STATUS_WORDS = /\b(ended|ceased|stopped|decommissioned|not been renewed|completed?|approved|agreed|signed off|launched|went live|in place|established|implemented|delivered|continues?|ongoing|on track|delayed|postponed|graded|judged|rated|achieved|met|exceeded|went into|liquidation|transferred|replaced)\b/i;
/** What is still to happen: the answer to "… yet?" */
const STILL_TO_DO = /\b(yet to|not yet|remaining|outstanding|still to|are expected|is expected|will have)\b/i;
/** "Are they all signed up yet?": a sentence that says what is still to do answers it. */
function asksYet(u: Understanding): boolean {
  return u.intent === 'status' && /\b(yet|still)\b/.test(normalise(u.text));
}
const MEASURE_WORDS = /\b(kpis?|measures?|measured|measurement|indicators?|performance measures?)\b/;
/** "What's ICDS and when …", "what is CAMHS?": the question opens by asking what an acronym is (not "what KPIs are used …"). */
const ACRONYM_LEAD = /^\s*(what|whats|what's|what is|what does)\s+(an?\s+|the\s+)?[A-Z][A-Za-z0-9&]{1,8}\b\s*(\?|$|and\b|-|,|stands?\b|means?\b|is\b)/;
const FUTURE_MARKERS = /\b(next|due|expected|will|planned|plans to|scheduled|going to|is going|are going|intends? to|proposed|by (january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|winter|the end)|from (20\d\d|april|september)|anticipated|forthcoming|upcoming|to be)\b/i;
/**
 * Least share of the question a sentence must cover in its own words (not only through its record's
 * name) to give the figure asked for: "4 work streams" in a record about EHC plans is no count of EHC plans.
 */
const MIN_DIRECT = 0.3;
/** Fields that name a record rather than say something about it. */
const NAMING_FIELDS: Unit['field'][] = ['title', 'alias', 'lead', 'evidence'];
/** Intents that ask for a quantity: its period must be the figure's own. */
const FIGURE_INTENTS = new Set<Intent>(['figure', 'compare', 'trend', 'target']);
const DATE_WORDS = /\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|spring|summer|autumn|winter|20\d\d|quarter|q[1-4])\b/i;

export class Answerer {
  private readonly docs: Map<string, SourceDocument>;
  private readonly priorities: Map<string, WithDoc<Priority>>;

  constructor(
    readonly index: SearchIndex,
    private readonly updates?: UpdatesView,
  ) {
    this.docs = new Map(index.knowledge.documents.map((d) => [d.id, d]));
    this.priorities = new Map(index.knowledge.priorities.map((p) => [p.id, p]));
  }

  get knowledge(): Knowledge {
    return this.index.knowledge;
  }

  /**
   * Corrects words the knowledge does not know ("perfomance reprot" -> "performance report")
   * before reading the question, so intent and document words with typos still count.
   */
  private corrected(question: string): string {
    return correctedQuestion(question, this.index);
  }

  answer(question: string, previous?: AnswerContext): Answer {
    // Reporting-cycle commands are read before typo correction, which knows only the plans' words ("chase" would become "case").
    const command = understand(question);
    if (command.intent === 'myDue' || command.intent === 'overdue' || command.intent === 'chase') return { ...blank(command.intent, command.intent, ''), target: { authority: command.authority } };
    const u = understand(this.corrected(question));
    switch (u.intent) {
      case 'help':
      case 'greeting':
      case 'myUpdates':
      case 'review':
        return blank(u.intent, u.intent, '');
      case 'submit':
        return { ...blank('submit', u.intent, ''), target: { recordId: this.findRecordForUpdate(u.searchText) } };
      case 'summary': {
        // "How is X doing?" is a summary when X is a theme, but a status question when X is one indicator or activity.
        if (!/\b(summari[sz]e|summary|overview|sum up|round[- ]?up|rag|priority|changed)\b/.test(normalise(u.text))) {
          const one = this.specificRecord(u);
          if (one) return this.search({ ...u, intent: 'status', searchText: u.searchText.replace(/\b(how is|how are|how's|doing|getting on)\b/g, ' ') });
        }
        return { ...blank('summary', u.intent, ''), target: { authority: u.authority } };
      }
      default:
    }
    if (previous && u.followUp) {
      const follow = this.followUp(u, previous);
      if (follow) return follow;
    }
    // "What are the 4 priorities in the CYPF plan?": the plan's own list.
    if (/\bpriorities\b/.test(normalise(u.text)) && (u.intent === 'list' || u.intent === 'lookup')) {
      const listed = this.prioritiesAnswer(u);
      if (listed) return listed;
    }
    // "What does success look like for priority 3?", "outcomes of priority 2": that part of the priority, in the plan's words.
    const part = this.priorityPartAnswer(u);
    if (part) return part;
    // "what's ICDS and when did it launch": say what it stands for, then answer the rest.
    // "MASE panel - what is it?": an acronym in capitals with "what is it" / "stand for" asks what it is.
    if (u.intent === 'acronym' || ACRONYM_LEAD.test(u.text) || (/\bwhat (is|are) (it|that|this|they)\b|\bstands? for\b/i.test(u.text) && /\b[A-Z]{2,8}\b/.test(u.text))) {
      const a = this.acronym(u);
      if (a) return a;
    }
    return this.search(u);
  }

  /**
   * A question about a named document rather than something in it: its own
   * words (contact, author, background) if the question's words find them in
   * that document, else what the document is and when it is dated.
   */
  private documentAnswer(u: Understanding): Answer {
    // "When did it go to the trust?": the document's own date, not a sentence that happens to say "to date".
    const concepts = u.intent === 'date' ? [] : this.index.concepts(u.withIntentWords);
    if (concepts.length) {
      const hits = this.index.search(concepts, { preferDocs: u.preferDocs, limit: 10 }).filter((h) => u.preferDocs.includes(h.record.doc) && h.coverage >= CONFIDENCE_THRESHOLD);
      if (hits.length) {
        const top = hits[0];
        return this.compose(top.record, this.contentUnitFor(top, concepts, u), hits.slice(1), { ...u, intent: u.intent === 'lead' ? 'lookup' : u.intent }, top.coverage, top.about);
      }
    }
    const docs = u.preferDocs.map((id) => this.docs.get(id)).filter((d): d is SourceDocument => !!d);
    const a = blank('answer', u.intent, '');
    a.text = docs
      .map((d) => `${AUTHORITY_NAMES[d.authority]}: "${d.title}", dated ${d.date}${d.period ? `, covering ${d.period}` : ''}.`)
      .join(' ');
    a.title = docs.length === 1 ? docs[0].title : 'Documents';
    for (const d of docs) {
      a.facts.push({ label: 'Document', value: d.title }, { label: 'Date', value: d.date });
      if (d.period) a.facts.push({ label: 'Covers', value: d.period });
      a.sources.push({ document: d.id, title: d.title, date: d.date, section: 'Document' });
    }
    const plan = this.knowledge.plans.find((p) => p.id === docs[0]?.plan);
    if (plan) a.suggestions = this.knowledge.priorities.filter((p) => p.doc === docs[0].id).slice(0, 3).map((p) => `Summarise priority ${p.number} ${planPhrase(plan.id, plan.authority)}`);
    a.confidence = 1;
    return a;
  }

  /** An acronym typed in capitals that neither the plans nor the glossary know, if the question has one. */
  private unknownAcronym(u: Understanding): string | undefined {
    for (const m of u.text.matchAll(/\b[A-Z]{2,6}s?\b/g)) {
      const w = m[0].replace(/s$/, '');
      const lw = w.toLowerCase();
      if (/^(I|OK|UK|NHS|AM|PM|TV|ID|IT|AND|OR|THE)$/.test(w) || UNDERSTANDING_WORDS.has(lw) || STOP_WORDS.has(lw)) continue;
      if (this.index.knows(stem(lw)) || this.index.glossary(lw) || this.index.glossary(m[0].toLowerCase()) || this.definitionInText(lw)) continue;
      if (/^(cip|cypp|cypf|ncc|cc|q[1-4])$/.test(lw)) continue;
      return w;
    }
    return undefined;
  }

  /** The one indicator or activity a question names outright (its title or alias covers the question), if any. */
  private specificRecord(u: Understanding): IndexedRecord | undefined {
    const theme = u.searchText.replace(/\b(how is|how are|how's|doing|getting on|going)\b/g, ' ');
    const concepts = this.index.concepts(theme);
    if (!concepts.length) return undefined;
    const top = this.index.search(concepts, { authority: u.authority, limit: 5 })[0];
    if (!top || top.coverage < 0.8 || top.about < 0.8) return undefined;
    return top.record.kind === 'indicator' || top.record.kind === 'activity' ? top.record : undefined;
  }

  /** The priorities of the plan(s) a question names (by document or authority), in the plans' own titles. */
  private prioritiesAnswer(u: Understanding): Answer | undefined {
    const fromDocs = new Set(u.preferDocs.map((d) => this.docs.get(d)?.plan).filter((x): x is string => !!x));
    const plans = this.knowledge.plans.filter((p) => (fromDocs.size ? fromDocs.has(p.id) : !u.authority || p.authority === u.authority));
    if (!plans.length || plans.length > 2) return undefined;
    const a = blank('answer', 'list', '');
    const parts: string[] = [];
    for (const plan of plans) {
      // Titles as the plan's own document writes them, else as any report on it does.
      const own = this.knowledge.documents.filter((d) => d.plan === plan.id).sort((x, y) => Number(isPlanItself(y)) - Number(isPlanItself(x)));
      const byNumber = new Map<number, WithDoc<Priority>>();
      for (const d of own) for (const p of this.knowledge.priorities.filter((x) => x.doc === d.id && x.title)) if (!byNumber.has(p.number)) byNumber.set(p.number, p);
      if (!byNumber.size) continue;
      const list = [...byNumber.values()].sort((x, y) => x.number - y.number);
      parts.push(`The ${plan.title} (${AUTHORITY_NAMES[plan.authority]}) has ${list.length} priorities: ${list.map((p) => `${p.number}. ${p.title}`).join('; ')}.`);
      for (const p of list) {
        a.facts.push({ label: `${plans.length > 1 ? `${plan.authority === 'city' ? 'City' : 'County'} ` : ''}Priority ${p.number}`, value: p.title! });
        const d = this.docs.get(p.doc);
        if (d && !a.sources.some((x) => x.document === d.id)) a.sources.push({ document: d.id, title: d.title, date: d.date, section: p.source.section, ref: p.source.ref });
      }
      a.suggestions.push(...list.slice(0, 3 - a.suggestions.length).map((p) => `Summarise priority ${p.number} ${planPhrase(plan.id, plan.authority)}`));
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
  private priorityPartAnswer(u: Understanding): Answer | undefined {
    const t = normalise(u.text);
    const part = /\bsuccess (look|looks|would look|will look)\b|\bwhat (does|would|will) success\b|\bsuccess (criteria|measures)\b/.test(t)
      ? 'success'
      : /\boutcomes?\b/.test(t) && (u.intent === 'list' || u.intent === 'lookup')
        ? 'outcomes'
        : undefined;
    if (!part || u.priorityNumber === undefined) return undefined;
    const docs = u.preferDocs.length ? new Set(u.preferDocs) : undefined;
    const found = this.knowledge.priorities.filter(
      (p) => p.number === u.priorityNumber && (!docs || docs.has(p.doc)) && (!u.authority || this.docs.get(p.doc)?.authority === u.authority) && p[part].length > 0,
    );
    // One priority per plan: the plan's own document first.
    const byPlan = new Map<string, WithDoc<Priority>>();
    for (const p of found.sort((x, y) => Number(isPlanItself(this.docs.get(y.doc))) - Number(isPlanItself(this.docs.get(x.doc))))) {
      if (!byPlan.has(p.plan)) byPlan.set(p.plan, p);
    }
    if (!byPlan.size || byPlan.size > 2) return undefined;
    const a = blank('answer', 'list', '');
    const parts: string[] = [];
    for (const p of byPlan.values()) {
      const plan = this.knowledge.plans.find((x) => x.id === p.plan);
      const d = this.docs.get(p.doc);
      const items = part === 'success' ? p.success : p.outcomes.map((o) => (o.code ? `${o.code}: ${o.text}` : o.text));
      const name = `priority ${p.number}${p.title ? ` (${p.title})` : ''} of the ${plan?.title ?? d?.title ?? 'plan'}`;
      parts.push(`${part === 'success' ? 'What success looks like for' : 'The outcomes of'} ${name}: ${items.map((x) => x.replace(/[.;\s]+$/, '')).join('; ')}.`);
      for (const x of items) a.facts.push({ label: part === 'success' ? 'Success' : 'Outcome', value: x });
      if (d) a.sources.push({ document: d.id, title: d.title, date: d.date, section: p.source.section, ref: p.source.ref });
      if (plan) a.suggestions.push(`Summarise priority ${p.number} ${planPhrase(plan.id, plan.authority)}`);
      a.context = { query: u.text, intent: 'list', authority: plan?.authority, priorityId: p.id };
    }
    a.text = parts.join(' ');
    a.title = `Priority ${u.priorityNumber}`;
    a.confidence = 1;
    return a;
  }

  /** Answers that lean on the previous answer: "and the target?", "who leads it?", "what about the city?". */
  private followUp(u: Understanding, prev: AnswerContext): Answer | undefined {
    const record = prev.recordId ? this.index.byId.get(prev.recordId) : undefined;
    if (u.authority && u.authority !== prev.authority) {
      // Same question, other authority.
      return this.search(understand(`${stripAuthority(prev.query)} ${u.authority === 'city' ? 'in the city' : 'in the county'}`));
    }
    if (u.periods.length && record) {
      return this.search(understand(`${prev.query} ${u.periods.map((p) => p.text).join(' ')}`));
    }
    if (!record) return undefined;
    const intent: Intent = u.intent === 'lookup' || u.intent === 'status' ? prev.intent : u.intent;
    const a = this.compose(record, undefined, [], { ...u, intent }, 1);
    // The conversation is still about the same thing: the next follow-up ("what about the city?") needs its words, not "who leads it?".
    if (a.context && (!a.context.recordId || a.context.recordId === record.id)) a.context = { ...a.context, recordId: a.context.recordId ?? record.id, query: prev.query };
    return a;
  }

  private acronym(u: Understanding): Answer | undefined {
    const caps = (u.text.match(/\b[A-Z][A-Z0-9&]{1,9}\b/g) ?? []).filter((w) => !/^(I|A|IT|OK)$/.test(w));
    const m =
      u.searchText.match(/\b([a-z0-9&]{2,10})\s+(?:stands? for|mean|means)\b/) ??
      u.searchText.match(/\b(?:what does|what do|what is|what are|what's|whats|what|meaning of|define)\s+(?:is\s+|are\s+|an?\s+|the\s+)?([a-z0-9&]{2,10})\b/);
    const typed = m?.[1] && !STOP_WORDS.has(m[1]) && !/^(it|this|that|they)$/.test(m[1]) ? m[1] : undefined;
    // An acronym typed in capitals is the term, whatever the sentence around it ("SHARP team - what does it stand for?").
    const term = caps.find((c) => this.index.glossary(c) || this.definitionInText(c.toLowerCase())) ?? typed;
    if (!term) return undefined;
    const g = this.index.glossary(term) ?? this.definitionInText(term);
    if (!g) return undefined;
    const meaning = g.meanings.join('; or ');
    const a = blank('answer', 'acronym', `${g.term} stands for ${meaning}.`);
    a.title = g.term;
    a.facts.push({ label: 'Stands for', value: meaning });
    if (g.synonyms.length) a.facts.push({ label: 'Also called', value: g.synonyms.join(', ') });
    // Where the plans talk about it, so the user sees it in context (and any date asked about).
    const rest = u.searchText.replace(new RegExp(`\\b${term.toLowerCase()}\\b`), ' ').replace(/\b(what does|stands? for|mean|means|what is|whats|what's)\b/g, ' ');
    const hits = this.index.search(this.index.concepts(`${g.meanings[0]} ${g.term} ${rest}`), { authority: u.authority, preferDocs: u.preferDocs, limit: 8 });
    const best = hits.find((h) => h.record.kind !== 'glossary' && !['title', 'alias', 'lead', 'evidence'].includes(h.unit.field) && mentions(h.unit.text, g));
    if (best) {
      const src = this.sourceOf(best.record, best.unit);
      // "What is it and how long …": the rest of the question is answered by what follows, so quote more of it.
      const context = this.sentenceWithContext(best.unit, rest.trim() ? 650 : 420);
      a.text += ' ' + context;
      a.quotes.push({ text: context, source: src });
      a.sources.push(src);
      a.context = { recordId: best.record.id, query: u.text, intent: 'lookup', authority: best.record.authority };
    } else if (g.source) {
      const d = this.docs.get(g.source.document);
      if (d) a.sources.push({ document: d.id, title: d.title, date: d.date, section: g.source.section });
    }
    a.confidence = 1;
    a.suggestions = best ? this.suggestionsFor(best.record) : [];
    // "KSI on notts roads 2016/17 - what does it stand for and what's the number": answer the rest too.
    const asksMore = /\b(how many|how much|number|figure|rate|latest|when|who|target|percentage|%)\b/.test(normalise(u.text)) || u.periods.some((p) => p.from);
    if (asksMore) {
      const restQuestion = u.text.replace(/\b(what|whats|what's)\s+(does|do|is)\s+(it|that|this|they)\s+(stand for|mean)\b|\bwhat (is|are) (it|that|this|they)\b|\bstands? for\b|\bmeaning\b/gi, ' ');
      const more = this.search(understand(restQuestion));
      if (more.kind === 'answer' && more.confidence >= CONFIDENCE_THRESHOLD && !a.text.includes(more.text)) {
        a.text += ' ' + more.text;
        a.facts.push(...more.facts.filter((f) => !a.facts.some((x) => x.label === f.label)));
        a.sources.push(...more.sources);
        a.context = more.context ?? a.context;
        a.suggestions = more.suggestions.length ? more.suggestions : a.suggestions;
      }
    }
    return a;
  }

  private readonly definitions = new Map<string, GlossaryRecord | undefined>();

  /** Finds "Long Name (ABC)" in the plans' text when the glossary lacks the term (cached: it scans every unit). */
  private definitionInText(term: string): GlossaryRecord | undefined {
    const key = term.toLowerCase();
    if (!this.definitions.has(key)) {
      if (this.definitions.size > 2000) this.definitions.clear();
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
    const spelled = new RegExp(
      `\\b${[...letters].map((l) => `${l}[a-z'’-]+`).join(`\\s+(?:(?:and|of|for|to|the|in|&)\\s+)?`)}\\b`,
    );
    for (const u of this.index.units) {
      const m = u.text.match(spelled);
      if (m) return { term: letters, meanings: [m[0]], synonyms: [] };
    }
    return undefined;
  }

  /**
   * The question with each acronym the plans only ever spell out ("SARC": "Sexual Assault and Referral
   * Centre") replaced by its words, so the search meets the text that uses them.
   */
  private withSpelledAcronyms(u: Understanding): Understanding {
    let searchText = u.searchText;
    for (const m of u.text.matchAll(/\b[A-Z]{3,6}\b/g)) {
      const lw = m[0].toLowerCase();
      const typed = new RegExp(`\\b${lw}\\b`, 'g');
      if (this.index.knows(stem(lw)) || this.index.glossary(lw) || !searchText.match(typed)) continue;
      const meaning = this.definitionInText(lw)?.meanings[0];
      if (meaning) searchText = searchText.replace(typed, meaning.toLowerCase());
    }
    return searchText === u.searchText ? u : { ...u, searchText };
  }

  private search(asked: Understanding): Answer {
    let u = this.withSpelledAcronyms(asked);
    const concepts = this.index.concepts(u.searchText);
    if (!concepts.length) {
      // "Who's the contact for the mid-year review?", "what date did the mid-year review go to the trust?": about the document itself.
      if (u.preferDocs.length) return this.documentAnswer(u);
      return this.notFound(u, [], 'I need a few more words to search the plans.');
    }
    // An acronym the plans never use ("MMR uptake") is what the question is about: nothing else can answer it.
    const strange = this.unknownAcronym(u);
    if (strange) {
      const hits = this.index.search(concepts, { authority: u.authority, preferDocs: u.preferDocs, limit: 10 });
      return this.notFound(u, hits, `I couldn't find anything about ${strange} in the plans.`);
    }
    // The question's key term: the rarest word the plans know (a word they don't know may be a typo or chat).
    const known = concepts.filter((c) => !c.unknown);
    const key = known.length ? known.reduce((a, b) => (b.weight > a.weight ? b : a)) : undefined;
    const missesKey = (h: Hit) => !!key && h.missing.includes(key.word);
    let hits = this.index.search(concepts, { authority: u.authority, preferDocs: u.preferDocs, limit: SEARCH_LIMIT });
    hits = this.rerank(hits, u);
    // A named document ("in the mid-year review") is answered from that document when it has a confident match.
    if (u.preferDocs.length) {
      const inDoc = hits.filter((h) => u.preferDocs.includes(h.record.doc) && h.coverage >= CONFIDENCE_THRESHOLD);
      if (inDoc.length) hits = [...inDoc, ...hits.filter((h) => !inDoc.includes(h))];
    }
    // Reranking breaks ties by what the intent needs; it must not lift a hit below the threshold over a confident one.
    const confident = hits.filter((h) => h.coverage >= CONFIDENCE_THRESHOLD);
    if (!confident.length) return this.notFound(u, hits);
    hits = [...confident, ...hits.filter((h) => h.coverage < CONFIDENCE_THRESHOLD)];
    const best = hits[0];

    // A named authority must be answered from that authority's plans.
    if (u.authority) {
      const same = hits.filter((h) => h.record.authority === u.authority || h.record.kind === 'glossary');
      if (!same.some((h) => h.coverage >= CONFIDENCE_THRESHOLD)) {
        return this.notFound(u, hits, `I couldn't find that for ${AUTHORITY_NAMES[u.authority]} in the plans.`, best.record.kind === 'glossary' ? undefined : best);
      }
      hits = same;
    }
    // A question about something still to come needs evidence of a future event.
    if (u.future && !hits.some((h) => h.coverage >= CONFIDENCE_THRESHOLD && FUTURE_MARKERS.test(h.unit.text) && !missesKey(h) && h.matched.length >= hits[0].matched.length - 1)) {
      return this.notFound(u, hits, `I couldn't find anything in the plans about what is next or due for that.`);
    }
    // "Year 6 obesity city 2017/18?": naming an indicator and a period asks for its figure.
    if (u.intent === 'lookup' && hits[0].record.kind === 'indicator' && NAMING_FIELDS.includes(hits[0].unit.field) && hits[0].about >= 0.8) u = { ...u, intent: 'figure' };
    // A named period must be one the plans have a figure or statement for.
    const years = u.periods.filter((p) => p.from !== 0);
    if (years.length) {
      // For a figure, the sentence for that period must itself state a quantity about the thing asked
      // (not just sit in its record: "50 local safety schemes funded during 2016/17" is no count of workshop attendees).
      // When the question names an indicator, a sentence about it must say most of the question itself to stand
      // in for the indicator's own figures ("In 2017/18, universal services … (2-4 years)" is no obesity rate).
      const aboutIndicator = hits[0].record.kind === 'indicator' && hits[0].about >= 0.8;
      // …unless it counts exactly what a "how many" asks about ("reaching 4094 children").
      const countedHead = u.countOf ? this.index.concepts(u.countOf).at(-1) : undefined;
      const countsAsked = (h: Hit) => !!countedHead && countsOf(h.unit.text, countedHead);
      const speaksFor = (h: Hit) =>
        !FIGURE_INTENTS.has(u.intent) ||
        (h.record.kind === 'indicator' && NAMING_FIELDS.includes(h.unit.field)) ||
        (h.direct >= (aboutIndicator && !countsAsked(h) ? 0.6 : MIN_DIRECT) && hasQuantity(h.unit.text));
      const withPeriod = hits.filter((h) => h.coverage >= CONFIDENCE_THRESHOLD && speaksFor(h) && years.every((p) => periodMatches(p, this.periodsAround(h, u))));
      if (!withPeriod.length) {
        const asked = years.map((p) => p.text).join(', ');
        return this.notFound(u, hits, `I couldn't find a figure for ${asked} in the plans.`, best);
      }
      hits = [...withPeriod, ...hits.filter((h) => !withPeriod.includes(h))];
    }
    // "When" needs a date: if no confident match gives one, the plans don't say.
    if (u.intent === 'date') {
      // …and the dated sentence must be about the thing asked: no heavy word of the question missing from it.
      const heaviest = Math.max(...concepts.map((c) => c.weight));
      const heavy = new Set(concepts.filter((c) => c.weight >= 0.5 * heaviest).map((c) => c.word));
      // An activity named outright whose key actions carry dates required by answers with those dates.
      const named = hits[0].record.kind === 'activity' && NAMING_FIELDS.includes(hits[0].unit.field) && hits[0].about >= 0.8 && (hits[0].record.record as Activity).actions.some((x) => x.due);
      const dated = hits.filter(
        (h) => (named && h === hits[0]) || (h.coverage >= CONFIDENCE_THRESHOLD && !h.missing.some((w) => heavy.has(w)) && (DATE_WORDS.test(h.unit.text) || (h.unit.field === 'action' && /\(by /.test(h.unit.text)))),
      );
      if (!dated.length) return this.notFound(u, hits, `I couldn't find a date for that in the plans.`, hits[0]);
      hits = [...dated, ...hits.filter((h) => !dated.includes(h))];
    }
    // "How many" / "what %" needs a figure: a sentence that states a quantity, or an indicator with values.
    // If no confident match has one, the plans do not give it: say so rather than quote around it.
    // "How many …" needs a count of that thing ("4,000 taxi drivers"), not any number near it.
    if (u.intent === 'figure') {
      const counted = u.countOf ? this.index.concepts(u.countOf) : [];
      const head = counted[counted.length - 1];
      // The figure must be about the question's key term: a count of referrals is not a count of ICDS cases.
      // "How much funding …" needs an amount of money, not any number near the words.
      const money = /\b(funding|funded|budget|budgets|cost|costs|spend|spent|money|investment|invested|£)/.test(normalise(u.text));
      const hasMoney = (h: Hit) => /£|\b(million|billion|thousand)\b|\d\s*(m|k|bn)\b/i.test(h.unit.text) || /£/.test((h.record.record as Partial<Indicator>).unit ?? '');
      const hasFigure = (h: Hit) =>
        !missesKey(h) &&
        (!money || hasMoney(h)) &&
        ((h.record.kind === 'indicator' && (h.record.record as Indicator).values.length > 0 && (!head || isCount(h.record.record as Indicator))) ||
          (h.direct >= MIN_DIRECT && hasQuantity(h.unit.text) && (!head || countsOf(h.unit.text, head))));
      if (!hasFigure(hits[0])) {
        const withNumber = hits.find((h) => h.coverage >= CONFIDENCE_THRESHOLD && hasFigure(h));
        if (!withNumber) {
          const top = hits[0];
          const rec = top.record.record as Partial<Activity>;
          // A key performance measure the plans name but give no figure for: say exactly that.
          const measure = top.unit.field === 'measure' ? `"${truncate(top.unit.text, 120)}" is listed as a key performance measure of "${truncate(top.record.title, 120)}", but the plans don't have a figure for it.` : undefined;
          const what = top.record.kind === 'indicator' ? `"${truncate(top.record.title, 120)}"` : u.countOf ? `the number of ${u.countOf}` : 'that';
          return this.notFound(u, hits, measure ?? `I couldn't find a figure for ${what} in the plans.`, rec.measures?.length || top.record.kind !== 'activity' ? top : undefined);
        }
        hits = [withNumber, ...hits.filter((h) => h !== withNumber)];
      }
    }
    // A target question is best answered by an indicator that has one: look further down for it when the best
    // matches have none ("vacancy rate target" beside a narrative about recruitment).
    const hasTarget = (h: Hit) => h.record.kind === 'indicator' && !!(h.record.record as Indicator).target;
    if (u.intent === 'target' && !hasTarget(hits[0])) {
      const further = hits.find((h) => hasTarget(h) && h.coverage >= CONFIDENCE_THRESHOLD && !missesKey(h)) ??
        this.index
          .search(concepts, { authority: u.authority, preferDocs: u.preferDocs, limit: 3, filter: (r) => r.kind === 'indicator' && !!(r.record as Indicator).target })
          .find((h) => h.coverage >= CONFIDENCE_THRESHOLD && !missesKey(h));
      if (further) hits = [further, ...hits.filter((h) => h.record.id !== further.record.id)];
    }
    // A target question needs a target: an indicator (which says if it has none) or a sentence about a target.
    if (u.intent === 'target' && hits[0].record.kind !== 'indicator' && !/\btargets?\b/i.test(hits[0].unit.text)) {
      const withTarget = hits.find(
        (h) => h.coverage >= CONFIDENCE_THRESHOLD && ((h.record.kind === 'indicator' && h.about >= 0.6) || (h.direct >= MIN_DIRECT && /\btargets?\b/i.test(h.unit.text))),
      );
      if (!withTarget) {
        const top = hits[0];
        const message =
          top.unit.field === 'measure'
            ? `"${truncate(top.unit.text, 120)}" is listed as a key performance measure of "${truncate(top.record.title, 120)}", but the plans don't have a target for it.`
            : `I couldn't find a target for that in the plans.`;
        return this.notFound(u, hits, message, top);
      }
      hits = [withTarget, ...hits.filter((h) => h !== withTarget)];
    }
    const top = hits[0];
    const related = hits.filter((h) => h !== top && h.coverage >= Math.max(CONFIDENCE_THRESHOLD, top.coverage - RELATED_MARGIN));
    return this.compose(top.record, this.contentUnitFor(top, concepts, u), related, u, top.coverage, top.about);
  }

  /**
   * When the best match is a record's name (title, alias), the answer is in its
   * content: pick the sentence or action of that record that says most about
   * the question, preferring what the intent needs (a number, a date).
   */
  private contentUnitFor(hit: Hit, concepts: Concept[], u: Understanding): Unit {
    const naming: Unit['field'][] = ['title', 'alias', 'lead', 'evidence'];
    if (!naming.includes(hit.unit.field)) return hit.unit;
    // An indicator's name answers a figure question; a status or list question wants what its commentary says.
    if (hit.record.kind === 'indicator' && !['status', 'list'].includes(u.intent)) return hit.unit;
    let best: Unit | undefined;
    let bestScore = 0;
    const yet = asksYet(u);
    for (const x of hit.record.units) {
      if (naming.includes(x.field)) continue;
      let score = 0;
      for (const c of concepts) if (c.alternatives.some((a) => a.tokens.every((t) => x.tokens.has(t)))) score += c.weight;
      if ((u.intent === 'figure' || u.intent === 'compare') && x.digits) score += 0.5;
      if (u.intent === 'date' && DATE_WORDS.test(x.text)) score += 0.5;
      // "… yet?": a sentence about the thing that says what is still to do beats any other.
      if (score > 0 && yet && STILL_TO_DO.test(x.text)) score += 100;
      if (score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    if (hit.record.kind === 'indicator') return best ?? hit.unit;
    return best ?? hit.record.units.find((x) => x.field === 'text') ?? hit.unit;
  }

  /** Prefers, among near-equal hits, those that carry what the intent needs (a number, a date, a lead). */
  private rerank(hits: Hit[], u: Understanding): Hit[] {
    const wantsMeasures = MEASURE_WORDS.test(normalise(u.text));
    const yet = asksYet(u);
    const pastTense = /\bwhen (was|were|did|had|has|have)\b/.test(normalise(u.text)) && !/\b(due|supposed|meant|planned|expected|deadline)\b/.test(normalise(u.text));
    const need = (h: Hit): number => {
      const t = h.unit.text;
      switch (u.intent) {
        case 'figure':
        case 'compare':
        case 'trend':
        case 'target':
          return (
            (u.intent !== 'target' && h.unit.digits ? 0.03 : 0) +
            (u.intent !== 'target' && h.record.kind === 'indicator' && h.about >= 0.6 ? 0.03 : 0) +
            (u.intent === 'target' && (h.record.record as Partial<Indicator>).target ? 0.1 : 0) +
            // "How many …": an indicator that counts beats a percentage about the same thing.
            (u.countOf && h.record.kind === 'indicator' ? (isCount(h.record.record as Indicator) ? 0.04 : -0.02) : 0)
          );
        case 'lookup':
          return h.record.kind === 'indicator' && h.about >= 0.6 ? 0.03 : 0;
        case 'status':
          // "Is it still running?", "has it been approved?": a sentence that says what happened answers it.
          // A record with progress recorded against it can say what happened; a plan's list of intentions cannot.
          return (STATUS_WORDS.test(t) ? 0.05 : 0) + (((h.record.record as Partial<Activity>).progress?.length ?? 0) > 0 ? 0.03 : 0) + (yet && STILL_TO_DO.test(t) ? 0.04 : 0);
        case 'date':
          // "When was it done?" is answered by what happened, with its date; "when is it due?" by the plan's date.
          if (pastTense && h.unit.field === 'text' && DATE_WORDS.test(t)) return 0.07;
          // "Is there a deadline?": a key action's date required by is the plan's own answer.
          if (!pastTense && h.unit.field === 'action' && /\(by /.test(t)) return 0.07;
          // …and so are the dues of the activity named outright, even when they say "Ongoing".
          if (!pastTense && h.record.kind === 'activity' && NAMING_FIELDS.includes(h.unit.field) && h.about >= 0.8 && (h.record.record as Activity).actions.some((x) => x.due)) return 0.07;
          return DATE_WORDS.test(t) ? 0.04 : 0;
        case 'lead': {
          // A record that names its lead (or, when partners are asked about, its partners) answers "who".
          const rec = h.record.record as Partial<Activity>;
          const partners = /\bpartners?\b/.test(normalise(u.text)) && (rec.partners?.length ?? 0) > 0;
          return this.leadsOf(h.record).length || partners ? 0.04 : 0;
        }
        case 'list': {
          const rec = h.record.record as Partial<Activity>;
          // "What are the KPIs for…" wants a record with measures; "key actions for…" one with actions.
          const has = wantsMeasures ? (rec.measures?.length ?? 0) > 0 : (rec.actions?.length ?? 0) > 0;
          return (has ? 0.04 : 0) + (h.unit.field === 'action' || h.unit.field === 'measure' || /,.*,| and /.test(t) ? 0.02 : 0);
        }
        default:
          return 0;
      }
    };
    // A unit that names the period asked about is a better answer than one that does not.
    const asked = u.periods.filter((p) => p.from !== 0 || p.quarter);
    const periodBonus = (h: Hit) => (asked.length && asked.every((p) => periodMatches(p, periodsIn(h.unit.text))) ? 0.04 : 0) + (u.priorityNumber !== undefined && h.record.priorityNumber === u.priorityNumber ? 0.03 : 0);
    // A sentence that says it in its own words is better evidence than one that leans on its record's name.
    return hits.map((h) => ({ ...h, score: h.score + need(h) + periodBonus(h) + 0.03 * h.direct })).sort((a, b) => b.score - a.score);
  }

  /**
   * Periods a hit can speak for. A sentence that names a period speaks for
   * that period only ("During 2016, 238 …" is not a 2017 figure). An
   * indicator's name speaks for the periods of its figures. Otherwise, for a
   * figure the document's own period and date count; for other questions the
   * passage around the sentence does too ("… will be formed in 2018/19" can
   * answer what is planned for 2018/19, never what a figure was).
   */
  private periodsAround(h: Hit, u: Understanding): YearSpan[] {
    const own = periodsIn(h.unit.text);
    if (own.length) return own;
    const d = this.docs.get(h.record.doc);
    const rec = h.record.record as Partial<Indicator>;
    if (h.record.kind === 'indicator' && rec.values?.length) {
      const texts = rec.values.flatMap((v) => [v.period ?? '', v.note ?? '']);
      if (rec.target?.period) texts.push(rec.target.period);
      const periods = periodsIn(texts.join(' '));
      if (periods.length) return periods;
    }
    // An indicator with no figures has a figure for no period, whatever its document covers.
    if (h.record.kind === 'indicator' && !rec.values?.length && FIGURE_INTENTS.has(u.intent)) return [];
    const texts = [h.record.title, d?.date ?? '', d?.period ?? ''];
    if (!FIGURE_INTENTS.has(u.intent)) texts.push(...this.index.neighbours(h.unit).map((n) => n.text));
    return periodsIn(texts.join(' '));
  }

  private notFound(u: Understanding, hits: Hit[], message?: string, closest?: Hit): Answer {
    const a = blank('notFound', u.intent, message ?? `I couldn't find that in the plans.`);
    const seen = new Set<string>();
    for (const h of hits) {
      if (h.record.kind === 'glossary' || seen.has(h.record.id) || h.coverage < 0.3) continue;
      seen.add(h.record.id);
      a.choices.push({ title: this.choiceTitle(h.record), query: this.queryFor(h.record) });
      if (a.choices.length === 3) break;
    }
    if (closest) {
      const src = this.sourceOf(closest.record, closest.unit);
      a.quotes.push({ text: this.sentenceWithContext(closest.unit), source: src });
      a.text += ` The closest the plans have is from ${src.title} (${src.section}).`;
    }
    a.text += a.choices.length ? ' Did you mean one of these?' : ' Try other words, or ask "help" to see what I know about.';
    a.confidence = hits[0]?.coverage ?? 0;
    return a;
  }

  private choiceTitle(r: IndexedRecord): string {
    const who = r.authority === 'city' ? 'City' : 'County';
    return `${truncate(r.title, 70)} (${who})`;
  }

  /** A question that will find the record again when a choice is clicked. */
  private queryFor(r: IndexedRecord): string {
    const who = r.authority === 'city' ? 'in the city' : 'in the county';
    return `${truncate(r.title, 120)} ${who}`;
  }

  /** Builds the answer for the chosen record and intent. */
  compose(record: IndexedRecord, unit: Unit | undefined, related: Hit[], u: Understanding, confidence: number, about = 1): Answer {
    const rec = record.record;
    let a: Answer;
    if (u.intent === 'lead') a = this.leadAnswer(record, related, unit, u.text);
    else if (record.kind === 'indicator') a = this.indicatorAnswer(record as IndexedRecord & { record: WithDoc<Indicator> }, unit, u);
    else if (record.kind === 'activity' && (u.intent === 'date' || u.intent === 'list') && (rec as Activity).actions.length && (!unit || unit.field !== 'text' || u.intent === 'list')) a = this.actionsAnswer(record, unit, u);
    // "Is it finished?" about an activity the plans give no progress for: its key actions and their dates are what they say.
    else if (record.kind === 'activity' && u.intent === 'status' && (rec as Activity).actions.length && !(rec as Activity).progress.length) a = this.actionsAnswer(record, unit, u);
    else a = this.quoteAnswer(record, unit, u);

    // "How did the audit go?" about an indicator whose document tells the story elsewhere (an activity's
    // narrative): the sentence that says it, in the plan's words, after the figures.
    const parts = record.kind === 'indicator' && !latestFigure(rec as Indicator) && (rec as Indicator).values.length > 1;
    if (record.kind === 'indicator' && (u.intent === 'status' || u.intent === 'lookup' || parts) && !(rec as Indicator).commentary.length) {
      const story = related.find((h) => h.unit.field === 'text' && h.direct >= 0.5);
      if (story) {
        const said = this.sentenceWithContext(story.unit, contextBudget(u.intent));
        a.text += ` ${said}`;
        a.quotes.push({ text: said, source: this.sourceOf(story.record, story.unit) });
      }
    }
    // Both authorities have a record about this and the question did not say which: show both.
    if (!u.authority && unit && about >= 0.6) {
      // Only a record named for the same thing counts (its title or alias covers the question), not one that mentions it.
      const other = related.find((h) => h.record.authority !== record.authority && h.record.kind === record.kind && h.about >= 0.8 && (h.unit.field === 'title' || h.unit.field === 'alias'));
      if (other) {
        const src = this.sourceOf(other.record, other.unit);
        const placeName = (x: Authority) => (x === 'city' ? 'Nottingham City' : 'Nottinghamshire County');
        const name = placeName(other.record.authority);
        const t = other.record.kind === 'indicator' ? this.indicatorSentence(other.record.record as WithDoc<Indicator>, this.updates?.latestApproved(other.record.id)) : this.sentenceWithContext(other.unit);
        // Both figures, each named for its authority, in the sentence and on the card: never one silently.
        a.text = `${placeName(record.authority)}: ${a.text} ${name}: ${t}`;
        a.facts.unshift({ label: placeName(record.authority), value: record.kind === 'indicator' ? this.indicatorSentence(record.record as WithDoc<Indicator>, this.updates?.latestApproved(record.id)) : truncate(a.text, 300) });
        a.facts.splice(1, 0, { label: name, value: t });
        a.quotes.push({ text: `${name}: ${t}`, source: src });
        a.sources.push(src);
      }
    }
    // Other strong matches, so the user sees what else the plans say.
    // Only what the plans say (a sentence, an action, a measure), not another record's name ("16-17 NEET").
    for (const h of related.filter((x) => !NAMING_FIELDS.includes(x.unit.field)).slice(0, 2)) {
      if (a.quotes.some((q) => q.text.includes(h.unit.text)) || a.text.includes(h.unit.text)) continue;
      a.quotes.push({ text: h.unit.text, source: this.sourceOf(h.record, h.unit) });
    }
    // An approved progress update is the newest fact about an activity: say it, with who reported it and when.
    if (record.kind === 'activity' && this.updates) {
      const up = this.updates.latestApproved(record.id);
      if (up) {
        a.text += ` Latest approved update (${up.period ?? 'no period'}, reported by ${up.reporter} on ${up.submittedAt.slice(0, 10)}): ${up.status}. ${up.narrative}`;
        a.facts.unshift({ label: 'Latest approved update', value: `${up.status}, ${up.period ?? ''}; reported by ${up.reporter} on ${up.submittedAt.slice(0, 10)}` });
      }
      const pending = this.updates.pendingCount(record.id);
      if (pending) a.facts.push({ label: 'Pending', value: `${pending} newer update${pending === 1 ? '' : 's'} awaiting review` });
    }
    a.confidence = confidence;
    a.context = { recordId: record.id, query: u.text, intent: u.intent, authority: record.authority, priorityId: record.priorityId };
    if (!a.suggestions.length) a.suggestions = this.suggestionsFor(record);
    return a;
  }

  private leadsOf(r: IndexedRecord): string[] {
    const rec = r.record as Partial<Activity & Indicator>;
    const out: string[] = [];
    if (rec.leads?.length) out.push(rec.leads.join(', '));
    if (rec.leadOrganisation) out.push(rec.leadOrganisation);
    return out;
  }

  private leadAnswer(record: IndexedRecord, related: Hit[], unit?: Unit, question = ''): Answer {
    let r = record;
    if (!this.leadsOf(r).length) {
      const withLead = related.find((h) => this.leadsOf(h.record).length);
      if (withLead) r = withLead.record;
    }
    const rec = r.record as Partial<Activity & Indicator>;
    const src = this.sourceOf(r);
    const a = blank('answer', 'lead', '');
    a.title = r.title;
    if (!this.leadsOf(r).length) {
      a.text = `The plans don't name a lead for "${truncate(r.title, 120)}".`;
      if (rec.governanceGroup) a.text += ` It is governed by ${rec.governanceGroup}.`;
      // Who provides or runs it is often in the narrative ("the contract … was awarded to The Children's Society").
      const candidates = [...(unit && unit.field === 'text' ? [{ unit, record, direct: 1 }] : []), ...related];
      // "Who funds it?": a sentence about funding first; likewise providing, delivering, commissioning.
      const verb = question.match(/\b(fund|provid|deliver|commission|run)/i)?.[1];
      if (verb) {
        const about = (h: { unit: Unit }) => Number(new RegExp(`\\b${verb}`, 'i').test(this.sentenceWithContext(h.unit)));
        candidates.sort((x, y) => about(y) - about(x));
      }
      // Read with what follows it: "please contact:" names the person in the next line.
      const said = candidates.find((h) => h.unit.field === 'text' && h.direct >= 0.5 && /\b(provided|run|delivered|delivering|awarded|commissioned|led|funded)\b|\bcontract\b|\b[A-Z][a-z]+'?s? [A-Z][a-z]+/.test(h === candidates[0] && h.record === record ? this.sentenceWithContext(h.unit) : h.unit.text));
      if (said) {
        const text = this.sentenceWithContext(said.unit);
        // A passage of a report has no lead field: its own words ("please contact: …") are the answer.
        a.text = r.kind === 'passage' && said.record === r ? text : `${a.text} What the plans say: ${text}`;
        a.quotes.push({ text, source: this.sourceOf(said.record, said.unit) });
      }
    } else {
      const people = rec.leads?.length ? rec.leads.join(', ') : undefined;
      const org = rec.leadOrganisation;
      a.text = people
        ? `${people}${org ? ` (${org})` : ''} lead${rec.leads!.length === 1 ? 's' : ''} on "${truncate(r.title, 160)}".`
        : `${org} leads on "${truncate(r.title, 160)}".`;
      if (rec.governanceGroup) a.text += ` Governance group: ${rec.governanceGroup}.`;
    }
    if (rec.leads?.length) a.facts.push({ label: 'Named leads', value: rec.leads.join(', ') });
    if (rec.leadOrganisation) a.facts.push({ label: 'Lead organisation', value: rec.leadOrganisation });
    // The improvement plan's column is "lead organisation and partners": its words together, as the plan has them.
    if (rec.leadOrganisation && rec.partners?.length) a.facts.push({ label: 'Lead organisation and partners', value: [rec.leadOrganisation, ...rec.partners].join(', ') });
    if (rec.partners?.length) a.facts.push({ label: 'Partners', value: rec.partners.join(', ') });
    if (rec.governanceGroup) a.facts.push({ label: 'Governance group', value: rec.governanceGroup });
    this.addPlanFacts(a, r);
    a.sources.push(src);
    a.suggestions = this.suggestionsFor(r).filter((s) => !/lead/i.test(s));
    if (r !== record) a.context = { recordId: r.id, query: '', intent: 'lead' };
    return a;
  }

  indicatorSentence(ind: Indicator, update?: ApprovedUpdate): string {
    const latest = latestFigure(ind);
    if (update?.value) {
      return (
        `${ind.title}: ${update.value}${update.period ? ` for ${update.period}` : ''} (approved update reported by ${update.reporter} on ${update.submittedAt.slice(0, 10)})` +
        (latest ? `; the plan's figure was ${latest.value}${latest.period ? ` (${latest.period})` : ''}.` : '.')
      );
    }
    const prev = previousFigure(ind, latest);
    let s: string;
    if (latest) {
      s = `${ind.title}: ${latest.value}${latest.period ? ` (${latest.period})` : ''}`;
      if (prev) s += `, previously ${prev.value}${prev.period ? ` (${prev.period})` : ''}`;
    } else if (ind.values.length) {
      // Parts of a whole, none of them "latest": each with what it counts.
      s = `${ind.title}: ${ind.values.map((v) => `${v.value}${v.period ? ` (${v.period})` : ''}${v.note ? ` ${v.note}` : ''}`).join('; ')}`;
    } else {
      s = `The plans don't have a figure for "${ind.title}"`;
    }
    const extra: string[] = [];
    if (ind.target) extra.push(`target ${ind.target.value}`);
    if (ind.national) extra.push(`national ${ind.national.value}${ind.national.period ? ` (${ind.national.period})` : ''}`);
    return s + (extra.length ? `; ${extra.join(', ')}` : '') + '.';
  }

  private indicatorAnswer(record: IndexedRecord & { record: WithDoc<Indicator> }, unit: Unit | undefined, u: Understanding): Answer {
    const ind = record.record;
    const update = this.updates?.latestApproved(ind.id);
    const pending = this.updates?.pendingCount(ind.id) ?? 0;
    const a = blank('answer', u.intent, '');
    a.title = ind.title;
    const latest = latestFigure(ind);
    const prev = previousFigure(ind, latest);
    // A figure for the period asked about, if the indicator has one.
    const askedYears = u.periods.filter((p) => p.from !== 0);
    const forPeriods = askedYears.length ? ind.values.filter((v) => v.period && askedYears.every((p) => periodMatches(p, periodsIn(v.period!)))) : [];
    // With no figure labelled latest, the figures for a period are parts of one whole: give them all.
    const forPeriod = forPeriods.length > 1 && !latest ? undefined : forPeriods[0];
    // Asked for something the indicator does not have: say so first, then what the plans do have.
    const missing: string[] = [];
    if (u.intent === 'target' && !ind.target) missing.push(`The plans don't have a target for "${truncate(ind.title, 160)}".`);
    if (/\b(national|nationally|england)\b/.test(normalise(u.text)) && (!ind.national || /^n\/?a$/i.test(ind.national.value.trim()))) {
      missing.push(`The plans don't have a national figure for "${truncate(ind.title, 160)}"${ind.national ? ` (the document gives ${ind.national.value})` : ''}.`);
    }

    const fromCommentary = unit && unit.field === 'text';
    if (u.intent === 'target' && ind.target) {
      const baseline = ind.values.find((v) => v.role === 'baseline');
      a.text =
        `The target for "${ind.title}" is ${ind.target.value}${ind.target.period ? ` (${ind.target.period})` : ''}` +
        (latest ? `; the latest figure is ${latest.value}${latest.period ? ` (${latest.period})` : ''}.` : baseline ? `, from a baseline of ${baseline.value}${baseline.period ? ` (${baseline.period})` : ''}.` : '.');
    } else if (forPeriod) {
      a.text = `${ind.title}: ${forPeriod.value} for ${forPeriod.period}${forPeriod.note ? ` (${forPeriod.note})` : ''}.`;
      if (fromCommentary) a.text += ' ' + this.sentenceWithContext(unit, contextBudget(u.intent));
    } else if (fromCommentary && (u.intent !== 'figure' || !latest || !unitHasFigure(unit, ind))) {
      a.text = this.sentenceWithContext(unit, contextBudget(u.intent)) + (ind.values.length ? ` (${this.indicatorSentence(ind, update)})` : '');
    } else {
      a.text = this.indicatorSentence(ind, update);
      if (fromCommentary) a.text += ' ' + this.sentenceWithContext(unit, contextBudget(u.intent));
    }
    if (missing.length) a.text = `${missing.join(' ')} ${a.text}`;
    if (update) {
      a.facts.push({ label: 'Latest (approved update)', value: `${update.value ?? update.status}${update.period ? ` (${update.period})` : ''}` });
      a.facts.push({ label: 'Reported by', value: `${update.reporter}, ${update.submittedAt.slice(0, 10)}; approved ${update.approvedAt.slice(0, 10)}` });
    }
    if (latest) a.facts.push({ label: update?.value ? 'Latest in the plan' : 'Latest', value: fig(latest) });
    if (prev) a.facts.push({ label: 'Previous', value: fig(prev) });
    for (const v of ind.values) if (v !== latest && v !== prev) a.facts.push({ label: v.role === 'baseline' ? 'Baseline' : latest ? 'Also' : 'Figure', value: fig(v) });
    if (ind.target) a.facts.push({ label: 'Target', value: fig(ind.target) });
    if (ind.national) a.facts.push({ label: 'National', value: fig(ind.national) });
    const pw = polarityWords(ind.polarity);
    if (pw) a.facts.push({ label: 'Good is', value: `${ind.polarity} (${pw})` });
    // An approved update is the newest figure: judge it against the plan's latest, and say when it is as at.
    const current = update?.value ? { value: update.value, period: update.period } : latest;
    const before = update?.value ? latest : prev;
    const dir = direction(ind.polarity, current?.value, before?.value);
    if (dir !== 'unknown') a.facts.push({ label: 'Direction of travel', value: dir });
    const ts = targetStatus(ind.polarity, current?.value, ind.target?.value, ind.national?.value, before?.value);
    if (ts !== 'unknown' && ts !== 'no target') a.facts.push({ label: 'Against target', value: ts });
    if (u.intent === 'trend' && ind.values.length) {
      a.text += ` Figures in the plan: ${ind.values.map((v) => fig(v)).join('; ')}.`;
    }
    if (pending) a.facts.push({ label: 'Pending', value: `${pending} newer update${pending === 1 ? '' : 's'} awaiting review` });
    if (ind.leads.length || ind.leadOrganisation) a.facts.push({ label: 'Lead', value: [ind.leads.join(', '), ind.leadOrganisation].filter(Boolean).join(' — ') });
    this.addPlanFacts(a, record);
    const src = this.sourceOf(record, unit);
    a.sources.push(src);
    if (current) a.facts.push({ label: 'As at', value: current.period ?? (update?.value ? update.submittedAt.slice(0, 10) : this.docs.get(record.doc)?.date ?? '') });
    if (fromCommentary) a.quotes.push({ text: this.sentenceWithContext(unit, contextBudget(u.intent)), source: src });
    return a;
  }

  private actionsAnswer(record: IndexedRecord, unit: Unit | undefined, u: Understanding): Answer {
    const act = record.record as WithDoc<Activity>;
    const a = blank('answer', u.intent, '');
    a.title = act.title;
    const wantsMeasures = MEASURE_WORDS.test(normalise(u.text));
    if (u.intent === 'list' && wantsMeasures && act.measures.length) {
      a.text = `Key performance measures for "${truncate(act.title, 160)}": ${act.measures.map((m) => m.text).join('; ')}.`;
    } else if (u.intent === 'date' && unit?.field === 'action') {
      const matchedAction = act.actions[unit.position];
      a.text = !matchedAction.due
        ? `The plans don't have a date for "${matchedAction.text}".`
        : DATE_WORDS.test(matchedAction.due)
          ? `"${matchedAction.text}" was due by ${matchedAction.due}.`
          : `"${matchedAction.text}" has no date in the plan: ${matchedAction.due}.`;
      const sameDue = act.actions.filter((x) => x !== matchedAction && x.due);
      if (sameDue.length) a.text += ` Other key actions under "${truncate(act.title, 100)}": ${sameDue.map((x) => `${x.text} (${x.due})`).join('; ')}.`;
    } else {
      a.text = `Key actions for "${truncate(act.title, 160)}": ${act.actions.map((x) => `${x.text}${x.due ? ` (${byDate(x.due)})` : ''}`).join('; ')}.`;
    }
    // "Is there a deadline?" when none of them has a date: the measures say what the plan expects instead.
    if (u.intent === 'date' && !act.actions.some((x) => x.due && DATE_WORDS.test(x.due)) && act.measures.length) {
      a.text += ` None of its key actions has a date; the plan's measures: ${act.measures.map((m) => m.text).join('; ')}.`;
    }
    if (u.intent === 'status' && act.measures.length) a.text += ` Key performance measures: ${act.measures.map((m) => m.text).join('; ')}.`;
    // "What's the status of the transitions protocol?" matched the strategy the activity delivers: what the plan says of it first.
    if (u.intent === 'status' && act.strategicPlan) {
      const inTitle = new Set(contentTokens(act.title));
      const asked = contentTokens(u.searchText).filter((t) => !inTitle.has(t));
      const strategy = new Set(contentTokens(act.strategicPlan));
      if (asked.filter((t) => strategy.has(t)).length >= 2) a.text = `Strategic plan: ${act.strategicPlan}. ${a.text}`;
    }
    for (const x of act.actions) a.facts.push({ label: x.due ? byDate(x.due).replace(/^b/, 'B') : 'Action', value: x.text });
    for (const m of act.measures) a.facts.push({ label: 'Measure', value: m.text });
    this.addActivityFacts(a, act);
    this.addPlanFacts(a, record);
    a.sources.push(this.sourceOf(record, unit));
    return a;
  }

  private quoteAnswer(record: IndexedRecord, unit: Unit | undefined, u: Understanding): Answer {
    const a = blank('answer', u.intent, '');
    a.title = record.title;
    const src = this.sourceOf(record, unit);
    if (unit && unit.field !== 'title') {
      const s = this.sentenceWithContext(unit, contextBudget(u.intent));
      a.text = s;
      a.quotes.push({ text: s, source: src });
    } else if (record.kind === 'activity') {
      const act = record.record as WithDoc<Activity>;
      const p = act.progress[act.progress.length - 1];
      a.text = p ? `${act.title}: ${squash(p.text)}` : act.title;
    } else if (record.kind === 'passage') {
      a.text = squash((record.record as WithDoc<Passage>).text);
    } else {
      a.text = record.title;
    }
    a.text = truncate(a.text, u.intent === 'list' ? 1800 : 900);
    if (record.kind === 'activity') this.addActivityFacts(a, record.record as WithDoc<Activity>);
    this.addPlanFacts(a, record);
    a.sources.push(src);
    return a;
  }

  private addActivityFacts(a: Answer, act: Activity) {
    if (act.leads.length) a.facts.push({ label: 'Named leads', value: act.leads.join(', ') });
    if (act.leadOrganisation) a.facts.push({ label: 'Lead organisation', value: act.leadOrganisation });
    if (act.governanceGroup) a.facts.push({ label: 'Governance group', value: act.governanceGroup });
    // The strategy it delivers, as the plan names it ("NCC Transitions Protocol (currently being refreshed)").
    if (act.strategicPlan) a.facts.push({ label: 'Strategic plan', value: act.strategicPlan });
  }

  private addPlanFacts(a: Answer, r: IndexedRecord) {
    const d = this.docs.get(r.doc);
    const p = r.priorityId ? this.priorities.get(r.priorityId) : undefined;
    if (p) a.facts.push({ label: 'Priority', value: `${p.number}${p.title ? `. ${p.title}` : ''}` });
    if (d) a.facts.push({ label: 'Authority', value: AUTHORITY_NAMES[d.authority] });
  }

  /**
   * The sentence with the sentences after it in the same passage, whole, while
   * they fit in about `budget` characters: in the plans what happened, the
   * figures and what comes next usually follow the sentence that names the
   * thing ("Peer review in June 2017 … Strengths identified: …"). A sentence
   * that continues the thought ("This increased to …") is always kept, and the
   * one before is added when this one leans on it ("This …").
   */
  sentenceWithContext(unit: Unit, budget = 420): string {
    const around = this.index.neighbours(unit);
    const i = around.findIndex((x) => x.id === unit.id);
    let s = unit.text;
    // "…five areas for change to:" is followed by its list: include it.
    if (s.endsWith(':')) {
      for (const n of around.slice(i + 1)) {
        if (s.length + n.text.length > 900) break;
        s += ' ' + n.text;
      }
      return s;
    }
    for (const [k, n] of around.slice(i + 1).entries()) {
      const continues = k === 0 && (/^(this|it|these|that|however|which|but|and|although|whilst|while|as a result|in addition|since)\b/i.test(n.text) || s.length < 60);
      if (!continues && s.length + n.text.length + 1 > budget) break;
      if (s.length + n.text.length + 1 > 900) break;
      s += ' ' + n.text;
    }
    const prev = around[i - 1];
    if (prev && LEANS_ON_PREVIOUS.test(unit.text) && prev.text.length < 300) s = prev.text + ' ' + s;
    return s;
  }

  sourceOf(r: IndexedRecord, unit?: Unit): AnswerSource {
    const d = this.docs.get(r.doc);
    let source: Source | undefined;
    const rec = r.record as Partial<Activity & Indicator & Priority & Passage>;
    if (unit && unit.field === 'text') {
      const narratives = rec.progress ?? rec.commentary ?? (rec.text ? [{ source: rec.source }] : []);
      source = (narratives as { source?: Source }[])[unit.group - 10]?.source;
    }
    if (unit && unit.field === 'action' && rec.actions) source = rec.actions[unit.position]?.source;
    source ??= rec.source;
    if (r.kind === 'glossary') {
      const g = r.record as GlossaryRecord;
      const gd = g.source ? this.docs.get(g.source.document) : undefined;
      return { document: gd?.id ?? 'glossary', title: gd?.title ?? 'Glossary', date: gd?.date ?? '', section: g.source?.section ?? 'Glossary' };
    }
    return { document: r.doc, title: d?.title ?? r.doc, date: d?.date ?? '', section: source?.section ?? '', ref: source?.ref };
  }

  suggestionsFor(r: IndexedRecord): string[] {
    const out: string[] = [];
    if (this.leadsOf(r).length) out.push('Who leads this?');
    if (r.kind === 'indicator' && (r.record as Indicator).values.length > 1) out.push('Show the trend');
    if (r.kind === 'indicator' && (r.record as Indicator).target) out.push('And the target?');
    if (r.priorityNumber) out.push(`Summarise priority ${r.priorityNumber} ${planPhrase(r.plan, r.authority)}`);
    return out.slice(0, 3);
  }

  /** The activity or indicator an update is most likely about ("update on the MASH"). */
  findRecordForUpdate(text: string): string | undefined {
    const cleaned = updateSubject(text);
    if (!cleaned) return undefined;
    const hits = this.index.search(this.index.concepts(cleaned), { limit: 5 }).filter((h) => h.record.kind === 'indicator' || h.record.kind === 'activity');
    return hits[0] && hits[0].coverage >= CONFIDENCE_THRESHOLD ? hits[0].record.id : undefined;
  }
}

function fig(f: Figure): string {
  return `${f.value}${f.period ? ` (${f.period})` : ''}${f.note ? ` — ${f.note}` : ''}`;
}

function unitHasFigure(unit: Unit, ind: Indicator): boolean {
  return ind.values.some((v) => unit.text.includes(v.value));
}

function mentions(text: string, g: GlossaryRecord): boolean {
  const t = normalise(text);
  return new RegExp(`\\b${normalise(g.term).replace(/[^a-z0-9]/g, '.?')}\\b`).test(t) || g.meanings.some((m) => t.includes(normalise(m).slice(0, 24)));
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1).replace(/\s+\S*$/, '') + '…';
}


function stripAuthority(q: string): string {
  return q.replace(/\b(in|for|of)?\s*(the\s+)?(nottingham city|nottinghamshire|notts|nottingham|city|county)\b/gi, ' ');
}

/**
 * The question with chat shorthand written out and typos in the words that
 * steer understanding corrected ("perfomance reprot" -> "performance report"),
 * before it is read. Typos in other words are left to the search's typo layer.
 */
export function correctedQuestion(question: string, index: Pick<SearchIndex, 'knows' | 'glossary'>): string {
  return expandShortForms(question).replace(/[A-Za-z][A-Za-z']{3,}/g, (w) => {
    const lw = w.toLowerCase();
    if (UNDERSTANDING_WORDS.has(lw) || index.knows(stem(lw)) || index.glossary(lw) || STOP_WORDS.has(lw)) return w;
    return understandingWordLike(lw) ?? w;
  });
}

/** The understanding word a typo was meant to be ("perfomance" -> "performance"), if exactly one is close. */
function understandingWordLike(w: string): string | undefined {
  // One edit, or two in a long word: "remaning" must not become "meaning". Short words are left alone: "chat" is
  // a word of its own ("ChatHealth"), not a typo of "what".
  // …except two neighbouring letters swapped, the commonest slip ("yaer" -> "year"), which keeps every letter.
  if (w.length === 4) {
    const swaps = [0, 1, 2].map((i) => w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)).filter((x) => x !== w && UNDERSTANDING_WORDS.has(x));
    return swaps.length === 1 ? swaps[0] : undefined;
  }
  if (w.length < 5) return undefined;
  const max = w.length <= 8 ? 1 : 2;
  let best: string | undefined;
  let bestD = max + 1;
  let tie = false;
  for (const x of UNDERSTANDING_WORDS) {
    if (Math.abs(x.length - w.length) > max) continue;
    const d = editDistance(w, x);
    if (d < bestD) {
      best = x;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return best && !tie && bestD <= max ? best : undefined;
}

/**
 * Does the text give a count of the thing (a number, not a percentage or a
 * year, followed within a few words by the counted noun: "Approximately 4,000
 * taxi drivers", "569 children subject to …")?
 */
export function countsOf(text: string, head: Concept): boolean {
  const tokens = normalise(text).match(/\d[\d,.]*%?|[a-z][a-z'-]*/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^\d/.test(t) || t.endsWith('%') || (/^(19|20)\d\d$/.test(t))) continue;
    const window = new Set(tokens.slice(i + 1, i + 7).filter((w) => !/^\d/.test(w)).map(stem));
    if (head.alternatives.some((a) => a.tokens.every((x) => window.has(x)))) return true;
  }
  return false;
}

/** Does the indicator count things (so it can answer "how many")? A percentage or a rate does not. */
function isCount(ind: Indicator): boolean {
  if (ind.unit && /%|percent|rate|score|days|weeks|£/i.test(ind.unit)) return false;
  if (/^(percentage|proportion|rate)\b/i.test(ind.title)) return false;
  return ind.values.some((v) => !/%/.test(v.value));
}

/** How much of a passage to quote: a list or a "how is it going" needs more of the story than a figure does. */
function contextBudget(intent: Intent): number {
  return intent === 'list' ? 1500 : intent === 'status' || intent === 'lookup' ? 650 : 420;
}

/** The plan's own document (its improvement or action plan), not a report on it: its words come first. */
function isPlanItself(d: SourceDocument | undefined): boolean {
  return d?.kind === 'improvement-plan' || d?.kind === 'action-plan';
}

/** "by March 2017" for a date, the plan's words as they are for anything else ("Ongoing", "No specific milestone"). */
function byDate(due: string): string {
  return DATE_WORDS.test(due) ? `by ${due}` : due;
}

/**
 * How a suggested follow-up names a plan so that it is never ambiguous: the
 * city has one plan, the county two (the CYPF plan and the council plan).
 */
function planPhrase(planId: string, authority: Authority): string {
  if (planId === 'county-council-plan') return 'of the council plan';
  if (authority === 'city') return 'for the city';
  return 'of the CYPF plan';
}
