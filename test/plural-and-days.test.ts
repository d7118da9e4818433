import { expect } from 'chai';
import { noun, plural } from '../knowledge/plural';
import { isoDay } from '../knowledge/periods';

describe('counts and days, written one way everywhere', () => {
  const counts: [number, string, string | undefined, string][] = [
    [0, 'item', undefined, '0 items'],
    [1, 'item', undefined, '1 item'],
    [2, 'item', undefined, '2 items'],
    [1, 'priority', 'priorities', '1 priority'],
    [13, 'priority', 'priorities', '13 priorities'],
    [1, 'long narrative', undefined, '1 long narrative'],
  ];
  for (const [n, word, many, written] of counts) {
    it(`plural(${n}, '${word}'${many ? `, '${many}'` : ''}) is "${written}"`, () => {
      expect(plural(n, word, many)).to.equal(written);
      expect(noun(n, word, many)).to.equal(written.replace(/^\d+ /, ''));
    });
  }

  it('isoDay: the UTC day of a date or of an ISO timestamp', () => {
    expect(isoDay(new Date('2018-03-31T23:30:00Z'))).to.equal('2018-03-31');
    expect(isoDay(new Date('2018-04-01T00:30:00+01:00'))).to.equal('2018-03-31');
    expect(isoDay('2019-10-20T09:00:00.000Z')).to.equal('2019-10-20');
    expect(isoDay('2019-10-20')).to.equal('2019-10-20');
  });
});
