/**
 * The answer about one record chosen by its id, composed as the pipeline
 * composes any answer about it. For what lists several records a search
 * matched (the message extension's results beside the best answer) and for
 * saying again, later, what a card about one record said (its refresh). The
 * question steers what is said (a figure, a date, who leads); no requirement
 * is checked, because the record was chosen, not found: whoever calls this
 * presents it as what the plans hold about that record, never as the answer
 * to a question it may not answer.
 */
import type { SearchIndex } from '../../search';
import { understand } from '../../understand';
import { compose } from '../compose';
import type { AnswerEnv } from '../env';
import { correctedQuestion, readQuestion } from '../question';
import { contentUnitFor, rerank } from '../rerank';
import { ANSWER_TUNING } from '../tuning';
import type { Answer } from '../types';

export function recordAnswer(env: AnswerEnv, index: SearchIndex, recordId: string, question: string): Answer | undefined {
  const record = index.byId.get(recordId);
  if (!record || record.kind === 'glossary') return undefined;
  // The question's words, else the record's own name: a record always matches its name.
  for (const asked of [question, record.title]) {
    const q = readQuestion(understand(correctedQuestion(asked, index), env.catalogue), index);
    if (!q.concepts.length) continue;
    const hits = rerank(index.search(q.concepts, { filter: (r) => r.id === recordId, limit: ANSWER_TUNING.searchLimit }), q, env);
    const top = hits[0];
    if (!top) continue;
    return compose(env, record, contentUnitFor(top, q.concepts, q), hits.slice(1), q, top.coverage, top.about, top.direct);
  }
  return undefined;
}
