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
import { PerAnswer } from './oneAnswer';
import type { Knowledge, WithDoc } from './loader';
import type { Activity, Authority, Indicator, Narrative, Passage, Priority } from './schema';
import { allTokens, contentTokens, normalise, sentences, squash, stem, words, STOP_WORDS, MIN_FUZZY_LENGTH, LEANS_ON_PREVIOUS } from './text';

export type RecordKind = KindedRecord['kind'];

/** Within one answer a text's concepts are read once (knowledge/oneAnswer.ts). */
const conceptsRead = new PerAnswer<Concept[]>();
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
  /**
   * The words of the sentence before, which this one points back to ("The team worked with…" after the sentence
   * naming the programme): they count for it, a little less than its own (see LEANS_ON_PREVIOUS).
   */
  before?: Set<string>;
  /** Its tokens with their IDF, filled in on first use (IDF is fixed once the index is built). */
  idfs?: (readonly [string, number])[];
}

/** What every indexed record has, whatever its kind. */
interface RecordBase {
  id: string;
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
  /** titleTokens with their IDF, filled in on first use. */
  titleIdfs?: (readonly [string, number])[];
  /** The stemmed word sequences of the record's title and aliases, each padded with spaces, for whole-name checks. */
  namingSeq: string;
  units: Unit[];
}

/** A record's content with its kind: the kind says which content it is, so no code needs a cast to read it. */
export type KindedRecord =
  | { kind: 'indicator'; record: WithDoc<Indicator> }
  | { kind: 'activity'; record: WithDoc<Activity> }
  | { kind: 'priority'; record: WithDoc<Priority> }
  | { kind: 'passage'; record: WithDoc<Passage> }
  | { kind: 'glossary'; record: GlossaryRecord };

export type IndexedRecord = RecordBase & KindedRecord;
export type IndicatorRecord = Extract<IndexedRecord, { kind: 'indicator' }>;
export type ActivityRecord = Extract<IndexedRecord, { kind: 'activity' }>;

export interface GlossaryRecord {
  term: string;
  meanings: string[];
  synonyms: string[];
  source?: { document: string; section: string };
}

/** Units of one record scored together: its naming fields, or one narrative paragraph. */
interface Block {
  record: IndexedRecord;
  units: Unit[];
  /** Token -> the block's units that contain it: which units share a word with a question, without scanning them all. */
  unitsByToken: Map<string, Unit[]>;
  /** Holds a title or alias (which earn the naming bonuses). */
  naming: boolean;
}

/** A concept ready for scoring: its alternatives with their tokens' IDF. */
type Prepared = { concept: Concept; alternatives: { tokens: string[]; via: Alternative['via']; phrase?: string; padded?: string; idfs: number[]; all: number; trust: number }[] };

/** Per-search working state: every token the question asks about, and title precision once per record. */
interface SearchScratch {
  asked: Set<string>;
  /** Asked token -> the concepts (one bit each) that have it in an alternative. */
  tokenConcepts: Map<string, number>;
  /** Per record: the concepts its names or parent hold a word of (see namedConcepts). */
  namedConcepts: Map<string, number>;
  titlePrecision: Map<string, number>;
  /** The concepts in question order, and a slot per concept for a unit's best match (reused unit to unit). */
  concepts: Concept[];
  bests: Float64Array;
  /** Each adjacent pair of the question's concepts as it reads in a padded sequence (" a b "), for phraseMatches. */
  pairs: string[];
  /** candidateUnits' result, reused block to block (each block's units are scored before the next block's are listed). */
  masks: Map<Unit, number>;
}


/** One alternative spelling of a concept: a list of stemmed tokens that must co-occur. */
/**
 * `phrase`: the words of a name, stemmed with stop words, that must appear together in one unit or one of the
 * record's names ("attainment 8" is a measure's name: "attainment" in one alias and "8" in the title is not it).
 */
/** `sure`: a typo with one correction a single keystroke away ("retension"), trusted almost as the word itself. */
type Alternative = { tokens: string[]; via: 'word' | 'glossary' | 'synonym' | 'typo'; phrase?: string; sure?: boolean };

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
  /** Only records this accepts (e.g. indicators that have a target). */
  filter?: (record: IndexedRecord) => boolean;
}

const num = /^\d+$/;
const CHANGE_WORDS = new Set(
  'increase increased increases increasing rise rises rising rose risen fall falls falling fell fallen drop drops dropping dropped decrease decreased decreases decreasing reduce reduced reduces reducing reduction improve improved improves improving improvement worse worsened worsening better change changed changes grew grow growth declined decline new'.split(' '),
);
/** Words for the plans' own structure ("the closing the gaps activity"): they say where, not what. */
const STRUCTURE_WORDS = new Set('activity activities key activity workstream workstreams milestone milestones item items section sections'.split(' '));
/**
 * Every number that tunes the search, in one place (the answerer's are in ANSWER_TUNING). Scores are shares of the
 * question's IDF-weighted meaning (0-1) plus small preferences that only break ties.
 */
export const SEARCH_TUNING = {
  /** How much a matched word counts, by where the unit has it. */
  credit: {
    /** In the sentence before, which this one points back to ("The team…"): found by it, owned a little less. */
    before: 0.8,
    beforeOwn: 0.6,
    /** In the record's name (title, aliases), not the unit itself. */
    context: 0.8,
    /** In the name of what the record belongs to (an indicator's activity and its strategy). */
    parent: 0.5,
  },
  /** How far a matched alternative is trusted, by how it was found. */
  trust: { word: 1, expansion: 0.95, sureTypo: 0.95, typo: 0.85 },
  /** A concept counts as matched (not missing) from this share of its weight: half a word is there through a parent name. */
  matched: 0.45,
  /** Concept weights: numbers, words for change or structure, and very short words say less than their rarity. */
  weight: { numeric: 0.3, change: 0.3, short: 0.5, /** an unknown word weighs this share of the rarest possible word */ unknown: 0.7 },
  /** An expansion whose words weigh less than this share of the concept's weight is too common to stand for it. */
  weakExpansion: 0.35,
  /** Small preferences (added to the score, never to the coverage). */
  bonus: {
    sameAuthority: 0.04,
    preferredDocument: 0.06,
    /** A unit that is a record's name. */
    naming: 0.01,
    /** Most a naming unit gains for saying nothing the question does not ask about. */
    precision: 0.04,
    /** Most any unit gains from its record's title saying nothing the question does not ask about. */
    titlePrecision: 0.03,
    /** Per unit of coverage by the record's name: a record about the question over one mentioning it. */
    about: 0.03,
    /** Per adjacent question word pair adjacent in the unit, up to maxPhrasePairs. */
    phrasePair: 0.02,
    maxPhrasePairs: 3,
  },
  /** The other authority's record keeps this share of its coverage when the question names an authority. */
  otherAuthority: 0.85,
  /** Share of a question's weight that may be left to the loose bound (see search()): below the answerer's 0.3 for choices. */
  lightShare: 0.2,
  /** Typo layer: candidates fuse.js ranks, fuse's threshold, and how far behind the best correction another may be. */
  typo: { candidates: 30, fuseThreshold: 0.5, window: 0.3 },
  /** Entries kept in each per-word cache before it is cleared (questions bring new misspellings forever). */
  cacheSize: 5000,
} as const;

const B = SEARCH_TUNING.bonus;
/** The most all the small preferences together add to a unit's coverage (see scoreUnit). */
const UNIT_BONUS_MAX = B.sameAuthority + B.preferredDocument + B.about + B.naming + B.precision + B.titlePrecision + B.phrasePair * B.maxPhrasePairs;

export class SearchIndex {
  readonly records: IndexedRecord[] = [];
  readonly byId = new Map<string, IndexedRecord>();
  readonly units: Unit[] = [];
  private readonly postings = new Map<string, number[]>();
  /** Title / alias tokens -> records, so a title word makes all of a record's units candidates. */
  private readonly contextPostings = new Map<string, string[]>();
  /** Every token of a record (its name and all its units) -> record positions: the search's first stage. */
  private readonly recordPostings = new Map<string, number[]>();
  /** The search's unit of bounding: see the constructor. Postings are in block order. */
  private readonly blocks: Block[] = [];
  private readonly blockPostings = new Map<string, number[]>();
  private readonly recordDf = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  private readonly stems = new Set<string>();
  /** Vocabulary words by padded trigram: narrows the typo layer (fuse.js) to plausible candidates. */
  private readonly trigramIndex = new Map<string, number[]>();
  /** The vocabulary as a list, so the trigram index holds positions; and per-word counts reused by lookups. */
  private vocabWords: string[] = [];
  private gramCounts = new Uint8Array(0);
  /** Names made of stop words or numbers ("take 5"), stemmed, -> the records that use them (see collectNames). */
  private readonly names = new Map<string, Set<string>>();
  private scratchArrays?: { bound: Float64Array; best: Float64Array; seen: Uint8Array; upper: Float64Array; heap: Int32Array };
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
      const r = this.addRecord(p.id, { kind: 'priority', record: p }, p.doc, planAuthority(p.plan, p.doc), p.plan, p.title ?? `Priority ${p.number}`, [], p.number, p.id);
      if (p.title) this.addUnit(r, 'title', p.title, 0, 0);
      p.outcomes.forEach((o, i) => this.addUnit(r, 'outcome', (o.code ? o.code + ' ' : '') + o.text, 1, i));
      p.success.forEach((s, i) => this.addUnit(r, 'success', s, 2, i));
      this.addNarratives(r, p.summary, 10);
    }
    for (const a of knowledge.activities) {
      const pr = priorities.get(a.priority);
      const r = this.addRecord(a.id, { kind: 'activity', record: a }, a.doc, planAuthority(pr?.plan ?? docs.get(a.doc)?.plan ?? '', a.doc), pr?.plan ?? '', a.title, a.aliases, pr?.number, a.priority);
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
      const r = this.addRecord(x.id, { kind: 'indicator', record: x }, x.doc, planAuthority(pr?.plan ?? '', x.doc), pr?.plan ?? '', x.title, x.aliases, pr?.number, x.priority);
      this.addUnit(r, 'title', x.title, 0, 0);
      x.aliases.forEach((a, i) => this.addUnit(r, 'alias', a, 1, i));
      const people = [x.leadOrganisation, ...x.leads].filter((v): v is string => !!v);
      if (people.length) this.addUnit(r, 'lead', people.join(' '), 5, 0);
      this.addNarratives(r, x.commentary, 10);
    }
    for (const x of knowledge.passages) {
      const pr = x.priority ? priorities.get(x.priority) : undefined;
      const plan = pr?.plan ?? docs.get(x.doc)?.plan ?? '';
      const r = this.addRecord(x.id, { kind: 'passage', record: x }, x.doc, planAuthority(plan, x.doc), plan, x.heading ?? x.source.section, [], pr?.number, x.priority);
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
      const r = this.addRecord(id, { kind: 'glossary', record: g }, docId, docId ? authorityOf(docId) : 'partnership', '', t.term, [], undefined, undefined);
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
      // Blocks: a record's naming fields together, and each narrative paragraph on its own (with the record's name).
      // Bounds per block are far tighter than per record: a long narrative holds many of a question's words, but
      // rarely in one paragraph.
      const groups = new Map<number, Unit[]>();
      for (const u of r.units) {
        const g = u.group < 10 ? 0 : u.group;
        const list = groups.get(g);
        if (list) list.push(u);
        else groups.set(g, [u]);
      }
      for (const units of groups.values()) {
        const b = this.blocks.length;
        const unitsByToken = new Map<string, Unit[]>();
        for (const u of units) {
          // A sentence is found by the words of the sentence it points back to as well (the same block holds them).
          for (const t of u.before ? [...u.tokens, ...u.before] : u.tokens) {
            const list = unitsByToken.get(t);
            if (list) list.push(u);
            else unitsByToken.set(t, [u]);
          }
        }
        this.blocks.push({ record: r, units, unitsByToken, naming: units.some((u) => u.field === 'title' || u.field === 'alias') });
        for (const t of new Set([...r.context, ...r.parent, ...unitsByToken.keys()])) {
          let list = this.blockPostings.get(t);
          if (!list) this.blockPostings.set(t, (list = []));
          list.push(b);
        }
      }
    });
    this.buildVocabulary();
    this.buildMs = performance.now() - t0;
  }

  private addRecord(
    id: string,
    content: KindedRecord,
    doc: string,
    authority: Authority,
    plan: string,
    title: string,
    aliases: string[],
    priorityNumber: number | undefined,
    priorityId: string | undefined,
  ): IndexedRecord {
    const context = new Set<string>([...contentTokens(title), ...aliases.flatMap((a) => contentTokens(a))]);
    const r: IndexedRecord = { ...content, id, doc, authority, plan, priorityNumber, priorityId, title: squash(title), context, parent: new Set(), titleTokens: contentTokens(title), namingSeq: ' ' + [title, ...aliases].map((x) => allTokens(x).join(' ')).join(' | ') + ' ', units: [] };
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

  /**
   * Names of programmes and services that ordinary word matching loses because they are made of stop words or
   * numbers ("Take 5", "Drive On", "Routes 2 Inclusion"): capitalised runs of two to four words, at least one of
   * them a stop word or a number. Counted per record, so a name's rarity can be weighed.
   */
  private collectNames(text: string, recordId: string) {
    for (const m of text.matchAll(/\b(?:[A-Z][A-Za-z'’]*|\d+)(?:\s+(?:[A-Z][A-Za-z'’]*|\d+)){1,3}\b/g)) {
      const parts = m[0].split(/\s+/);
      if (/^(The|A|An|In|On|At|Of|For|To|By|This|That|These|Those|Our|We|It|And|Or|But|If|As|From|With)$/.test(parts[0])) continue;
      const lower = parts.map((p) => p.toLowerCase());
      // Short brand names only ("Take 5", "Drive On", "Progress 8"): at most two content words, a number or a
      // stop word that is not the plans' own vocabulary ("… Plan", "… Report" names are matched word by word),
      // and no single letters ("GCSE A*-C").
      const structural = /^(plan|plans|report|reports|measure|measures|indicator|indicators|kpi|kpis|data|figure|figures|number|rate|lead|leads)$/;
      if (lower.some((p) => p.length < 2 && !/^\d$/.test(p))) continue;
      if (!lower.some((p) => /^\d+$/.test(p) || (STOP_WORDS.has(p) && !structural.test(p)))) continue;
      if (lower.filter((p) => !STOP_WORDS.has(p) && !/^\d+$/.test(p)).length > 2) continue;
      if (lower.every((p) => STOP_WORDS.has(p))) continue;
      // Dates are periods, not names.
      if (lower.some((p) => /^(19|20)\d\d$|^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*$/.test(p))) continue;
      const key = allTokens(m[0]).join(' ');
      let set = this.names.get(key);
      if (!set) this.names.set(key, (set = new Set()));
      set.add(recordId);
    }
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
    const prev = r.units[r.units.length - 1];
    if (field === 'text' && prev?.field === 'text' && prev.group === group && prev.position === position - 1 && LEANS_ON_PREVIOUS.test(clean)) {
      const before = new Set([...prev.tokens].filter((t) => !tokens.has(t)));
      if (before.size) unit.before = before;
    }
    this.collectNames(clean, r.id);
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
    // The typo layer's narrowing: vocabulary words by trigram, so a lookup hands fuse.js a few dozen
    // plausible words instead of scanning the whole vocabulary (which grows with every plan added).
    this.vocabWords = [...this.vocabulary];
    this.vocabWords.forEach((w, id) => {
      for (const g of new Set(trigrams(w))) {
        let list = this.trigramIndex.get(g);
        if (!list) this.trigramIndex.set(g, (list = []));
        list.push(id);
      }
    });
  }

  /** Vocabulary words that could be `word` with up to `edits` edits: same length give or take, enough trigrams shared. */
  private typoCandidates(word: string, edits: number, limit: number = SEARCH_TUNING.typo.candidates): string[] {
    const grams = trigrams(word);
    // One edit changes at most four padded trigrams (a swap of neighbours), so a close word shares the rest.
    const need = Math.max(1, grams.length - 4 * edits);
    // Counting in an array indexed by word, cleared through the list of words touched: no map per lookup.
    if (this.gramCounts.length !== this.vocabWords.length) this.gramCounts = new Uint8Array(this.vocabWords.length);
    const counts = this.gramCounts;
    const touched: number[] = [];
    for (const g of new Set(grams)) {
      for (const id of this.trigramIndex.get(g) ?? []) {
        if (Math.abs(this.vocabWords[id].length - word.length) > edits) continue;
        if (counts[id] === 0) touched.push(id);
        if (counts[id] < 255) counts[id]++;
      }
    }
    // Most shared trigrams first; among equals, the same first and last letters and length (typos keep them more often than not).
    const ranked: [string, number][] = [];
    for (const id of touched) {
      const n = counts[id];
      counts[id] = 0;
      if (n < need) continue;
      const w = this.vocabWords[id];
      ranked.push([w, n + (w[0] === word[0] ? 0.5 : 0) + (w[w.length - 1] === word[word.length - 1] ? 0.25 : 0) - 0.1 * Math.abs(w.length - word.length)]);
    }
    return ranked
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([w]) => w);
  }

  /** fuse.js over a narrowed list: its ranking of the candidates for a typed word. */
  private fuzzyRank(word: string, candidates: string[], limit = 8): { word: string; score: number }[] {
    if (!candidates.length) return [];
    const fuse = new Fuse(
      candidates.map((w) => ({ word: w })),
      { keys: ['word'], includeScore: true, threshold: SEARCH_TUNING.typo.fuseThreshold, ignoreLocation: true, minMatchCharLength: 2 },
    );
    return fuse.search(word, { limit }).map((r) => ({ word: r.item.word, score: r.score ?? 1 }));
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

  /** How many records are named with the token (their title or aliases hold it): words that name things, not verbs or chat. */
  namingRecords(token: string): number {
    return this.contextPostings.get(token)?.length ?? 0;
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
    if (this.correctionCache.size > SEARCH_TUNING.cacheSize) this.correctionCache.clear();
    this.correctionCache.set(key, result);
    return result;
  }

  private computeCorrections(word: string, max: number): string[] {
    if (word.length < MIN_FUZZY_LENGTH) return [];
    const candidates: { word: string; score: number }[] = [];
    const edits = word.length <= 5 ? 1 : word.length <= 9 ? 2 : 3;
    for (const r of this.fuzzyRank(word, this.typoCandidates(word, edits))) {
      // fuse proposes; an edit distance decides, so "frist" -> "first" but never "care" -> "career".
      const d = editDistance(word, r.word);
      if (d > edits) continue;
      candidates.push({ word: r.word, score: d + r.score });
    }
    candidates.sort((a, b) => a.score - b.score || this.idf(stem(a.word)) - this.idf(stem(b.word)));
    const best = candidates[0]?.score ?? 1;
    return [...new Set(candidates.filter((c) => c.score <= best + SEARCH_TUNING.typo.window).map((c) => c.word))].slice(0, max);
  }

  /**
   * Turns question words into concepts. Glossary terms expand to their
   * meanings and synonyms; synonym groups (multi-word first) map everyday words
   * to the documents' words; unknown words get typo corrections.
   */
  concepts(text: string): Concept[] {
    return conceptsRead.get(this, text, () => this.readConcepts(text));
  }

  /**
   * The first words of the multi-word keys readConcepts looks phrases up by (typed words for glossary terms, stems
   * for the rest): a question's word that starts none of them starts no phrase, and no key is built for it. Made on
   * first use; the maps are complete once the index is built.
   */
  private phraseStarts?: { words: Set<string>; stems: Set<string> };

  private startsOfPhrases(): { words: Set<string>; stems: Set<string> } {
    if (!this.phraseStarts) {
      const firsts = (into: Set<string>, ...maps: Map<string, unknown>[]) => {
        for (const m of maps) {
          for (const k of m.keys()) {
            const i = k.indexOf(' ');
            if (i > 0) into.add(k.slice(0, i));
          }
        }
        return into;
      };
      this.phraseStarts = { words: firsts(new Set(), this.glossaryByTerm), stems: firsts(new Set(), this.glossaryByPhrase, this.synonymGroups, this.names) };
    }
    return this.phraseStarts;
  }

  private readConcepts(text: string): Concept[] {
    const raw = words(text);
    const stems = raw.map(stem);
    const starts = this.startsOfPhrases();
    const out: Concept[] = [];
    const used = new Set<number>();
    const anyUsed = (i: number, n: number) => {
      for (let k = 0; k < n; k++) if (used.has(i + k)) return true;
      return false;
    };
    // Multi-word synonym phrases and glossary terms first ("children in care", "cp plan").
    for (let n = 4; n >= 2; n--) {
      for (let i = 0; i + n <= raw.length; i++) {
        if (!starts.words.has(raw[i]) && !starts.stems.has(stems[i])) continue;
        if (anyUsed(i, n)) continue;
        const phrase = raw.slice(i, i + n);
        // A phrase starts with a content word, and ends with one unless it is a known phrase ("set up", "go live"):
        // "how many kids did" is not a phrase.
        if (STOP_WORDS.has(phrase[0])) continue;
        const key = stems.slice(i, i + n).join(' ');
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
    // Then names the plans use that ordinary words would lose ("take 5", "drive on"), longest first.
    for (let n = 4; n >= 2; n--) {
      for (let i = 0; i + n <= raw.length; i++) {
        if (!starts.stems.has(stems[i]) || anyUsed(i, n)) continue;
        const phrase = raw.slice(i, i + n);
        const key = stems.slice(i, i + n).join(' ');
        const records = this.names.get(key);
        if (!records) continue;
        const tokens = contentTokens(phrase.join(' '));
        if (!tokens.length) continue;
        const df = records.size;
        const weight = Math.log(1 + (this.records.length - df + 0.5) / (df + 0.5));
        out.push({ word: phrase.join(' '), alternatives: [{ tokens, via: 'word', phrase: key }], weight, unknown: false, numeric: false, position: i });
        for (let k = 0; k < n; k++) used.add(i + k);
      }
    }
    // Two typed words the plans write as one ("chat health" -> "ChatHealth"), a typo in the second allowed.
    for (let i = 0; i + 1 < raw.length; i++) {
      if (used.has(i) || used.has(i + 1) || STOP_WORDS.has(raw[i]) || STOP_WORDS.has(raw[i + 1]) || /\d/.test(raw[i] + raw[i + 1])) continue;
      const seconds = [raw[i + 1], ...(this.knows(stem(raw[i + 1])) ? [] : this.corrections(raw[i + 1], 1))];
      const joined = seconds.map((b) => raw[i] + b).find((j) => j.length >= 6 && this.knows(stem(j)));
      if (!joined) continue;
      out.push({ ...this.concept(`${raw[i]} ${raw[i + 1]}`, [{ tokens: [stem(joined)], via: 'word' }]), position: i });
      used.add(i);
      used.add(i + 1);
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
        // Words run together ("rollout", "childcare", "healthcheck") meet the plans' two words, unless one
        // slip of the keys makes a known word: "housholds" is "households", not "hous" + "holds".
        const near = this.corrections(w, 1).some((f) => !STOP_WORDS.has(f));
        const split = near ? undefined : this.splitCompound(w);
        if (split) {
          out.push({ ...this.concept(w, [{ tokens: split, via: 'synonym' }]), position: i });
          return;
        }
        // A correction to a stop word ("reprot" -> "report") carries no meaning: drop the word.
        const all = this.corrections(w);
        if (all.length && all.every((f) => STOP_WORDS.has(f))) return;
        const fixes = all.filter((f) => !STOP_WORDS.has(f));
        const sure = fixes.length === 1 && editDistance(w, fixes[0]) === 1;
        for (const f of fixes) {
          alts.push({ tokens: [stem(f)], via: 'typo', ...(sure ? { sure } : {}) });
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
      for (const r of this.fuzzyRank(w, this.typoCandidates(w, 1))) {
        const c = r.word;
        if (c !== w && stem(c) !== stem(w) && editDistance(w, c) === 1 && df(c) >= Math.max(3, 3 * mine) && !out.includes(c)) out.push(c);
      }
    }
    if (this.spellingCache.size > SEARCH_TUNING.cacheSize) this.spellingCache.clear();
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
    let weight = typed ? meanIdf(typed) : known.length ? Math.max(...known.map(meanIdf)) : SEARCH_TUNING.weight.unknown * Math.log(1 + this.records.length);
    // An expansion made only of common words ("children on a plan" leaves "children") says far less than the
    // word typed ("CP plans"): it would match almost everything, so it is dropped.
    if (typed || known.length) {
      const keep = alternatives.filter((a) => a.via === 'word' || a.via === 'typo' || !a.tokens.every((t) => this.knows(t)) || meanIdf(a) >= SEARCH_TUNING.weakExpansion * weight);
      alternatives.splice(0, alternatives.length, ...keep);
    }
    if (numeric) weight *= SEARCH_TUNING.weight.numeric;
    // Words for change ("fall", "rise", "improve") say how a figure moved, which the answer shows anyway: they help
    // a sentence that uses them rank higher, but must not outweigh what the question is about.
    if (CHANGE_WORDS.has(word) || STRUCTURE_WORDS.has(word)) weight *= SEARCH_TUNING.weight.change;
    if (word.length <= 2 && !numeric && !this.glossaryByTerm.has(word)) weight *= SEARCH_TUNING.weight.short;
    return { word, alternatives, weight, unknown: unknown || known.length === 0, numeric, position: 0 };
  }

  /** Ranks units for a question's concepts. */
  /**
   * Ranks units for a question's concepts, exactly, without scoring every
   * candidate: a record's whole vocabulary bounds what any of its units can
   * score, so records are visited best bound first and the walk stops once no
   * remaining record can reach the current top `limit` (max-score pruning).
   */
  /**
   * The same ranking as search(), by scoring every unit: no bounds, no pruning. The reference the bounded search is
   * tested against (test/search-exact.test.ts), and a way to check a change to the bounds.
   */
  searchExhaustive(concepts: Concept[], opts: SearchOptions = {}): Hit[] {
    const total = concepts.reduce((sum, c) => sum + c.weight, 0);
    if (!total) return [];
    const prepared = this.prepare(concepts);
    const scratch = this.scratchFor(prepared);
    // Every block that holds all the words of some alternative of some concept (with its record's names), every
    // candidate unit of it scored: the same candidates as search(), none of its bounds.
    const alternatives = prepared.flatMap((p) => p.alternatives.filter((a) => a.all).map((a) => a.tokens));
    const hits: Hit[] = [];
    for (const block of this.blocks) {
      if (opts.filter && !opts.filter(block.record)) continue;
      const has = (t: string) => block.record.context.has(t) || block.record.parent.has(t) || block.unitsByToken.has(t);
      if (!alternatives.some((tokens) => tokens.every(has))) continue;
      for (const unit of this.candidateUnits(block, scratch.asked, scratch).keys()) {
        const h = this.scoreUnit(unit, block.record, prepared, total, opts, -Infinity, scratch);
        if (h) hits.push(h);
      }
    }
    return hits.sort(byScore).slice(0, opts.limit ?? 10);
  }

  search(concepts: Concept[], opts: SearchOptions = {}): Hit[] {
    const total = concepts.reduce((sum, c) => sum + c.weight, 0);
    if (!total) return [];
    const prepared = this.prepare(concepts);
    // Light concepts ("children", "service") appear in most records: walking their postings costs more than all
    // the rest. Bound records by the heavy concepts, counting every light one as fully matched; a record that
    // matches only light ones can score no more than their share, and if that could still reach the results the
    // search is run again with every concept bounded exactly.
    // Concepts left to the loose bound: those whose posting lists cost most for their weight (common words,
    // many synonyms), as long as together they weigh at most LIGHT_SHARE of the question.
    const cost = prepared.map((p) => p.alternatives.reduce((sum, a) => sum + Math.min(...a.tokens.map((t) => this.blockPostings.get(t)?.length ?? 0)), 0));
    const byCost = prepared.map((_, k) => k).sort((a, b) => cost[b] / prepared[b].concept.weight - cost[a] / prepared[a].concept.weight);
    const light = prepared.map(() => false);
    let lightWeight = 0;
    for (const k of byCost) {
      if (lightWeight + prepared[k].concept.weight > SEARCH_TUNING.lightShare * total) continue;
      light[k] = true;
      lightWeight += prepared[k].concept.weight;
    }
    const first = this.searchBounded(prepared, total, opts, light);
    if (!light.some(Boolean)) return first;
    const lightShare = prepared.reduce((sum, p, k) => sum + (light[k] ? p.concept.weight : 0), 0) / total;
    // A record the first pass did not see covers at most the light share, so its units score at most upperFor() of it.
    const limit = opts.limit ?? 10;
    // A full list whose last hit scores more than any block matched only by light concepts could: exact. Otherwise the
    // search runs again with every concept bounded exactly (blocks matched only by light words may belong in it).
    if (first.length === limit && first[first.length - 1].score > this.upperFor(lightShare, opts, concepts.length, true)) return first;
    return this.searchBounded(prepared, total, opts, light.map(() => false));
  }

  /** Concepts ready for scoring: each alternative with its tokens' IDF and how far it is trusted. */
  private prepare(concepts: Concept[]): Prepared[] {
    return concepts.map((c) => ({
      concept: c,
      // An alternative with a word no record has can never be all there (scoreUnit): leave it out of the scoring.
      alternatives: c.alternatives
        .filter((a) => a.tokens.length && a.tokens.every((t) => this.recordPostings.has(t)))
        .map((a) => {
          const idfs = a.tokens.map((t) => this.idf(t));
          // The phrase with the spaces that make it whole words in a padded sequence (Unit.seqText, namingSeq).
          return { tokens: a.tokens, via: a.via, phrase: a.phrase, padded: a.phrase === undefined ? undefined : ` ${a.phrase} `, idfs, all: idfs.reduce((x, y) => x + y, 0), trust: a.via === 'typo' ? (a.sure ? SEARCH_TUNING.trust.sureTypo : SEARCH_TUNING.trust.typo) : a.via === 'word' ? SEARCH_TUNING.trust.word : SEARCH_TUNING.trust.expansion };
        }),
    }));
  }

  /** Positions of the blocks whose vocabulary (with their record's name) holds every token. */
  private blocksWithAll(tokens: string[]): number[] {
    const lists = tokens.map((t) => this.blockPostings.get(t) ?? []);
    if (!lists.length || lists.some((l) => !l.length)) return [];
    if (lists.length === 1) return lists[0];
    lists.sort((a, b) => a.length - b.length);
    // Plain loops: no closure per posting of the shortest list (a common word's list is long).
    const shortest = lists[0];
    const out: number[] = [];
    next: for (let i = 0; i < shortest.length; i++) {
      const r = shortest[i];
      for (let j = 1; j < lists.length; j++) if (!sortedHas(lists[j], r)) continue next;
      out.push(r);
    }
    return out;
  }

  /** The most a unit of a record can score with coverage `cov` (before the other-authority discount). */
  private upperFor(cov: number, opts: SearchOptions, concepts: number, anyRecord = false, record?: IndexedRecord): number {
    const otherAuthority = !!(record && opts.authority && record.authority !== opts.authority && record.kind !== 'glossary');
    const sameAuthority = anyRecord ? !!opts.authority : !!(record && opts.authority && record.authority === opts.authority);
    const preferred = anyRecord ? !!opts.preferDocs?.length : !!(record && opts.preferDocs?.includes(record.doc));
    const maxPhrase = B.phrasePair * Math.min(B.maxPhrasePairs, Math.max(0, concepts - 1));
    return cov * (otherAuthority ? SEARCH_TUNING.otherAuthority : 1) + (sameAuthority ? B.sameAuthority : 0) + (preferred ? B.preferredDocument : 0) + B.about * cov + B.naming + B.precision + B.titlePrecision + maxPhrase;
  }

  /**
   * Exact top-`limit` units, without scoring every candidate: a record's whole vocabulary bounds what any of its
   * units can score, so records are visited best bound first and the walk stops once no remaining record can
   * reach the current top (max-score pruning). Concepts marked `skip` are left out of the bounds and counted as
   * fully matched instead, which keeps the bounds upper bounds.
   */
  private searchBounded(prepared: Prepared[], total: number, opts: SearchOptions, skip: boolean[]): Hit[] {
    const limit = opts.limit ?? 10;
    const n = this.blocks.length;
    // Scratch arrays, one slot per record, kept between searches (search is synchronous) and left all zero after
    // each use: allocating them per question was a fifth of the time at 100x knowledge, in the garbage collector.
    if (this.scratchArrays?.bound.length !== n) this.scratchArrays = { bound: new Float64Array(n), best: new Float64Array(n), seen: new Uint8Array(n), upper: new Float64Array(n), heap: new Int32Array(n) };
    const { bound, best, seen, upper, heap } = this.scratchArrays;
    const touched: number[] = [];
    let slack = 0;
    prepared.forEach(({ concept, alternatives }, k) => {
      if (skip[k]) {
        slack += concept.weight;
        return;
      }
      // An alternative counts only when all its words are there (scoreUnit), so only blocks whose vocabulary
      // holds every one of them can match it: walk the shortest posting list and check it against the others.
      // A block matching any alternative may gain the concept's whole weight (trust is at most 1): one pass.
      const stamp = k + 1;
      for (const a of alternatives) {
        if (!a.all) continue;
        for (const r of this.blocksWithAll(a.tokens)) {
          if (best[r] === stamp) continue;
          best[r] = stamp;
          bound[r] += concept.weight;
          if (!seen[r]) {
            seen[r] = 1;
            touched.push(r);
          }
        }
      }
    });
    for (const r of touched) best[r] = 0;
    // Blocks best bound first, popped from a heap: a search usually stops after a small share of them.
    // The bound is upperFor() written out for speed: it runs once per touched block (tens of thousands at 100x).
    // upper[i]: the bound of touched[i] (scratch, as long as the blocks; only the first touched.length slots are used).
    // What any unit may add on top of its coverage: phrase pairs and its title's precision; a name's own
    // precision only in a naming block.
    const fixed = B.phrasePair * Math.min(B.maxPhrasePairs, Math.max(0, prepared.length - 1)) + B.titlePrecision;
    const preferred = opts.preferDocs?.length ? new Set(opts.preferDocs) : undefined;
    const scratch = this.scratchFor(prepared);
    for (let i = 0; i < touched.length; i++) {
      const r = touched[i];
      const { record, naming } = this.blocks[r];
      const cov = (bound[r] + slack) / total;
      let u = cov * (1 + B.about) + fixed + (naming ? B.naming + B.precision : 0);
      if (opts.authority) {
        if (record.authority === opts.authority) u += B.sameAuthority;
        else if (record.kind !== 'glossary') u -= cov * (1 - SEARCH_TUNING.otherAuthority);
      }
      if (preferred?.has(record.doc)) u += B.preferredDocument;
      upper[i] = u;
      bound[r] = 0;
      seen[r] = 0;
    }
    const order = new MaxHeap(upper, touched.length, heap);
    const { asked } = scratch;
    const top: Hit[] = []; // kept sorted, best first, at most `limit` long
    for (let i = order.pop(); i >= 0; i = order.pop()) {
      if (top.length >= limit && upper[i] < top[top.length - 1].score) break;
      const block = this.blocks[touched[i]];
      if (opts.filter && !opts.filter(block.record)) continue;
      // Only units that share a word with the question are scored: a sentence that says nothing asked about can
      // only echo its record's name, which the record's title and aliases (units themselves) say. A block matched
      // only through its record's name (a passage headed "Report author") has its first unit.
      // Each unit's concepts (a bit per concept) from the asked words it holds; with what its record's names can
      // add, that bounds its score, and a unit that cannot reach the current top is not scored (a sentence that
      // shares only "children" with the question, say).
      const masks = this.candidateUnits(block, asked, scratch);
      let named = scratch.namedConcepts.get(block.record.id);
      if (named === undefined) scratch.namedConcepts.set(block.record.id, (named = this.namedConcepts(block.record, scratch)));
      for (const [unit, mask] of masks) {
        if (top.length >= limit) {
          let w = 0;
          const all = mask | named;
          for (let k = 0; k < prepared.length; k++) if (all & (1 << k)) w += prepared[k].concept.weight;
          if ((w / total) * (1 + B.about) + UNIT_BONUS_MAX < top[top.length - 1].score) continue;
        }
        this.consider(unit, block.record, prepared, total, opts, scratch, top, limit);
      }
    }
    return top;
  }

  /**
   * The units of a block that are scored, each with the concepts (a bit each) its own words hold: those that share a
   * word with the question; a block matched only through its record's name (a passage headed "Report author") has its
   * first unit. A unit that says nothing asked about can only echo its record's name, which the record's title and
   * aliases (units themselves) say.
   */
  private candidateUnits(block: Block, asked: Set<string>, scratch: SearchScratch): Map<Unit, number> {
    const masks = scratch.masks;
    masks.clear();
    for (const t of asked) {
      const bits = scratch.tokenConcepts.get(t) ?? 0;
      for (const unit of block.unitsByToken.get(t) ?? []) masks.set(unit, (masks.get(unit) ?? 0) | bits);
    }
    if (!masks.size && block.units.length) masks.set(block.units[0], 0);
    return masks;
  }

  private consider(unit: Unit, record: IndexedRecord, prepared: Prepared[], total: number, opts: SearchOptions, scratch: SearchScratch, top: Hit[], limit: number) {
    const h = this.scoreUnit(unit, record, prepared, total, opts, top.length >= limit ? top[top.length - 1].score : -Infinity, scratch);
    if (!h) return;
    if (top.length >= limit && byScore(h, top[top.length - 1]) >= 0) return;
    let i = top.length;
    while (i > 0 && byScore(h, top[i - 1]) < 0) i--;
    top.splice(i, 0, h);
    if (top.length > limit) top.pop();
  }

  private scratchFor(prepared: Prepared[]): SearchScratch {
    const asked = new Set<string>();
    const tokenConcepts = new Map<string, number>();
    prepared.forEach((p, k) => {
      for (const a of p.alternatives) {
        for (const t of a.tokens) {
          asked.add(t);
          // Concepts past the 31st share the last bit: bounds stay upper bounds, just looser.
          tokenConcepts.set(t, (tokenConcepts.get(t) ?? 0) | (1 << Math.min(k, 30)));
        }
      }
    });
    const concepts = prepared.map((p) => p.concept);
    const pairs: string[] = [];
    for (let i = 0; i + 1 < concepts.length; i++) {
      const a = concepts[i].alternatives[0].tokens;
      const b = concepts[i + 1].alternatives[0].tokens;
      pairs.push(` ${a[a.length - 1]} ${b[0]} `);
    }
    return { asked, tokenConcepts, namedConcepts: new Map(), titlePrecision: new Map(), concepts, bests: new Float64Array(prepared.length), pairs, masks: new Map() };
  }

  /** The concepts (bits) a record's names or parent hold a word of: what any of its units may match without saying it. */
  private namedConcepts(record: IndexedRecord, scratch: SearchScratch): number {
    let bits = 0;
    for (const [t, b] of scratch.tokenConcepts) if (record.context.has(t) || record.parent.has(t)) bits |= b;
    return bits;
  }

  private scoreUnit(
    unit: Unit,
    record: IndexedRecord,
    prepared: Prepared[],
    total: number,
    opts: SearchOptions,
    floor = -Infinity,
    scratch: SearchScratch = this.scratchFor(prepared),
  ): Hit | undefined {
    let score = 0;
    let direct = 0;
    let about = 0;
    const bests = scratch.bests;
    for (let k = 0; k < prepared.length; k++) {
      const { concept, alternatives } = prepared[k];
      let best = 0;
      let bestOwn = 0;
      let bestContext = 0;
      for (let j = 0; j < alternatives.length; j++) {
        const a = alternatives[j];
        if (!a.all) continue;
        if (a.padded && !unit.seqText.includes(a.padded) && !record.namingSeq.includes(a.padded)) continue;
        let got = 0;
        let own = 0;
        let ctx = 0;
        let absent = false;
        for (let i = 0; i < a.tokens.length; i++) {
          const t = a.tokens[i];
          const w = a.idfs[i];
          if (unit.tokens.has(t)) {
            got += w;
            own += w;
            if (record.context.has(t)) ctx += w;
          } else if (unit.before?.has(t)) {
            got += w * SEARCH_TUNING.credit.before;
            own += w * SEARCH_TUNING.credit.beforeOwn;
            if (record.context.has(t)) ctx += w;
          } else if (record.context.has(t)) {
            got += w * SEARCH_TUNING.credit.context;
            ctx += w;
          } else if (record.parent.has(t)) got += w * SEARCH_TUNING.credit.parent;
          else {
            absent = true;
            break;
          }
        }
        // A phrase (typed, or a glossary meaning or synonym) counts only when all of it is there, in the unit or its
        // record's name: "attainment 8 average score" is not three quarters present in "Progress 8 … above the average".
        if (absent) continue;
        // A typo correction is a guess: it counts, but less than the word itself.
        best = Math.max(best, (got / a.all) * a.trust);
        bestOwn = Math.max(bestOwn, (own / a.all) * a.trust);
        bestContext = Math.max(bestContext, (ctx / a.all) * a.trust);
      }
      bests[k] = best;
      score += concept.weight * best;
      direct += concept.weight * bestOwn;
      about += concept.weight * bestContext;
    }
    let coverage = score / total;
    // Small preferences that break ties without overruling meaning.
    let bonus = 0;
    if (opts.authority && record.authority === opts.authority) bonus += B.sameAuthority;
    if (opts.authority && record.authority !== opts.authority && record.kind !== 'glossary') coverage *= SEARCH_TUNING.otherAuthority;
    if (opts.preferDocs?.includes(record.doc)) bonus += B.preferredDocument;
    if (unit.field === 'title' || unit.field === 'alias') {
      bonus += B.naming;
      // A name that is all question ("CP plans") beats one that says much more ("… for a second or subsequent time").
      bonus += B.precision * this.precision(unit, scratch.asked);
    }
    // Prefer records that are about the question over ones that mention it in passing,
    // and whose name says little beyond what was asked ("… subject to a CP plan" over "… for a second or subsequent time").
    bonus += B.about * (about / total);
    let tp = scratch.titlePrecision.get(record.id);
    if (tp === undefined) scratch.titlePrecision.set(record.id, (tp = this.titlePrecision(record, scratch.asked)));
    bonus += B.titlePrecision * tp;
    // Phrases only break ties: skip the work when even the most they add cannot reach the floor.
    if (coverage + bonus + B.phrasePair * B.maxPhrasePairs < floor) return undefined;
    bonus += B.phrasePair * this.phraseMatches(scratch.pairs, unit);
    // Below the floor the caller drops it (consider): no need to list its words.
    if (coverage + bonus < floor) return undefined;
    const matched: string[] = [];
    const missing: string[] = [];
    // Half a word is there when only the parent names it (0.5), a little less when through a synonym or a sure typo.
    prepared.forEach((p, k) => (bests[k] >= SEARCH_TUNING.matched ? matched : missing).push(p.concept.word));
    return { unit, record, score: coverage + bonus, coverage, matched, missing, about: about / total, direct: direct / total };
  }

  /** Share of a record title's IDF-weighted words that the question asks about (0-1). */
  private titlePrecision(record: IndexedRecord, asked: Set<string>): number {
    record.titleIdfs ??= record.titleTokens.map((t) => [t, this.idf(t)] as const);
    let all = 0;
    let got = 0;
    for (const [t, w] of record.titleIdfs) {
      all += w;
      if (asked.has(t)) got += w;
    }
    return all ? got / all : 0;
  }

  /** Share of a unit's IDF-weighted words that the question asks about (0-1). */
  private precision(unit: Unit, asked: Set<string>): number {
    unit.idfs ??= [...unit.tokens].map((t) => [t, this.idf(t)] as const);
    let all = 0;
    let got = 0;
    for (const [t, w] of unit.idfs) {
      all += w;
      if (asked.has(t)) got += w;
    }
    return all ? got / all : 0;
  }

  /** How many adjacent question word pairs (SearchScratch.pairs) appear adjacent in the unit. */
  private phraseMatches(pairs: string[], unit: Unit): number {
    let n = 0;
    const seq = unit.seqText;
    for (let i = 0; i < pairs.length; i++) if (seq.includes(pairs[i])) n++;
    return Math.min(n, B.maxPhrasePairs);
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

/** Binary search in an ascending list. */
function sortedHas(list: number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Indices 0..size-1 of a key array, popped largest key first (a binary heap built in linear time, in `heap`'s slots). */
class MaxHeap {
  private size: number;

  constructor(
    private readonly keys: Float64Array,
    size: number,
    private readonly heap: Int32Array,
  ) {
    this.size = size;
    for (let i = 0; i < this.size; i++) this.heap[i] = i;
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The index with the largest key, or -1 when empty. */
  pop(): number {
    if (!this.size) return -1;
    const top = this.heap[0];
    this.heap[0] = this.heap[--this.size];
    this.down(0);
    return top;
  }

  private down(i: number) {
    const { heap, keys } = this;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && keys[heap[l]] > keys[heap[m]]) m = l;
      if (r < this.size && keys[heap[r]] > keys[heap[m]]) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}

/** Padded trigrams of a word: "wait" -> "^wa", "wai", "ait", "it$". */
function trigrams(w: string): string[] {
  const p = `^${w}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  return out;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rows of the table are enough (the swap looks two rows back): no table per call.
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur[j] = v;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[n];
}

/** Best first: score, then the shorter unit, then the earlier one (so equal scores always come in one order). */
function byScore(a: Hit, b: Hit): number {
  return b.score - a.score || a.unit.text.length - b.unit.text.length || a.unit.id - b.unit.id;
}
