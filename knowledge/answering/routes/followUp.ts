/** Answers that lean on the previous answer: "and the target?", "who leads it?", "what about the city?". */
import { understand, type Intent, type Understanding } from '../../understand';
import { compose } from '../compose';
import type { AnswerEnv } from '../env';
import { readQuestion } from '../question';
import type { Answer, AnswerContext } from '../types';
import { stripAuthority } from '../words';
import type { Pipeline } from './pipeline';

export function followUpAnswer(env: AnswerEnv, pipeline: Pipeline, u: Understanding, prev: AnswerContext): Answer | undefined {
  const record = prev.recordId ? env.index.byId.get(prev.recordId) : undefined;
  if (u.authority && u.authority !== prev.authority) {
    // Same question, other authority.
    return pipeline.search(understand(`${stripAuthority(prev.query)} in ${env.catalogue.authorityPhrase(u.authority)}`, env.catalogue));
  }
  if (u.periods.length && record) {
    return pipeline.search(understand(`${prev.query} ${u.periods.map((p) => p.text).join(' ')}`, env.catalogue));
  }
  if (!record) return undefined;
  const intent: Intent = u.intent === 'lookup' || u.intent === 'status' ? prev.intent : u.intent;
  const a = compose(env, record, undefined, [], readQuestion({ ...u, intent }, env.index), 1);
  // The conversation is still about the same thing: the next follow-up ("what about the city?") needs its words, not "who leads it?".
  if (a.context && (!a.context.recordId || a.context.recordId === record.id)) a.context = { ...a.context, recordId: a.context.recordId ?? record.id, query: prev.query };
  return a;
}
