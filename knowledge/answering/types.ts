/**
 * What an answer is, as the bot layer renders it. Plain data: no botbuilder.
 */
import type { Authority } from '../schema';
import type { Intent } from '../understand';

export interface AnswerFact {
  label: string;
  value: string;
}

export interface AnswerSource {
  document: string;
  title: string;
  /** The document's short name, for citing it in a reply. */
  short?: string;
  date: string;
  section: string;
  ref?: string;
}

export interface Choice {
  title: string;
  /** What the bot receives when the user picks it. */
  query: string;
}

/** What the conversation remembers so follow-ups can lean on the last answer. */
export interface AnswerContext {
  recordId?: string;
  query: string;
  intent: Intent;
  authority?: Authority;
  priorityId?: string;
}

export interface ApprovedUpdate {
  value?: string;
  unit?: string;
  period?: string;
  status: string;
  narrative: string;
  reporter: string;
  approvedAt: string;
  submittedAt: string;
}

/** Approved and pending progress updates, as answers need them. Implemented by the store. */
export interface UpdatesView {
  latestApproved(recordId: string): ApprovedUpdate | undefined;
  pendingCount(recordId: string): number;
}

export type AnswerKind = 'answer' | 'notFound' | 'help' | 'greeting' | 'summary' | 'submit' | 'myUpdates' | 'review' | 'myDue' | 'overdue' | 'chase' | 'changes' | 'digest';

/** The figure an answer is about, shown large on its card. */
export interface Headline {
  value: string;
  /** Its period as the source gives it, or what the source says instead ("the source gives no year"). */
  period?: string;
  label: string;
}

export interface Answer {
  kind: AnswerKind;
  /** The plain sentence(s) that come first: the figure with its period, or the words of the plan. */
  text: string;
  title?: string;
  /** The figure asked for, when there is one. */
  headline?: Headline;
  /** Label / value rows for the card. */
  facts: AnswerFact[];
  /** Quoted sentences from the plans that support the answer. */
  quotes: { text: string; source: AnswerSource }[];
  /** Notes about the source's quality ("the source does not give the year"), shown as a plain caution. */
  cautions: string[];
  sources: AnswerSource[];
  /** Suggested follow-ups (at most three). */
  suggestions: string[];
  /** "Did you mean" choices when not found, or the plan choice when ambiguous. */
  choices: Choice[];
  context?: AnswerContext;
  /** For summaries and updates: which priority / record the request is about. */
  target?: { recordId?: string; priorityId?: string; planId?: string; authority?: Authority; since?: string };
  confidence: number;
  intent: Intent;
}

export function blank(kind: AnswerKind, intent: Intent, text: string): Answer {
  return { kind, intent, text, facts: [], quotes: [], cautions: [], sources: [], suggestions: [], choices: [], confidence: 0 };
}
