/**
 * The people file for tests: the plans' leads the tests act as, mapped to the
 * made-up ids the tests' users carry (the shipped people.yaml has no ids).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeopleDirectory, type PersonEntry } from '../../knowledge/people';

/** Claire Tagg, Helene Denness and John Matravers as the tests' users are (several test files, several ids). */
export const TEST_LEADS: PersonEntry[] = [
  { name: 'Claire Tagg', aadObjectId: 'aad-claire' },
  { name: 'Claire Tagg', aadObjectId: 'lead-1' },
  { name: 'Helene Denness', aadObjectId: 'aad-helene' },
  { name: 'John Matravers', aadObjectId: 'aad-john' },
];

export function testPeople(entries: PersonEntry[] = TEST_LEADS, contact?: string): PeopleDirectory {
  return new PeopleDirectory({ people: entries, ...(contact ? { contact } : {}) });
}

/** A people.yaml with these entries in a new temporary folder; its path (for PEOPLE_FILE). */
export function writePeopleFile(entries: PersonEntry[] = TEST_LEADS, contact?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'plan-people-')), 'people.yaml');
  writeFileSync(file, JSON.stringify({ ...(contact ? { contact } : {}), people: entries }, null, 2));
  return file;
}
