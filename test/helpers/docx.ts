/**
 * Reads a .docx back, as Word would open it: the zip (fflate, the library the
 * `docx` package writes it with) and its main document and footnotes parts.
 */
import { strFromU8, unzipSync } from 'fflate';

/** The parts of a .docx, by path inside the zip ("word/document.xml"). */
export function docxParts(bytes: Buffer): Record<string, string> {
  const files = unzipSync(new Uint8Array(bytes));
  return Object.fromEntries(Object.entries(files).filter(([k]) => k.endsWith('.xml') || k.endsWith('.rels')).map(([k, v]) => [k, strFromU8(v)]));
}

/** word/document.xml of a .docx (it throws if the bytes are not a zip holding one). */
export function documentXml(bytes: Buffer): string {
  const xml = docxParts(bytes)['word/document.xml'];
  if (!xml) throw new Error('no word/document.xml in the document');
  return xml;
}

/** The text of an OOXML part: the words of its runs (w:t), one paragraph (w:p) a line; a table row a line, its cells ended by " | ". */
export function partText(xml: string): string {
  return xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<\/w:p>\s*<\/w:tc>/g, '</w:tc>')
    .replace(/<\/w:tc>/g, ' | ')
    .replace(/<\/w:tr>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}
