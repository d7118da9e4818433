/**
 * An indicator's answer. The figure asked for leads, with its period: the
 * period, breakdown or comparison the question names, not the default latest
 * figure. A comparison gets both values in the first sentence. What the
 * indicator lacks (a target, a national figure) is said first. The card
 * carries the rest: previous, target, national, whether good is high or low,
 * direction, lead.
 */
import { direction, latestFigure, polarityWords, previousFigure, targetStatus } from '../../figures';
import type { WithDoc } from '../../loader';
import type { Figure, Indicator } from '../../schema';
import type { IndicatorRecord, Unit } from '../../search';
import { allTokens, contentTokens, numberIn, periodMatches, periodsIn, stem } from '../../text';
import type { AnswerEnv } from '../env';
import type { Question } from '../question';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer, type ApprovedUpdate } from '../types';
import { contextBudget, FIGURE_INTENTS, truncate, unitHasFigure } from '../words';
import { positionIn } from '../requirements/rank';
import { plural } from '../../plural';
import { isoDay } from '../../periods';

/** A sentence or paragraph that opens by saying it is about the country ("National picture: …", "Nationally, …"). */
const NATIONAL_OPENER = /^\W*(national picture|nationally)\b/i;

/**
 * A sentence of the national picture: it opens so, or its paragraph does. (Not any sentence near the word "national":
 * "lower than the national average" opens a paragraph about the area's own figures.)
 */
export function inNationalPicture(record: IndicatorRecord, unit: Unit): boolean {
  const paragraph = record.units.filter((x) => x.group === unit.group && x.field === unit.field).sort((a, b) => a.position - b.position);
  return NATIONAL_OPENER.test(unit.text) || NATIONAL_OPENER.test(paragraph[0]?.text ?? '');
}

/** A commentary sentence stating what the plan aims for ("to ensure a 75% uptake is achieved", "we aim to", "our ambition"). */
const AIM_WORDS = /\b(aims?|aiming|aimed|ambitions?|to ensure an? [\d.,]+%)\b/i;
/** An aim that is someone else's or a comparison ("the national ambition", "the England average"), not the plan's own. */
const OTHERS_AIM = /\b(national(ly)?|england|average|regional|statistical neighbours?)\b/i;

/** "10.9 weeks (April)". */
const withPeriod = (f: Pick<Figure, 'value' | 'period'>): string => `${f.value}${f.period ? ` (${f.period})` : ''}`;
/** A value the plans give that is no figure: "New Measure", "N/A", "Data available end of June". */
const isFigure = (f: Pick<Figure, 'value'> | undefined): boolean => !!f && numberIn(f.value) !== undefined;

/** The comparisons a question asks for, from its words. */
function comparisonsAsked(q: Question): { national: boolean; target: boolean; previous: boolean } {
  const t = q.t;
  // "Where does it rank nationally", "our national position": a ranking is asked (the rank requirement sees to it), not a national figure.
  const rankWording = /\b(rank(ed|ing|s)?|position|sit|stand|come|league table)\b(\s+\w+){0,2}\s+nationally\b|\bnational (rank(ing)?|position|league table)s?\b/g;
  const national = /\b(national|nationally|england|england's)\b/.test(q.u.asksRank ? t.replace(rankWording, ' ') : t);
  const target = q.u.intent === 'target' || /\b(targets?|aim|aiming)\b/.test(t);
  const previous =
    /\b(previous|previously|last (year|time|quarter|period)|before|prior|earlier|change|changed|gone (up|down)|increase[ds]?|decrease[ds]?|improv\w*|worse|better|trend|then|now)\b/.test(t) ||
    (q.u.intent === 'compare' && !national && !target);
  return { national, target, previous };
}

/**
 * How strongly a figure's own words (its note and period) answer the question's words that the indicator's title
 * does not already say: "at birth" among breastfeeding figures, "writing" among reading, writing and maths, "have
 * FGM" among FGM figures. Word pairs count double: they keep the small words that make the difference ("have FGM").
 */
function breakdownScorer(ind: Indicator, q: Question): (f: Figure) => number {
  const title = wordsOf(titleWords, ind, () => ind.title);
  const askedWords = new Set(contentTokens(q.u.searchText).filter((t) => !title.tokens.has(t)));
  const askedPairs = pairsOf(q.u.searchText);
  const ruled = q.u.exclude.words.map(stem);
  return (f: Figure) => {
    const figure = wordsOf(figureWords, f, () => `${f.note ?? ''} ${f.period ?? ''}`);
    // A figure the question rules out ("not incl overweight") is never the one asked for.
    if (ruled.length && figure.tokenList.some((t) => ruled.includes(t))) return -1;
    let score = figure.tokenList.filter((t) => askedWords.has(t)).length;
    for (const p of figure.pairs) if (askedPairs.has(p) && !title.pairs.has(p)) score += 2;
    return score;
  };
}

/** A text's adjacent word pairs ("have fgm"): they keep the small words that make the difference. */
function pairsOf(s: string): Set<string> {
  const t = allTokens(s);
  return new Set(t.slice(1).map((x, i) => `${t[i]} ${x}`));
}

/** The content tokens (in order, and as a set) and word pairs of a text of the plans. */
interface Words {
  tokenList: string[];
  tokens: Set<string>;
  pairs: Set<string>;
}

/** The Words of each indicator's title and of each figure's note and period: read once, as they are the plans' own. */
const titleWords = new WeakMap<Indicator, Words>();
const figureWords = new WeakMap<Figure, Words>();

function wordsOf<K extends object>(memo: WeakMap<K, Words>, key: K, text: () => string): Words {
  let w = memo.get(key);
  if (!w) {
    const t = text();
    const tokenList = contentTokens(t);
    memo.set(key, (w = { tokenList, tokens: new Set(tokenList), pairs: pairsOf(t) }));
  }
  return w;
}

/** The figure among `candidates` that the question's words point at, if any points more than `preferred` does. */
function breakdownAsked(candidates: Figure[], score: (f: Figure) => number, preferred: Figure | undefined): Figure | undefined {
  let best: Figure | undefined;
  // A preferred figure that is ruled out (score -1) gives way to any other.
  let bestScore = preferred ? Math.max(score(preferred), preferred && score(preferred) < 0 ? -0.5 : 0) : 0;
  let tied = false;
  for (const v of candidates) {
    const s = score(v);
    if (s > bestScore) {
      best = v;
      bestScore = s;
      tied = false;
    } else if (best && s === bestScore) tied = true;
  }
  // Words every candidate shares ("of 7 cases") point at none of them.
  return tied ? undefined : best;
}

/** The figure before the latest, and the document it is from when that is another document than the indicator's. */
export interface Earlier {
  figure: Figure;
  doc: string;
  /** The other document's title; absent when it is the indicator's own. */
  from?: string;
}

/**
 * The figure before the latest: the one the indicator's document labels previous, else, for the newest record
 * of a measure carried on across documents (`continues`), the newest figure of its older records (measures.ts).
 */
export function earlierFigure(env: AnswerEnv, ind: WithDoc<Indicator>): Earlier | undefined {
  const latest = latestFigure(ind);
  const prev = previousFigure(ind, latest);
  if (prev) return { figure: prev, doc: ind.doc };
  if (!latest || env.catalogue.measures.newest(ind.id) !== ind.id) return undefined;
  const older = env.catalogue.measures.history(ind.id).find((h) => h.indicatorId !== ind.id);
  return older && { figure: older.figure, doc: older.doc, from: env.docs.get(older.doc)?.shortTitle ?? env.docs.get(older.doc)?.title ?? older.doc };
}

/** "12.5 weeks (Q4 2016/17, <the older document>)": an earlier figure with where it is from, when that is elsewhere. */
const withOrigin = (e: Earlier): string => (e.from ? `${e.figure.value} (${[e.figure.period, e.from].filter(Boolean).join(', ')})` : withPeriod(e.figure));

export function indicatorSentence(ind: Indicator, update?: ApprovedUpdate, earlier?: Earlier): string {
  const latest = latestFigure(ind);
  if (update?.value) {
    return (
      `${ind.title}: ${update.value}${update.period ? ` for ${update.period}` : ''} (approved update reported by ${update.reporter} on ${isoDay(update.submittedAt)})` +
      (latest ? `; the plan's figure was ${withPeriod(latest)}.` : '.')
    );
  }
  const prev = earlier ?? (previousFigure(ind, latest) && { figure: previousFigure(ind, latest)!, doc: '' });
  let s: string;
  if (latest) {
    s = `${ind.title}: ${withPeriod(latest)}`;
    if (prev) s += `, previously ${withOrigin(prev)}`;
  } else if (ind.values.length) {
    // Parts of a whole, none of them "latest": each with what it counts.
    s = `${ind.title}: ${ind.values.map((v) => `${withPeriod(v)}${v.note ? ` ${v.note}` : ''}`).join('; ')}`;
  } else {
    s = `The plans don't have a figure for "${ind.title}"`;
  }
  const extra: string[] = [];
  if (ind.target) extra.push(`target ${ind.target.value}`);
  if (ind.national) extra.push(`national ${withPeriod(ind.national)}`);
  return s + (extra.length ? `; ${extra.join(', ')}` : '') + '.';
}

/** Does a period say its year ("2016/17", "Q3 2016", "10/05/18", "2011 census")? */
function hasYear(period: string): boolean {
  return periodsIn(period).some((p) => p.from) || /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b(19|20)\d\d\b/.test(period);
}

/** A caution when a figure's period gives no year ("April"), or the source says something is wrong with it. */
function cautionsFor(f: Figure | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  if (f.caution) out.push(`${f.caution.charAt(0).toUpperCase()}${f.caution.slice(1)} (${f.value}).`);
  else if (f.period && !hasYear(f.period)) out.push(`The source gives no year for ${f.period} (${f.value}).`);
  return out;
}

/** As at: the period in full ("16/17" is 2016/17); a period without a year as written (a caution says so). */
function asAtOf(env: AnswerEnv, f: Figure): string | undefined {
  if (!f.period) return f.period;
  let asAt = asAtByFigure.get(f);
  if (asAt === undefined) asAtByFigure.set(f, (asAt = hasYear(f.period) ? env.catalogue.asAt(f.period, undefined) : f.period));
  return asAt;
}

/** asAtOf each figure of the plans, read once (an approved update's figure is a new object each answer, so is read afresh). */
const asAtByFigure = new WeakMap<Figure, string>();

export function indicatorAnswer(env: AnswerEnv, record: IndicatorRecord, unit: Unit | undefined, q: Question, match: { about: number; direct: number } = { about: 1, direct: 0 }): Answer {
  const { u } = q;
  const ind = record.record;
  const update = env.updates?.latestApproved(ind.id);
  const pending = env.updates?.pendingCount(ind.id) ?? 0;
  const a = blank('answer', u.intent, '');
  a.title = ind.title;
  const latest = latestFigure(ind);
  // Before the latest: the document's own previous figure, or the older records' of a measure carried on.
  const earlier = earlierFigure(env, ind);
  const prev = earlier?.figure;
  const n = ANSWER_TUNING.names.inSentence;
  const wants = comparisonsAsked(q);

  // The figures for the periods asked about, if the indicator has them, and among them the breakdown asked for.
  const score = breakdownScorer(ind, q);
  const askedYears = u.periods.filter((p) => p.from !== 0);
  const inPeriod = (p: (typeof askedYears)[number]) => ind.values.filter((v) => v.period && periodMatches(p, env.periodsInPlans(v.period)));
  const pick = (list: Figure[]) => breakdownAsked(list, score, list.includes(latest!) ? latest : list[0]) ?? (list.includes(latest!) ? latest : list[0]);
  // "2015 vs 2016": one figure for each period, both in the first sentence.
  const pair = askedYears.length === 2 ? askedYears.map((p) => pick(inPeriod(p))) : [];
  const both = pair.length === 2 && pair[0] && pair[1] && pair[0] !== pair[1] ? (pair as [Figure, Figure]) : undefined;
  const periodFigures = askedYears.length ? ind.values.filter((v) => v.period && askedYears.every((p) => periodMatches(p, env.periodsInPlans(v.period!)))) : [];
  // With no figure labelled latest, the figures for a period are parts of one whole: all of them, unless one is asked for.
  const onePeriodFigure = periodFigures.length > 1 && !latest ? breakdownAsked(periodFigures, score, undefined) : periodFigures.length ? pick(periodFigures) : undefined;
  const breakdown = !askedYears.length && !update?.value ? breakdownAsked(ind.values, score, latest) : undefined;
  const asked: Figure | undefined = onePeriodFigure ?? breakdown;
  // The asked figure's note, when it is what the question asks about ("a 5.9% increase over the previous year").
  const noteAsked = (f: Figure) => !!f.note && (f !== latest || score(f) > 0);

  const fromCommentary = unit && unit.field === 'text';
  // "Nationally, how many families…": a sentence of the commentary giving the national picture in the question's own
  // words answers it, though the indicator has no national comparator of its own.
  const nationalSentence = !!fromCommentary && wants.national && !isFigure(ind.national) && inNationalPicture(record, unit) && env.statesQuantity(unit) && match.direct >= ANSWER_TUNING.namesRecord;
  // "What are they aiming for": with no target recorded, the commentary's own aim with its figure ("to ensure a 75% uptake").
  const aimSentence = u.intent === 'target' && !ind.target ? record.units.find((x) => x.field === 'text' && AIM_WORDS.test(x.text) && !OTHERS_AIM.test(x.text) && env.statesQuantity(x)) : undefined;

  // Asked for something the indicator does not have: say so first, then what the plans do have.
  const missing: string[] = [];
  if (u.intent === 'target' && !ind.target && !aimSentence) missing.push(`The plans don't have a target for "${truncate(ind.title, n)}".`);
  if (wants.national && !isFigure(ind.national) && !nationalSentence) {
    missing.push(`The plans don't have a national figure for "${truncate(ind.title, n)}"${ind.national ? ` (the document gives ${ind.national.value})` : ''}.`);
  }
  // Only a baseline ("reduce the vacancy rate from 15% to 10%"): where the measure started, not where it is now.
  if (FIGURE_INTENTS.has(u.intent) && u.intent !== 'target' && !update?.value && !latest && !asked && ind.values.length && ind.values.every((v) => v.role === 'baseline')) {
    missing.push(`The plans don't have a current figure for "${truncate(ind.title, n)}", only the baseline it is measured from.`);
  }
  if (asked && !isFigure(asked) && onePeriodFigure) missing.push(`The plans don't have a figure for ${asked.period} for "${truncate(ind.title, n)}": they say "${asked.value}".`);

  // A sentence of the commentary that says the question in its own words, far better than the indicator's name does
  // ("a net increase of 33.5FTE social work staff" under "the number of agency staff"), or that states the target or
  // figure for the period asked ("our attachment target of 941 for 2017/18"), is the answer: it leads.
  const sentenceLeads =
    !!fromCommentary &&
    env.statesQuantity(unit) &&
    (nationalSentence ||
      (match.direct >= ANSWER_TUNING.namesRecord && match.about < ANSWER_TUNING.aboutRecord) ||
      (askedYears.length > 0 && askedYears.every((p) => periodMatches(p, env.periodsInPlans(unit.text))) && !periodFigures.length) ||
      (u.intent === 'target' && /\btargets?\b/i.test(unit.text) && askedYears.length > 0 && !askedYears.every((p) => periodMatches(p, env.periodsInPlans(ind.target?.period ?? '')))));
  // "Where do we rank?": the position the plans state leads.
  const position = u.asksRank ? positionIn(record, unit ?? record.units[0], env, contextBudget(u.intent)) : undefined;
  // A period asked for that none of the figures is for, and no sentence gives: said first, then what the plans have.
  if (FIGURE_INTENTS.has(u.intent) && u.intent !== 'target' && askedYears.length && !periodFigures.length && ind.values.some((v) => v.period) && !both && !sentenceLeads && !position) {
    missing.push(`The plans don't have a figure for ${askedYears.map((p) => p.text).join(' or ')} for "${truncate(ind.title, n)}".`);
  }
  // "2016-17 vs England": the national figure held is for another period; a sentence of the commentary that gives
  // both for the period asked answers ("… in 2016-17 was 91.4%, lower than England at 93.4% …").
  const nationalForPeriod =
    wants.national && askedYears.length && ind.national && !askedYears.every((p) => periodMatches(p, env.periodsInPlans(ind.national!.period ?? '')))
      ? record.units.find((x) => x.field === 'text' && /\b(england|national)\b/i.test(x.text) && env.statesQuantity(x) && askedYears.every((p) => periodMatches(p, env.periodsInPlans(x.text))))
      : undefined;
  let lead: string;
  if (nationalForPeriod) {
    lead = env.sentenceWithContext(nationalForPeriod, contextBudget(u.intent));
  } else if (position) {
    lead = position.sentence ? position.text : `${ind.title}: ${latest ? `${withPeriod(latest)}; ` : ''}${position.text}.`;
  } else if (nationalSentence && !NATIONAL_OPENER.test(unit.text)) {
    // The sentence is national because its paragraph is: said first, or it would read as the area's own figure.
    lead = `Nationally, as the plan's national picture gives it: ${unit.text}`;
  } else if (sentenceLeads) {
    lead = env.sentenceWithContext(unit, contextBudget(u.intent));
  } else if (aimSentence) {
    lead = `${ind.title}: no target is recorded, but the plan's commentary sets an aim: "${aimSentence.text}"${latest ? ` The latest figure is ${withPeriod(latest)}.` : ''}`;
  } else if (u.intent === 'target' && ind.target) {
    const baseline = ind.values.find((v) => v.role === 'baseline');
    lead =
      `The target for "${ind.title}" is ${withPeriod(ind.target)}` +
      (latest ? `; the latest figure is ${withPeriod(latest)}.` : baseline ? `, from a baseline of ${withPeriod(baseline)}.` : '.');
  } else if (both) {
    lead = `${ind.title}: ${withPeriod(both[0])} and ${withPeriod(both[1])}.`;
  } else if (asked) {
    lead = `${ind.title}: ${asked.value}${asked.period ? ` for ${asked.period}` : ''}${noteAsked(asked) ? ` (${asked.note})` : ''}`;
    if (wants.previous && asked === latest && earlier) lead += `, previously ${withOrigin(earlier)}`;
    lead += '.';
  } else if (fromCommentary && (u.intent !== 'figure' || !latest || !unitHasFigure(unit, ind))) {
    // The sentence that answers a status question, or counts what a "how many" asks when the indicator is a rate.
    lead = env.sentenceWithContext(unit, contextBudget(u.intent));
  } else if (latest && !update?.value && noteAsked(latest)) {
    lead = `${ind.title}: ${withPeriod(latest)} (${latest.note})${wants.previous && earlier ? `, previously ${withOrigin(earlier)}` : ''}.`;
  } else if (update?.value || latest || ind.values.length) {
    lead = indicatorSentence(ind, update, earlier).replace(/; target [^;]*|; national [^;]*/g, '').replace(/\.?$/, '.');
  } else if (ind.target && /\bhow much|\bby how\b|\bhow far\b/.test(q.t)) {
    // "Reduce by how much?" asks for the aim: the plan's target is the answer.
    lead = `The plan aims for "${ind.title}": ${withPeriod(ind.target)}${ind.target.note ? ` (${ind.target.note})` : ''}.`;
  } else {
    lead = `The plans don't have a figure for "${truncate(ind.title, n)}".`;
  }
  // A comparison asked for goes in the first sentence too.
  const comparisons: string[] = [];
  // The indicator's national figure and target are for its main measure: beside another breakdown they would mislead.
  if (u.intent !== 'target' && !both && (!asked || asked === latest)) {
    if (wants.national && isFigure(ind.national)) comparisons.push(`national ${withPeriod(ind.national!)}`);
    if (wants.target && ind.target) comparisons.push(`target ${ind.target.value}`);
  }
  if (comparisons.length) lead = lead.replace(/\.$/, '') + `; ${comparisons.join('; ')}.`;
  a.text = missing.length ? `${missing.join(' ')} ${lead}` : lead;

  // The figure on the card: the one asked for.
  const current: Figure | undefined = update?.value ? { value: update.value, period: update.period, role: 'latest', source: ind.source } : latest;
  const shown = asked ?? current;
  const asAt = shown && asAtOf(env, shown);
  if (shown && isFigure(shown)) a.headline = { value: shown.value, period: asAt, label: ind.title };
  a.cautions.push(...cautionsFor(shown));

  if (update) {
    a.facts.push({ label: 'Reported by', value: `${update.reporter}, ${isoDay(update.submittedAt)}; approved ${isoDay(update.approvedAt)}` });
    if (latest && update.value) a.facts.push({ label: 'Latest in the plan', value: withPeriod(latest) });
  }
  const before = update?.value ? latest : prev;
  if (before && before !== shown) a.facts.push({ label: update?.value ? 'Before' : 'Previous', value: !update?.value && earlier?.from ? withOrigin(earlier) : withPeriod(before) });
  if (latest && shown !== latest && !update?.value) a.facts.push({ label: 'Latest', value: withPeriod(latest) });
  // The indicator's other figures (parts of a whole, a related measure), each with what it counts.
  for (const v of ind.values) {
    if (v === shown || v === latest || v === before || a.text.includes(v.value)) continue;
    a.facts.push({ label: v.role === 'baseline' ? 'Baseline' : 'Also', value: `${withPeriod(v)}${v.note ? ` — ${truncate(v.note, ANSWER_TUNING.names.choice)}` : ''}` });
  }
  if (ind.target) a.facts.push({ label: 'Target', value: withPeriod(ind.target) });
  if (ind.national) a.facts.push({ label: 'National', value: withPeriod(ind.national) });
  const pw = polarityWords(ind.polarity);
  if (pw) a.facts.push({ label: 'Good is', value: pw });
  // An approved update is the newest figure: judge it against the plan's latest.
  const dir = direction(ind.polarity, current?.value, before?.value);
  if (dir !== 'unknown') a.facts.push({ label: 'Direction of travel', value: dir });
  const ts = targetStatus(ind.polarity, current?.value, ind.target?.value, ind.national?.value, before?.value);
  if (ts !== 'unknown' && ts !== 'no target') a.facts.push({ label: 'Against target', value: ts });
  if (u.intent === 'trend' && ind.values.length) {
    // A measure reported by several documents: every figure of it, newest first, each with its document.
    const m = env.catalogue.measures;
    const series = m.series(ind.id).length > 1 ? [m.currentFigure(ind.id)!, ...m.history(ind.id)] : [];
    const title = (doc: string) => env.docs.get(doc)?.shortTitle ?? env.docs.get(doc)?.title ?? doc;
    a.text += series.length
      ? ` Figures in the plans, newest first: ${series.map((h) => `${withPeriod(h.figure)}, ${title(h.doc)}`).join('; ')}.`
      : ` Figures in the plan: ${ind.values.map((v) => withPeriod(v)).join('; ')}.`;
  }
  if (pending) a.facts.push({ label: 'Pending', value: `${plural(pending, 'newer update')} awaiting review` });
  if (ind.leads.length || ind.leadOrganisation) a.facts.push({ label: 'Lead', value: [ind.leads.join(', '), ind.leadOrganisation].filter(Boolean).join(' — ') });
  env.addPlanFacts(a, record);
  a.sources.push(env.sourceOf(record, unit));
  // The earlier figure from another document cites it too.
  if (earlier?.from) {
    const d = env.docs.get(earlier.doc);
    a.sources.push({ document: earlier.doc, title: d?.title ?? earlier.doc, short: d?.shortTitle, date: d?.date ?? '', section: earlier.figure.source.section, ref: earlier.figure.source.ref });
  }
  return a;
}
