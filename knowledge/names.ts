/**
 * Finds the names of plans and documents in a question ("in the mid-year
 * review", "the council plan", "continous improvment plan"), from the aliases
 * the knowledge authors wrote. Loose, because a slip in a document's name
 * should not lose it: a name matches a run of whole words whose letters are a
 * few edits from the alias's (joined, so "mid year" and "midyear" both meet
 * "mid-year"), starting with the same letter and with exactly the same
 * digits ("Q3 report" is not the "Q4 report", "2018-21" not "2016-18") and
 * its first two letters.
 * Short names ("CIP", "CYPP") must be exact.
 */
import { distanceWithin } from './editDistance';
import { normalise } from './text';

/** How far a name may be from an alias, by the alias's length in letters and digits. */
export const NAME_TOLERANCE = {
  /** Up to this length: exact only (acronyms). */
  exactUpTo: 5,
  /** Up to this length: one edit. */
  oneEditUpTo: 11,
  /** Up to this length: two edits; longer: three. */
  twoEditsUpTo: 19,
};

export interface NameTarget {
  kind: 'plan' | 'document';
  id: string;
}

export interface NameFound {
  targets: NameTarget[];
  /** The words of the question that named it, as normalised text ("perfomance report"). */
  text: string;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

interface Alias {
  key: string;
  digits: string;
  words: number;
  tolerance: number;
  targets: NameTarget[];
}

/** Letters and digits only: how two spellings of a name are compared. */
const squashWord = (w: string) => w.replace(/[^a-z0-9]/g, '');
const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;
function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    // A word's only other character is its apostrophe ("children's").
    tokens.push({ word: m[0].includes("'") ? squashWord(m[0]) : m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}
/** The digits of a name, in order ("q42016" -> "42016"): a loop, as names are compared on every question. */
function digitsOf(s: string): string {
  let digits = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += s[i];
  }
  return digits;
}

function tolerance(length: number): number {
  const t = NAME_TOLERANCE;
  return length <= t.exactUpTo ? 0 : length <= t.oneEditUpTo ? 1 : length <= t.twoEditsUpTo ? 2 : 3;
}

export class NameMatcher {
  /** The aliases by their first letter: a name starts with its alias's first letter. */
  private readonly byFirst = new Map<string, Alias[]>();
  private readonly longest: number;
  /** Every word of every alias: a word that names a plan is never an unknown acronym. */
  private readonly words = new Set<string>();

  constructor(entries: { alias: string; target: NameTarget }[]) {
    const byKey = new Map<string, Alias>();
    for (const { alias, target } of entries) {
      const tokens = tokensOf(normalise(alias));
      if (!tokens.length) continue;
      for (const t of tokens) this.words.add(t.word);
      const key = tokens.map((t) => t.word).join('');
      const a = byKey.get(key) ?? { key, digits: digitsOf(key), words: tokens.length, tolerance: tolerance(key.length), targets: [] };
      if (!a.targets.some((x) => x.kind === target.kind && x.id === target.id)) a.targets.push(target);
      byKey.set(key, a);
    }
    for (const a of byKey.values()) this.byFirst.set(a.key[0], [...(this.byFirst.get(a.key[0]) ?? []), a]);
    this.longest = Math.max(0, ...[...byKey.values()].map((a) => a.words));
  }

  /** Is this word part of a plan's or document's name? */
  knowsWord(word: string): boolean {
    return this.words.has(squashWord(word.toLowerCase()));
  }

  /**
   * The names in a text, longest first where they overlap ("the new CYPF plan" is the new plan, not also
   * the "CYPF plan"). `text` must be normalised (see text.ts).
   */
  find(text: string): NameFound[] {
    const tokens = tokensOf(text);
    const found: { from: number; to: number; distance: number; alias: Alias }[] = [];
    // The runs of words from a token: their lengths (lengths[n] is n words'), and the runs joined (runs[n]), joined
    // only as far as an alias of about their length asks (most runs are no alias's length).
    const lengths: number[] = [0];
    const runs: string[] = [''];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirst.get(tokens[i].word[0]);
      if (!candidates) continue;
      lengths.length = 1;
      runs.length = 1;
      for (let n = 1; n <= this.longest + 1 && i + n <= tokens.length; n++) lengths.push(lengths[n - 1] + tokens[i + n - 1].word.length);
      // The runs' second letter (the next word's first when this one has one letter): a name matches only an alias
      // with the same first two letters, which rules out most aliases before any run is joined.
      const first = tokens[i].word;
      const second = first.length > 1 ? first[1] : tokens[i + 1]?.word[0];
      for (const a of candidates) {
        if (a.key.length > 1 && second !== a.key[1]) continue;
        // A run of one word fewer or more than the alias has: "midyear" for "mid-year", "mid year" for "midyear".
        for (let n = Math.max(1, a.words - 1); n <= a.words + 1 && n < lengths.length; n++) {
          if (Math.abs(lengths[n] - a.key.length) > a.tolerance) continue;
          while (runs.length <= n) runs.push(runs[runs.length - 1] + tokens[i + runs.length - 1].word);
          const run = runs[n];
          // A slip is rarely in the first two letters: checking them first spares most edit distances.
          const d = run === a.key ? 0 : a.tolerance && run[1] === a.key[1] && digitsOf(run) === a.digits ? distanceWithin(run, a.key, a.tolerance) : Infinity;
          if (d <= a.tolerance) found.push({ from: i, to: i + n, distance: d, alias: a });
        }
      }
    }
    // Longest first, then closest; a name inside a longer one is part of it.
    found.sort((x, y) => y.alias.key.length - x.alias.key.length || x.distance - y.distance);
    const taken: boolean[] = [];
    const out: NameFound[] = [];
    for (const f of found) {
      if (taken.slice(f.from, f.to).some(Boolean)) continue;
      for (let k = f.from; k < f.to; k++) taken[k] = true;
      out.push({ targets: f.alias.targets, text: text.slice(tokens[f.from].start, tokens[f.to - 1].end) });
    }
    return out;
  }
}
