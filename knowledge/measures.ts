/**
 * Newer figures lead. When an author says that an indicator carries on an
 * older one's measure (`continues:` in the YAML: same authority, same thing
 * measured), the indicators form one series; its current figure is the most
 * recent period's across documents and plans, and every older figure is its
 * history, each with the document it comes from. Nothing here guesses which
 * records measure the same thing: without `continues`, an indicator is a
 * series of its own (its latest figure and the one its document labels
 * previous).
 *
 * Periods are read once, when the catalogue is built (periods.ts).
 */
import type { Knowledge, WithDoc } from './loader';
import type { Figure, Indicator } from './schema';
import { latestFigure, previousFigure } from './figures';
import { spanOf, type Span } from './periods';

/** A figure of a series, with the record and document it comes from and when it is for. */
export interface DatedFigure {
  indicatorId: string;
  doc: string;
  figure: Figure;
  /** The figure's period; for an undated latest figure, its document's date. */
  span?: Span;
}

export class Measures {
  /** Each indicator's series: the ids of every indicator linked to it by `continues`, oldest link first. */
  private readonly seriesOf = new Map<string, string[]>();
  private readonly indicators: Map<string, WithDoc<Indicator>>;
  private readonly dated = new Map<string, { latest?: DatedFigure; previous?: DatedFigure }>();

  constructor(knowledge: Knowledge) {
    this.indicators = new Map(knowledge.indicators.map((x) => [x.id, x]));
    const docSpan = new Map(knowledge.documents.map((d) => [d.id, spanOf(d.period) ?? spanOf(d.date)]));
    // Union of the `continues` links: a series is everything connected, whichever way the links point.
    const root = new Map<string, string>();
    const find = (id: string): string => {
      let r = id;
      while (root.has(r) && root.get(r) !== r) r = root.get(r)!;
      return r;
    };
    for (const x of knowledge.indicators) {
      if (x.continues && this.indicators.has(x.continues)) {
        const a = find(x.id);
        const b = find(x.continues);
        if (a !== b) root.set(a, b);
      }
    }
    const groups = new Map<string, string[]>();
    for (const x of knowledge.indicators) groups.set(find(x.id), [...(groups.get(find(x.id)) ?? []), x.id]);
    for (const ids of groups.values()) for (const id of ids) this.seriesOf.set(id, ids);

    for (const x of knowledge.indicators) {
      const latest = latestFigure(x);
      const previous = previousFigure(x, latest);
      this.dated.set(x.id, {
        latest: latest && { indicatorId: x.id, doc: x.doc, figure: latest, span: spanOf(latest.period) ?? (latest.period ? undefined : docSpan.get(x.doc)) },
        previous: previous && { indicatorId: x.id, doc: x.doc, figure: previous, span: spanOf(previous.period) },
      });
    }
  }

  /** The indicators measuring the same thing as this one (itself included). */
  series(indicatorId: string): string[] {
    return this.seriesOf.get(indicatorId) ?? [indicatorId];
  }

  /** The series' most recent figure: the latest figure of whichever of its indicators reports the latest period. */
  currentFigure(indicatorId: string): DatedFigure | undefined {
    return this.latestFigures(indicatorId)[0];
  }

  /**
   * Every other figure of the series, newest first: the latest figure of each older indicator and the
   * figures the documents label previous. A previous figure without a period sits just after its own latest.
   */
  history(indicatorId: string): DatedFigure[] {
    const current = this.currentFigure(indicatorId);
    const entries: { f: DatedFigure; key: string; rank: number }[] = [];
    for (const id of this.series(indicatorId)) {
      const d = this.dated.get(id);
      const own = d?.latest?.span?.to ?? '';
      if (d?.latest && d.latest !== current) entries.push({ f: d.latest, key: own, rank: 0 });
      if (d?.previous) entries.push({ f: d.previous, key: d.previous.span?.to ?? own, rank: 1 });
    }
    return entries.sort((a, b) => (a.key === b.key ? a.rank - b.rank : a.key < b.key ? 1 : -1)).map((e) => e.f);
  }

  /** The indicator whose figure is the series' current one (itself when it has no newer partner). */
  newest(indicatorId: string): string {
    return this.currentFigure(indicatorId)?.indicatorId ?? indicatorId;
  }

  /** Each indicator's latest figure, most recent period first (an indicator without one is left out). */
  private latestFigures(indicatorId: string): DatedFigure[] {
    const out: DatedFigure[] = [];
    // Later documents first, so that on the same period the later document wins (the sort keeps this order).
    for (const id of [...this.series(indicatorId)].reverse()) {
      const f = this.dated.get(id)?.latest;
      if (f) out.push(f);
    }
    // Same period end: the later-starting (shorter, more recent) period first.
    return out.sort((a, b) => cmp(b.span?.to, a.span?.to) || cmp(b.span?.from, a.span?.from));
  }
}

const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
