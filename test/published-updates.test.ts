/**
 * PublishedUpdates on a real SQLite store: which approved update is the
 * latest fact (the later period, not the later approval) and which pending
 * updates count as "newer, awaiting review". Checked both as submissions
 * arrive (apply) and when rebuilt from the store (refresh).
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { PublishedUpdates } from '../updates/published';
import { periodEnd } from '../updates/validation';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';

const ITEM = 'cy-p1-self-harm';
const LEAD = { id: 'lead-1', name: 'Claire Tagg' };
const REVIEWER = { id: 'rev-1', name: 'Rita Reviewer' };

describe('published updates: ordering by period', () => {
  let f: UpdatesFixture;
  let clock: sinon.SinonFakeTimers;
  let n = 0;
  beforeEach(() => {
    f = updatesFixture(['rev-1']);
    clock = sinon.useFakeTimers({ now: new Date('2018-05-01T09:00:00Z'), toFake: ['Date'] });
  });
  afterEach(() => {
    clock.restore();
    f.close();
  });

  /** Submits an update for the period, a minute after the last thing that happened. */
  async function submit(period: string, value: string): Promise<string> {
    clock.tick(60_000);
    const { submission } = await f.service.submit({ itemId: ITEM, value, period, status: 'on track', narrative: `Figure for ${period} reported.` }, LEAD, `key-${++n}`);
    return submission.id;
  }
  async function approve(id: string): Promise<void> {
    clock.tick(60_000);
    const r = await f.service.review(id, 'approved', REVIEWER);
    expect(r.ok).to.equal(true);
  }
  /** The same view rebuilt from the store, as another instance or a restart sees it. */
  async function rebuilt(): Promise<PublishedUpdates> {
    const p = new PublishedUpdates(f.store);
    await p.refresh();
    return p;
  }

  it('reads a period label as its last day', () => {
    expect(periodEnd('Q3 2017/18')).to.equal('2017-12-31');
    expect(periodEnd('Q4 2017/18')).to.equal('2018-03-31');
    expect(periodEnd('March 2018')).to.equal('2018-03-31');
    expect(periodEnd('2017/18')).to.equal('2018-03-31');
    expect(periodEnd('February 2016')).to.equal('2016-02-29');
    // Stored periods are read whenever they are for: no "in the future" refusal.
    expect(periodEnd('Q1 2030/31')).to.equal('2030-06-30');
    expect(periodEnd('whenever')).to.equal(undefined);
  });

  it('a Q3 update approved after a Q4 one does not become the latest fact', async () => {
    const q4 = await submit('Q4 2017/18', '38');
    await approve(q4);
    const q3 = await submit('Q3 2017/18', '45');
    await approve(q3);
    for (const view of [f.published, await rebuilt()]) {
      expect(view.latestApproved(ITEM)).to.deep.include({ period: 'Q4 2017/18', value: '38' });
    }
    // The lead's "previous figure" for the wrong-way check follows the same rule.
    expect(f.service.item(ITEM)?.previous).to.equal('38');
  });

  it('compares periods of different kinds by when they end', async () => {
    const month = await submit('February 2018', '40');
    const year = await submit('2016/17', '52');
    const quarter = await submit('Q3 2017/18', '44');
    await approve(month);
    await approve(quarter);
    await approve(year);
    for (const view of [f.published, await rebuilt()]) expect(view.latestApproved(ITEM)?.period).to.equal('February 2018');
    const march = await submit('March 2018', '39');
    await approve(march);
    for (const view of [f.published, await rebuilt()]) expect(view.latestApproved(ITEM)).to.deep.include({ period: 'March 2018', value: '39' });
  });

  it('for the same period (or periods ending the same day), the later approval wins', async () => {
    const first = await submit('Q4 2017/18', '38');
    const correction = await submit('Q4 2017/18', '37');
    await approve(first);
    await approve(correction);
    for (const view of [f.published, await rebuilt()]) expect(view.latestApproved(ITEM)?.value).to.equal('37');
    // The financial year 2017/18 ends with Q4 2017/18: approved later, it is the latest.
    const year = await submit('2017/18', '36');
    await approve(year);
    for (const view of [f.published, await rebuilt()]) expect(view.latestApproved(ITEM)).to.deep.include({ period: '2017/18', value: '36' });
  });

  it('counts pending updates only for periods at least as new as the latest approved one', async () => {
    // Nothing approved yet: every pending update is newer than what is published.
    await submit('Q2 2017/18', '50');
    expect(f.published.pendingCount(ITEM)).to.equal(1);
    await approve(await submit('Q4 2017/18', '38'));
    // The Q2 update still pending is older than the approved Q4 one.
    for (const view of [f.published, await rebuilt()]) expect(view.pendingCount(ITEM)).to.equal(0);
    await submit('Q3 2017/18', '45');
    for (const view of [f.published, await rebuilt()]) expect(view.pendingCount(ITEM)).to.equal(0);
    // A correction for the same period, and a later period, are newer.
    await submit('Q4 2017/18', '37');
    await submit('April 2018', '36');
    for (const view of [f.published, await rebuilt()]) expect(view.pendingCount(ITEM)).to.equal(2);
  });

  it('approving an older period leaves the pending count for newer ones alone', async () => {
    const q3 = await submit('Q3 2017/18', '45');
    await submit('Q4 2017/18', '38');
    expect(f.published.pendingCount(ITEM)).to.equal(2);
    await approve(q3);
    for (const view of [f.published, await rebuilt()]) {
      expect(view.latestApproved(ITEM)?.period).to.equal('Q3 2017/18');
      expect(view.pendingCount(ITEM)).to.equal(1);
    }
  });
});
