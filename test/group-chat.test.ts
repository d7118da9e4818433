/**
 * Group chats: an update belongs to the person who types it. Over HTTP, two
 * users in one group conversation. Claire starts an update; Mallory answers
 * its questions, presses its buttons (a status, Confirm with Claire's key) and
 * types "confirm": every time she is told the update is Claire's and nothing
 * of hers goes into it. She can start her own, which does not disturb
 * Claire's. The submission and its audit record name Claire, the sender of
 * the confirming activity and the dialog's owner.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { submitDataIn } from './helpers/assertions';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';

const CLAIRE = { id: '29:claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' };
const MALLORY = { id: '29:mallory', name: 'Mallory', aadObjectId: 'aad-mallory' };
const NOTICE = /This update is Claire Tagg's; say "submit an update" to start your own\./;

describe('group chats: an update belongs to the person who types it (HTTP, two users, one conversation)', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ RATE_LIMIT_BURST: '1000' });
  });
  after(async () => s?.stop());

  it("others cannot answer, press or confirm someone's update; it is saved as the owner's, once", async () => {
    const group = { id: `19:group-${randomUUID()}@thread.v2`, conversationType: 'groupChat' };
    const claire = new TestConversation(s.base, CLAIRE, group);
    const mallory = new TestConversation(s.base, MALLORY, group);
    const store = new SqliteUpdateStore(s.app.db!);

    expect((await claire.say('update on self-harm admissions in the city')).text).to.include('Is this update for');
    const hijack = await mallory.say('yes');
    expect(hijack.text).to.match(NOTICE);
    expect(hijack.text).not.to.include('What is the new value');
    expect((await claire.say('yes')).text).to.include('What is the new value');
    expect((await mallory.say('31415926')).text).to.match(NOTICE);
    expect((await claire.say('40')).text).to.include('Which period');
    expect((await claire.say('Q3 2017/18')).text).to.include('What is the status');
    // A button on Claire's card, pressed by Mallory.
    expect((await mallory.submit({ status: 'off track' })).text).to.match(NOTICE);
    expect((await claire.say('on track')).text).to.include('Describe the progress');
    expect((await claire.say('Clinics are running in twelve schools now.')).text).to.include('Any evidence');
    const check = await claire.say('none');
    expect(check.text).to.include('Check your update').and.include('40').and.not.include('31415926');
    const confirm = submitDataIn(check.replies.map((r) => r.attachments?.map((a) => a.content))).find((d) => d.updateAction === 'confirm')!;
    expect(confirm.confirmKey).to.be.a('string');

    // Mallory presses Claire's Confirm, and types "confirm": nothing is saved, by anyone.
    expect((await mallory.submit(confirm)).text).to.match(NOTICE);
    expect((await mallory.say('confirm')).text).to.match(NOTICE);
    expect(await store.pending(), 'nothing saved by Mallory').to.deep.equal([]);

    // Mallory starts her own update: Claire's carries on untouched.
    expect((await mallory.say('submit an update')).text).to.include('Which activity or indicator');
    expect((await mallory.say('cancel')).text).to.include('Cancelled');

    const saved = await claire.say('confirm');
    expect(saved.text).to.include('Saved.');
    const rows = await store.pending();
    expect(rows).to.have.length(1);
    expect(rows[0].submitter).to.deep.equal({ id: CLAIRE.aadObjectId, name: CLAIRE.name });
    expect(rows[0].value).to.equal('40');
    expect(store.auditTrail(1)[0]).to.deep.include({ actorId: CLAIRE.aadObjectId, action: 'submit' });

    // Afterwards, Mallory replaying Claire's Confirm learns nothing of it and saves nothing.
    const replay = await mallory.submit(confirm);
    expect(replay.text).not.to.include('already received').and.not.include(rows[0].id.slice(0, 8).toUpperCase());
    expect(await store.pending()).to.have.length(1);
  });

  it('someone else asking a question while an update is in progress gets an answer', async () => {
    const group = { id: `19:group-${randomUUID()}@thread.v2`, conversationType: 'groupChat' };
    const claire = new TestConversation(s.base, CLAIRE, group);
    const mallory = new TestConversation(s.base, MALLORY, group);
    expect((await claire.say('submit an update')).text).to.include('Which activity or indicator');
    expect((await mallory.say('who leads on breastfeeding')).text).to.include('Alicia Rowley');
    expect((await claire.say('cancel')).text).to.include('Cancelled');
  });
});
