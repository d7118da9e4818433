/**
 * Every number that tunes how a question is answered, in one place, each with
 * why it has the value it has. The search's own numbers are in SEARCH_TUNING
 * (knowledge/search.ts). Scores and coverages are shares of the question's
 * IDF-weighted meaning, 0-1.
 */
export const ANSWER_TUNING = {
  /** Coverage below which the bot says it could not find it (and offers choices). */
  confidence: 0.6,
  /** Units a question's search returns: enough to rerank by what the intent needs and to offer choices. */
  searchLimit: 12,
  /** Hits this close to the best are read alongside it (the other authority's record, a story for a figure). */
  relatedMargin: 0.1,
  /** Units a requirement looks through when the answer it needs (a judgement) ranks below the first results. */
  lookFurther: 40,
  /** Least coverage of a hit offered as a "did you mean" choice. */
  choiceCoverage: 0.3,
  /** Most "did you mean" choices. */
  maxChoices: 3,
  /**
   * Least share of the question a sentence must cover in its own words (not only through its record's name) to
   * give the figure asked for: "4 work streams" in a record about EHC plans is no count of EHC plans.
   */
  minDirect: 0.3,
  /** …and when the question names an indicator, a sentence about it must say most of the question itself. */
  minDirectBesideIndicator: 0.6,
  /** A record's name covering this share of the question names it outright ("is it about this record?"). */
  namesRecord: 0.8,
  /** A record's name covering this share is at least about the thing (both authorities shown, an indicator preferred). */
  aboutRecord: 0.6,
  /** A sentence covering this share in its own words can tell a record's story (who provides it, how an audit went). */
  tellsStory: 0.5,
  /** A question word weighing at least this share of the heaviest word must be in a dated sentence that answers "when". */
  heavyWordShare: 0.5,
  /**
   * Dropped qualifiers: a question word the chosen answer does not account for, weighing at least this share of the
   * question's heaviest word, means the answer is not what was asked ("girls", "KS4", "asylum seeking").
   */
  qualifierShare: 0.55,
  /** …and at least this share of the whole question (a long question's lighter words may go unmatched). */
  qualifierMinOfTotal: 0.12,

  /** Reranking: small preferences among near-equal hits, by what the intent needs. */
  rerank: {
    /** A unit with digits, for a figure question. */
    digits: 0.03,
    /** An indicator about the question, for a figure or lookup question. */
    indicator: 0.03,
    /** An indicator with a target, for a target question. */
    hasTarget: 0.1,
    /** An indicator that counts, for "how many" (and against a percentage). */
    counts: 0.04,
    notACount: -0.02,
    /** A sentence saying what happened, for a status question. */
    statusWords: 0.05,
    /** A record with progress recorded, for a status question. */
    hasProgress: 0.03,
    /** A sentence saying what is still to do, for "… yet?". */
    stillToDo: 0.04,
    /** A dated sentence (or a key action's date) that answers the kind of "when" asked. */
    datedFit: 0.07,
    /** …and, for "when does it start", one that says it starts. */
    eventFit: 0.05,
    /** Any date in the sentence, for a "when" question. */
    dated: 0.04,
    /** A record that names its lead (or partners), for a "who" question. */
    namesLead: 0.04,
    /** A record with the list asked for (measures or actions). */
    hasList: 0.04,
    /** A unit that is itself a list item or reads as a list. */
    listLike: 0.02,
    /** A unit naming the period asked about. */
    period: 0.04,
    /** A record of the priority the question names. */
    priority: 0.03,
    /** Per unit of direct coverage: a sentence that says it in its own words beats one leaning on its record's name. */
    direct: 0.03,
  },

  /** How much of a passage to quote (characters), by what is asked: a list or a story needs more than a figure. */
  quote: {
    figure: 420,
    story: 650,
    list: 1500,
    most: 900,
    /** The longest list answer quoted whole. */
    listMost: 1800,
    acronymMore: 650,
    acronym: 420,
    /** A sentence this short is always followed by the next: it rarely says anything alone. */
    tooShort: 60,
    /** The sentence before one that points back ("This …") is added when it is at most this long. */
    pointedBackTo: 300,
  },
  /** In a "when" question the event word ("start", "finish") keeps this share of its weight: it says which date, not what about. */
  eventWordWeight: 0.3,
  /** Choosing the sentence of a record that answers. */
  unitChoice: {
    /** A unit with what the intent needs (a number, a date) gains this, in concept-weight units. */
    needs: 0.5,
    /** A sentence saying what is still to do, for "… yet?", beats any other. */
    stillToDo: 100,
    /** Another sentence of the record must say at least this share of what the matched one says. */
    floorShare: 0.5,
    /** The same paragraph as the matched sentence breaks ties. */
    sameParagraph: 0.01,
  },
  /** Entries kept in the per-term cache of acronyms found in the plans' text. */
  definitionCache: 2000,
  /** Length limits for names in sentences and choices (characters). */
  names: { inSentence: 160, inMessage: 120, choice: 70, query: 120, otherAction: 100 },
} as const;
