/** "Who leads …", "who are the partners", "who provides it": the record's leads, or who the narrative names. */
import type { Hit, IndexedRecord, Unit } from '../../search';
import type { AnswerEnv } from '../env';
import { ANSWER_TUNING } from '../tuning';
import { blank, type Answer } from '../types';
import { truncate } from '../words';

export function leadAnswer(env: AnswerEnv, record: IndexedRecord, related: Hit[], unit?: Unit, question = ''): Answer {
  let r = record;
  if (!env.leadsOf(r).length) {
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
    a.text = `The plans don't name a lead for "${truncate(r.title, n.inMessage)}".`;
    if (act?.governanceGroup) a.text += ` It is governed by ${act.governanceGroup}.`;
    // Who provides or runs it is often in the narrative ("the contract … was awarded to The Children's Society").
    const candidates: { unit: Unit; record: IndexedRecord; direct: number }[] = [...(unit && unit.field === 'text' ? [{ unit, record, direct: 1 }] : []), ...related];
    // "Who funds it?": a sentence about funding first; likewise providing, delivering, commissioning.
    const verb = question.match(/\b(fund|provid|deliver|commission|run)/i)?.[1];
    if (verb) {
      const about = (h: { unit: Unit }) => Number(new RegExp(`\\b${verb}`, 'i').test(env.sentenceWithContext(h.unit)));
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
      // A passage of a report has no lead field: its own words ("please contact: …") are the answer.
      a.text = r.kind === 'passage' && said.record === r ? text : `${a.text} What the plans say: ${text}`;
      a.quotes.push({ text, source: env.sourceOf(said.record, said.unit) });
    }
  } else if (rec) {
    const people = rec.leads.length ? rec.leads.join(', ') : undefined;
    const org = rec.leadOrganisation;
    a.text = people
      ? `${people}${org ? ` (${org})` : ''} lead${rec.leads.length === 1 ? 's' : ''} on "${truncate(r.title, n.inSentence)}".`
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
