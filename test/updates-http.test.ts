/**
 * Progress updates end to end over HTTP, against the real bot process and its
 * SQLite file: submit, review, answer; SIGKILL right after the acknowledgement;
 * a restart in the middle of a dialog.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startBotProcess, freePort, type BotProcess } from './helpers/process';
import { TestConversation } from './helpers/server';
import { openDatabase } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';

const REVIEWER = { id: 'rev-1', name: 'Rita Reviewer', aadObjectId: 'rev-1' };
const LEAD = { id: 'lead-1', name: 'Claire Tagg', aadObjectId: 'lead-1' };

describe('progress updates over HTTP (real process, real SQLite file)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let bot: BotProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-e2e-'));
  });
  afterEach(async () => {
    await bot?.kill('SIGKILL');
    bot = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The lead's chat with the bot: the same conversation across calls (and restarts), as a card pressed again is. */
  const LEAD_CHAT = { id: 'conv-lead-' + randomUUID() };
  async function submitByForm(base: string, formId: string, value: string) {
    const lead = new TestConversation(base, LEAD, LEAD_CHAT);
    return lead.submit({ action: 'confirmUpdateForm', formId, itemId: 'cy-p1-self-harm', value, period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.', evidence: '' });
  }

  it('a lead submits an indicator value, a reviewer approves it, and answers then give the new value, its period and its reporter', async () => {
    bot = await startBotProcess({ DATA_DIR: dataDir, REVIEWERS: 'rev-1' });
    const ack = await submitByForm(bot.base, randomUUID(), '40');
    expect(ack.text).to.include('Saved.');

    const before = await new TestConversation(bot.base).say('self-harm admissions in the city');
    expect(before.text).to.include('awaiting review');
    expect(before.replies[0].text).not.to.include('40 for Q3 2017/18');

    // Someone who is not a reviewer is refused, politely.
    const stranger = await new TestConversation(bot.base).say('review updates');
    expect(stranger.text).to.include('only the plan\'s reviewers');

    const rev = new TestConversation(bot.base, REVIEWER);
    const list = await rev.say('review updates');
    const card = list.replies.find((r) => r.attachments?.length)!.attachments![0].content as { actions: { data: { id: string } }[] };
    const id = card.actions[0].data.id;
    const returnedWithoutComment = await rev.submit({ action: 'reviewUpdate', id, decision: 'returned', comment: '' });
    expect(returnedWithoutComment.text).to.include('Please add a comment');
    const approved = await rev.submit({ action: 'reviewUpdate', id, decision: 'approved' });
    expect(approved.text).to.include('Approved');

    const after = await new TestConversation(bot.base).say('self-harm admissions in the city');
    expect(after.replies[0].text).to.include('40 for Q3 2017/18').and.include('Claire Tagg');
    const again = await rev.submit({ action: 'reviewUpdate', id, decision: 'approved' });
    expect(again.text).to.include('already approved');

    const mine = await new TestConversation(bot.base, LEAD).say('my updates');
    expect(mine.text).to.include('approved by Rita Reviewer');
  });

  it('the same card submitted twice saves once and says it was already received', async () => {
    bot = await startBotProcess({ DATA_DIR: dataDir });
    const formId = randomUUID();
    expect((await submitByForm(bot.base, formId, '40')).text).to.include('Saved.');
    expect((await submitByForm(bot.base, formId, '40')).text).to.include('already received');
    await bot.kill();
    bot = undefined;
    const db = openDatabase(dataDir);
    try {
      expect(await new SqliteUpdateStore(db).pending()).to.have.length(1);
    } finally {
      db.close();
    }
  });

  it('an invalid card submission is refused field by field, with the form again, and nothing is saved', async () => {
    bot = await startBotProcess({ DATA_DIR: dataDir });
    const lead = new TestConversation(bot.base, LEAD);
    const r = await lead.submit({ action: 'confirmUpdateForm', formId: randomUUID(), itemId: 'cy-p1-self-harm', value: 'lots', period: 'soon', status: 'purple', narrative: 'ok', extra: { nested: true } });
    expect(r.text).to.include('Nothing saved yet');
    expect(r.replies[0].attachments?.[0].content).to.have.property('body');
    const wrongTypes = await lead.submit({ action: 'confirmUpdateForm', formId: 42, itemId: ['x'], period: null });
    expect(wrongTypes.status).to.equal(200);
    expect(wrongTypes.text).to.match(/choose the activity or indicator|not in the plans/);
  });

  it('finds a submission after the server is SIGKILLed right after acknowledging it', async () => {
    const port = await freePort();
    bot = await startBotProcess({ DATA_DIR: dataDir }, port);
    const formId = randomUUID();
    const ack = await submitByForm(bot.base, formId, '39');
    expect(ack.text).to.include('Saved.');
    await bot.kill('SIGKILL');
    bot = await startBotProcess({ DATA_DIR: dataDir }, port);
    const mine = await new TestConversation(bot.base, LEAD).say('my updates');
    expect(mine.text).to.include('Number of hospital admissions for self-harm').and.include('pending');
    expect((await submitByForm(bot.base, formId, '39')).text).to.include('already received');
  });

  it('carries on a dialog after a restart in the middle of it', async () => {
    const port = await freePort();
    bot = await startBotProcess({ DATA_DIR: dataDir }, port);
    const lead = new TestConversation(bot.base, LEAD);
    expect((await lead.say('update on self-harm admissions in the city')).text).to.include('Is this update for');
    expect((await lead.say('yes')).text).to.include('What is the new value');
    expect((await lead.say('40')).text).to.include('Which period');
    await bot.kill('SIGKILL');
    bot = await startBotProcess({ DATA_DIR: dataDir }, port);
    expect((await lead.say('Q3 2017/18')).text).to.include('What is the status');
    expect((await lead.say('on track')).text).to.include('Describe the progress');
    expect((await lead.say('Clinics are running in twelve schools now.')).text).to.include('Any evidence');
    expect((await lead.say('none')).text).to.include('Check your update');
    expect((await lead.say('confirm')).text).to.include('Saved.');
  });
});
