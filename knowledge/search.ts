/**
 * The search index. Knowledge is cut into small retrievable units (a title, an
 * alias, one sentence of a narrative, one key action, one measure), each
 * knowing its record, document, authority and priority. A question becomes a
 * list of concepts (a word, its acronym expansions, synonyms and typo
 * corrections); units are scored by how much of the question's IDF-weighted
 * meaning they cover, so a rare key term outweighs common words and numbers.
 *
 * fuse.js is used only where it is strong: as the typo layer over the
 * vocabulary of words, never over whole records. An inverted index narrows
 * scoring to the units that share at least one word with the question.
 */
import Fuse from 'fuse.js';
import type { Knowledge, WithDoc } from './loader';
import type { Activity, Authority, Indicator, Narrative, Passage, Priority } from './schema';
import { allTokens, contentTokens, normalise, sentences, squash, stem, words, STOP_WORDS, MIN_FUZZY_LENGTH } from './text';

export type RecordKind = 'indicator' | 'activity' | 'priority' | 'passage' | 'glossary';
export type UnitField = 'title' | 'alias' | 'text' | 'action' | 'measure' | 'outcome' | 'success' | 'summary' | 'lead' | 'evidence' | 'meaning';

export interface Unit {
  id: number;
  record: string;
  kind: RecordKind;
  field: UnitField;
  /** The text as written in the source. */
  text: string;
  /** Index of the narrative / list the unit came from, and its sentence position, for context. */
  group: number;
  position: number;
  tokens: Set<string>;
  seq: string[];
  /** The stemmed word sequence as one string, for phrase checks. */
  seqText: string;
  digits: boolean;
}

export interface IndexedRecord {
  id: string;
  kind: RecordKind;
  doc: string;
  authority: Authority;
  plan: string;
  priorityNumber?: number;
  priorityId?: string;
  title: string;
  /** Title, aliases and similar naming fields: what every unit of the record is about. */
  context: Set<string>;
  /** Naming words of what the record belongs to (an indicator's activity and its strategic plan): weaker context. */
  parent: Set<string>;
  /** IDF mass of the record's title, for judging how much of the title a question covers. */
  titleTokens: string[];
  /** The stemmed word sequences of the record's title and aliases, each padded with spaces, for whole-name checks. */
  namingSeq: string;
  units: Unit[];
  record: WithDoc<Indicator> | WithDoc<Activity> | WithDoc<Priority> | WithDoc<Passage> | GlossaryRecord;
}

export interface GlossaryRecord {
  term: string;
  meanings: string[];
  synonyms: string[];
  source?: { document: string; section: string };
}

/** One alternative spelling of a concept: a list of stemmed tokens that must co-occur. */
/**
 * `phrase`: the words of a name, stemmed with stop words, that must appear together in one unit or one of the
 * record's names ("attainment 8" is a measure's name: "attainment" in one alias and "8" in the title is not it).
 */
type Alternative = { tokens: string[]; via: 'word' | 'glossary' | 'synonym' | 'typo'; phrase?: string };

export interface Concept {
  /** What the user typed. */
  word: string;
  alternatives: Alternative[];
  weight: number;
  /** Typed word that nothing in the knowledge resembles. */
  unknown: boolean;
  numeric: boolean;
  /** Word position in the question. */
  position: number;
}

export interface Hit {
  unit: Unit;
  record: IndexedRecord;
  score: number;
  /** Share of the question's weighted concepts the unit covers (0-1): the confidence. */
  coverage: number;
  matched: string[];
  missing: string[];
  /** Share of the question's weighted concepts the record's title and aliases cover: is the record about it? */
  about: number;
  /** Share of the question's weighted concepts the unit's own words cover, without its record's name. */
  direct: number;
}

export interface SearchOptions {
  authority?: Authority;
  /** Document ids to prefer (from "in the mid-year review", "in the performance report"). */
  preferDocs?: string[];
  limit?: number;
}

interface VocabEntry {
  word: string;
}

const num = /^\d+$/;
const CHANGE_WORDS = new Set(
  'increase increased increases increasing rise rises rising rose risen fall falls falling fell fallen drop drops dropping dropped decrease decreased decreases decreasing reduce reduced reduces reducing reduction improve improved improves improving improvement worse worsened worsening better change changed changes grew grow growth declined decline'.split(' '),
);
/** Most a naming unit (title, alias) gains for saying nothing the question does not ask about. */
const PRECISION_WEIGHT = 0.04;
/** Most any unit gains from its record's title saying nothing the question does not ask about. */
const TITLE_PRECISION_WEIGHT = 0.03;

export class SearchIndex {
  readonly records: IndexedRecord[] = [];
  readonly byId = new Map<string, IndexedRecord>();
  readonly units: Unit[] = [];
  private readonly postings = new Map<string, number[]>();
  /** Title / alias tokens -> records, so a title word makes all of a record's units candidates. */
  private readonly contextPostings = new Map<string, string[]>();
  /** Every token of a record (its name and all its units) -> record positions: the search's first stage. */
  private readonly recordPostings = new Map<string, number[]>();
  private readonly recordDf = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  private readonly stems = new Set<string>();
  /** Typo layer, bucketed by first letter so each lookup scans a small slice of the vocabulary. */
  private readonly fuzzy = new Map<string, Fuse<VocabEntry>>();
  private readonly glossaryByTerm = new Map<string, GlossaryRecord>();
  /** A glossary term's other names as stemmed phrases ("attainment 8" -> A8), so a question that spells it out meets the term. */
  private readonly glossaryByPhrase = new Map<string, GlossaryRecord>();
  private readonly synonymGroups = new Map<string, string[][]>();
  readonly buildMs: number;

  constructor(readonly knowledge: Knowledge) {
    const t0 = performance.now();
    const docs = new Map(knowledge.documents.map((d) => [d.id, d]));
    const plans = new Map(knowledge.plans.map((p) => [p.id, p]));
    const priorities = new Map(knowledge.priorities.map((p) => [p.id, p]));
    const authorityOf = (docId: string): Authority => docs.get(docId)?.authority ?? 'county';
    const planAuthority = (planId: string, docId: string): Authority => {
      const a = authorityOf(docId);
      // The Children's Trust reports on the county plan: county for filtering.
      return a === 'partnership' ? plans.get(planId)?.authority ?? 'county' : a;
    };

    for (const p of knowledge.priorities) {
      const r = this.addRecord(p.id, 'priority', p.doc, planAuthority(p.plan, p.doc), p.plan, p, p.title ?? `Priority ${p.number}`, [], p.number, p.id);
      if (p.title) this.addUnit(r, 'title', p.title, 0, 0);
      p.outcomes.forEach((o, i) => this.addUnit(r, 'outcome', (o.code ? o.code + ' ' : '') + o.text, 1, i));
      p.success.forEach((s, i) => this.addUnit(r, 'success', s, 2, i));
      this.addNarratives(r, p.summary, 10);
    }
    for (const a of knowledge.activities) {
      const pr = priorities.get(a.priority);
      const r = this.addRecord(a.id, 'activity', a.doc, planAuthority(pr?.plan ?? docs.get(a.doc)?.plan ?? '', a.doc), pr?.plan ?? '', a, a.title, a.aliases, pr?.number, a.priority);
      this.addUnit(r, 'title', a.title, 0, 0);
      a.aliases.forEach((x, i) => this.addUnit(r, 'alias', x, 1, i));
      a.actions.forEach((x, i) => this.addUnit(r, 'action', x.text + (x.due ? ` (by ${x.due})` : ''), 2, i));
      a.measures.forEach((x, i) => this.addUnit(r, 'measure', x.text, 3, i));
      a.evidenceSources.forEach((x, i) => this.addUnit(r, 'evidence', x, 4, i));
      const people = [a.leadOrganisation, ...a.partners, ...a.leads, a.strategicPlan, a.governanceGroup].filter((x): x is string => !!x);
      people.forEach((x, i) => this.addUnit(r, 'lead', x, 5, i));
      this.addNarratives(r, a.progress, 10);
    }
    for (const x of knowledge.indicators) {
      const pr = priorities.get(x.priority);
      const r = this.addRecord(x.id, 'indicator', x.doc, planAuthority(pr?.plan ?? '', x.doc), pr?.plan ?? '', x, x.title, x.aliases, pr?.number, x.priority);
      this.addUnit(r, 'title', x.title, 0, 0);
      x.aliases.forEach((a, i) => this.addUnit(r, 'alias', a, 1, i));
      const people = [x.leadOrganisation, ...x.leads].filter((v): v is string => !!v);
      if (people.length) this.addUnit(r, 'lead', people.join(' '), 5, 0);
      this.addNarratives(r, x.commentary, 10);
    }
    for (const x of knowledge.passages) {
      const pr = x.priority ? priorities.get(x.priority) : undefined;
      const plan = pr?.plan ?? docs.get(x.doc)?.plan ?? '';
      const r = this.addRecord(x.id, 'passage', x.doc, planAuthority(plan, x.doc), plan, x, x.heading ?? x.source.section, [], pr?.number, x.priority);
      this.addNarratives(r, [{ text: x.text, source: x.source }], 10);
    }
    for (const t of knowledge.glossary.terms) {
      const g: GlossaryRecord = { term: t.term, meanings: t.meanings, synonyms: t.synonyms, source: t.source };
      this.glossaryByTerm.set(normalise(t.term), g);
      // Only names that do not contain the term itself: "MASE panel" or "Ofsted judgement" are the term plus an
      // ordinary word, which should stay a word of its own in a question.
      const termKey = allTokens(t.term).join(' ');
      for (const name of [...t.meanings, ...t.synonyms]) {
        const key = allTokens(name.replace(/\([^)]*\)/g, ' ')).join(' ');
        if (key.includes(' ') && !` ${key} `.includes(` ${termKey} `) && !this.glossaryByPhrase.has(key)) this.glossaryByPhrase.set(key, g);
      }
      const docId = t.source?.document ?? '';
      const id = 'glossary-' + normalise(t.term).replace(/[^a-z0-9]+/g, '-');
      if (this.byId.has(id)) continue;
      const r = this.addRecord(id, 'glossary', docId, docId ? authorityOf(docId) : 'partnership', '', g, t.term, [], undefined, undefined);
      t.meanings.forEach((m, i) => this.addUnit(r, 'meaning', `${t.term}: ${m}`, 0, i));
    }
    // Synonym groups: keyed by every stemmed word of a member (stop words too, so "children in care"
    // stays a phrase), mapping to the content words of the other members.
    for (const group of knowledge.glossary.synonyms) {
      for (const member of group) {
        const key = allTokens(member).join(' ');
        if (!key) continue;
        const list = this.synonymGroups.get(key) ?? [];
        for (const other of group) {
          const t = contentTokens(other);
          if (!t.length || allTokens(other).join(' ') === key) continue;
          if (!list.some((l) => l.join(' ') === t.join(' '))) list.push(t);
        }
        this.synonymGroups.set(key, list);
      }
    }
    // An indicator that an activity lists as a key performance measure belongs to that activity (and its strategic plan).
    for (const a of knowledge.activities) {
      const naming = [a.title, ...a.aliases, a.strategicPlan ?? ''].flatMap((x) => contentTokens(x));
      for (const m of a.measures) {
        const ind = m.indicator ? this.byId.get(m.indicator) : undefined;
        if (ind) for (const t of naming) if (!ind.context.has(t)) ind.parent.add(t);
      }
    }
    this.records.forEach((r, i) => {
      const all = new Set<string>([...r.context, ...r.parent]);
      for (const u of r.units) for (const t of u.tokens) all.add(t);
      for (const t of all) {
        let list = this.recordPostings.get(t);
        if (!list) this.recordPostings.set(t, (list = []));
        list.push(i);
      }
    });
    this.buildVocabulary();
    this.buildMs = performance.now() - t0;
  }

  private addRecord(
    id: string,
    kind: RecordKind,
    doc: string,
    authority: Authority,
    plan: string,
    record: IndexedRecord['record'],
    title: string,
    aliases: string[],
    priorityNumber: number | undefined,
    priorityId: string | undefined,
  ): IndexedRecord {
    const context = new Set<string>([...contentTokens(title), ...aliases.flatMap((a) => contentTokens(a))]);
    const r: IndexedRecord = { id, kind, doc, authority, plan, priorityNumber, priorityId, title: squash(title), context, parent: new Set(), titleTokens: contentTokens(title), namingSeq: ' ' + [title, ...aliases].map((x) => allTokens(x).join(' ')).join(' | ') + ' ', units: [], record };
    this.records.push(r);
    this.byId.set(id, r);
    for (const t of context) {
      this.recordDf.set(t, (this.recordDf.get(t) ?? 0) + 1);
      let list = this.contextPostings.get(t);
      if (!list) this.contextPostings.set(t, (list = []));
      list.push(id);
    }
    return r;
  }

  private addNarratives(r: IndexedRecord, narratives: Narrative[], groupBase: number) {
    narratives.forEach((n, i) => sentences(n.text).forEach((s, j) => this.addUnit(r, r.kind === 'priority' ? 'summary' : 'text', s, groupBase + i, j)));
  }

  private addUnit(r: IndexedRecord, field: UnitField, text: string, group: number, position: number) {
    const clean = squash(text);
    if (!clean) return;
    const tokens = new Set(contentTokens(clean));
    const seq = allTokens(clean);
    const unit: Unit = { id: this.units.length, record: r.id, kind: r.kind, field, text: clean, group, position, tokens, seq, seqText: ' ' + seq.join(' ') + ' ', digits: /\d/.test(clean) };
    this.units.push(unit);
    r.units.push(unit);
    for (const w of words(clean)) if (w.length >= MIN_FUZZY_LENGTH && !/\d/.test(w)) this.vocabulary.add(w);
    for (const t of tokens) {
      this.stems.add(t);
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push(unit.id);
      // Document frequency counts records, not sentences: a word repeated in a long narrative is not common.
      if (!r.context.has(t) && list.length > 0 && this.units[list[list.length - 2]]?.record !== r.id) this.recordDf.set(t, (this.recordDf.get(t) ?? 0) + 1);
    }
  }

  private buildVocabulary() {
    for (const r of this.records) for (const t of r.context) this.stems.add(t);
    for (const g of this.glossaryByTerm.values()) {
      for (const w of words([g.term, ...g.meanings, ...g.synonyms].join(' '))) if (w.length >= MIN_FUZZY_LENGTH) this.vocabulary.add(w);
    }
    const buckets = new Map<string, VocabEntry[]>();
    for (const w of this.vocabulary) {
      const k = w[0];
      let b = buckets.get(k);
      if (!b) buckets.set(k, (b = []));
      b.push({ word: w });
    }
    for (const [k, list] of buckets) {
      this.fuzzy.set(k, new Fuse(list, { keys: ['word'], includeScore: true, threshold: 0.5, ignoreLocation: true, minMatchCharLength: 2 }));
    }
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  glossary(term: string): GlossaryRecord | undefined {
    return this.glossaryByTerm.get(normalise(term));
  }

  private readonly idfCache = new Map<string, number>();

  idf(token: string): number {
    let v = this.idfCache.get(token);
    if (v === undefined) {
      const n = this.records.length || 1;
      const df = this.recordDf.get(token) ?? 0;
      v = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.idfCache.set(token, v);
    }
    return v;
  }

  knows(token: string): boolean {
    return this.stems.has(token);
  }

  /** Closest vocabulary words to a typed word that the index does not know. */
  private readonly correctionCache = new Map<string, string[]>();

  corrections(word: string, max = 2): string[] {
    const key = `${word}|${max}`;
    const cached = this.correctionCache.get(key);
    if (cached) return cached;
    const result = this.computeCorrections(word, max);
    // Bounded: questions bring new misspellings forever.
    if (this.correctionCache.size > 5000) this.correctionCache.clear();
    this.correctionCache.set(key, result);
    return result;
  }

  private computeCorrections(word: string, max: number): string[] {
    if (word.length < MIN_FUZZY_LENGTH) return [];
    const candidates: { word: string; score: number }[] = [];
    // Typos rarely hit the first letter; when they do, a second bucket by the second letter catches swaps.
    const keys = new Set([word[0], word[1]]);
    for (const k of keys) {
      const f = this.fuzzy.get(k);
      if (!f) continue;
      for (const r of f.search(word, { limit: 8 })) {
        // fuse proposes; an edit distance decides, so "frist" -> "first" but never "care" -> "career".
        const d = editDistance(word, r.item.word);
        if (d > (word.length <= 5 ? 1 : word.length <= 9 ? 2 : 3)) continue;
        candidates.push({ word: r.item.word, score: d + (r.score ?? 1) });
      }
    }
    candidates.sort((a, b) => a.score - b.score || this.idf(stem(a.word)) - this.idf(stem(b.word)));
    const best = candidates[0]?.score ?? 1;
    return [...new Set(candidates.filter((c) => c.score <= best + 0.3).map((c) => c.word))].slice(0, max);
  }

  /**
   * Turns question words into concepts. Glossary terms expand to their
   * meanings and synonyms; synonym groups (multi-word first) map everyday words
   * to the documents' words; unknown words get typo corrections.
   */
  concepts(text: string): Concept[] {
    const raw = words(text);
    const out: Concept[] = [];
    const used = new Set<number>();
    // Multi-word synonym phrases and glossary terms first ("children in care", "cp plan").
    for (let n = 4; n >= 2; n--) {
      for (let i = 0; i + n <= raw.length; i++) {
        if ([...Array(n).keys()].some((k) => used.has(i + k))) continue;
        const phrase = raw.slice(i, i + n);
        // A phrase starts with a content word, and ends with one unless it is a known phrase ("set up", "go live"):
        // "how many kids did" is not a phrase.
        if (STOP_WORDS.has(phrase[0])) continue;
        const key = phrase.map(stem).join(' ');
        const gloss = this.glossaryByTerm.get(phrase.join(' ')) ?? this.glossaryByPhrase.get(key);
        const syn = this.synonymGroups.get(key);
        if (!gloss && !syn) continue;
        if (STOP_WORDS.has(phrase[n - 1]) && (n > 2 || !syn)) continue;
        // A glossary name typed out is a name: its words must appear together.
        const alts: Alternative[] = [{ tokens: contentTokens(phrase.join(' ')), via: 'word', ...(gloss ? { phrase: key } : {}) }];
        if (gloss) alts.push(...this.glossaryAlternatives(gloss));
        if (syn) alts.push(...syn.map((t) => ({ tokens: t, via: 'synonym' as const })));
        out.push({ ...this.concept(phrase.join(' '), alts), position: i });
        for (let k = 0; k < n; k++) used.add(i + k);
      }
    }
    const seen = new Set<string>();
    raw.forEach((w, i) => {
      if (used.has(i) || STOP_WORDS.has(w) || seen.has(w)) return;
      seen.add(w);
      const s = stem(w);
      const alts: Alternative[] = [{ tokens: [s], via: 'word' }];
      // A rare spelling the plans also use ("accomodation") should still meet the usual one ("accommodation").
      for (const c of this.commonerSpellings(w)) alts.push({ tokens: [stem(c)], via: 'typo' });
      // "colocated" / "co-location", "evaluated" / "evaluation": the stemmer cannot always make these meet.
      const variant = ationVariant(w);
      if (variant && variant !== s && this.knows(variant)) alts.push({ tokens: [variant], via: 'synonym' });
      const gloss = this.glossaryByTerm.get(w);
      if (gloss) alts.push(...this.glossaryAlternatives(gloss));
      const syn = this.synonymGroups.get(s);
      if (syn) alts.push(...syn.map((t) => ({ tokens: t, via: 'synonym' as const })));
      let unknown = false;
      if (!this.knows(s) && !gloss && !syn && !num.test(w)) {
        // Words run together ("rollout", "childcare", "healthcheck") meet the plans' two words.
        const split = this.splitCompound(w);
        if (split) {
          out.push({ ...this.concept(w, [{ tokens: split, via: 'synonym' }]), position: i });
          return;
        }
        // A correction to a stop word ("reprot" -> "report") carries no meaning: drop the word.
        const all = this.corrections(w);
        if (all.length && all.every((f) => STOP_WORDS.has(f))) return;
        const fixes = all.filter((f) => !STOP_WORDS.has(f));
        for (const f of fixes) {
          alts.push({ tokens: [stem(f)], via: 'typo' });
          const v = ationVariant(f);
          if (v && this.knows(v)) alts.push({ tokens: [v], via: 'typo' });
        }
        unknown = fixes.length === 0;
      }
      out.push({ ...this.concept(w, alts, unknown), position: i });
    });
    // Question order, so adjacent concepts can be checked for adjacency in the text.
    return out.sort((a, b) => a.position - b.position);
  }

  private readonly spellingCache = new Map<string, string[]>();

  /** Vocabulary words one edit from a rare known word that are much more common: its usual spelling. */
  private commonerSpellings(w: string): string[] {
    if (w.length < 7 || /\d/.test(w)) return [];
    let out = this.spellingCache.get(w);
    if (out) return out;
    const df = (x: string) => this.recordDf.get(stem(x)) ?? 0;
    const mine = df(w);
    out = [];
    if (mine > 0 && mine <= 2) {
      for (const k of new Set([w[0], w[1]])) {
        for (const r of this.fuzzy.get(k)?.search(w, { limit: 8 }) ?? []) {
          const c = r.item.word;
          if (c !== w && stem(c) !== stem(w) && editDistance(w, c) === 1 && df(c) >= Math.max(3, 3 * mine) && !out.includes(c)) out.push(c);
        }
      }
    }
    if (this.spellingCache.size > 5000) this.spellingCache.clear();
    this.spellingCache.set(w, out);
    return out;
  }

  /** "rollout" -> ["roll"], "childcare" -> ["child", "care"]: the content stems of a split into two known words. */
  private splitCompound(w: string): string[] | undefined {
    if (w.length < 6 || /\d/.test(w)) return undefined;
    for (let i = 3; i <= w.length - 2; i++) {
      const a = w.slice(0, i);
      const b = w.slice(i);
      // Each part a stop word or a known word of four letters or more: "worshops" is a typo of "workshops", not "wor" + "shops".
      const ok = (x: string) => STOP_WORDS.has(x) || (x.length >= 4 && this.knows(stem(x)));
      if (!ok(a) || !ok(b)) continue;
      const tokens = [a, b].filter((x) => !STOP_WORDS.has(x)).map(stem);
      if (tokens.length) return tokens;
    }
    return undefined;
  }

  private glossaryAlternatives(g: GlossaryRecord): Alternative[] {
    const alts: Alternative[] = [{ tokens: contentTokens(g.term), via: 'glossary' }];
    for (const m of [...g.meanings, ...g.synonyms]) {
      const t = contentTokens(m.replace(/\([^)]*\)/g, ' '));
      if (t.length) alts.push({ tokens: t, via: 'glossary' });
    }
    return alts;
  }

  private concept(word: string, all: Alternative[], unknown = false): Concept {
    const seen = new Set<string>();
    const alternatives = all.filter((a) => {
      const k = a.tokens.join(' ');
      if (!a.tokens.length || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const numeric = /^[\d\s/.,%-]+$/.test(word);
    const known = alternatives.filter((a) => a.tokens.every((t) => this.knows(t)));
    const meanIdf = (a: Alternative) => a.tokens.reduce((s, t) => s + this.idf(t), 0) / a.tokens.length;
    // A concept weighs what the typed word weighs when the index knows it (synonyms help it match,
    // they must not make a common word count as rare); otherwise what its expansions or
    // corrections weigh; a word nothing resembles weighs like a rare word.
    const typed = known.find((a) => a.via === 'word');
    // An unknown word weighs like a fairly rare one: a question about something the plans never mention
    // should fall below the threshold, but one stray word (an abbreviation, a name) should not sink it.
    let weight = typed ? meanIdf(typed) : known.length ? Math.max(...known.map(meanIdf)) : 0.7 * Math.log(1 + this.records.length);
    if (numeric) weight *= 0.3;
    // Words for change ("fall", "rise", "improve") say how a figure moved, which the answer shows anyway: they help
    // a sentence that uses them rank higher, but must not outweigh what the question is about.
    if (CHANGE_WORDS.has(word)) weight *= 0.3;
    if (word.length <= 2 && !numeric && !this.glossaryByTerm.has(word)) weight *= 0.5;
    return { word, alternatives, weight, unknown: unknown || known.length === 0, numeric, position: 0 };
  }

  /** Ranks units for a question's concepts. */
  /**
   * Ranks units for a question's concepts, exactly, without scoring every
   * candidate: a record's whole vocabulary bounds what any of its units can
   * score, so records are visited best bound first and the walk stops once no
   * remaining record can reach the current top `limit` (max-score pruning).
   */
  search(concepts: Concept[], opts: SearchOptions = {}): Hit[] {
    const limit = opts.limit ?? 10;
    const total = concepts.reduce((s, c) => s + c.weight, 0);
    if (!total) return [];
    const prepared = concepts.map((c) => ({
      concept: c,
      alternatives: c.alternatives.map((a) => {
        const idfs = a.tokens.map((t) => this.idf(t));
        return { tokens: a.tokens, via: a.via, phrase: a.phrase, idfs, all: idfs.reduce((x, y) => x + y, 0), trust: a.via === 'typo' ? 0.85 : a.via === 'word' ? 1 : 0.95 };
      }),
    }));

    // Stage 1: an upper bound per record, from the postings of its whole vocabulary.
    const bound = new Map<number, number>();
    for (const { concept, alternatives } of prepared) {
      const best = new Map<number, number>();
      for (const a of alternatives) {
        if (!a.all) continue;
        const got = new Map<number, number>();
        a.tokens.forEach((t, i) => {
          for (const r of this.recordPostings.get(t) ?? []) got.set(r, (got.get(r) ?? 0) + a.idfs[i]);
        });
        for (const [r, g] of got) {
          const f = (g / a.all) * a.trust;
          if (f > (best.get(r) ?? 0)) best.set(r, f);
        }
      }
      for (const [r, f] of best) bound.set(r, (bound.get(r) ?? 0) + concept.weight * f);
    }
    // What a unit can add beyond its coverage, bounded per record: authority and document are known for
    // the record, aboutness is at most its coverage; phrases and the naming field at most their maximum.
    const maxPhrase = 0.02 * Math.min(3, Math.max(0, concepts.length - 1));
    const order = [...bound.entries()]
      .map(([r, b]) => {
        const record = this.records[r];
        const cov = b / total;
        const otherAuthority = opts.authority && record.authority !== opts.authority && record.kind !== 'glossary';
        const upper = cov * (otherAuthority ? 0.85 : 1) + (opts.authority && record.authority === opts.authority ? 0.04 : 0) + (opts.preferDocs?.includes(record.doc) ? 0.06 : 0) + 0.03 * cov + 0.01 + PRECISION_WEIGHT + TITLE_PRECISION_WEIGHT + maxPhrase;
        return [r, upper] as const;
      })
      .sort((a, b) => b[1] - a[1]);

    // Stage 2: score the units of the most promising records until none can enter the top `limit`.
    const top: Hit[] = []; // kept sorted, best first, at most `limit` long
    for (const [r, upper] of order) {
      if (top.length >= limit && upper < top[top.length - 1].score) break;
      const record = this.records[r];
      for (const unit of record.units) {
        const h = this.scoreUnit(unit, record, prepared, total, opts, top.length >= limit ? top[top.length - 1].score : -Infinity);
        if (!h) continue;
        if (top.length >= limit && byScore(h, top[top.length - 1]) >= 0) continue;
        let i = top.length;
        while (i > 0 && byScore(h, top[i - 1]) < 0) i--;
        top.splice(i, 0, h);
        if (top.length > limit) top.pop();
      }
    }
    return top;
  }

  private scoreUnit(
    unit: Unit,
    record: IndexedRecord,
    prepared: { concept: Concept; alternatives: { tokens: string[]; via: Alternative['via']; phrase?: string; idfs: number[]; all: number; trust: number }[] }[],
    total: number,
    opts: SearchOptions,
    floor = -Infinity,
  ): Hit | undefined {
    let score = 0;
    let direct = 0;
    let about = 0;
    const matched: string[] = [];
    const missing: string[] = [];
    for (const { concept, alternatives } of prepared) {
      let best = 0;
      let bestOwn = 0;
      let bestContext = 0;
      for (const a of alternatives) {
        if (!a.all) continue;
        if (a.phrase && !unit.seqText.includes(` ${a.phrase} `) && !record.namingSeq.includes(` ${a.phrase} `)) continue;
        let got = 0;
        let own = 0;
        let ctx = 0;
        let absent = false;
        for (let i = 0; i < a.tokens.length; i++) {
          const t = a.tokens[i];
          const w = a.idfs[i];
          const inContext = record.context.has(t);
          if (unit.tokens.has(t)) {
            got += w;
            own += w;
          } else if (inContext) got += w * 0.8;
          else if (record.parent.has(t)) got += w * 0.5;
          else absent = true;
          if (inContext) ctx += w;
        }
        // A phrase (typed, or a glossary meaning or synonym) counts only when all of it is there, in the unit or its
        // record's name: "attainment 8 average score" is not three quarters present in "Progress 8 … above the average".
        if (absent) continue;
        // A typo correction is a guess: it counts, but less than the word itself.
        best = Math.max(best, (got / a.all) * a.trust);
        bestOwn = Math.max(bestOwn, (own / a.all) * a.trust);
        bestContext = Math.max(bestContext, (ctx / a.all) * a.trust);
      }
      score += concept.weight * best;
      direct += concept.weight * bestOwn;
      about += concept.weight * bestContext;
      (best >= 0.5 ? matched : missing).push(concept.word);
    }
    let coverage = score / total;
    // Small preferences that break ties without overruling meaning.
    let bonus = 0;
    if (opts.authority && record.authority === opts.authority) bonus += 0.04;
    if (opts.authority && record.authority !== opts.authority && record.kind !== 'glossary') coverage *= 0.85;
    if (opts.preferDocs?.includes(record.doc)) bonus += 0.06;
    if (unit.field === 'title' || unit.field === 'alias') {
      bonus += 0.01;
      // A name that is all question ("CP plans") beats one that says much more ("… for a second or subsequent time").
      bonus += PRECISION_WEIGHT * this.precision(unit, prepared);
    }
    // Prefer records that are about the question over ones that mention it in passing,
    // and whose name says little beyond what was asked ("… subject to a CP plan" over "… for a second or subsequent time").
    bonus += 0.03 * (about / total);
    bonus += TITLE_PRECISION_WEIGHT * this.titlePrecision(record, prepared);
    // Phrases only break ties: skip the work when even the most they add cannot reach the floor.
    if (coverage + bonus + 0.06 < floor) return undefined;
    bonus += 0.02 * this.phraseMatches(prepared.map((p) => p.concept), unit);
    return { unit, record, score: coverage + bonus, coverage, matched, missing, about: about / total, direct: direct / total };
  }

  /** Share of a record title's IDF-weighted words that the question asks about (0-1). */
  private titlePrecision(record: IndexedRecord, prepared: { alternatives: { tokens: string[] }[] }[]): number {
    let all = 0;
    let asked = 0;
    for (const t of record.titleTokens) {
      const w = this.idf(t);
      all += w;
      if (prepared.some((p) => p.alternatives.some((a) => a.tokens.includes(t)))) asked += w;
    }
    return all ? asked / all : 0;
  }

  /** Share of a unit's IDF-weighted words that the question asks about (0-1). */
  private precision(unit: Unit, prepared: { alternatives: { tokens: string[] }[] }[]): number {
    let all = 0;
    let asked = 0;
    for (const t of unit.tokens) {
      const w = this.idf(t);
      all += w;
      if (prepared.some((p) => p.alternatives.some((a) => a.tokens.includes(t)))) asked += w;
    }
    return all ? asked / all : 0;
  }

  /** How many adjacent question word pairs appear adjacent in the unit. */
  private phraseMatches(concepts: Concept[], unit: Unit): number {
    let n = 0;
    const seq = unit.seqText;
    for (let i = 0; i + 1 < concepts.length; i++) {
      const a = concepts[i].alternatives[0].tokens;
      const b = concepts[i + 1].alternatives[0].tokens;
      if (seq.includes(` ${a[a.length - 1]} ${b[0]} `)) n++;
    }
    return Math.min(n, 3);
  }

  /** Units of a record in reading order, for showing a sentence with its neighbours. */
  neighbours(unit: Unit): Unit[] {
    const r = this.byId.get(unit.record)!;
    return r.units.filter((u) => u.group === unit.group).sort((a, b) => a.position - b.position);
  }

  counts(): Record<RecordKind, number> & { units: number; vocabulary: number } {
    const c = { indicator: 0, activity: 0, priority: 0, passage: 0, glossary: 0, units: this.units.length, vocabulary: this.vocabulary.size };
    for (const r of this.records) c[r.kind]++;
    return c;
  }
}

/** The other form of an -ated / -ation word, stemmed ("colocated" -> stem of "colocation"), or undefined. */
function ationVariant(w: string): string | undefined {
  const m = w.match(/^(.{3,})(ation|ations|ated|ates|ate|ating)$/);
  if (!m) return undefined;
  const other = m[2].startsWith('ation') ? m[1] + 'ated' : m[1] + 'ation';
  return stem(other);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

function byScore(a: Hit, b: Hit): number {
  return b.score - a.score || a.unit.text.length - b.unit.text.length;
}
