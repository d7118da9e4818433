/** How a count is written, one way everywhere: "1 item", "3 items", "2 priorities". */

/** `word` for one, its plural for any other number (`word` + "s" unless `many` is given). */
export function noun(n: number, word: string, many = `${word}s`): string {
  return n === 1 ? word : many;
}

/** The count and its noun: plural(1, 'item') is "1 item", plural(2, 'priority', 'priorities') "2 priorities". */
export function plural(n: number, word: string, many?: string): string {
  return `${n} ${noun(n, word, many)}`;
}
