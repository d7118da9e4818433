/**
 * A summary answered from the plan a request means on the day (no plan was
 * named, only an authority or a name several plans share): the card says
 * which plan it used and why, and offers each other plan's priority one tap
 * away, instead of asking every time. Added above the summary card, which is
 * otherwise unchanged.
 */
import type { DefaultedPlan, PrioritySummary } from '../knowledge/summary';
import { actionSet, buttonTitle, cardSafe as e, submit, text, type AdaptiveCard, type CardElement, type SubmitData } from './cardElements';
import { MAX_CARD_ACTIONS, sinceData } from './summaryCards';

/** The button data of a switch: the other plan's priority, keeping "since" when the summary shows what changed. */
export function switchData(s: PrioritySummary, to: { planId: string; priority: number }): SubmitData {
  return { action: 'summary', planId: to.planId, priority: to.priority, ...sinceData(s) };
}

export function withDefaultedPlan(c: AdaptiveCard, d: DefaultedPlan, s: PrioritySummary): AdaptiveCard {
  const note: CardElement[] = [text(e(d.message), { isSubtle: true, size: 'Small' })];
  const buttons = d.alternatives.slice(0, MAX_CARD_ACTIONS).map((a) => submit(e(buttonTitle(`Switch to ${a.title}`)), switchData(s, a)));
  if (buttons.length) note.push(actionSet(buttons));
  return { ...c, body: [...note, ...c.body] };
}
