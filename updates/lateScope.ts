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
  /** `label` heads the list ("Nottingham City's plans"); `within` ends a sentence ("in Nottingham City's plans"). */
  | { kind: 'scope'; scope: LateScope; label: string; within: string }
  | { kind: 'choose'; message: string; choices: { title: string; planId: string; priority: number }[] }
  | { kind: 'notFound'; message: string };

export function lateScopeFor(question: string, authority: Authority | undefined, summariser: Summariser): LateScopeRequest {
  const catalogue = summariser.catalogue;
  const u = understand(question, catalogue);
  if (u.priorityNumber === undefined) {
    if (!authority) return { kind: 'scope', scope: {}, label: 'Every plan with a reporting calendar', within: 'in any plan' };
    const plans = `${catalogue.authorityPlace(authority)}'s plans`;
    return { kind: 'scope', scope: { authority }, label: plans, within: `in ${plans}` };
  }
  // A manager asking what is late for a priority number several plans have is asked which plan: a late list is a list to act on.
  const r = summariser.request(question, authority, undefined, { defaults: false });
  if (r.kind === 'choose' && !r.choices.length) return { kind: 'notFound', message: `None of the plans has a priority ${u.priorityNumber}.` };
  if (r.kind === 'choose') return { kind: 'choose', message: r.message, choices: r.choices };
  if (r.kind === 'notFound') return { kind: 'notFound', message: r.message };
  // A priority number always reads as a priority, never as a whole document.
  if (r.kind === 'overview') return { kind: 'notFound', message: `Say which priority, for example "what's missing for priority 2".` };
  return priorityScope(r.summary.planId, r.summary.number, r.summary.planTitle);
}

export function priorityScope(planId: string, priorityNumber: number, planTitle: string): LateScopeRequest {
  return { kind: 'scope', scope: { planId, priorityNumber }, label: `${planTitle}: priority ${priorityNumber}`, within: `in priority ${priorityNumber} of the ${planTitle}` };
}
