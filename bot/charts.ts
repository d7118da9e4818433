/**
 * Charts in Adaptive Cards, as Teams renders them (Chart.Donut,
 * Chart.VerticalBar, Chart.Line: typed by the Teams SDK's card library,
 * @microsoft/teams.cards, from its schema). Every chart carries a
 * `fallback` for a client without charts (the Agents Playground, older Teams
 * clients, Outlook): a FactSet with a row per bar, slice or point that the
 * card does not already write in its text; where the card's text states
 * every figure drawn (an indicator answer's headline and facts), the
 * fallback is "drop", so those figures are not written twice. Nothing is
 * only in a picture.
 *
 * Values are the plans' figures as numbers (a chart needs numbers); labels
 * and fallback rows keep them exactly as written ("10.9 weeks (April)").
 * An answer's chart carries no title or legend: the answer it sits in says
 * what it is, and every string a card carries is one more to read.
 */
import type { ChartColor, FallbackElement, IDonutChart, IDonutChartData, ILineChart, ILineChartData, ILineChartValue, IVerticalBarChart, IVerticalBarChartDataValue } from '@microsoft/teams.cards';
import type { Answer } from '../knowledge/answer';
import { numberIn } from '../knowledge/text';
import type { PrioritySummary } from '../knowledge/summary';
import { cardSafe, type CardElement } from './cardElements';

export type { ChartColor } from '@microsoft/teams.cards';

/** Every chart this bot sends carries its fallback: the figures the card does not state elsewhere, or nothing ("drop"). */
interface WithFallback {
  fallback: FallbackElement;
}
// Every slice, bar and point has its label and number (the library leaves them optional).
export type DonutChart = Omit<IDonutChart, 'data'> & WithFallback & { data: (IDonutChartData & { legend: string; value: number })[] };
export type VerticalBarChart = Omit<IVerticalBarChart, 'data'> & WithFallback & { data: (IVerticalBarChartDataValue & { x: string; y: number })[] };
export type LineChart = Omit<ILineChart, 'data'> & WithFallback & { data: (ILineChartData & { values: (ILineChartValue & { x: string; y: number })[] })[] };
export type Chart = DonutChart | VerticalBarChart | LineChart;

/** The chart element types this bot sends (and that the card checks treat as charts). */
export const CHART_TYPES: readonly string[] = ['Chart.Donut', 'Chart.VerticalBar', 'Chart.Line'];

/** The fallback: the figures as a FactSet, label beside value as written; "drop" when there are none to show. */
function factsFallback(rows: { label: string; value: string }[]): FallbackElement {
  if (!rows.length) return 'drop';
  return { type: 'FactSet', facts: rows.map((r) => ({ title: cardSafe(r.label), value: cardSafe(r.value) })) };
}

/**
 * The RAG split of a summary's indicators as a donut: on target, off target, no target (and not judged); a
 * priority without targets is split by direction of travel instead. Empty slices are left out, of the chart and
 * its fallback alike. Nothing when the priority has no indicators.
 */
export function ragDonut(s: PrioritySummary): DonutChart | undefined {
  const r = s.rollup;
  if (!r.indicators) return undefined;
  const slices: { legend: string; value: number; color: ChartColor }[] = s.noTargets
    ? [
        { legend: 'Improving', value: r.improving, color: 'good' },
        { legend: 'Worse', value: r.worse, color: 'attention' },
        { legend: 'No change', value: r.noChange, color: 'neutral' },
        { legend: 'Not comparable', value: r.indicators - r.improving - r.worse - r.noChange, color: 'categoricalLavender' },
      ]
    : [
        { legend: 'On target', value: r.onTarget, color: 'good' },
        { legend: 'Off target', value: r.offTarget, color: 'attention' },
        { legend: 'No target', value: r.noTarget, color: 'neutral' },
        { legend: 'Not judged', value: r.unknown, color: 'categoricalLavender' },
      ];
  const data = slices.filter((x) => x.value > 0);
  return {
    type: 'Chart.Donut',
    title: s.noTargets ? 'Indicators by direction of travel' : 'Indicators against target',
    data,
    fallback: factsFallback(data.map((d) => ({ label: d.legend, value: String(d.value) }))),
  };
}

/** One figure as an answer or summary writes it: what it is ("Latest"), the value as written, its period. */
export interface WrittenFigure {
  label: 'Latest' | 'Previous' | 'Target' | 'National' | 'Also';
  value: string;
  period?: string;
  /** The card writes it in its text already (a headline or a fact): no fallback row for it. */
  stated?: boolean;
}

/** Most points a line chart draws (the plans have at most five for one measure). */
const MAX_LINE_POINTS = 12;
/** A figure a bar can stand for: a number with at most a unit ("458", "88%", "10.9 weeks", "£1,200"), not "by 30%" or "higher than national". */
const PLAIN_FIGURE = /^\s*[£$€]?\s*[-+]?\d[\d,]*(\.\d+)?\s*(%|[a-z]+)?\s*$/i;
/** Period labels a series can be ordered by: financial or academic years, quarters, calendar years, months. */
const PERIOD_FORMS: [RegExp, (m: RegExpMatchArray) => number][] = [
  [/^(?:q|quarter\s*)([1-4])\s+(20\d\d)\/(\d\d)$/i, (m) => Number(m[2]) * 12 + (Number(m[1]) === 4 ? 12 : 3 * Number(m[1]))],
  [/^(?:q|quarter\s*)([1-4])\s+(20\d\d)$/i, (m) => Number(m[2]) * 12 + 3 * (Number(m[1]) - 1)],
  [/^(20\d\d)\s*[/-]\s*(\d\d|20\d\d)$/, (m) => Number(m[1]) * 12 + 3],
  [/^(20\d\d)$/, (m) => Number(m[1]) * 12],
];

/** The unit a figure is written in ("%", "weeks", or none), so bars and points in different units are never drawn together. */
const unitOf = (v: string) => (v.match(/(%|[a-z]+)\s*$/i)?.[1] ?? '').toLowerCase();

function periodOrder(period: string): { form: number; at: number } | undefined {
  for (const [i, [re, at]] of PERIOD_FORMS.entries()) {
    const m = period.trim().match(re);
    if (m) return { form: i, at: at(m) };
  }
  return undefined;
}

/**
 * An indicator's chart: a line when it has three or more dated figures of one measure (same unit, one kind of
 * period, each period once: figures of related measures an indicator also holds are never joined into a false
 * trend); otherwise its latest, previous, target and national figures as bars, those that are plain numbers in
 * the latest figure's unit. Nothing when fewer than two figures can be drawn. The fallback has a row for each
 * figure drawn that the card does not state already (`stated`), and is "drop" when it states them all.
 */
export function indicatorChart(figures: WrittenFigure[]): VerticalBarChart | LineChart | undefined {
  const latest = figures.find((f) => f.label === 'Latest');
  if (!latest || !PLAIN_FIGURE.test(latest.value)) return undefined;
  const unit = unitOf(latest.value);
  const drawable = (f: WrittenFigure) => PLAIN_FIGURE.test(f.value) && unitOf(f.value) === unit && numberIn(f.value) !== undefined;

  // A series: the dated figures written with the same kind of period as the latest (and in its unit), each period once.
  const latestOrder = latest.period ? periodOrder(latest.period) : undefined;
  const dated = latestOrder
    ? figures
        .filter((f) => f.label !== 'Target' && f.label !== 'National' && f.period && drawable(f))
        .map((f) => ({ f, order: periodOrder(f.period!) }))
        .filter((x): x is { f: WrittenFigure; order: { form: number; at: number } } => x.order?.form === latestOrder.form)
    : [];
  const periods = new Set(dated.map((x) => x.order.at));
  if (dated.length >= 3 && periods.size === dated.length) {
    const points = dated.sort((a, b) => a.order.at - b.order.at).slice(-MAX_LINE_POINTS);
    return {
      type: 'Chart.Line',
      ...(unit ? { yAxisTitle: unit } : {}),
      data: [{ values: points.map(({ f }) => ({ x: cardSafe(f.period!), y: numberIn(f.value)! })), color: 'categoricalBlue' }],
      fallback: factsFallback(points.filter(({ f }) => !f.stated).map(({ f }) => ({ label: f.period!, value: f.value }))),
    };
  }

  const COLORS: Record<string, ChartColor> = { Latest: 'categoricalBlue', Previous: 'categoricalLavender', Target: 'good', National: 'categoricalMarigold' };
  // Bars are labelled short ("Latest": a chart's axis cuts long labels); the period is in the facts (or the fallback).
  const bars = (['Latest', 'Previous', 'Target', 'National'] as const).map((label) => figures.find((f) => f.label === label)).filter((f): f is WrittenFigure => !!f && drawable(f));
  if (bars.length < 2) return undefined;
  return {
    type: 'Chart.VerticalBar',
    ...(unit ? { yAxisTitle: unit } : {}),
    showBarValues: true,
    data: bars.map((f) => ({ x: f.label, y: numberIn(f.value)!, color: COLORS[f.label] })),
    fallback: factsFallback(bars.filter((f) => !f.stated).map((f) => ({ label: f.label, value: f.period ? `${f.value} (${f.period})` : f.value }))),
  };
}

/**
 * An answer's figures as it states them: the figure asked for (its headline) and its facts ("Previous": "6.59 weeks
 * (January 2017) — note"), each a value with its period in brackets, any note after a dash left out. The headline is
 * the latest figure unless a fact says which is; then it is one more dated figure of the series. Each is `stated`:
 * the card writes it (headline or fact), so a chart of them needs no fallback rows.
 */
export function answerFigures(a: Answer): WrittenFigure[] {
  const out: WrittenFigure[] = [];
  for (const f of a.facts) {
    if (!['Latest', 'Previous', 'Target', 'National', 'Also'].includes(f.label)) continue;
    const written = f.value.split(' — ')[0].trim();
    const m = written.match(/^(.*?)\s*\(([^()]*)\)$/);
    out.push({ label: f.label as WrittenFigure['label'], value: (m ? m[1] : written).trim(), ...(m ? { period: m[2].trim() } : {}), stated: true });
  }
  const h = a.headline;
  if (h && !out.some((f) => f.value === h.value && f.period === h.period)) {
    out.unshift({ label: out.some((f) => f.label === 'Latest') ? 'Also' : 'Latest', value: h.value, ...(h.period ? { period: h.period } : {}), stated: true });
  }
  return out;
}

/**
 * The chart for an indicator answer (its figures from the answer's own headline and facts), as card elements to
 * append: none for other answers. Its fallback is "drop": the card's headline and facts already show the figures.
 */
export function answerChart(a: Answer): CardElement[] {
  if (a.kind !== 'answer' || !a.title) return [];
  const chart = indicatorChart(answerFigures(a));
  return chart ? [{ ...chart, spacing: 'Medium' }] : [];
}
