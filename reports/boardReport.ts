/**
 * A priority summary as a Word document laid out as a board report: title and
 * as-at date, the RAG summary and a RAG table of the indicators, what needs
 * attention, progress, what changed (when asked), the key actions, and every
 * figure's and narrative's source as a footnote. Written with the maintained
 * `docx` library (OOXML), so Word, LibreOffice and Google Docs open it.
 *
 * Everything in it comes from the PrioritySummary, as the card and the text
 * export do: figures exactly as the plans or approved updates write them.
 */
import {
  AlignmentType,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { AnswerSource } from '../knowledge/answer';
import type { PrioritySummary } from '../knowledge/summary';
import { changeLine } from '../knowledge/changes';
import { citation, exceptionLabel, longDate, NOTHING_NEEDS_ATTENTION, ragLine } from './summaryText';
import { runs } from './markup';

/** The Word document's MIME type, for the download and the Teams upload. */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Cell fills for the RAG column and the counts (Word hex colours): green, red, amber, grey. */
const RAG_FILL = { 'on target': 'C6EFCE', 'off target': 'FFC7CE', improving: 'C6EFCE', worse: 'FFC7CE', 'no target': 'EDEDED', unknown: 'EDEDED' } as const;

/** A file name for the report: plan, priority and date, in characters every file system takes. */
export function reportFileName(s: PrioritySummary): string {
  const words = `${s.authorityPlace} ${s.planTitle} priority ${s.number} ${s.asAt}`;
  return `${words.replace(/[^A-Za-z0-9 ._-]+/g, '').replace(/\s+/g, ' ').trim().slice(0, 120)}.docx`;
}

/** Text with the extraction's bold and italic as formatting, and a footnote with its source. */
function textRuns(text: string, opts: { bold?: boolean; source?: AnswerSource } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = runs(text).map((r) => new TextRun({ text: r.text, bold: opts.bold || r.bold, italics: r.italic }));
  if (opts.source) out.push(footnote(opts.source));
  return out;
}

function footnote(source: AnswerSource): FootnoteReferenceRun {
  return new FootnoteReferenceRun({ children: [new Paragraph(citation(source))] });
}

const heading = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 80 } });
const bullet = (children: ParagraphChild[]) => new Paragraph({ children, bullet: { level: 0 } });

function cell(children: ParagraphChild[], opts: { fill?: string; header?: boolean } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ children })],
    ...(opts.fill ? { shading: { type: ShadingType.CLEAR, fill: opts.fill, color: 'auto' } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
}

const headerRow = (titles: string[]) => new TableRow({ tableHeader: true, children: titles.map((t) => cell([new TextRun({ text: t, bold: true })], { fill: 'D9E2F3' })) });

function table(rows: TableRow[]): Table {
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** The RAG counts as a one-row table, each count shaded as its status. */
function ragCounts(s: PrioritySummary): Table {
  const r = s.rollup;
  const columns: [string, number, string][] = s.noTargets
    ? [
        ['Improving', r.improving, RAG_FILL.improving],
        ['Worse', r.worse, RAG_FILL.worse],
        ['No change', r.noChange, RAG_FILL.unknown],
        ['Not comparable', r.indicators - r.improving - r.worse - r.noChange, RAG_FILL.unknown],
      ]
    : [
        ['On target', r.onTarget, RAG_FILL['on target']],
        ['Off target', r.offTarget, RAG_FILL['off target']],
        ['No target', r.noTarget, RAG_FILL['no target']],
        ...(r.unknown ? ([['Not judged', r.unknown, RAG_FILL.unknown]] as [string, number, string][]) : []),
        ['Improving', r.improving, RAG_FILL.improving],
        ['Worse', r.worse, RAG_FILL.worse],
      ];
  return table([headerRow(columns.map((c) => c[0])), new TableRow({ children: columns.map(([, n, fill]) => cell([new TextRun({ text: String(n), bold: true })], { fill })) })]);
}

/** One row per indicator: its figures, status and direction; columns no indicator has are left out. */
function ragTable(s: PrioritySummary): Table {
  const columns: { title: string; value: (i: PrioritySummary['indicators'][number]) => string | undefined; fill?: (i: PrioritySummary['indicators'][number]) => string }[] = [
    { title: 'Latest', value: (i) => i.latest ?? 'no figure' },
    { title: 'Previous', value: (i) => i.previous },
    { title: 'Target', value: (i) => i.target },
    { title: 'National', value: (i) => i.national },
    // A priority without targets has said so once: no column of "no target".
    { title: 'RAG', value: (i) => (s.noTargets ? undefined : i.status), fill: (i) => RAG_FILL[i.status] },
    { title: 'Direction', value: (i) => (i.direction === 'unknown' ? undefined : i.direction), fill: (i) => (i.direction === 'improving' || i.direction === 'worse' ? RAG_FILL[i.direction] : RAG_FILL.unknown) },
  ];
  const used = columns.filter((c) => s.indicators.some((i) => c.value(i)));
  return table([
    headerRow(['Indicator', ...used.map((c) => c.title)]),
    ...s.indicators.map(
      (i) => new TableRow({ children: [cell(textRuns(i.title, { source: i.source })), ...used.map((c) => cell(textRuns(c.value(i) ?? ''), { fill: c.value(i) ? c.fill?.(i) : undefined }))] }),
    ),
  ]);
}

function actionsTable(s: PrioritySummary): Table {
  const withDue = s.actions.some((a) => a.due);
  return table([
    headerRow(['Key action', ...(withDue ? ['Due'] : []), 'Progress']),
    ...s.actions.map(
      (a) =>
        new TableRow({
          children: [cell(textRuns(a.text, { source: a.source })), ...(withDue ? [cell(textRuns(a.due ?? ''))] : []), cell([new TextRun(a.evidence ? 'recorded' : 'none recorded')], { fill: a.evidence ? undefined : RAG_FILL.unknown })],
        }),
    ),
  ]);
}

/** The board report for a summary, as the bytes of a .docx file. */
export async function boardReport(s: PrioritySummary): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [
    new Paragraph({ children: textRuns(`${s.planTitle}: priority ${s.number}`), heading: HeadingLevel.TITLE }),
    new Paragraph({ children: textRuns(s.title, { bold: true }), spacing: { after: 80 } }),
    new Paragraph({ children: [new TextRun({ text: `${s.authorityName} · As at ${longDate(s.asAt)}`, color: '595959' })], spacing: { after: 200 } }),
    heading('RAG summary'),
    new Paragraph({ text: ragLine(s), spacing: { after: 120 } }),
  ];
  if (s.indicators.length) body.push(ragCounts(s), heading('RAG table: indicators'), ragTable(s));
  body.push(heading('Needs attention'));
  if (s.exceptions.length) {
    for (const e of s.exceptions) body.push(bullet([new TextRun({ text: `${exceptionLabel(e)}: `, bold: true }), ...textRuns(e.title), new TextRun(': '), ...textRuns(e.detail, { source: e.source })]));
  } else body.push(new Paragraph(NOTHING_NEEDS_ATTENTION));
  if (s.progress.length) {
    body.push(heading('Progress'));
    for (const n of s.narratives.slice(0, Math.max(s.progress.length, 1))) {
      body.push(new Paragraph({ children: [...textRuns(`${n.title} (${n.period ?? n.source.date})`, { bold: true })], spacing: { before: 120 } }), new Paragraph({ children: textRuns(n.text, { source: n.source }) }));
    }
  }
  if (s.changes) {
    const c = s.changes;
    body.push(heading(`What changed since ${c.label} (${longDate(c.since)})`));
    if (!c.entries.length) body.push(new Paragraph('No approved updates, new figures or changes of status since then.'));
    for (const e of c.entries) body.push(bullet(textRuns(changeLine(e), { source: e.source })));
  }
  if (s.actions.length) body.push(heading('Key actions'), actionsTable(s));
  const further = s.narratives.slice(s.progress.length);
  if (further.length) {
    body.push(heading('Further progress narratives'));
    for (const n of further) body.push(new Paragraph({ children: textRuns(`${n.title}${n.period ? ` (${n.period})` : ''}`, { bold: true }), spacing: { before: 120 } }), new Paragraph({ children: textRuns(n.text, { source: n.source }) }));
  }
  if (s.leads.length) body.push(heading('Leads'), ...s.leads.map((l) => bullet(textRuns(l))));
  body.push(heading('Documents'), ...s.sources.map((x) => bullet([new TextRun(citation(x))])));
  body.push(new Paragraph({ children: [new TextRun({ text: 'Every figure is as the plans or approved progress updates write it; each source is in the footnotes.', italics: true, color: '595959', size: 18 })], alignment: AlignmentType.LEFT, spacing: { before: 240 } }));

  const doc = new Document({
    creator: 'Plan assistant',
    title: `${s.planTitle}: priority ${s.number}`,
    description: `Board report as at ${s.asAt}`,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}
