/** The plan's own words: the sentence that answers, with what follows it. */
import { squash } from '../../text';
import type { IndexedRecord, Unit } from '../../search';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { contextBudget, truncate } from '../words';

export function quoteAnswer(env: AnswerEnv, record: IndexedRecord, unit: Unit | undefined, q: Question): Answer {
  const { u } = q;
  const a = blank('answer', u.intent, '');
  a.title = record.title;
  const src = env.sourceOf(record, unit);
  if (unit && unit.field !== 'title') {
    const s = env.sentenceWithContext(unit, contextBudget(u.intent));
    a.text = s;
    a.quotes.push({ text: s, source: src });
  } else if (record.kind === 'activity') {
    const p = record.record.progress[record.record.progress.length - 1];
    a.text = p ? `${record.record.title}: ${squash(p.text)}` : record.record.title;
  } else if (record.kind === 'passage') {
    a.text = squash(record.record.text);
  } else {
    a.text = record.title;
  }
  a.text = truncate(a.text, u.intent === 'list' ? ANSWER_TUNING.quote.listMost : ANSWER_TUNING.quote.most);
  if (record.kind === 'activity') env.addActivityFacts(a, record.record);
  env.addPlanFacts(a, record);
  a.sources.push(src);
  return a;
}
