/**
 * A requirement an answer must meet for the kind of question asked: it keeps
 * (and orders) the candidates that meet it, or says what the plans lack. The
 * answerer runs the table of requirements in order (requirements/index.ts);
 * the first that lacks decides the reply.
 */
import type { Hit } from '../../search';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { FIGURE_INTENTS } from '../words';

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

/**
 * A test every figure given must pass ("every qualifier accounted for", "the whole group asked about"), as the two
 * requirements it makes: one early in the table that puts the confident candidates passing it first, and one last
 * that says what the plans lack when the chosen answer still fails it. `misses` names what the hit fails on.
 */
export function figureTest<T>(
  name: string,
  misses: (q: Question, h: Hit, env: AnswerEnv) => T[],
  lack: (q: Question, missed: T[]) => string,
): { first: Requirement; last: Requirement } {
  // Questions answered with a figure: there a neighbouring figure passed off as the answer does the most harm (it
  // ends up in a board paper). A sentence quoted for a status or a date shows its own words, which the reader can judge.
  const applies = (q: Question) => FIGURE_INTENTS.has(q.u.intent);
  return {
    first: {
      name: `${name} first`,
      applies,
      check(q, hits, env) {
        if (!misses(q, hits[0], env).length) return { hits };
        return { hits: preferring(hits, (h) => h.coverage >= ANSWER_TUNING.confidence && !misses(q, h, env).length) };
      },
    },
    last: {
      name,
      applies,
      check(q, hits, env) {
        const missed = misses(q, hits[0], env);
        return missed.length ? { lack: { message: lack(q, missed), closest: hits[0] } } : { hits };
      },
    },
  };
}
