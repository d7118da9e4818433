/**
 * Who may see an update's content (its value, status, narrative, who sent
 * it): everyone once a reviewer has approved it; before that, pending or
 * returned, only the person who submitted it and the reviewers. Every place
 * that shows updates filters through this.
 */
import type { DueItem } from './due';
import type { Submission } from './types';

export type SeesUpdate = (s: Pick<Submission, 'reviewState' | 'submitter'>) => boolean;

/** What a viewer (by id) may see; `isReviewer` from the service (REVIEWERS, by id). */
export function updatesVisibleTo(viewerId: string, isReviewer: boolean): SeesUpdate {
  return (s) => s.reviewState === 'approved' || isReviewer || s.submitter.id === viewerId;
}

/** Only approved updates: for anyone (the default where no viewer is known). */
export const PUBLISHED_ONLY: SeesUpdate = (s) => s.reviewState === 'approved';

/**
 * Due items with their "last update" as this viewer may see it: the most recent
 * one (not returned) they are allowed to see, or none.
 */
export function withLastSeenBy(due: DueItem[], submissions: Submission[], sees: SeesUpdate): DueItem[] {
  return due.map((d) => {
    if (!d.last || sees(d.last)) return d;
    const last = submissions.filter((s) => s.recordId === d.item.id && s.reviewState !== 'returned' && sees(s)).sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1))[0];
    return { ...d, last };
  });
}
