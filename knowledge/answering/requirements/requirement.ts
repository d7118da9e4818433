/**
 * A requirement an answer must meet for the kind of question asked: it keeps
 * (and orders) the candidates that meet it, or says what the plans lack. The
 * answerer runs the table of requirements in order (requirements/index.ts);
 * the first that lacks decides the reply.
 */
import type { Hit } from '../../search';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';

export interface Lack {
  /** The opening of the reply: what the plans don't have, plainly. */
  message: string;
  /** The nearest thing the plans do have, quoted after the message and labelled as such. */
  closest?: Hit;
}

export type Verdict = { hits: Hit[]; question?: Question } | { lack: Lack };

export interface Requirement {
  readonly name: string;
  applies(q: Question): boolean;
  /** `hits` are best first and at least one is confident. */
  check(q: Question, hits: Hit[], env: AnswerEnv): Verdict;
}

/** The candidates that pass, first, in their order, then the rest. */
export function preferring(hits: Hit[], pass: (h: Hit) => boolean): Hit[] {
  const yes = hits.filter(pass);
  return [...yes, ...hits.filter((h) => !yes.includes(h))];
}
