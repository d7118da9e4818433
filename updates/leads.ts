/**
 * Who answers for an item. The plans name people as `leads` and an
 * organisation as `leadOrganisation` ("CCG", "Crime and Drugs Partnership",
 * "Nottingham City Council"); people.yaml can say that a name among the
 * `leads` is an organisation too (`kind: organisation`) and name a person who
 * answers for an organisation (`namedContact`). Person or organisation is
 * decided by those data, never guessed from the name: an organisation is
 * reported as one and reached only through a named person, never messaged or
 * listed as a lead who "never talked to me".
 */
import { leadKey, ledByAny, type PeopleDirectory } from '../knowledge/people';
import type { LeadOrganisation, UpdateItem } from './types';

/** An item's leads as the plans give them, sorted into people and organisations (with their named contacts). */
export function leadsOf(record: { leads: string[]; leadOrganisation?: string }, people: PeopleDirectory): Pick<UpdateItem, 'leads' | 'organisations'> {
  const organisations: LeadOrganisation[] = [...(record.leadOrganisation ? [record.leadOrganisation] : []), ...record.leads.filter((n) => people.isOrganisation(n))].map((name) => {
    const contact = people.namedContact(name);
    return contact ? { name, contact } : { name };
  });
  return { leads: record.leads.filter((n) => !people.isOrganisation(n)), organisations };
}

/** The people who answer for an item: its named leads and its organisations' named contacts. Who is reminded, chased, and may report. */
export function answerable(item: Pick<UpdateItem, 'leads' | 'organisations'>): string[] {
  return [...new Set([...item.leads, ...item.organisations.flatMap((o) => (o.contact ? [o.contact] : []))])];
}

/**
 * How someone (their names as the plans give them, leadKey'd: PeopleDirectory.leadNamesOf) answers for an
 * item: as one of its named leads, or as the named contact of these lead organisations. What a reminder
 * tells them, so a contact is not told the plans name them as lead.
 */
export function howAnswerable(item: Pick<UpdateItem, 'leads' | 'organisations'>, leads: ReadonlySet<string>): { asLead: boolean; contactFor: string[] } {
  return { asLead: ledByAny(item.leads, leads), contactFor: item.organisations.filter((o) => o.contact && leads.has(leadKey(o.contact))).map((o) => o.name) };
}

/**
 * The organisations no person answers for on this item: no named contact in
 * people.yaml, and no person named as a lead beside them in the plans (who
 * would be chased for the item instead).
 */
export function withoutNamedContact(item: Pick<UpdateItem, 'leads' | 'organisations'>): string[] {
  return item.leads.length ? [] : item.organisations.filter((o) => !o.contact).map((o) => o.name);
}
