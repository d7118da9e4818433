/**
 * Which late updates a manager asks about: "overdue updates" (every plan),
 * "what's missing in the city" (an authority), "what's missing for priority 2"
 * (a priority of one plan: asked which plan when the number is ambiguous, as
 * summaries do, by reusing the summariser's reading of plan and priority).
 */
import type { Authority } from '../knowledge/schema';
import type { Summariser } from '../knowledge/summary';
import { understand } from '../knowledge/understand';
import type { LateScope } from './reportingCycle';

export type LateScopeRequest =
  | { kind: 'scope'; scope: LateScope; label: string }
  | { kind: 'choose'; message: string; choices: { title: string; planId: string; priority: number }[] }
  | { kind: 'notFound'; message: string };

const AUTHORITY_LABEL: Record<string, string> = { city: "Nottingham City's plans", county: "Nottinghamshire County's plans", partnership: "the partnership's plans" };

export function lateScopeFor(question: string, authority: Authority | undefined, summariser: Summariser): LateScopeRequest {
  const u = understand(question);
  if (u.priorityNumber === undefined) {
    return authority ? { kind: 'scope', scope: { authority }, label: AUTHORITY_LABEL[authority] } : { kind: 'scope', scope: {}, label: 'Every plan with a reporting calendar' };
  }
  const r = summariser.request(question, authority);
  if (r.kind === 'choose' && !r.choices.length) return { kind: 'notFound', message: `None of the plans has a priority ${u.priorityNumber}.` };
  if (r.kind === 'choose') return { kind: 'choose', message: r.message, choices: r.choices };
  if (r.kind === 'notFound') return { kind: 'notFound', message: r.message };
  // A priority number always reads as a priority, never as a whole document.
  if (r.kind === 'overview') return { kind: 'notFound', message: `Say which priority, for example "what's missing for priority 2".` };
  return priorityScope(r.summary.planId, r.summary.number, r.summary.planTitle);
}

export function priorityScope(planId: string, priorityNumber: number, planTitle: string): LateScopeRequest {
  return { kind: 'scope', scope: { planId, priorityNumber }, label: `${planTitle}: priority ${priorityNumber}` };
}
