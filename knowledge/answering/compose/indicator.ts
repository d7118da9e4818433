/** An indicator's answer: the figure asked for with its period, then previous, target, national, direction and lead. */
import { direction, latestFigure, polarityWords, previousFigure, targetStatus } from '../../figures';
import type { Indicator } from '../../schema';
import type { IndicatorRecord, Unit } from '../../search';
import { periodMatches, periodsIn } from '../../text';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer, type ApprovedUpdate } from '../types';
import { contextBudget, fig, truncate, unitHasFigure } from '../words';

export function indicatorSentence(ind: Indicator, update?: ApprovedUpdate): string {
  const latest = latestFigure(ind);
  if (update?.value) {
    return (
      `${ind.title}: ${update.value}${update.period ? ` for ${update.period}` : ''} (approved update reported by ${update.reporter} on ${update.submittedAt.slice(0, 10)})` +
      (latest ? `; the plan's figure was ${latest.value}${latest.period ? ` (${latest.period})` : ''}.` : '.')
    );
  }
  const prev = previousFigure(ind, latest);
  let s: string;
  if (latest) {
    s = `${ind.title}: ${latest.value}${latest.period ? ` (${latest.period})` : ''}`;
    if (prev) s += `, previously ${prev.value}${prev.period ? ` (${prev.period})` : ''}`;
  } else if (ind.values.length) {
    // Parts of a whole, none of them "latest": each with what it counts.
    s = `${ind.title}: ${ind.values.map((v) => `${v.value}${v.period ? ` (${v.period})` : ''}${v.note ? ` ${v.note}` : ''}`).join('; ')}`;
  } else {
    s = `The plans don't have a figure for "${ind.title}"`;
  }
  const extra: string[] = [];
  if (ind.target) extra.push(`target ${ind.target.value}`);
  if (ind.national) extra.push(`national ${ind.national.value}${ind.national.period ? ` (${ind.national.period})` : ''}`);
  return s + (extra.length ? `; ${extra.join(', ')}` : '') + '.';
}

export function indicatorAnswer(env: AnswerEnv, record: IndicatorRecord, unit: Unit | undefined, q: Question): Answer {
  const { u } = q;
  const ind = record.record;
  const update = env.updates?.latestApproved(ind.id);
  const pending = env.updates?.pendingCount(ind.id) ?? 0;
  const a = blank('answer', u.intent, '');
  a.title = ind.title;
  const latest = latestFigure(ind);
  const prev = previousFigure(ind, latest);
  const n = ANSWER_TUNING.names.inSentence;
  // A figure for the period asked about, if the indicator has one.
  const askedYears = u.periods.filter((p) => p.from !== 0);
  const forPeriods = askedYears.length ? ind.values.filter((v) => v.period && askedYears.every((p) => periodMatches(p, periodsIn(v.period!)))) : [];
  // With no figure labelled latest, the figures for a period are parts of one whole: give them all.
  const forPeriod = forPeriods.length > 1 && !latest ? undefined : forPeriods[0];
  // Asked for something the indicator does not have: say so first, then what the plans do have.
  const missing: string[] = [];
  if (u.intent === 'target' && !ind.target) missing.push(`The plans don't have a target for "${truncate(ind.title, n)}".`);
  if (/\b(national|nationally|england)\b/.test(q.t) && (!ind.national || /^n\/?a$/i.test(ind.national.value.trim()))) {
    missing.push(`The plans don't have a national figure for "${truncate(ind.title, n)}"${ind.national ? ` (the document gives ${ind.national.value})` : ''}.`);
  }

  const fromCommentary = unit && unit.field === 'text';
  if (u.intent === 'target' && ind.target) {
    const baseline = ind.values.find((v) => v.role === 'baseline');
    a.text =
      `The target for "${ind.title}" is ${ind.target.value}${ind.target.period ? ` (${ind.target.period})` : ''}` +
      (latest ? `; the latest figure is ${latest.value}${latest.period ? ` (${latest.period})` : ''}.` : baseline ? `, from a baseline of ${baseline.value}${baseline.period ? ` (${baseline.period})` : ''}.` : '.');
  } else if (forPeriod) {
    a.text = `${ind.title}: ${forPeriod.value} for ${forPeriod.period}${forPeriod.note ? ` (${forPeriod.note})` : ''}.`;
    if (fromCommentary) a.text += ' ' + env.sentenceWithContext(unit, contextBudget(u.intent));
  } else if (fromCommentary && (u.intent !== 'figure' || !latest || !unitHasFigure(unit, ind))) {
    a.text = env.sentenceWithContext(unit, contextBudget(u.intent)) + (ind.values.length ? ` (${indicatorSentence(ind, update)})` : '');
  } else {
    a.text = indicatorSentence(ind, update);
    if (fromCommentary) a.text += ' ' + env.sentenceWithContext(unit, contextBudget(u.intent));
  }
  if (missing.length) a.text = `${missing.join(' ')} ${a.text}`;
  if (update) {
    a.facts.push({ label: 'Latest (approved update)', value: `${update.value ?? update.status}${update.period ? ` (${update.period})` : ''}` });
    a.facts.push({ label: 'Reported by', value: `${update.reporter}, ${update.submittedAt.slice(0, 10)}; approved ${update.approvedAt.slice(0, 10)}` });
  }
  if (latest) a.facts.push({ label: update?.value ? 'Latest in the plan' : 'Latest', value: fig(latest) });
  if (prev) a.facts.push({ label: 'Previous', value: fig(prev) });
  for (const v of ind.values) if (v !== latest && v !== prev) a.facts.push({ label: v.role === 'baseline' ? 'Baseline' : latest ? 'Also' : 'Figure', value: fig(v) });
  if (ind.target) a.facts.push({ label: 'Target', value: fig(ind.target) });
  if (ind.national) a.facts.push({ label: 'National', value: fig(ind.national) });
  const pw = polarityWords(ind.polarity);
  if (pw) a.facts.push({ label: 'Good is', value: `${ind.polarity} (${pw})` });
  // An approved update is the newest figure: judge it against the plan's latest, and say when it is as at.
  const current = update?.value ? { value: update.value, period: update.period } : latest;
  const before = update?.value ? latest : prev;
  const dir = direction(ind.polarity, current?.value, before?.value);
  if (dir !== 'unknown') a.facts.push({ label: 'Direction of travel', value: dir });
  const ts = targetStatus(ind.polarity, current?.value, ind.target?.value, ind.national?.value, before?.value);
  if (ts !== 'unknown' && ts !== 'no target') a.facts.push({ label: 'Against target', value: ts });
  if (u.intent === 'trend' && ind.values.length) {
    a.text += ` Figures in the plan: ${ind.values.map((v) => fig(v)).join('; ')}.`;
  }
  if (pending) a.facts.push({ label: 'Pending', value: `${pending} newer update${pending === 1 ? '' : 's'} awaiting review` });
  if (ind.leads.length || ind.leadOrganisation) a.facts.push({ label: 'Lead', value: [ind.leads.join(', '), ind.leadOrganisation].filter(Boolean).join(' — ') });
  env.addPlanFacts(a, record);
  const src = env.sourceOf(record, unit);
  a.sources.push(src);
  if (current) a.facts.push({ label: 'As at', value: current.period ?? (update?.value ? update.submittedAt.slice(0, 10) : env.docs.get(record.doc)?.date ?? '') });
  if (fromCommentary) a.quotes.push({ text: env.sentenceWithContext(unit, contextBudget(u.intent)), source: src });
  return a;
}
