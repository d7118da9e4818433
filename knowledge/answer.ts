/**
 * Answers a question from the knowledge, as a careful analyst would: the
 * exact words and figures of the plans, their period, how they compare, who
 * leads, and where they come from. Below the confidence threshold it says it
 * could not find the answer and offers choices; it never guesses a figure.
 *
 * A short pipeline (answering/): read the question once, route the kinds that
 * need no search (commands, acronyms, a plan's priorities, follow-ups),
 * search, rerank by what the intent needs, run the table of requirements
 * (answering/requirements: each keeps the candidates that meet it or says
 * what the plans lack), then compose (answering/compose).
 *
 * Plain TypeScript: no botbuilder. The bot layer only renders an Answer.
 */
import { SearchIndex, type Concept, type Hit, type IndexedRecord } from './search';
import { intentOf, understand, updateSubject, UNDERSTANDING_WORDS, type Intent, type Understanding } from './understand';
import { contentTokens, normalise, periodsIn, stem, STOP_WORDS } from './text';
import { AnswerEnv } from './answering/env';
import { compose } from './answering/compose';
import { notFound } from './answering/compose/notFound';
import { indicatorSentence } from './answering/compose/indicator';
import { correctedQuestion, EVENT_WORDS, readQuestion, type Question } from './answering/question';
import { REQUIREMENTS } from './answering/requirements';
import { contentUnitFor, rerank } from './answering/rerank';
import { acronymAnswer } from './answering/routes/acronym';
import { documentAnswer } from './answering/routes/document';
import { followUpAnswer } from './answering/routes/followUp';
import type { Pipeline } from './answering/routes/pipeline';
import { prioritiesAnswer, priorityPartAnswer } from './answering/routes/priorities';
import { recordAnswer } from './answering/routes/record';
import { alreadySays, joinAnswers, splitQuestion } from './answering/routes/twoPart';
import { ANSWER_TUNING } from './answering/tuning';
import { blank, type Answer, type AnswerContext } from './answering/types';
import { ACRONYM_LEAD, FIGURE_INTENTS } from './answering/words';
import type { Indicator } from './schema';
import type { Catalogue } from './catalogue';
import type { ApprovedUpdate } from './answering/types';
import { inOneAnswer } from './oneAnswer';

export type { Answer, AnswerContext, AnswerFact, AnswerKind, AnswerSource, ApprovedUpdate, Choice, UpdatesView } from './answering/types';
export { correctedQuestion } from './answering/question';
export { countsOf } from './answering/words';
export { ANSWER_TUNING } from './answering/tuning';

/** Coverage of the question's weighted meaning below which the bot says it could not find it. */
export const CONFIDENCE_THRESHOLD = ANSWER_TUNING.confidence;
/** How many units a question's search returns. */
export const SEARCH_LIMIT = ANSWER_TUNING.searchLimit;

/** The reporting cycle's commands: answered by the bot layer, not from the plans. */
type Command = Extract<Intent, 'myDue' | 'overdue' | 'chase' | 'changes' | 'digest'>;
const COMMANDS: ReadonlySet<Intent> = new Set<Command>(['myDue', 'overdue', 'chase', 'changes', 'digest']);
const isCommand = (intent: Intent): intent is Command => COMMANDS.has(intent);

/** Two answers to the same kind of question: the same intent, or both about a measure's figures (figure, target, trend…). */
const sameKind = (a: Answer, b: Answer): boolean => a.intent === b.intent || (FIGURE_INTENTS.has(a.intent) && FIGURE_INTENTS.has(b.intent));

export class Answerer implements Pipeline {
  private readonly env: AnswerEnv;

  constructor(
    readonly index: SearchIndex,
    updates?: ConstructorParameters<typeof AnswerEnv>[1],
    /** Names of plans, documents and authorities, and which figures are newest (catalogue.ts); built from the index's knowledge by default. */
    catalogue?: Catalogue,
  ) {
    this.env = new AnswerEnv(index, updates, catalogue);
  }

  /** The catalogue of plans the answers read (the help card lists its plans). */
  get catalogue(): Catalogue {
    return this.env.catalogue;
  }

  get knowledge() {
    return this.index.knowledge;
  }

  /** `trace`, when given, collects how the question was read and each step's decision (`npm run ask` prints it). */
  answer(question: string, previous?: AnswerContext, trace?: string[]): Answer {
    this.trace = trace;
    try {
      return inOneAnswer(() => this.route(question, previous));
    } finally {
      this.trace = undefined;
    }
  }

  private trace?: string[];

  /**
   * A question asking two things is answered part by part when each part finds its answer (or says plainly what the
   * plans lack for it); otherwise as one question.
   */
  private route(question: string, previous?: AnswerContext): Answer {
    const whole = this.routeOne(question, previous);
    const split = splitQuestion(question);
    if (!split || !['answer', 'notFound'].includes(whole.kind)) return whole;
    // Each part keeps where the whole question looks: "X - what is it now and what's the target in the improvement
    // plan" asks both of the improvement plan.
    const asked = understand(correctedQuestion(question, this.index), this.env.catalogue);
    const where = [...asked.documentWords, asked.authority ? `in the ${asked.authority}` : ''].join(' ').trim();
    const withWhere = (part: string) => {
      const p = understand(correctedQuestion(part, this.index), this.env.catalogue);
      return where && !p.authority && !p.documentWords.length ? `${part} (${where})` : part;
    };
    const parts = split.map(withWhere) as [string, string];
    const first = this.routeOne(parts[0], previous);
    if (first.kind !== 'answer' && first.kind !== 'notFound') return whole;
    let second = this.routeOne(parts[1], first.context);
    // "What % had come through the MASH first": the second part's subject is the first's.
    if (second.kind !== 'answer') {
      const subject = understand(correctedQuestion(parts[0], this.index), this.env.catalogue).searchText;
      const withSubject = this.routeOne(`${parts[1]} ${subject}`, first.context);
      if (withSubject.kind === 'answer') second = withSubject;
    }
    this.trace?.push(`two parts: "${parts[0]}" (${first.kind}), "${parts[1]}" (${second.kind})`);
    // The whole question answered from what one of its parts is about: one passage says both ("3010 families, against
    // a target of 3840"). Not when it says less than a part's own answer: the first part's ("what's NES and how long
    // does it support them" answered "NES provides up to 12 weeks…" leaves out "NES stands for Notts Enabling
    // Service"), or the second's, found elsewhere ("and what did turnover drop to" is another measure's figure).
    const about = whole.context?.recordId;
    const says = (a: Answer) => alreadySays(whole, a);
    const saysFirst = whole.confidence >= first.confidence || says(first);
    const saysSecond = second.kind !== 'answer' || second.context?.recordId === about || says(second) || !this.ownSubject(parts[1], second, whole);
    if (whole.kind === 'answer' && about && about === first.context?.recordId && ((saysFirst && saysSecond) || (says(second) && sameKind(first, whole)))) return whole;
    // Answered from something else, the parts are more likely right.
    // Parts that each answer in full beat a whole answer about something else; a part that says the plans lack it
    // does not.
    const full = (a: Answer) => a.kind === 'answer' && !/\b(don't|do not) (have|give)\b|\bcouldn't find\b/.test(a.text.slice(0, 160));
    if (whole.kind === 'answer' && !(full(first) && full(second))) return whole;
    // A second part that leans on the first ("and how does that compare with England?") has nothing to lean on when
    // the first was not found.
    if (first.kind !== 'answer' && understand(parts[1], this.env.catalogue).followUp) return whole;
    if (first.kind === 'answer' && second.kind === 'answer') return joinAnswers(first, second);
    if (whole.kind === 'answer') return whole;
    return first.kind === 'answer' || second.kind === 'answer' ? joinAnswers(first, second) : whole;
  }

  /**
   * Whether a part's answer is about what that part names and the whole answer leaves out ("what did turnover drop
   * to" answered by the turnover measure), rather than leaning on the first part ("how many of those were in
   * secondary schools", "what's the trigger?"), whose answer found elsewhere is only a near match.
   */
  private ownSubject(part: string, answer: Answer, whole: Answer): boolean {
    const inWhole = new Set(contentTokens(whole.text));
    const named = new Set(contentTokens(answer.title ?? ''));
    const subject = contentTokens(understand(correctedQuestion(part, this.index), this.env.catalogue).searchText).filter((t) => !inWhole.has(t));
    return subject.some((t) => named.has(t));
  }

  private routeOne(question: string, previous?: AnswerContext): Answer {
    // Reporting-cycle commands are read before typo correction, which knows only the plans' words ("chase" would become "case").
    // Their intent alone tells them apart: the rest of the question is read only for one of them.
    const asked = intentOf(question);
    if (isCommand(asked)) return { ...blank(asked, asked, ''), target: { authority: understand(question, this.env.catalogue).authority } };
    const u = understand(correctedQuestion(question, this.index), this.env.catalogue);
    switch (u.intent) {
      case 'help':
      case 'greeting':
      case 'myUpdates':
      case 'review':
        return blank(u.intent, u.intent, '');
      case 'submit':
        return { ...blank('submit', u.intent, ''), target: { recordId: this.findRecordForUpdate(u.searchText) } };
      case 'summary': {
        // "How is X doing?" is a summary when X is a theme, but a status question when X is one indicator or activity.
        if (!/\b(summari[sz]e|summary|overview|sum up|round[- ]?up|rag|priority|changed)\b/.test(normalise(u.text))) {
          const one = this.specificRecord(u);
          if (one) return this.search({ ...u, intent: 'status', searchText: u.searchText.replace(/\b(how is|how are|how's|doing|getting on)\b/g, ' ') });
        }
        return { ...blank('summary', u.intent, ''), target: { authority: u.authority } };
      }
      default:
    }
    if (previous && u.followUp) {
      const follow = followUpAnswer(this.env, this, u, previous);
      if (follow) return follow;
    }
    // "What are the 4 priorities in the CYPF plan?": the plan's own list.
    if (/\bpriorities\b/.test(normalise(u.text)) && (u.intent === 'list' || u.intent === 'lookup')) {
      const listed = prioritiesAnswer(this.env, u);
      if (listed) return listed;
    }
    // "What does success look like for priority 3?", "outcomes of priority 2": that part of the priority, in the plan's words.
    const part = priorityPartAnswer(this.env, u);
    if (part) return part;
    // "what's ICDS and when did it launch": say what it stands for, then answer the rest.
    // "MASE panel - what is it?": an acronym in capitals with "what is it" / "stand for" asks what it is.
    if (u.intent === 'acronym' || ACRONYM_LEAD.test(u.text) || (/\bwhat (is|are) (it|that|this|they)\s*(\?|$|[-,;:])|\bstands? for\b/i.test(u.text) && /\b[A-Z]{2,8}\b/.test(u.text))) {
      const a = acronymAnswer(this.env, this, u);
      if (a) return a;
    }
    return this.search(u);
  }

  /** An acronym typed in capitals that neither the plans nor the glossary know, if the question has one. */
  private unknownAcronym(u: Understanding): string | undefined {
    for (const m of u.text.matchAll(/\b[A-Z]{2,6}s?\b/g)) {
      const w = m[0].replace(/s$/, '');
      const lw = w.toLowerCase();
      if (/^(I|OK|UK|NHS|AM|PM|TV|ID|IT|AND|OR|THE)$/.test(w) || UNDERSTANDING_WORDS.has(lw) || STOP_WORDS.has(lw)) continue;
      if (this.index.knows(stem(lw)) || this.index.glossary(lw) || this.index.glossary(m[0].toLowerCase()) || this.env.definitionInText(lw)) continue;
      // A slip in an acronym the plans use ("ICCYHP") is not an acronym they never use.
      if (this.index.corrections(lw, 1).some((c) => this.index.glossary(c) || this.env.definitionInText(c))) continue;
      if (/^(ncc|cc|q[1-4])$/.test(lw) || this.env.catalogue.names.knowsWord(lw)) continue;
      return w;
    }
    return undefined;
  }

  /** The one indicator or activity a question names outright (its title or alias covers the question), if any. */
  private specificRecord(u: Understanding): IndexedRecord | undefined {
    const theme = u.searchText.replace(/\b(how is|how are|how's|doing|getting on|going)\b/g, ' ');
    const concepts = this.index.concepts(theme);
    if (!concepts.length) return undefined;
    const top = this.index.search(concepts, { authority: u.authority, limit: 5 })[0];
    if (!top || top.coverage < ANSWER_TUNING.namesRecord || top.about < ANSWER_TUNING.namesRecord) return undefined;
    return top.record.kind === 'indicator' || top.record.kind === 'activity' ? top.record : undefined;
  }

  /**
   * The question with each acronym the plans only ever spell out ("SARC": "Sexual Assault and Referral
   * Centre") replaced by its words, so the search meets the text that uses them.
   */
  private withSpelledAcronyms(u: Understanding): Understanding {
    let searchText = u.searchText;
    for (const m of u.text.matchAll(/\b[A-Z]{3,6}\b/g)) {
      const lw = m[0].toLowerCase();
      const typed = new RegExp(`\\b${lw}\\b`, 'g');
      if (this.index.knows(stem(lw)) || this.index.glossary(lw) || !searchText.match(typed)) continue;
      const meaning = this.env.definitionInText(lw)?.meanings[0];
      if (meaning) searchText = searchText.replace(typed, meaning.toLowerCase());
    }
    return searchText === u.searchText ? u : { ...u, searchText };
  }

  /**
   * "As at the jan 2017 mid-year review": a period that is the date of a document the question names says which
   * document, not which period a figure is for.
   */
  private withoutDocumentDates(u: Understanding): Understanding {
    if (!u.preferDocs.length || !u.periods.length) return u;
    const dates = periodsIn(u.preferDocs.map((d) => this.env.docs.get(d)?.date ?? '').join(' '));
    const periods = u.periods.filter((p) => !(p.from && p.from === p.to && dates.some((d) => d.from === p.from && d.to === p.to)));
    return periods.length === u.periods.length ? u : { ...u, periods };
  }

  /**
   * Search, rerank, the table of requirements, compose. A question about a plan itself ("when did the children's
   * trust approve the CYPF plan?") is left with one word or none once the document's name is set aside: its words
   * are searched again with the name, and that search answers when it finds the answer confidently.
   */
  search(asked: Understanding): Answer {
    const answer = this.searchOnce(asked);
    if (!asked.documentWords.length) return answer;
    // Words that say what about: not numbers, not the "when" question's event words.
    // (An event word as typed or as its typo is read, whatever its synonyms: "approve" and "aprove" are, though "endorse" is not.)
    const eventWord = (c: Concept) => c.alternatives.some((a) => a.via !== 'synonym' && a.tokens.every((t) => EVENT_WORDS.has(t)));
    const about = this.index.concepts(asked.searchText).filter((c) => !c.unknown && !c.numeric && !eventWord(c));
    if (about.length > 1) return answer;
    // "Who is the contact for the mid-year review": the document's own words answered who; its name is not the subject.
    if (asked.intent === 'lead' && !about.length && answer.kind === 'answer') return answer;
    const withNames = this.searchOnce({ ...asked, searchText: `${asked.searchText} ${asked.documentWords.join(' ')}` });
    // Found by nothing but its event word ("when did the children's trust approve the CYPF plan": "approve"), the first
    // answer is any approval at all: the one found with the names is about what was asked.
    const rival = answer.kind === 'answer' && about.length ? answer.confidence : 0;
    return withNames.kind === 'answer' && withNames.confidence >= Math.max(ANSWER_TUNING.confidence, rival) ? withNames : answer;
  }

  private searchOnce(asked: Understanding): Answer {
    const T = ANSWER_TUNING;
    let q: Question = readQuestion(this.withoutDocumentDates(this.withSpelledAcronyms(asked)), this.index);
    const { concepts } = q;
    if (!concepts.length) {
      // "Who's the contact for the mid-year review?", "what date did the mid-year review go to the trust?": about the document itself.
      if (q.u.preferDocs.length) return documentAnswer(this.env, q.u);
      return notFound(this.env, q.u, [], 'I need a few more words to search the plans.');
    }
    // An acronym the plans never use ("MMR uptake") is what the question is about: nothing else can answer it.
    const strange = this.unknownAcronym(q.u);
    if (strange) {
      const hits = this.index.search(concepts, { authority: q.u.authority, preferDocs: q.u.preferDocs, limit: 10 });
      return notFound(this.env, q.u, hits, `I couldn't find anything about ${strange} in the plans.`);
    }
    let hits = rerank(this.index.search(concepts, { authority: q.u.authority, preferDocs: q.u.preferDocs, limit: T.searchLimit }), q, this.env);
    // A named document ("in the mid-year review") is answered from that document when it has a confident match.
    if (q.u.preferDocs.length) {
      const inDoc = hits.filter((h) => q.u.preferDocs.includes(h.record.doc) && h.coverage >= T.confidence);
      if (inDoc.length) hits = [...inDoc, ...hits.filter((h) => !inDoc.includes(h))];
    }
    // Reranking breaks ties by what the intent needs; it must not lift a hit below the threshold over a confident one.
    const confident = hits.filter((h) => h.coverage >= T.confidence);
    if (!confident.length) return notFound(this.env, q.u, hits);
    hits = [...confident, ...hits.filter((h) => h.coverage < T.confidence)];
    const trace = this.trace;
    trace?.push(`read: intent ${q.u.intent}, authority ${q.u.authority ?? '-'}, docs ${q.u.preferDocs.join(',') || '-'}, periods ${q.u.periods.map((p) => p.text).join(',') || '-'}, search "${q.u.searchText}"`);
    trace?.push('concepts: ' + concepts.map((c) => `${c.word}[${c.weight.toFixed(2)}${c.unknown ? '?' : ''}]`).join(' '));
    for (const requirement of REQUIREMENTS) {
      if (!requirement.applies(q)) continue;
      const verdict = requirement.check(q, hits, this.env);
      if ('lack' in verdict) {
        trace?.push(`${requirement.name}: lacks (${verdict.lack.message})`);
        return notFound(this.env, q.u, hits, verdict.lack.message, verdict.lack.closest);
      }
      trace?.push(`${requirement.name}: ok, top ${verdict.hits[0].record.id}`);
      hits = verdict.hits;
      if (verdict.question) q = verdict.question;
    }
    const top = hits[0];
    trace?.push(`chosen: ${top.record.id} [${top.unit.field}] cov ${top.coverage.toFixed(2)} about ${top.about.toFixed(2)} direct ${top.direct.toFixed(2)} missing ${top.missing.map((w) => { const c = concepts.find((x) => x.word === w); const max = Math.max(...concepts.map((x) => x.weight)); const total = concepts.reduce((x, y) => x + y.weight, 0); return c ? `${w}[${(c.weight / max).toFixed(2)}/${(c.weight / total).toFixed(2)}${c.unknown ? '?' : ''}]` : w; }).join(',') || '-'}`);
    const related = hits.filter((h: Hit) => h !== top && h.coverage >= Math.max(T.confidence, top.coverage - T.relatedMargin));
    // An indicator with figures (its own, or an approved update's) answers with them.
    const figures = top.record.kind === 'indicator' && (top.record.record.values.length > 0 || !!this.env.updates?.latestApproved(top.record.id)?.value);
    return compose(this.env, top.record, contentUnitFor(top, concepts, q, figures), related, q, top.coverage, top.about, top.direct);
  }

  /**
   * What the plans say about one record, chosen by its id, as an answer about it would say it (the question steers
   * what: a figure, a date, who leads). No requirement is checked: the caller chose the record, and presents the
   * answer as what the plans hold about it (the message extension's results beside the best answer, a card's
   * refresh). Undefined when the knowledge has no such record.
   */
  answerAbout(recordId: string, question: string): Answer | undefined {
    return recordAnswer(this.env, this.index, recordId, question);
  }

  indicatorSentence(ind: Indicator, update?: ApprovedUpdate): string {
    return indicatorSentence(ind, update);
  }

  /** The activity or indicator an update is most likely about ("update on the MASH"). */
  findRecordForUpdate(text: string): string | undefined {
    const cleaned = updateSubject(text);
    if (!cleaned) return undefined;
    const hits = this.index.search(this.index.concepts(cleaned), { limit: 5 }).filter((h) => h.record.kind === 'indicator' || h.record.kind === 'activity');
    return hits[0] && hits[0].coverage >= T_CONF ? hits[0].record.id : undefined;
  }
}

const T_CONF = ANSWER_TUNING.confidence;
