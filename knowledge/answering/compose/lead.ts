/** "Who leads …", "who are the partners", "who provides it": the record's leads, or who the narrative names. */
import type { Concept, Hit, IndexedRecord, Unit } from '../../search';
import type { AnswerEnv } from '../env';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { truncate } from '../words';
import { contentTokens, normalise } from '../../text';

/** The fields of an activity that a "who"/"which" question can ask for by name, with how to find them in a question. */
const FIELDS = [
  { label: 'Evidence sources', asked: /\bevidence\b|\bprovided the (info|information|data)\b/, of: (r: IndexedRecord) => (r.kind === 'activity' ? r.record.evidenceSources.join('; ') : '') },
  {
    label: 'Lead organisation and partners',
    asked: /\bpartners?\b|\bpartner (agencies|organisations)\b|\bwho (else )?(is|are) involved\b|\bwho (do|does) (they|it|the \w+) work with\b/,
    // The plan's column is "lead organisation and partners": whatever it holds, organisation and partners together.
    of: (r: IndexedRecord) => (r.kind === 'activity' ? [r.record.leadOrganisation, ...r.record.partners].filter(Boolean).join(', ') : ''),
  },
  {
    label: 'Governance group',
    asked: /\bgovernance\b|\bgoverning\b|\b(which|what) (group|board|body|committee)\b|\boversees?\b|\boverseen\b|\b(who|which|what)\b.*\b(signs? (it |this |them )?off|signed (it )?off)\b|\breports? (in)?to\b|\baccountable to\b/,
    of: (r: IndexedRecord) => (r.kind === 'activity' ? r.record.governanceGroup ?? '' : ''),
  },
  { label: 'Strategic plan', asked: /\bstrategic plans?\b|\b(which|what) (overarching )?(strategy|strategies)\b/, of: (r: IndexedRecord) => (r.kind === 'activity' ? r.record.strategicPlan ?? '' : '') },
  { label: 'Lead organisation', asked: /\blead (org|orgs|organisation|organisations|organization|organizations)\b|\bwhich (org|organisation|organization)\b/, of: (r: IndexedRecord) => (r.kind === 'activity' || r.kind === 'indicator' ? r.record.leadOrganisation ?? '' : '') },
] as const;

/** "Which group oversees X", "who are the partners on X", "where does the evidence come from": that field first. */
export function fieldAnswer(env: AnswerEnv, record: IndexedRecord, related: Hit[], question: string, concepts?: Concept[]): Answer | undefined {
  const t = normalise(question);
  const field = FIELDS.find((f) => f.asked.test(t));
  if (!field) return undefined;
  const candidates = [record, ...related.filter((h) => h.record.id !== record.id && h.record.kind === record.kind).map((h) => h.record)];
  // None of the matched records has the field: the records that have it, searched by the question's words (the
  // improvement plan's MASH activity names its partners; the evidence document's does not).
  const withField = concepts?.length
    ? env.index.search(concepts, { limit: 3, filter: (x) => !!field.of(x) }).find((h) => h.coverage >= ANSWER_TUNING.confidence)?.record
    : undefined;
  const r = candidates.find((c) => field.of(c)) ?? withField ?? record;
  const value = field.of(r);
  if (!value && r.kind !== 'activity') return undefined;
  const lead = leadAnswer(env, r, [], undefined, '');
  const name = truncate(r.title, ANSWER_TUNING.names.inSentence);
  lead.text = value ? `${field.label} for "${name}": ${value}.` : `The plans don't give ${field.label.toLowerCase()} for "${name}". ${lead.text}`;
  lead.facts = lead.facts.filter((f) => f.label !== field.label && !(value && field.label.startsWith(f.label) && value.startsWith(f.value)));
  if (r !== record) lead.context = { recordId: r.id, query: '', intent: 'lead' };
  return lead;
}

/** "Who chairs the board?": the plans' own words about its chair, or plainly that they don't say. */
function chairAnswer(env: AnswerEnv, record: IndexedRecord, related: Hit[], question: string): Answer | undefined {
  if (!/\bwho (chairs|chaired)\b|\bchair (of|for)\b|\bchaired by\b|\bwho is (the )?chair\b/.test(normalise(question))) return undefined;
  const units = [record, ...related.map((h) => h.record)].flatMap((r) => r.units.filter((u) => u.field === 'text' && /\bchair/i.test(u.text)).map((u) => ({ r, u })));
  const a = blank('answer', 'lead', '');
  a.title = record.title;
  const found = units[0];
  if (found) {
    a.text = env.sentenceWithContext(found.u);
    a.sources.push(env.sourceOf(found.r, found.u));
  } else {
    a.kind = 'notFound';
    a.text = `The plans don't give who chairs "${truncate(record.title, ANSWER_TUNING.names.inMessage)}".`;
    a.sources.push(env.sourceOf(record));
  }
  return a;
}

/** Words that name a kind of organisation a lead can belong to. */
const ORGANISATION_WORDS = new Set(contentTokens('police nhs ccg health council school schools probation citycare public health social care education'));

/** "Who runs / provides / delivers …", "which provider …": who provides the service, not only who leads it in the plan. */
function asksProvider(question: string): boolean {
  return /\b(who|which \w+)\b.*\b(runs?|running|provides?|providing|delivers?|delivering|provider)\b/.test(normalise(question));
}
/** A story of who provides it: a provider, a contract taken on, awarded or commissioned. */
const PROVIDER_STORY = /\b(took on|take on|taken on|took over|take over|taken over|awarded|commissioned|the service provider|new provider)\b/i;

export function leadAnswer(env: AnswerEnv, record: IndexedRecord, related: Hit[], unit?: Unit, question = '', match = { about: 1, direct: 0 }): Answer {
  if (question) {
    const field = fieldAnswer(env, record, related, question);
    if (field) return field;
    const chair = chairAnswer(env, record, related, question);
    if (chair) return chair;
  }
  // A sentence that mentions the thing inside another record's story ("Breastfeeding support … the 0-19 service
  // provided by CityCare") says who provides it; that record's own leads lead something else.
  const mentionedOnly = unit?.field === 'text' && match.about < ANSWER_TUNING.aboutRecord && match.direct >= ANSWER_TUNING.namesRecord;
  if (mentionedOnly && /\b(provided|run|delivered|delivering|awarded|commissioned|led|funded|provides|runs|delivers|leads)\b|\bcontract\b/i.test(env.sentenceWithContext(unit!))) {
    const a = blank('answer', 'lead', env.sentenceWithContext(unit!));
    a.title = record.title;
    a.sources.push(env.sourceOf(record, unit));
    return a;
  }
  // "Who runs the service now that Lifeline went into liquidation?": the question is the plans' own story of who
  // provides it (a provider that took the contract on), told first; the plan's named leads follow.
  if (unit?.field === 'text' && match.direct >= ANSWER_TUNING.minDirect && asksProvider(question)) {
    const story = env.sentenceWithContext(unit);
    if (PROVIDER_STORY.test(story)) {
      const leads = leadAnswer(env, record, related, undefined, '', match);
      const a = blank('answer', 'lead', `${story} ${leads.text}`);
      a.title = record.title;
      const own = env.sourceOf(record, unit);
      a.sources.push(own, ...leads.sources.filter((x) => JSON.stringify(x) !== JSON.stringify(own)));
      return a;
    }
  }
  let r = record;
  // "Who's the police lead on CSE?": the record whose leads are of the organisation asked about.
  // (Not a word of the thing's own name: "the young people's health strategy" asks for no health organisation.)
  const orgs = contentTokens(question).filter((t) => ORGANISATION_WORDS.has(t) && !record.context.has(t));
  if (orgs.length) {
    const leadWords = (x: IndexedRecord) => new Set(contentTokens(env.leadsOf(x).join(' ')));
    const of = [record, ...related.map((h) => h.record)].find((x) => orgs.every((t) => leadWords(x).has(t)));
    if (of) r = of;
  }
  // "Who can I email about the mid-year review": the document's own contact, not the lead of something it mentions.
  const asksContact = /\b(contact|get in touch|in touch with|email|e-mail|ring|phone|enquiries|wrote|written|author)\b/.test(normalise(question));
  if (!env.leadsOf(r).length && !(asksContact && r.kind === 'passage')) {
    const withLead = related.find((h) => env.leadsOf(h.record).length);
    if (withLead) r = withLead.record;
  }
  const rec = r.kind === 'activity' || r.kind === 'indicator' ? r.record : undefined;
  const act = r.kind === 'activity' ? r.record : undefined;
  const src = env.sourceOf(r);
  const a = blank('answer', 'lead', '');
  a.title = r.title;
  const n = ANSWER_TUNING.names;
  if (!env.leadsOf(r).length) {
    a.text = `The plans don't give a lead for "${truncate(r.title, n.inMessage)}".`;
    if (act?.governanceGroup) a.text += ` It is governed by ${act.governanceGroup}.`;
    // Who provides or runs it is often in the narrative ("the contract … was awarded to The Children's Society").
    const candidates: { unit: Unit; record: IndexedRecord; direct: number }[] = [...(unit && unit.field === 'text' ? [{ unit, record, direct: 1 }] : []), ...related];
    // "Who funds it?": a sentence about funding first; likewise providing, delivering, commissioning.
    const verb = question.match(/\b(fund|provid|deliver|commission|run)/i)?.[1];
    if (verb) {
      const saysVerb = new RegExp(`\\b${verb}`, 'i');
      const about = (h: { unit: Unit }) => Number(saysVerb.test(env.sentenceWithContext(h.unit)));
      candidates.sort((x, y) => about(y) - about(x));
    }
    // Read with what follows it: "please contact:" names the person in the next line.
    const said = candidates.find(
      (h) =>
        h.unit.field === 'text' &&
        h.direct >= ANSWER_TUNING.tellsStory &&
        /\b(provided|run|delivered|delivering|awarded|commissioned|led|funded)\b|\bcontract\b|\b[A-Z][a-z]+'?s? [A-Z][a-z]+/.test(h === candidates[0] && h.record === record ? env.sentenceWithContext(h.unit) : h.unit.text),
    );
    if (said) {
      const text = env.sentenceWithContext(said.unit);
      // Who provides or runs it, in the plans' words, is the answer: it leads, with no refusal before it.
      a.text = text;
      a.quotes.push({ text, source: env.sourceOf(said.record, said.unit) });
    }
  } else if (rec) {
    const people = rec.leads.length ? rec.leads.join(', ') : undefined;
    const org = rec.leadOrganisation;
    // "Who is the named lead officer?" asks for a person: an organisation is not one, and the reply says so first.
    const asksPerson = /\bnamed\b|\bofficer\b|\bperson\b|\bname of\b|\bindividual\b/.test(normalise(question));
    a.text = people
      ? `${people}${org ? ` (${org})` : ''} lead${rec.leads.length === 1 ? 's' : ''} on "${truncate(r.title, n.inSentence)}".`
      : asksPerson
        ? `The plans don't give a named person who leads "${truncate(r.title, n.inSentence)}"; the lead organisation is ${org}.`
        : `${org} leads on "${truncate(r.title, n.inSentence)}".`;
    if (act?.governanceGroup) a.text += ` Governance group: ${act.governanceGroup}.`;
  }
  if (rec?.leads.length) a.facts.push({ label: 'Named leads', value: rec.leads.join(', ') });
  if (rec?.leadOrganisation) a.facts.push({ label: 'Lead organisation', value: rec.leadOrganisation });
  // The improvement plan's column is "lead organisation and partners": its words together, as the plan has them.
  if (act?.leadOrganisation && act.partners.length) a.facts.push({ label: 'Lead organisation and partners', value: [act.leadOrganisation, ...act.partners].join(', ') });
  if (act?.partners.length) a.facts.push({ label: 'Partners', value: act.partners.join(', ') });
  if (act?.governanceGroup) a.facts.push({ label: 'Governance group', value: act.governanceGroup });
  env.addPlanFacts(a, r);
  a.sources.push(src);
  a.suggestions = env.suggestionsFor(r).filter((s) => !/lead/i.test(s));
  if (r !== record) a.context = { recordId: r.id, query: '', intent: 'lead' };
  return a;
}
