/**
 * Judging figures: which value is latest, whether it is improving and whether
 * it is on target, read with the indicator's polarity (whether good is high or
 * low). Only what can be computed from the written figures is claimed: when a
 * value or target is not a number, the judgement is "unknown", never a guess.
 */
import type { Figure, Indicator, Polarity } from './schema';
import { numberIn } from './text';

export type Direction = 'improving' | 'worse' | 'no change' | 'unknown';
export type TargetStatus = 'on target' | 'off target' | 'no target' | 'unknown';

/**
 * The latest figure: the one the document labels latest, or the only figure
 * there is. Several unlabelled figures are parts of a whole ("4 good, 1
 * requires improvement, 2 inadequate"), not a series: none of them is "latest".
 */
export function latestFigure(ind: Pick<Indicator, 'values'>): Figure | undefined {
  // A baseline is where a measure starts from, never its latest figure.
  return ind.values.find((v) => v.role === 'latest') ?? (ind.values.length === 1 && ind.values[0].role !== 'baseline' ? ind.values[0] : undefined);
}

/**
 * The previous figure, only when the document labels one: other figures of an
 * indicator are often a related measure (breastfeeding at birth beside the
 * 6-8 week rate), and comparing with one of those would be a false trend.
 */
export function previousFigure(ind: Pick<Indicator, 'values'>, _latest?: Figure): Figure | undefined {
  return ind.values.find((v) => v.role === 'previous');
}

/** Direction of travel from previous to latest, judged by polarity. */
export function direction(polarity: Polarity, latest?: string, previous?: string): Direction {
  const a = latest !== undefined ? numberIn(latest) : undefined;
  const b = previous !== undefined ? numberIn(previous) : undefined;
  if (a === undefined || b === undefined || polarity === 'none') return 'unknown';
  if (a === b) return 'no change';
  const up = a > b;
  return (polarity === 'high') === up ? 'improving' : 'worse';
}

/**
 * On or off target. Numeric targets compare directly; "higher/lower than
 * national" targets compare with the national figure; anything else is unknown.
 */
export function targetStatus(polarity: Polarity, latest?: string, target?: string, national?: string, previous?: string): TargetStatus {
  if (!target || /^n\/?a$/i.test(target.trim())) return 'no target';
  const v = latest !== undefined ? numberIn(latest) : undefined;
  if (v === undefined) return 'unknown';
  // A gap to narrow or close is a difference between two figures the indicator does not hold: not computable.
  if (/\bgap\b|\bnarrow|\bclose\b/i.test(target)) return 'unknown';
  // "Lower than 2015-16", "higher than last year": compared with the previous figure, never with the year as a number.
  const relativeToPast = /\bthan\s+(the\s+)?((20\d\d|\d\d)\s*[/-]|20\d\d\b|last|previous|prior|the same period)/i.test(target);
  let t = relativeToPast
    ? previous !== undefined
      ? numberIn(previous)
      : undefined
    : /national/i.test(target)
      ? national
        ? numberIn(national)
        : undefined
      : numberIn(target);
  if (t === undefined) return 'unknown';
  // "Higher than national" / "Lower than national" say which side is good even when polarity is unset.
  let good: Polarity = polarity;
  if (/higher|above|more|increase/i.test(target)) good = 'high';
  else if (/lower|below|less|reduc|narrow/i.test(target)) good = 'low';
  if (good === 'none') return 'unknown';
  if (/^by\b/i.test(target.trim())) t = undefined as unknown as number; // "by 30%" is a change, not a level
  if (t === undefined) return 'unknown';
  const strict = /than/i.test(target);
  if (good === 'high') return v > t || (!strict && v === t) ? 'on target' : 'off target';
  return v < t || (!strict && v === t) ? 'on target' : 'off target';
}

export function polarityWords(p: Polarity): string | undefined {
  return p === 'high' ? 'higher is better' : p === 'low' ? 'lower is better' : undefined;
}
