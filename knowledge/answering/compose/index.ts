/**
 * Builds the answer for the chosen record and kind of question: which
 * composer speaks (a table of record kind and intent), then what every answer
 * may add: the other authority's figure, the story behind a figure, the
 * latest approved update, and the context follow-ups lean on.
 */
import { latestFigure } from '../../figures';
import type { Hit, IndexedRecord, Unit } from '../../search';
import type { Understanding } from '../../understand';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import type { Answer } from '../types';
import { contextBudget } from '../words';
import { actionsAnswer } from './activity';
import { earlierFigure, indicatorAnswer, indicatorSentence } from './indicator';
import { fieldAnswer, leadAnswer } from './lead';
import { quoteAnswer } from './quote';
import { plural } from '../../plural';
import { isoDay } from '../../periods';

function speak(env: AnswerEnv, record: IndexedRecord, unit: Unit | undefined, related: Hit[], q: Question, match: Match): Answer {
  const { u } = q;
  // "Who are the partner agencies for X", "which board oversees X": the field first, whatever the sentence's form.
  if (u.intent !== 'date' && /\b(who|whom|which|what)\b/i.test(u.text)) {
    const field = fieldAnswer(env, record, related, u.text, q.concepts);
    if (field) return field;
  }
  if (u.intent === 'lead') return leadAnswer(env, record, related, unit, u.text, match);
  if (record.kind === 'indicator') return indicatorAnswer(env, record, unit, q, match);
  if (record.kind === 'activity' && record.record.actions.length) {
    const act = record.record;
    if ((u.intent === 'date' || u.intent === 'list') && (!unit || unit.field !== 'text' || u.intent === 'list')) return actionsAnswer(env, record, unit, q);
    // "Is it finished?" about an activity the plans give no progress for: its key actions and their dates are what they say.
    if (u.intent === 'status' && !act.progress.length) return actionsAnswer(env, record, unit, q);
  }
  return quoteAnswer(env, record, unit, q);
}

/** How the chosen unit matched: through its record's name (about) or in its own words (direct). */
export interface Match {
  about: number;
  direct: number;
}

/**
 * The record that carries an indicator's measure on with newer figures (`continues` in the YAML, measures.ts),
 * when the question asks for no period and names no document of this record's: "latest" is the newest across
 * documents and plans.
 */
function newerRecord(env: AnswerEnv, record: IndexedRecord, u: Understanding): IndexedRecord | undefined {
  if (record.kind !== 'indicator' || u.periods.some((p) => p.from !== 0) || u.preferDocs.includes(record.doc)) return undefined;
  const id = env.catalogue.measures.newest(record.id);
  return id === record.id ? undefined : env.index.byId.get(id);
}

export function compose(env: AnswerEnv, record: IndexedRecord, unit: Unit | undefined, related: Hit[], q: Question, confidence: number, about = 1, direct = 0): Answer {
  const { u } = q;
  // Newer figures lead: answered from the newest record of the measure, its older figures as history.
  const newer = newerRecord(env, record, u);
  if (newer) return compose(env, newer, newer.units.find((x) => x.field === 'title'), related, q, confidence, about, direct);
  const a = speak(env, record, unit, related, q, { about, direct });
  const T = ANSWER_TUNING;

  // "How did the audit go?" about an indicator whose document tells the story elsewhere (an activity's
  // narrative): the sentence that says it, in the plan's words, after the figures.
  if (record.kind === 'indicator') {
    const ind = record.record;
    const parts = !latestFigure(ind) && ind.values.length > 1;
    if ((u.intent === 'status' || u.intent === 'lookup' || parts) && !ind.commentary.length) {
      const story = related.find((h) => h.unit.field === 'text' && h.direct >= T.tellsStory);
      if (story) {
        const said = env.sentenceWithContext(story.unit, contextBudget(u.intent));
        a.text += ` ${said}`;
        a.quotes.push({ text: said, source: env.sourceOf(story.record, story.unit) });
      }
    }
  }
  // Both authorities have a record about this and the question did not say which: show both, each named for its
  // authority, in the first sentences: never one silently.
  if (!u.authority && unit && about >= T.aboutRecord) {
    // Only a record named for the same thing counts (its title or alias covers the question), not one that mentions it.
    const other = related.find((h) => h.record.authority !== record.authority && h.record.kind === record.kind && h.about >= T.namesRecord && (h.unit.field === 'title' || h.unit.field === 'alias'));
    if (other) {
      const placeName = (x: string) => env.catalogue.authorityPlace(x);
      const t = other.record.kind === 'indicator' ? indicatorSentence(other.record.record, env.updates?.latestApproved(other.record.id), earlierFigure(env, other.record.record)) : env.sentenceWithContext(other.unit);
      a.text = `${placeName(record.authority)}: ${a.text} ${placeName(other.record.authority)}: ${t}`;
      a.sources.push(env.sourceOf(other.record, other.unit));
    }
  }
  // An approved progress update is the newest fact about an activity: say it, with who reported it and when.
  if (record.kind === 'activity' && env.updates) {
    const up = env.updates.latestApproved(record.id);
    if (up) {
      a.text += ` Latest approved update (${up.period ?? 'no period'}, reported by ${up.reporter} on ${isoDay(up.submittedAt)}): ${up.status}. ${up.narrative}`;
      a.facts.unshift({ label: 'Latest approved update', value: `${up.status}, ${up.period ?? ''}; reported by ${up.reporter} on ${isoDay(up.submittedAt)}` });
    }
    const pending = env.updates.pendingCount(record.id);
    if (pending) a.facts.push({ label: 'Pending', value: `${plural(pending, 'newer update')} awaiting review` });
  }
  a.confidence = confidence;
  a.context = { recordId: record.id, query: u.text, intent: u.intent, authority: record.authority, priorityId: record.priorityId };
  if (!a.suggestions.length) a.suggestions = env.suggestionsFor(record);
  // A follow-up the card already answers is no follow-up.
  const shows = (label: RegExp) => a.facts.some((f) => label.test(f.label));
  a.suggestions = a.suggestions.filter((s) => !(/^Who leads/.test(s) && shows(/lead/i)) && !(/^And the target/.test(s) && (shows(/^Target$/) || u.intent === 'target')));
  return a;
}
