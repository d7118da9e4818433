/** What the special routes (acronyms, documents, priorities, follow-ups) may ask of the answering pipeline. */
import type { Understanding } from '../../understand';
import type { Answer } from '../types';

export interface Pipeline {
  /** Answers an understood question by search, requirements and composing. */
  search(u: Understanding): Answer;
}
