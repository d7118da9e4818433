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
import { IntLists, NO_TOKEN, TokenIds } from './packed';
import { editDistance } from './editDistance';
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
  digits: boolean;
  /**
   * The words of the sentence before, which this one points back to ("The team worked with…" after the sentence
   * naming the programme): they count for it, a little less than its own (see LEANS_ON_PREVIOUS).
   */
  before?: Set<string>;
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
  /** The title's content words, in order. */
  titleTokens: string[];
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

/** A concept's alternative ready for scoring, in token ids (plain arrays: a few numbers each, made per search). */
interface PreparedAlternative {
  /** Its tokens' ids (for the posting lists) and their slots among the question's asked tokens (Query.askedIds). */
  ids: readonly number[];
  slots: readonly number[];
  /** Its tokens' IDF, their sum, and how far the alternative is trusted. */
  idfs: readonly number[];
  all: number;
  trust: number;
  /** A name that must appear whole: its words (stop words too) as token ids, NO_TOKEN for one the index lacks. */
  phrase: readonly number[] | undefined;
}

/** A concept ready for scoring, with its weight (read in the hot loops: concepts come in more than one shape). */
type Prepared = { concept: Concept; weight: number; alternatives: PreparedAlternative[] };

/** One search's question in token ids: made once per search and read by every unit scored. */
interface Query {
  prepared: Prepared[];
  /** The concepts' summed weight. */
  total: number;
  /** Every token of every alternative (the asked tokens), by slot; per slot, the concepts (a bit each) that have it. */
  askedIds: Int32Array;
  slotBits: Int32Array;
  /** Each adjacent pair of the question's concepts as token ids (first, second, first, second…), for phraseMatches. */
  pairs: Int32Array;
  /** opts.authority as a code of the index's (NO_AUTHORITY when none is asked, UNKNOWN_AUTHORITY when no record has it). */
  authority: number;
  /** Per document code, 1 for a preferred document (opts.preferDocs); undefined when none is preferred. */
  preferred?: Uint8Array;
  /**
   * What scoreUnit worked out for the unit it last scored, reused unit to unit: per asked slot, where the unit holds
   * the token (HELD_* bits); per concept, its best match; its coverage and the shares its record's name and its own
   * words cover.
   */
  held: Uint8Array;
  bests: Float64Array;
  scored: { coverage: number; about: number; direct: number };
}

/** Where a unit holds an asked token (Query.held): its own words, the sentence before's, its record's names, the parent's names. */
const HELD_OWN = 1;
const HELD_BEFORE = 2;
const HELD_CONTEXT = 4;
const HELD_PARENT = 8;
const NO_AUTHORITY = -1;
const UNKNOWN_AUTHORITY = -2;
/** Between a record's names in its naming sequence (recordNames), so a phrase never runs from one name into the next. */
const NAME_BREAK = -2;

/**
 * Working memory sized to the index, kept between searches so that a search allocates nothing per block or unit:
 * the slot of each token id in the current question, per-record caches stamped with the search they belong to,
 * the blocks' bounds and heap, and the candidate units of the block being scored. Taken and given back by
 * SearchIndex.withScratch (a search inside a filter callback gets a fresh one).
 */
class SearchScratch {
  /** Token id -> its slot among the current question's asked tokens, or -1: all -1 between searches. */
  readonly slotOf: Int32Array;
  /** Per record: the concepts its names or parent hold a word of, and its title's precision (valid when stamped with this search). */
  readonly named: Int32Array;
  readonly namedStamp: Int32Array;
  readonly titlePrecision: Float64Array;
  readonly titleStamp: Int32Array;
  /** This search's stamp. */
  stamp = 0;
  /**
   * Per block (see searchBounded): its bound so far and the last concept (k + 1) that added to it, 0 for a block not
   * yet touched; both all zero between searches. upper and heap are written before being read.
   */
  readonly bound: Float64Array;
  readonly lastConcept: Int32Array;
  readonly upper: Float64Array;
  readonly heap: Int32Array;
  readonly touched: Int32Array;
  /** candidateUnits' result for the block being scored: unit ids and the concepts (bits) each holds. */
  readonly candidates: Int32Array;
  readonly candidateBits: Int32Array;
  /** The best units so far (searchBounded). */
  readonly top = new TopUnits();

  constructor(tokens: number, records: number, blocks: number, maxBlockUnits: number) {
    this.slotOf = new Int32Array(tokens).fill(-1);
    this.named = new Int32Array(records);
    this.namedStamp = new Int32Array(records);
    this.titlePrecision = new Float64Array(records);
    this.titleStamp = new Int32Array(records);
    this.bound = new Float64Array(blocks);
    this.lastConcept = new Int32Array(blocks);
    this.upper = new Float64Array(blocks);
    this.heap = new Int32Array(blocks);
    this.touched = new Int32Array(blocks);
    this.candidates = new Int32Array(maxBlockUnits);
    this.candidateBits = new Int32Array(maxBlockUnits);
  }

  /** Starts a search for these asked tokens: their slots, and a new stamp (so no record's cached values count). */
  begin(askedIds: Int32Array) {
    for (let slot = 0; slot < askedIds.length; slot++) this.slotOf[askedIds[slot]] = slot;
    if (++this.stamp === 0x7fffffff) {
      this.namedStamp.fill(0);
      this.titleStamp.fill(0);
      this.stamp = 1;
    }
  }

  /** Ends the search: the token slots back to -1. */
  end(askedIds: Int32Array) {
    for (let slot = 0; slot < askedIds.length; slot++) this.slotOf[askedIds[slot]] = -1;
  }
}

/**
 * The best units scored so far, best first in byScore's order, at most `limit`: typed arrays kept between searches,
 * so a unit that enters and is pushed out again makes no objects. Hits are made for the final list only (hitsOf).
 */
class TopUnits {
  size = 0;
  private limit = 0;
  private concepts = 0;
  units = new Int32Array(0);
  records = new Int32Array(0);
  scores = new Float64Array(0);
  private coverages = new Float64Array(0);
  private abouts = new Float64Array(0);
  private directs = new Float64Array(0);
  /** Per entry, each concept's best match (a row of `concepts`), for the hit's matched and missing words. */
  private bests = new Float64Array(0);

  /** Empties the list for a search with this limit and this many concepts. */
  reset(limit: number, concepts: number): this {
    // One slot more than the limit: an entry is placed before the last is dropped.
    if (this.units.length < limit + 1) {
      this.units = new Int32Array(limit + 1);
      this.records = new Int32Array(limit + 1);
      this.scores = new Float64Array(limit + 1);
      this.coverages = new Float64Array(limit + 1);
      this.abouts = new Float64Array(limit + 1);
      this.directs = new Float64Array(limit + 1);
    }
    if (this.bests.length < (limit + 1) * concepts) this.bests = new Float64Array((limit + 1) * concepts);
    this.limit = limit;
    this.concepts = concepts;
    this.size = 0;
    return this;
  }

  get full(): boolean {
    return this.size >= this.limit;
  }

  /** What a unit must reach to be placed: the last one's score once the list is full (nothing, with a limit of 0). */
  floor(): number {
    if (!this.full) return -Infinity;
    return this.size ? this.scores[this.size - 1] : Infinity;
  }

  /** Places the unit scoreUnit last scored (its score, query.scored and query.bests) if it belongs among the best. */
  offer(unit: number, record: number, score: number, query: Query, units: readonly Unit[]) {
    if (this.full && !comesFirst(unit, score, this.units[this.size - 1], this.scores[this.size - 1], units)) return;
    let i = this.size;
    while (i > 0 && comesFirst(unit, score, this.units[i - 1], this.scores[i - 1], units)) i--;
    this.shiftDown(i);
    this.units[i] = unit;
    this.records[i] = record;
    this.scores[i] = score;
    this.coverages[i] = query.scored.coverage;
    this.abouts[i] = query.scored.about;
    this.directs[i] = query.scored.direct;
    this.bests.set(query.bests, i * this.concepts);
    if (++this.size > this.limit) this.size = this.limit;
  }

  scoredAt(i: number): Query['scored'] {
    return { coverage: this.coverages[i], about: this.abouts[i], direct: this.directs[i] };
  }

  bestsAt(i: number): Float64Array {
    return this.bests.subarray(i * this.concepts, (i + 1) * this.concepts);
  }

  /** Moves entries i.. one place down (the last one past the limit falls off). */
  private shiftDown(i: number) {
    const end = Math.min(this.size, this.limit);
    this.units.copyWithin(i + 1, i, end);
    this.records.copyWithin(i + 1, i, end);
    this.scores.copyWithin(i + 1, i, end);
    this.coverages.copyWithin(i + 1, i, end);
    this.abouts.copyWithin(i + 1, i, end);
    this.directs.copyWithin(i + 1, i, end);
    this.bests.copyWithin((i + 1) * this.concepts, i * this.concepts, end * this.concepts);
  }
}

/** A question's asked tokens (every token of every alternative) as they are met: each token's slot, and per slot the concepts that have it. */
class AskedTokens {
  readonly ids: number[] = [];
  readonly bits: number[] = [];
  private readonly slots = new Map<number, number>();

  /** The token's slot, noting that concept k has it. */
  slot(id: number, k: number): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      this.slots.set(id, (slot = this.ids.length));
      this.ids.push(id);
      this.bits.push(0);
    }
    // Concepts past the 31st share the last bit: bounds stay upper bounds, just looser.
    this.bits[slot] |= 1 << Math.min(k, 30);
    return slot;
  }
}

/** byScore's order on a unit not yet a hit: whether unit a (with score sa) comes before unit b (with score sb). */
function comesFirst(a: number, sa: number, b: number, sb: number, units: readonly Unit[]): boolean {
  if (sa !== sb) return sa > sb;
  const la = units[a].text.length;
  const lb = units[b].text.length;
  return la !== lb ? la < lb : a < b;
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
  /** Added to a unit's upper bound (unitUpper), which sums in another order than scoreUnit: rounding never prunes a unit that belongs. */
  boundMargin: 1e-9,
} as const;

const B = SEARCH_TUNING.bonus;

export class SearchIndex {
  readonly records: IndexedRecord[] = [];
  readonly byId = new Map<string, IndexedRecord>();
  readonly units: Unit[] = [];
  /** Title / alias tokens -> how many records they name. */
  private readonly namingCounts = new Map<string, number>();
  private readonly recordDf = new Map<string, number>();
  /** While building: token -> the record of the last unit that had it (document frequency counts records). */
  private lastRecordWith = new Map<string, string>();
  /**
   * What search() reads, in integer token ids (knowledge/packed.ts). Every token the index holds (units' words with
   * their stop words, records' names and parents) has an id.
   */
  private readonly tokenIds = new TokenIds();
  /** Per token id: 1 when some record holds it (its names, parent or units), and its IDF. */
  private inRecords = new Uint8Array(0);
  private idfOf = new Float64Array(0);
  /** Per unit (by Unit.id): its content tokens in Unit.tokens' order, those it borrows from the sentence before, and all its words in order (stop words too: phrases and adjacent pairs). */
  private readonly unitOwn = new IntLists();
  private readonly unitBefore = new IntLists();
  private readonly unitSeq = new IntLists();
  /** Per unit: 1 for a title or alias, a record's name (which earns the naming bonuses). */
  private unitNaming = new Uint8Array(0);
  /** Per record (by position in records): its naming tokens (context), its parent's, its title's in order, and its title's and aliases' words in order with NAME_BREAK between. */
  private recordContext = new IntLists();
  private recordParent = new IntLists();
  private readonly recordTitle = new IntLists();
  private readonly recordNames = new IntLists();
  /** Per record: its authority and document as codes (authorityCodes, docCodes), and 1 for a glossary term. */
  private recordAuthority = new Int32Array(0);
  private recordDoc = new Int32Array(0);
  private recordGlossary = new Uint8Array(0);
  private readonly authorityCodes = new Map<string, number>();
  private readonly docCodes = new Map<string, number>();
  /**
   * The search's unit of bounding (see the constructor): per block, its record, 1 when it holds a title or alias,
   * and its units' ids; per token id, the blocks whose vocabulary (with their record's names) holds it, in block order.
   */
  private blockRecord = new Int32Array(0);
  private blockNaming = new Uint8Array(0);
  private readonly blockUnits = new IntLists();
  private blockPostings = new IntLists();
  private maxBlockUnits = 0;
  /** A search's working memory, kept for the next search (see withScratch). */
  private spareScratch?: SearchScratch;
  private readonly vocabulary = new Set<string>();
  private readonly stems = new Set<string>();
  /**
   * Vocabulary words by padded trigram, which narrows the typo layer (fuse.js) to plausible candidates: a trigram's
   * position in trigramLists, which lists the words' positions in vocabWords.
   */
  private readonly trigramIds = new Map<string, number>();
  private trigramLists = new IntLists();
  /** The vocabulary as a list; per word, its length and its first and last character codes (read without touching the strings). */
  private vocabWords: string[] = [];
  private vocabLengths = new Uint16Array(0);
  private vocabFirst = new Uint16Array(0);
  private vocabLast = new Uint16Array(0);
  /** Per word, how many of a looked-up word's trigrams it shares: all zero between lookups. */
  private gramCounts = new Uint8Array(0);
  /** Names made of stop words or numbers ("take 5"), stemmed, -> the records that use them (see collectNames). */
  private readonly names = new Map<string, Set<string>>();
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
    this.packRecords();
    this.buildBlocks();
    this.packTokens();
    this.buildVocabulary();
    this.buildMs = performance.now() - t0;
  }

  /** Per record, in token ids and codes: its names and parent (complete only now), authority, document and kind. */
  private packRecords() {
    for (const lists of [this.unitOwn, this.unitBefore, this.unitSeq, this.recordTitle, this.recordNames]) lists.pack();
    this.recordContext = IntLists.of(this.records.map((r) => this.idsOf(r.context)));
    this.recordParent = IntLists.of(this.records.map((r) => this.idsOf(r.parent)));
    const code = (codes: Map<string, number>, key: string) => {
      let c = codes.get(key);
      if (c === undefined) codes.set(key, (c = codes.size));
      return c;
    };
    this.recordAuthority = Int32Array.from(this.records, (r) => code(this.authorityCodes, r.authority));
    this.recordDoc = Int32Array.from(this.records, (r) => code(this.docCodes, r.doc));
    this.recordGlossary = Uint8Array.from(this.records, (r) => (r.kind === 'glossary' ? 1 : 0));
    this.unitNaming = Uint8Array.from(this.units, (u) => (u.field === 'title' || u.field === 'alias' ? 1 : 0));
  }

  /**
   * Blocks: a record's naming fields together, and each narrative paragraph on its own (with the record's name).
   * Bounds per block are far tighter than per record: a long narrative holds many of a question's words, but rarely in
   * one paragraph. A block's vocabulary is its record's names and parent, its units' words and the words they borrow
   * from the sentence before (which find them too).
   */
  private buildBlocks() {
    const postings: number[][] = [];
    const records: number[] = [];
    const naming: number[] = [];
    // The last block each token was listed for: a token shared by several units of a block is listed once.
    const listedFor = new Int32Array(this.tokenIds.size).fill(-1);
    const list = (b: number, lists: IntLists, i: number) => {
      for (let j = lists.starts[i]; j < lists.starts[i + 1]; j++) {
        const t = lists.values[j];
        if (listedFor[t] === b) continue;
        listedFor[t] = b;
        (postings[t] ??= []).push(b);
      }
    };
    this.records.forEach((r, i) => {
      const groups = new Map<number, Unit[]>();
      for (const u of r.units) {
        const g = u.group < 10 ? 0 : u.group;
        const units = groups.get(g);
        if (units) units.push(u);
        else groups.set(g, [u]);
      }
      for (const units of groups.values()) {
        const b = records.length;
        records.push(i);
        naming.push(units.some((u) => this.unitNaming[u.id]) ? 1 : 0);
        this.blockUnits.add(units.map((u) => u.id));
        this.maxBlockUnits = Math.max(this.maxBlockUnits, units.length);
        list(b, this.recordContext, i);
        list(b, this.recordParent, i);
        for (const u of units) {
          list(b, this.unitOwn, u.id);
          list(b, this.unitBefore, u.id);
        }
      }
    });
    this.blockUnits.pack();
    this.blockRecord = Int32Array.from(records);
    this.blockNaming = Uint8Array.from(naming);
    postings.length = this.tokenIds.size;
    this.blockPostings = IntLists.of(postings);
  }

  /** Per token id: whether some record holds it (its names, parent or units), and its IDF (fixed once the records are in). */
  private packTokens() {
    this.inRecords = new Uint8Array(this.tokenIds.size);
    for (const lists of [this.recordContext, this.recordParent, this.unitOwn]) for (const t of lists.values) this.inRecords[t] = 1;
    this.idfOf = new Float64Array(this.tokenIds.size);
    for (const [token, id] of this.tokenIds.entries()) this.idfOf[id] = this.idfFor(this.recordDf.get(token) ?? 0);
    this.lastRecordWith = new Map();
  }

  /** Tokens as ids, in their order (an id for each new one). */
  private idsOf(tokens: Iterable<string>): number[] {
    const ids: number[] = [];
    for (const t of tokens) ids.push(this.tokenIds.intern(t));
    return ids;
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
    const r: IndexedRecord = { ...content, id, doc, authority, plan, priorityNumber, priorityId, title: squash(title), context, parent: new Set(), titleTokens: contentTokens(title), units: [] };
    this.records.push(r);
    this.byId.set(id, r);
    // The title's words weigh how much of it a question covers (titlePrecision); its names' words in order, for whole-name checks.
    this.recordTitle.add(this.idsOf(r.titleTokens));
    this.recordNames.add([title, ...aliases].flatMap((x, i) => [...(i ? [NAME_BREAK] : []), ...this.idsOf(allTokens(x))]));
    for (const t of context) {
      this.recordDf.set(t, (this.recordDf.get(t) ?? 0) + 1);
      this.namingCounts.set(t, (this.namingCounts.get(t) ?? 0) + 1);
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
    // contentTokens and allTokens, from one reading of the words.
    const raw = words(clean);
    const seq = raw.map(stem);
    const tokens = new Set(seq.filter((_, i) => !STOP_WORDS.has(raw[i])));
    const unit: Unit = { id: this.units.length, record: r.id, kind: r.kind, field, text: clean, group, position, tokens, digits: /\d/.test(clean) };
    const prev = r.units[r.units.length - 1];
    if (field === 'text' && prev?.field === 'text' && prev.group === group && prev.position === position - 1 && LEANS_ON_PREVIOUS.test(clean)) {
      const before = new Set([...prev.tokens].filter((t) => !tokens.has(t)));
      if (before.size) unit.before = before;
    }
    this.collectNames(clean, r.id);
    this.units.push(unit);
    r.units.push(unit);
    this.unitOwn.add(this.idsOf(tokens));
    this.unitBefore.add(unit.before ? this.idsOf(unit.before) : []);
    this.unitSeq.add(this.idsOf(seq));
    for (const w of raw) if (w.length >= MIN_FUZZY_LENGTH && !/\d/.test(w)) this.vocabulary.add(w);
    for (const t of tokens) {
      this.stems.add(t);
      // Document frequency counts records, not sentences: a word repeated in a long narrative is not common.
      if (!r.context.has(t) && this.lastRecordWith.get(t) !== r.id) this.recordDf.set(t, (this.recordDf.get(t) ?? 0) + 1);
      this.lastRecordWith.set(t, r.id);
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
    const lists: number[][] = [];
    this.vocabWords.forEach((w, id) => {
      for (const g of new Set(trigrams(w))) {
        let list = this.trigramIds.get(g);
        if (list === undefined) this.trigramIds.set(g, (list = lists.push([]) - 1));
        lists[list].push(id);
      }
    });
    this.trigramLists = IntLists.of(lists);
    this.vocabLengths = Uint16Array.from(this.vocabWords, (w) => w.length);
    this.vocabFirst = Uint16Array.from(this.vocabWords, (w) => w.charCodeAt(0));
    this.vocabLast = Uint16Array.from(this.vocabWords, (w) => w.charCodeAt(w.length - 1));
    this.gramCounts = new Uint8Array(this.vocabWords.length);
  }

  /** Vocabulary words that could be `word` with up to `edits` edits: same length give or take, enough trigrams shared. */
  private typoCandidates(word: string, edits: number, limit: number = SEARCH_TUNING.typo.candidates): string[] {
    const grams = trigrams(word);
    // One edit changes at most four padded trigrams (a swap of neighbours), so a close word shares the rest.
    const need = Math.max(1, grams.length - 4 * edits);
    // Counting in an array indexed by word, cleared through the list of words touched: no map per lookup.
    const counts = this.gramCounts;
    const { starts, values } = this.trigramLists;
    const touched: number[] = [];
    for (const g of new Set(grams)) {
      const list = this.trigramIds.get(g);
      if (list === undefined) continue;
      for (let j = starts[list]; j < starts[list + 1]; j++) {
        const id = values[j];
        if (Math.abs(this.vocabLengths[id] - word.length) > edits) continue;
        if (counts[id] === 0) touched.push(id);
        if (counts[id] < 255) counts[id]++;
      }
    }
    // Most shared trigrams first; among equals, the same first and last letters and length (typos keep them more
    // often than not); among equal ranks, the word met first. The best `limit`, kept in order as they come.
    const first = word.charCodeAt(0);
    const last = word.charCodeAt(word.length - 1);
    const best: number[] = [];
    const bestRanks: number[] = [];
    for (const id of touched) {
      const n = counts[id];
      counts[id] = 0;
      if (n < need) continue;
      const rank = n + (this.vocabFirst[id] === first ? 0.5 : 0) + (this.vocabLast[id] === last ? 0.25 : 0) - 0.1 * Math.abs(this.vocabLengths[id] - word.length);
      if (best.length === limit && rank <= bestRanks[limit - 1]) continue;
      let at = best.length;
      while (at > 0 && bestRanks[at - 1] < rank) at--;
      best.splice(at, 0, id);
      bestRanks.splice(at, 0, rank);
      if (best.length > limit) {
        best.pop();
        bestRanks.pop();
      }
    }
    return best.map((id) => this.vocabWords[id]);
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
    if (v === undefined) this.idfCache.set(token, (v = this.idfFor(this.recordDf.get(token) ?? 0)));
    return v;
  }

  /** The IDF of a token that `df` records hold. */
  private idfFor(df: number): number {
    const n = this.records.length || 1;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** How many records are named with the token (their title or aliases hold it): words that name things, not verbs or chat. */
  namingRecords(token: string): number {
    return this.namingCounts.get(token) ?? 0;
  }

  knows(token: string): boolean {
    return this.stems.has(token);
  }

  /**
   * Every close-enough correction of a word, best first, worked out once whatever `max` is asked for: a question's
   * unknown word is asked about with 1 and then with 2.
   */
  private readonly correctionCache = new Map<string, string[]>();

  /** Closest vocabulary words to a typed word that the index does not know, at most `max`. */
  corrections(word: string, max = 2): string[] {
    let all = this.correctionCache.get(word);
    if (!all) {
      all = this.computeCorrections(word);
      // Bounded: questions bring new misspellings forever.
      if (this.correctionCache.size > SEARCH_TUNING.cacheSize) this.correctionCache.clear();
      this.correctionCache.set(word, all);
    }
    return all.length > max ? all.slice(0, max) : all;
  }

  private computeCorrections(word: string): string[] {
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
    return [...new Set(candidates.filter((c) => c.score <= best + SEARCH_TUNING.typo.window).map((c) => c.word))];
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

  /** A glossary term's alternatives, read once per term (the glossary is fixed once the index is built). */
  private readonly glossaryAlternativesRead = new Map<GlossaryRecord, readonly Alternative[]>();

  private glossaryAlternatives(g: GlossaryRecord): readonly Alternative[] {
    let alts = this.glossaryAlternativesRead.get(g);
    if (!alts) {
      const read: Alternative[] = [{ tokens: contentTokens(g.term), via: 'glossary' }];
      for (const m of [...g.meanings, ...g.synonyms]) {
        const t = contentTokens(m.replace(/\([^)]*\)/g, ' '));
        if (t.length) read.push({ tokens: t, via: 'glossary' });
      }
      this.glossaryAlternativesRead.set(g, (alts = read));
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

  /**
   * The same ranking as search(), by scoring every unit: no bounds, no pruning. The reference the bounded search is
   * tested against (test/search-exact.test.ts), and a way to check a change to the bounds.
   */
  searchExhaustive(concepts: Concept[], opts: SearchOptions = {}): Hit[] {
    const total = concepts.reduce((sum, c) => sum + c.weight, 0);
    if (!total) return [];
    const query = this.prepare(concepts, total, opts);
    return this.withScratch(query, (scratch) => {
      // Every block that holds all the words of some alternative of some concept (with its record's names), every
      // candidate unit of it scored: the same candidates as search(), none of its bounds.
      const alternatives = query.prepared.flatMap((p) => p.alternatives.filter((a) => a.all).map((a) => a.ids));
      const hits: Hit[] = [];
      for (let b = 0; b < this.blockRecord.length; b++) {
        const record = this.blockRecord[b];
        if (opts.filter && !opts.filter(this.records[record])) continue;
        if (!alternatives.some((ids) => ids.every((t) => this.blockPostings.sortedHolds(t, b)))) continue;
        const count = this.candidateUnits(b, query, scratch);
        for (let j = 0; j < count; j++) {
          const unit = scratch.candidates[j];
          const score = this.scoreUnit(unit, record, query, -Infinity, scratch);
          if (score !== undefined) hits.push(this.hitOf(unit, record, score, query.scored, query.bests, query));
        }
      }
      return hits.sort(byScore).slice(0, opts.limit ?? 10);
    });
  }

  /**
   * Ranks units for a question's concepts, exactly, without scoring every candidate: a block's whole vocabulary
   * bounds what any of its units can score, so blocks are visited best bound first and the walk stops once no
   * remaining block can reach the current top `limit` (max-score pruning).
   */
  search(concepts: Concept[], opts: SearchOptions = {}): Hit[] {
    const total = concepts.reduce((sum, c) => sum + c.weight, 0);
    if (!total) return [];
    const query = this.prepare(concepts, total, opts);
    const { prepared } = query;
    // Light concepts ("children", "service") appear in most records: walking their postings costs more than all
    // the rest. Bound records by the heavy concepts, counting every light one as fully matched; a record that
    // matches only light ones can score no more than their share, and if that could still reach the results the
    // search is run again with every concept bounded exactly.
    // Concepts left to the loose bound: those whose posting lists cost most for their weight (common words,
    // many synonyms), as long as together they weigh at most LIGHT_SHARE of the question.
    const cost = prepared.map((p) => p.alternatives.reduce((sum, a) => sum + Math.min(...a.ids.map((t) => this.blockPostings.lengthOf(t))), 0));
    const byCost = prepared.map((_, k) => k).sort((a, b) => cost[b] / prepared[b].weight - cost[a] / prepared[a].weight);
    const light = prepared.map(() => false);
    let lightWeight = 0;
    for (const k of byCost) {
      if (lightWeight + prepared[k].weight > SEARCH_TUNING.lightShare * total) continue;
      light[k] = true;
      lightWeight += prepared[k].weight;
    }
    return this.withScratch(query, (scratch) => {
      const first = this.searchBounded(query, opts, light, scratch);
      if (!light.some(Boolean)) return this.hitsOf(first, query);
      const lightShare = prepared.reduce((sum, p, k) => sum + (light[k] ? p.weight : 0), 0) / total;
      // A record the first pass did not see covers at most the light share, so its units score at most upperFor() of it.
      const limit = opts.limit ?? 10;
      // A full list whose last hit scores more than any block matched only by light concepts could: exact. Otherwise the
      // search runs again with every concept bounded exactly (blocks matched only by light words may belong in it).
      if (first.size === limit && first.scores[first.size - 1] > this.upperFor(lightShare, opts, concepts.length, true)) return this.hitsOf(first, query);
      return this.hitsOf(this.searchBounded(query, opts, light.map(() => false), scratch), query);
    });
  }

  /** Runs `search` with the index's working memory set up for the query, and leaves it clean for the next search. */
  private withScratch<T>(query: Query, search: (scratch: SearchScratch) => T): T {
    const scratch = this.spareScratch ?? new SearchScratch(this.tokenIds.size, this.records.length, this.blockRecord.length, this.maxBlockUnits);
    this.spareScratch = undefined;
    scratch.begin(query.askedIds);
    // Kept for the next search only after a search that finished: one that threw may have left its bounds half added up.
    const result = search(scratch);
    scratch.end(query.askedIds);
    this.spareScratch = scratch;
    return result;
  }

  /** The question in token ids, ready for scoring: each alternative with its tokens' IDF and how far it is trusted. */
  private prepare(concepts: Concept[], total: number, opts: SearchOptions): Query {
    const asked = new AskedTokens();
    const prepared: Prepared[] = [];
    for (let k = 0; k < concepts.length; k++) {
      const concept = concepts[k];
      const alternatives: PreparedAlternative[] = [];
      // An alternative with a word no record has can never be all there (scoreUnit): leave it out of the scoring.
      for (const a of concept.alternatives) if (a.tokens.length && a.tokens.every((t) => this.inSomeRecord(t))) alternatives.push(this.prepareAlternative(a, k, asked));
      prepared.push({ concept, weight: concept.weight, alternatives });
    }
    // Each adjacent pair of the question's concepts, as the last word of one and the first of the next.
    const pairs: number[] = [];
    for (let i = 0; i + 1 < concepts.length; i++) {
      const a = concepts[i].alternatives[0].tokens;
      const b = concepts[i + 1].alternatives[0].tokens;
      pairs.push(this.tokenIds.id(a[a.length - 1]), this.tokenIds.id(b[0]));
    }
    let preferred: Uint8Array | undefined;
    if (opts.preferDocs?.length) {
      preferred = new Uint8Array(this.docCodes.size);
      for (const doc of opts.preferDocs) {
        const code = this.docCodes.get(doc);
        if (code !== undefined) preferred[code] = 1;
      }
    }
    return {
      prepared,
      total,
      askedIds: Int32Array.from(asked.ids),
      slotBits: Int32Array.from(asked.bits),
      pairs: Int32Array.from(pairs),
      authority: opts.authority ? this.authorityCodes.get(opts.authority) ?? UNKNOWN_AUTHORITY : NO_AUTHORITY,
      preferred,
      held: new Uint8Array(asked.ids.length),
      bests: new Float64Array(concepts.length),
      scored: { coverage: 0, about: 0, direct: 0 },
    };
  }

  /** Concept k's alternative in token ids, its tokens given slots among the asked tokens. */
  private prepareAlternative(a: Alternative, k: number, asked: AskedTokens): PreparedAlternative {
    const ids = a.tokens.map((t) => this.tokenIds.id(t));
    const slots = ids.map((id) => asked.slot(id, k));
    const idfs = ids.map((id) => this.idfOf[id]);
    let all = 0;
    for (const w of idfs) all += w;
    const trust = a.via === 'typo' ? (a.sure ? SEARCH_TUNING.trust.sureTypo : SEARCH_TUNING.trust.typo) : a.via === 'word' ? SEARCH_TUNING.trust.word : SEARCH_TUNING.trust.expansion;
    const phrase = a.phrase === undefined ? undefined : a.phrase.split(' ').map((t) => this.tokenIds.id(t));
    return { ids, slots, idfs, all, trust, phrase };
  }

  /** Whether some record holds the token (in its names, parent or units). */
  private inSomeRecord(token: string): boolean {
    const id = this.tokenIds.id(token);
    return id !== NO_TOKEN && this.inRecords[id] === 1;
  }

  /**
   * The blocks whose vocabulary (with their record's names) holds every token, into `out` in block order; returns
   * how many. The shortest posting list, narrowed by each other one in turn.
   */
  private blocksWithAll(ids: readonly number[], out: Int32Array): number {
    const postings = this.blockPostings;
    let shortest = 0;
    for (let i = 1; i < ids.length; i++) if (postings.lengthOf(ids[i]) < postings.lengthOf(ids[shortest])) shortest = i;
    let count = postings.copyInto(ids[shortest], out);
    for (let i = 0; i < ids.length && count; i++) if (i !== shortest) count = postings.keepHeld(ids[i], out, count);
    return count;
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
   * Exact top-`limit` units, without scoring every candidate: a block's whole vocabulary bounds what any of its
   * units can score, so blocks are visited best bound first and the walk stops once no remaining block can reach
   * the current top (max-score pruning). Concepts marked `skip` are left out of the bounds and counted as fully
   * matched instead, which keeps the bounds upper bounds.
   */
  private searchBounded(query: Query, opts: SearchOptions, skip: boolean[], scratch: SearchScratch): TopUnits {
    const { prepared, total } = query;
    const limit = opts.limit ?? 10;
    const { bound, lastConcept, upper, heap, touched } = scratch;
    let touchedCount = 0;
    let slack = 0;
    for (let k = 0; k < prepared.length; k++) {
      const { weight, alternatives } = prepared[k];
      if (skip[k]) {
        slack += weight;
        continue;
      }
      // An alternative counts only when all its words are there (scoreUnit), so only blocks whose vocabulary
      // holds every one of them can match it. A block matching any alternative may gain the concept's whole weight
      // (trust is at most 1): one pass. `heap` holds each alternative's blocks for the moment (it is built later).
      const stamp = k + 1;
      for (const a of alternatives) {
        if (!a.all) continue;
        const count = this.blocksWithAll(a.ids, heap);
        for (let j = 0; j < count; j++) {
          const r = heap[j];
          if (lastConcept[r] === stamp) continue;
          if (lastConcept[r] === 0) touched[touchedCount++] = r;
          lastConcept[r] = stamp;
          bound[r] += weight;
        }
      }
    }
    // Blocks best bound first, popped from a heap: a search usually stops after a small share of them.
    // The bound is upperFor() written out for speed, on the blocks' and records' typed arrays: it runs once per
    // touched block (tens of thousands at 100x). upper[i]: the bound of touched[i].
    // What any unit may add on top of its coverage: phrase pairs and its title's precision; a name's own
    // precision only in a naming block.
    const fixed = B.phrasePair * Math.min(B.maxPhrasePairs, Math.max(0, prepared.length - 1)) + B.titlePrecision;
    const { authority, preferred } = query;
    const { blockRecord, blockNaming, recordAuthority, recordGlossary, recordDoc } = this;
    for (let i = 0; i < touchedCount; i++) {
      const r = touched[i];
      const record = blockRecord[r];
      const cov = (bound[r] + slack) / total;
      let u = cov * (1 + B.about) + fixed + (blockNaming[r] ? B.naming + B.precision : 0);
      if (authority !== NO_AUTHORITY) {
        if (recordAuthority[record] === authority) u += B.sameAuthority;
        else if (!recordGlossary[record]) u -= cov * (1 - SEARCH_TUNING.otherAuthority);
      }
      if (preferred?.[recordDoc[record]]) u += B.preferredDocument;
      upper[i] = u;
      bound[r] = 0;
      lastConcept[r] = 0;
    }
    const order = new MaxHeap(upper, touchedCount, heap);
    const top = scratch.top.reset(limit, prepared.length);
    for (let i = order.pop(); i >= 0; i = order.pop()) {
      if (upper[i] < top.floor()) break;
      const block = touched[i];
      const record = blockRecord[block];
      if (opts.filter && !opts.filter(this.records[record])) continue;
      // Each candidate unit's concepts (a bit per concept) from the asked words it holds; with what its record's
      // names can add, that bounds its score, and a unit that cannot reach the current top is not scored (a
      // sentence that shares only "children" with the question, say).
      const count = this.candidateUnits(block, query, scratch);
      const named = this.namedConcepts(record, query, scratch);
      for (let j = 0; j < count; j++) {
        const unit = scratch.candidates[j];
        if (top.full && this.unitUpper(unit, scratch.candidateBits[j] | named, record, query, scratch) < top.floor()) continue;
        this.consider(unit, record, query, scratch, top);
      }
    }
    return top;
  }

  /**
   * The most a unit can score when its own words and its record's names hold (at most) the concepts in `bits`:
   * scoreUnit's sum with every such concept matched in full, and each preference at the most this unit and its
   * record can have.
   */
  private unitUpper(unit: number, bits: number, record: number, query: Query, scratch: SearchScratch): number {
    const { prepared } = query;
    let w = 0;
    // Concepts past the 31st share the last bit (see prepare).
    for (let k = 0; k < prepared.length; k++) if (bits & (1 << Math.min(k, 30))) w += prepared[k].weight;
    const cov = w / query.total;
    const asked = query.authority !== NO_AUTHORITY;
    const same = asked && this.recordAuthority[record] === query.authority;
    const other = asked && !same && !this.recordGlossary[record];
    let u = cov * (other ? SEARCH_TUNING.otherAuthority : 1) + B.about * cov;
    if (same) u += B.sameAuthority;
    if (query.preferred?.[this.recordDoc[record]]) u += B.preferredDocument;
    if (this.unitNaming[unit]) u += B.naming + B.precision;
    u += B.titlePrecision * this.titlePrecision(record, scratch);
    u += B.phrasePair * Math.min(B.maxPhrasePairs, query.pairs.length / 2);
    return u + SEARCH_TUNING.boundMargin;
  }

  /**
   * The units of a block that are scored, each with the concepts (a bit each) its own words (and those it borrows
   * from the sentence before) hold, into the scratch's candidates; returns how many. Those that share a word with
   * the question; a block matched only through its record's name (a passage headed "Report author") has its first
   * unit. A unit that says nothing asked about can only echo its record's name, which the record's title and
   * aliases (units themselves) say.
   */
  private candidateUnits(block: number, query: Query, scratch: SearchScratch): number {
    const { starts, values } = this.blockUnits;
    let count = 0;
    for (let j = starts[block]; j < starts[block + 1]; j++) {
      const unit = values[j];
      const bits = this.askedBits(this.unitOwn, unit, query, scratch) | this.askedBits(this.unitBefore, unit, query, scratch);
      if (!bits) continue;
      scratch.candidates[count] = unit;
      scratch.candidateBits[count++] = bits;
    }
    if (!count && starts[block] < starts[block + 1]) {
      scratch.candidates[0] = values[starts[block]];
      scratch.candidateBits[0] = 0;
      count = 1;
    }
    return count;
  }

  /** The concepts (bits) whose asked tokens list i holds. */
  private askedBits(lists: IntLists, i: number, query: Query, scratch: SearchScratch): number {
    const { starts, values } = lists;
    const { slotOf } = scratch;
    let bits = 0;
    for (let j = starts[i]; j < starts[i + 1]; j++) {
      const slot = slotOf[values[j]];
      if (slot >= 0) bits |= query.slotBits[slot];
    }
    return bits;
  }

  private consider(unit: number, record: number, query: Query, scratch: SearchScratch, top: TopUnits) {
    const score = this.scoreUnit(unit, record, query, top.floor(), scratch);
    if (score !== undefined) top.offer(unit, record, score, query, this.units);
  }

  /** The concepts (bits) a record's names or parent hold a word of: what any of its units may match without saying it. Once per record per search. */
  private namedConcepts(record: number, query: Query, scratch: SearchScratch): number {
    if (scratch.namedStamp[record] !== scratch.stamp) {
      scratch.named[record] = this.askedBits(this.recordContext, record, query, scratch) | this.askedBits(this.recordParent, record, query, scratch);
      scratch.namedStamp[record] = scratch.stamp;
    }
    return scratch.named[record];
  }

  /** Marks in query.held where list i holds asked tokens. */
  private markHeld(lists: IntLists, i: number, how: number, query: Query, scratch: SearchScratch) {
    const { starts, values } = lists;
    for (let j = starts[i]; j < starts[i + 1]; j++) {
      const slot = scratch.slotOf[values[j]];
      if (slot >= 0) query.held[slot] |= how;
    }
  }

  /**
   * The unit's score, or undefined when it is below `floor`; what else a hit says is left in query.scored and
   * query.bests (see hitOf).
   */
  private scoreUnit(unit: number, record: number, query: Query, floor: number, scratch: SearchScratch): number | undefined {
    const { prepared, total, held, bests } = query;
    held.fill(0);
    this.markHeld(this.unitOwn, unit, HELD_OWN, query, scratch);
    this.markHeld(this.unitBefore, unit, HELD_BEFORE, query, scratch);
    this.markHeld(this.recordContext, record, HELD_CONTEXT, query, scratch);
    this.markHeld(this.recordParent, record, HELD_PARENT, query, scratch);
    let score = 0;
    let direct = 0;
    let about = 0;
    for (let k = 0; k < prepared.length; k++) {
      const { weight, alternatives } = prepared[k];
      let best = 0;
      let bestOwn = 0;
      let bestContext = 0;
      for (let j = 0; j < alternatives.length; j++) {
        const a = alternatives[j];
        if (!a.all) continue;
        if (a.phrase && !this.unitSeq.holdsRun(unit, a.phrase) && !this.recordNames.holdsRun(record, a.phrase)) continue;
        let got = 0;
        let own = 0;
        let ctx = 0;
        let absent = false;
        for (let i = 0; i < a.slots.length; i++) {
          const how = held[a.slots[i]];
          const w = a.idfs[i];
          if (how & HELD_OWN) {
            got += w;
            own += w;
            if (how & HELD_CONTEXT) ctx += w;
          } else if (how & HELD_BEFORE) {
            got += w * SEARCH_TUNING.credit.before;
            own += w * SEARCH_TUNING.credit.beforeOwn;
            if (how & HELD_CONTEXT) ctx += w;
          } else if (how & HELD_CONTEXT) {
            got += w * SEARCH_TUNING.credit.context;
            ctx += w;
          } else if (how & HELD_PARENT) got += w * SEARCH_TUNING.credit.parent;
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
      score += weight * best;
      direct += weight * bestOwn;
      about += weight * bestContext;
    }
    let coverage = score / total;
    // Small preferences that break ties without overruling meaning.
    let bonus = 0;
    const sameAuthority = this.recordAuthority[record] === query.authority;
    if (query.authority !== NO_AUTHORITY && sameAuthority) bonus += B.sameAuthority;
    if (query.authority !== NO_AUTHORITY && !sameAuthority && !this.recordGlossary[record]) coverage *= SEARCH_TUNING.otherAuthority;
    if (query.preferred?.[this.recordDoc[record]]) bonus += B.preferredDocument;
    if (this.unitNaming[unit]) {
      bonus += B.naming;
      // A name that is all question ("CP plans") beats one that says much more ("… for a second or subsequent time").
      bonus += B.precision * this.askedShare(this.unitOwn, unit, scratch);
    }
    // Prefer records that are about the question over ones that mention it in passing,
    // and whose name says little beyond what was asked ("… subject to a CP plan" over "… for a second or subsequent time").
    bonus += B.about * (about / total);
    bonus += B.titlePrecision * this.titlePrecision(record, scratch);
    // Phrases only break ties: skip the work when even the most they add cannot reach the floor.
    if (coverage + bonus + B.phrasePair * B.maxPhrasePairs < floor) return undefined;
    bonus += B.phrasePair * this.phraseMatches(query.pairs, unit);
    // Below the floor the caller drops it (consider).
    if (coverage + bonus < floor) return undefined;
    query.scored.coverage = coverage;
    query.scored.about = about / total;
    query.scored.direct = direct / total;
    return coverage + bonus;
  }

  /** A scored unit as a hit, with the words of the question it matches and misses (from each concept's best match). */
  private hitOf(unit: number, record: number, score: number, scored: Query['scored'], bests: ArrayLike<number>, query: Query): Hit {
    const matched: string[] = [];
    const missing: string[] = [];
    // Half a word is there when only the parent names it (0.5), a little less when through a synonym or a sure typo.
    query.prepared.forEach((p, k) => (bests[k] >= SEARCH_TUNING.matched ? matched : missing).push(p.concept.word));
    return { unit: this.units[unit], record: this.records[record], score, coverage: scored.coverage, matched, missing, about: scored.about, direct: scored.direct };
  }

  /** The top list's units as hits, best first. */
  private hitsOf(top: TopUnits, query: Query): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < top.size; i++) hits.push(this.hitOf(top.units[i], top.records[i], top.scores[i], top.scoredAt(i), top.bestsAt(i), query));
    return hits;
  }

  /** Share of a record title's IDF-weighted words that the question asks about (0-1). Once per record per search. */
  private titlePrecision(record: number, scratch: SearchScratch): number {
    if (scratch.titleStamp[record] !== scratch.stamp) {
      scratch.titlePrecision[record] = this.askedShare(this.recordTitle, record, scratch);
      scratch.titleStamp[record] = scratch.stamp;
    }
    return scratch.titlePrecision[record];
  }

  /** Share of list i's IDF-weighted tokens that the question asks about (0-1): a unit's words, a record's title. */
  private askedShare(lists: IntLists, i: number, scratch: SearchScratch): number {
    const { starts, values } = lists;
    let all = 0;
    let got = 0;
    for (let j = starts[i]; j < starts[i + 1]; j++) {
      const w = this.idfOf[values[j]];
      all += w;
      if (scratch.slotOf[values[j]] >= 0) got += w;
    }
    return all ? got / all : 0;
  }

  /** How many adjacent question word pairs (Query.pairs) appear adjacent in the unit. */
  private phraseMatches(pairs: Int32Array, unit: number): number {
    const { starts, values } = this.unitSeq;
    let n = 0;
    for (let p = 0; p < pairs.length; p += 2) {
      const first = pairs[p];
      const second = pairs[p + 1];
      for (let j = starts[unit]; j + 1 < starts[unit + 1]; j++) {
        if (values[j] === first && values[j + 1] === second) {
          n++;
          break;
        }
      }
    }
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

/** Best first: score, then the shorter unit, then the earlier one (so equal scores always come in one order). */
function byScore(a: Hit, b: Hit): number {
  return b.score - a.score || a.unit.text.length - b.unit.text.length || a.unit.id - b.unit.id;
}
