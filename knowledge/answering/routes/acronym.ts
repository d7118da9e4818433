/**
 * "What does TETC stand for?", "MASE panel - what is it?": the meaning from
 * the glossary or the plans' own "Long Name (ABC)", where the plans talk about
 * it, and the rest of the question answered too ("… and when did it start").
 */
import type { Understanding } from '../../understand';
import { understand } from '../../understand';
import { normalise, STOP_WORDS } from '../../text';
import type { AnswerEnv } from '../env';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { mentions } from '../words';
import type { Pipeline } from './pipeline';

export function acronymAnswer(env: AnswerEnv, pipeline: Pipeline, u: Understanding): Answer | undefined {
  const caps = (u.text.match(/\b[A-Z][A-Z0-9&]{1,9}\b/g) ?? []).filter((w) => !/^(I|A|IT|OK)$/.test(w));
  const m =
    u.searchText.match(/\b([a-z0-9&]{2,10})\s+(?:stands? for|mean|means)\b/) ??
    u.searchText.match(/\b(?:what does|what do|what is|what are|what's|whats|what|meaning of|define)\s+(?:is\s+|are\s+|an?\s+|the\s+)?([a-z0-9&]{2,10})\b/);
  const typed = m?.[1] && !STOP_WORDS.has(m[1]) && !/^(it|this|that|they)$/.test(m[1]) ? m[1] : undefined;
  // An acronym typed in capitals is the term, whatever the sentence around it ("SHARP team - what does it stand for?").
  // …or a slip in one ("ICCYHP" for ICCYPH): the one term a keystroke or a swap away.
  const corrected = (c: string) => env.index.corrections(c.toLowerCase(), 1).find((w) => env.index.glossary(w) || env.definitionInText(w));
  const term = caps.find((c) => env.index.glossary(c) || env.definitionInText(c.toLowerCase())) ?? caps.map(corrected).find((x) => !!x) ?? typed;
  if (!term) return undefined;
  const g = env.index.glossary(term) ?? env.definitionInText(term);
  if (!g) return undefined;
  const meaning = g.meanings.join('; or ');
  const a = blank('answer', 'acronym', `${g.term} stands for ${meaning}.`);
  a.title = g.term;
  a.facts.push({ label: 'Stands for', value: meaning });
  if (g.synonyms.length) a.facts.push({ label: 'Also called', value: g.synonyms.join(', ') });
  // Where the plans talk about it, so the user sees it in context (and any date asked about).
  const rest = u.searchText.replace(new RegExp(`\\b${term.toLowerCase()}\\b`), ' ').replace(/\b(what does|stands? for|mean|means|what is|whats|what's)\b/g, ' ');
  const hits = env.index.search(env.index.concepts(`${g.meanings[0]} ${g.term} ${rest}`), { authority: u.authority, preferDocs: u.preferDocs, limit: 8 });
  const best = hits.find((h) => h.record.kind !== 'glossary' && !['title', 'alias', 'lead', 'evidence'].includes(h.unit.field) && mentions(h.unit.text, g));
  if (best) {
    const src = env.sourceOf(best.record, best.unit);
    // "What is it and how long …": the rest of the question is answered by what follows, so quote more of it.
    const context = env.sentenceWithContext(best.unit, rest.trim() ? ANSWER_TUNING.quote.acronymMore : ANSWER_TUNING.quote.acronym);
    a.text += ' ' + context;
    a.quotes.push({ text: context, source: src });
    a.sources.push(src);
    a.context = { recordId: best.record.id, query: u.text, intent: 'lookup', authority: best.record.authority };
  } else if (g.source) {
    const d = env.docs.get(g.source.document);
    if (d) a.sources.push({ document: d.id, title: d.title, date: d.date, section: g.source.section });
  }
  a.confidence = 1;
  a.suggestions = best ? env.suggestionsFor(best.record) : [];
  // "KSI on notts roads 2016/17 - what does it stand for and what's the number": answer the rest too.
  const asksMore = /\b(how many|how much|number|figure|rate|latest|when|who|target|percentage|%)\b/.test(normalise(u.text)) || u.periods.some((p) => p.from);
  if (asksMore) {
    const restQuestion = u.text.replace(/\b(what|whats|what's)\s+(does|do|is)\s+(it|that|this|they)\s+(stand for|mean)\b|\bwhat (is|are) (it|that|this|they)\b|\bstands? for\b|\bmeaning\b/gi, ' ');
    const more = pipeline.search(understand(restQuestion, env.catalogue));
    if (more.kind === 'answer' && more.confidence >= ANSWER_TUNING.confidence && !a.text.includes(more.text)) {
      a.text += ' ' + more.text;
      a.facts.push(...more.facts.filter((f) => !a.facts.some((x) => x.label === f.label)));
      a.sources.push(...more.sources);
      a.context = more.context ?? a.context;
      a.suggestions = more.suggestions.length ? more.suggestions : a.suggestions;
    }
  }
  return a;
}
