/** The reporting cycle on a fixed clock. */
import { expect } from 'chai';
import { periodContaining, periodToReport, dueDate, missingUpdates } from '../updates/due';
import { ledByAny } from '../knowledge/people';
import { testPeople } from './helpers/people';
import type { UpdateItem } from '../updates/types';
import type { Submission } from '../updates/types';

const Q = { frequency: 'quarterly' as const, dueDays: 30 };
const item = (id: string, planId = 'p', leads = ['Claire Tagg']): UpdateItem => ({ id, kind: 'indicator', title: id, planId, priorityId: 'x', priorityNumber: 1, authority: 'city', authorityLabel: 'City', polarity: 'none', leads, organisations: [] });
const sub = (recordId: string, period: string, reviewState: Submission['reviewState'] = 'pending'): Submission =>
  ({ id: recordId + period, idempotencyKey: recordId + period, recordId, recordKind: 'indicator', recordTitle: recordId, planId: 'p', priorityId: 'x', period, status: 'on track', narrative: 'n', submitter: { id: 'u', name: 'U' }, submittedAt: '2018-01-05T10:00:00Z', reviewState }) as Submission;

describe('reporting cycle', () => {
  it('knows financial quarters, months and years', () => {
    expect(periodContaining(new Date('2017-11-15T00:00:00Z'), 'quarterly')).to.deep.equal({ label: 'Q3 2017/18', from: '2017-10-01', to: '2017-12-31' });
    expect(periodContaining(new Date('2018-02-01T00:00:00Z'), 'quarterly')).to.deep.equal({ label: 'Q4 2017/18', from: '2018-01-01', to: '2018-03-31' });
    expect(periodContaining(new Date('2018-04-01T00:00:00Z'), 'quarterly').label).to.equal('Q1 2018/19');
    expect(periodContaining(new Date('2018-02-10T00:00:00Z'), 'monthly')).to.deep.equal({ label: 'February 2018', from: '2018-02-01', to: '2018-02-28' });
    expect(periodContaining(new Date('2018-02-10T00:00:00Z'), 'annually')).to.deep.equal({ label: '2017/18', from: '2017-04-01', to: '2018-03-31' });
  });

  it('reports on the period that has just ended, due a set number of days after it', () => {
    const p = periodToReport(new Date('2018-01-10T00:00:00Z'), Q);
    expect(p.label).to.equal('Q3 2017/18');
    expect(dueDate(p, Q)).to.equal('2018-01-30');
  });

  it('lists items missing their update, with due dates and whether overdue; pending and approved count, returned does not', () => {
    const items = [item('a'), item('b'), item('c'), item('d', 'no-calendar')];
    const cals = new Map([['p', Q]]);
    const subs = [sub('a', 'Q3 2017/18'), sub('b', 'Q3 2017/18', 'returned'), sub('b', 'Q2 2017/18', 'approved')];
    const before = missingUpdates(items, subs, cals, new Date('2018-01-10T00:00:00Z'));
    expect(before.map((d) => [d.item.id, d.period.label, d.due, d.overdue, d.daysUntilDue])).to.deep.equal([
      ['b', 'Q3 2017/18', '2018-01-30', false, 20],
      ['c', 'Q3 2017/18', '2018-01-30', false, 20],
    ]);
    expect(before[0].last?.period, 'a returned update is not carried forward').to.equal('Q2 2017/18');
    const after = missingUpdates(items, subs, cals, new Date('2018-02-05T00:00:00Z'));
    expect(after.every((d) => d.overdue)).to.equal(true);
  });

  it('finds a lead\'s items by the ids people.yaml gives them, never by words of a name', () => {
    const people = testPeople([{ name: 'Claire Tagg', aadObjectId: 'aad-claire' }, { name: 'Hayley Bippin', teamsUserId: '29:hayley' }]);
    const led = (who: { id: string; aadObjectId?: string; channelUserId?: string }, leads: string[]) => ledByAny(leads, people.leadNamesOf(who));
    expect(led({ id: 'aad-claire', aadObjectId: 'aad-claire' }, ['Claire Tagg'])).to.equal(true);
    expect(led({ id: 'AAD-CLAIRE' }, ['  claire   TAGG '])).to.equal(true);
    expect(led({ id: '29:hayley', channelUserId: '29:hayley' }, ['Shelley Nicholls', 'Hayley Bippin'])).to.equal(true);
    // Another lead's items, or a lead written differently (two people named together), are not theirs.
    expect(led({ id: 'aad-claire' }, ['Hayley Bippin'])).to.equal(false);
    expect(led({ id: 'aad-claire' }, ['Claire Tagg & Hayley Bippin'])).to.equal(false);
    // Ids match ids: an id never matches a name, and nobody is a lead without an id.
    expect(led({ id: 'Claire Tagg' }, ['Claire Tagg'])).to.equal(false);
    expect(led({ id: 'someone' }, ['Claire Tagg'])).to.equal(false);
  });

  it('stops asking for updates once a plan has ended', () => {
    const cals = new Map([['p', { ...Q, until: '2018-03-31' }]]);
    expect(missingUpdates([item('a')], [], cals, new Date('2018-04-20T00:00:00Z')).map((d) => d.period.label), 'Q4 2017/18 is still reported').to.deep.equal(['Q4 2017/18']);
    expect(missingUpdates([item('a')], [], cals, new Date('2018-07-20T00:00:00Z')), 'Q1 2018/19 starts after the plan ends').to.deep.equal([]);
  });
});
