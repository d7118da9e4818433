/**
 * The Markdown the text extraction left in a few narratives ("**Support to
 * Schools Service**", "*Take 5*", "[Future in Mind …](#)") read as what it
 * was in the document: bold, italic, a link's words. Exports show it as
 * formatting (Word) or drop the marks (plain text), never as asterisks and
 * brackets. A lone asterisk is part of the text ("A*-C") and is kept.
 */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/** The text as runs of plain, bold and italic words. */
export function runs(text: string): Run[] {
  const unlinked = text.replace(/\[([^\]\n]+)\]\([^)\s]*\)/g, '$1');
  const out: Run[] = [];
  // **bold** or *italic*: marks hugging non-space text with no asterisk inside.
  const re = /\*\*([^*\s](?:[^*]*[^*\s])?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*/g;
  let at = 0;
  for (let m: RegExpExecArray | null; (m = re.exec(unlinked)); ) {
    if (m.index > at) out.push({ text: unlinked.slice(at, m.index) });
    out.push(m[1] !== undefined ? { text: m[1], bold: true } : { text: m[2], italic: true });
    at = m.index + m[0].length;
  }
  if (at < unlinked.length) out.push({ text: unlinked.slice(at) });
  return out;
}

/** The text without the marks: what a reader of the document saw. */
export function plain(text: string): string {
  return runs(text)
    .map((r) => r.text)
    .join('');
}
