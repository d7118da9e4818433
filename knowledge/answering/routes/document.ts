/**
 * A question about a named document rather than something in it: its own
 * words (contact, author, background) if the question's words find them in
 * that document, else what the document is and when it is dated.
 */
import type { SourceDocument } from '../../schema';
import type { Understanding } from '../../understand';
import { compose } from '../compose';
import type { AnswerEnv } from '../env';
import { readQuestion } from '../question';
import { contentUnitFor } from '../rerank';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';

export function documentAnswer(env: AnswerEnv, u: Understanding): Answer {
  // "When did it go to the trust?": the document's own date, not a sentence that happens to say "to date".
  const concepts = u.intent === 'date' ? [] : env.index.concepts(u.withIntentWords);
  if (concepts.length) {
    const hits = env.index.search(concepts, { preferDocs: u.preferDocs, limit: 10 }).filter((h) => u.preferDocs.includes(h.record.doc) && h.coverage >= ANSWER_TUNING.confidence);
    if (hits.length) {
      const top = hits[0];
      const q = { ...readQuestion(u, env.index), concepts };
      const asked = { ...q, u: { ...u, intent: u.intent === 'lead' ? ('lookup' as const) : u.intent } };
      return compose(env, top.record, contentUnitFor(top, concepts, asked), hits.slice(1), asked, top.coverage, top.about, top.direct);
    }
  }
  const docs = u.preferDocs.map((id) => env.docs.get(id)).filter((d): d is SourceDocument => !!d);
  const a = blank('answer', u.intent, '');
  a.text = docs.map((d) => `${env.catalogue.authorityName(d.authority)}: "${d.title}", dated ${d.date}${d.period ? `, covering ${d.period}` : ''}.`).join(' ');
  a.title = docs.length === 1 ? docs[0].title : 'Documents';
  for (const d of docs) {
    a.facts.push({ label: 'Document', value: d.title }, { label: 'Date', value: d.date });
    if (d.period) a.facts.push({ label: 'Covers', value: d.period });
    a.sources.push({ document: d.id, title: d.title, date: d.date, section: 'Document' });
  }
  const plan = env.knowledge.plans.find((p) => p.id === docs[0]?.plan);
  if (plan) a.suggestions = env.knowledge.priorities.filter((p) => p.doc === docs[0].id).slice(0, 3).map((p) => `Summarise priority ${p.number} ${env.catalogue.planPhrase(plan.id)}`);
  a.confidence = 1;
  return a;
}
