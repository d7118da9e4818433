/**
 * Who is a reviewer. Display names are not unique (two people can both be
 * "Rita Reviewer", and a display name is whatever the account says), so a
 * user is matched against REVIEWERS by id only: the AAD object id or the
 * channel's user id, never by name, even without an object id (a name that
 * is a reviewer's id makes nobody a reviewer). A blank object id ("  ") is no
 * id. With an app id set (production), entries that are not ids are warned
 * about at start-up.
 */
import { expect } from 'chai';
import pino from 'pino';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { PlanBot } from '../bot/teamsBot';
import { silentLogger } from '../bot/logger';
import { createApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { MemoryUnansweredLog } from '../knowledge/unanswered';
import { realKnowledge } from './helpers/knowledge';
import { updatesFixture, type UpdatesFixture } from './helpers/updates';

const RITA_AAD = '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const RITA_CHANNEL_ID = '29:1rita-channel-user-id';

describe('reviewers are matched by id, never by name', () => {
  let f: UpdatesFixture;
  beforeEach(() => {
    f = updatesFixture(['Rita Reviewer', RITA_AAD, RITA_CHANNEL_ID]);
  });
  afterEach(() => f.close());

  it('does not take a Teams user (with an AAD object id) for a reviewer because of their display name', () => {
    expect(f.service.isReviewer({ id: 'aad-impostor', aadObjectId: 'aad-impostor', name: 'Rita Reviewer' })).to.equal(false);
    expect(f.service.isReviewer({ id: 'aad-impostor', aadObjectId: 'aad-impostor', name: ' rita reviewer ' })).to.equal(false);
  });

  it('takes a Teams user for a reviewer by AAD object id or channel user id, whatever their name', () => {
    expect(f.service.isReviewer({ id: RITA_AAD, aadObjectId: RITA_AAD, name: 'R. Reviewer (Health)' })).to.equal(true);
    expect(f.service.isReviewer({ id: RITA_AAD.toUpperCase(), aadObjectId: RITA_AAD.toUpperCase(), name: '' })).to.equal(true);
    expect(f.service.isReviewer({ id: RITA_CHANNEL_ID, name: 'Someone' })).to.equal(true);
  });

  it('never matches a display name, even for someone without an AAD object id, nor a name that is a reviewer\'s id', () => {
    expect(f.service.isReviewer({ id: 'playground-user', name: 'Rita Reviewer' })).to.equal(false);
    expect(f.service.isReviewer({ id: 'playground-user', name: RITA_AAD })).to.equal(false);
    expect(f.service.isReviewer({ id: 'playground-user', name: RITA_CHANNEL_ID })).to.equal(false);
    expect(f.service.isReviewer({ id: 'playground-user', name: '' })).to.equal(false);
  });

  it('takes a blank AAD object id ("  ") for no id: the channel user id decides, and the name never does', () => {
    expect(f.service.isReviewer({ id: '  ', aadObjectId: '  ', channelUserId: '29:evil', name: RITA_AAD })).to.equal(false);
    expect(f.service.isReviewer({ id: '  ', aadObjectId: '  ', channelUserId: RITA_CHANNEL_ID, name: 'x' })).to.equal(true);
  });

  describe('in the Teams handler', () => {
    async function reviewList(from: Record<string, string>): Promise<string> {
      const { answerer, summariser } = realKnowledge();
      const bot = new PlanBot({ answerer, summariser, conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger() });
      const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
      await adapter.send({ type: 'message', text: 'review updates', from: from as never });
      return adapter.activeQueue.map((r: Partial<Activity>) => r.text ?? '').join('\n');
    }

    it('refuses "review updates" to a Teams user who only shares a reviewer\'s display name', async () => {
      expect(await reviewList({ id: '29:someone-else', aadObjectId: 'aad-impostor', name: 'Rita Reviewer' })).to.include("only the plan's reviewers");
    });

    it('accepts a Teams user listed by channel user id, and refuses a user without an AAD object id who is listed only by name', async () => {
      expect(await reviewList({ id: RITA_CHANNEL_ID, aadObjectId: 'aad-not-listed', name: 'Anyone' })).to.include('no updates waiting for review');
      expect(await reviewList({ id: 'playground-user', name: 'Rita Reviewer' })).to.include("only the plan's reviewers");
    });

    it('refuses a user whose display name is a reviewer\'s id, with no or a blank AAD object id', async () => {
      expect(await reviewList({ id: '29:evil', name: RITA_AAD })).to.include("only the plan's reviewers");
      expect(await reviewList({ id: '29:evil', aadObjectId: '  ', name: RITA_AAD })).to.include("only the plan's reviewers");
      expect(await reviewList({ id: '29:evil', aadObjectId: '\t', name: RITA_CHANNEL_ID })).to.include("only the plan's reviewers");
    });

    it('a blank AAD object id is no id: two users with aadObjectId "  " are two people, told apart by their channel ids', async () => {
      const { answerer, summariser } = realKnowledge();
      const bot = new PlanBot({ answerer, summariser, conversationState: new ConversationState(new MemoryStorage()), unanswered: new MemoryUnansweredLog(), updates: f.service, logger: silentLogger() });
      const say = async (from: Record<string, string>, a: Partial<Activity>) => {
        const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
        await adapter.send({ type: 'message', from: from as never, ...a });
        return adapter.activeQueue.map((r: Partial<Activity>) => [r.text ?? '', JSON.stringify(r.attachments ?? [])].join('\n')).join('\n');
      };
      const saved = await say({ id: '29:first', aadObjectId: '  ', name: 'First' }, { value: { action: 'confirmUpdateForm', formId: 'blank-aad-1', itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' } });
      expect(saved).to.include('Saved.');
      const [row] = await f.store.pending(1);
      expect(row.submitter.id, 'the submitter is the channel user id, not "  "').to.equal('29:first');
      expect(await say({ id: '29:second', aadObjectId: '  ', name: 'Second' }, { text: 'my updates' })).to.include("haven't submitted any updates");
    });
  });

  describe('start-up warning', () => {
    const APP = { MicrosoftAppId: '3f6c2a4e-8d1b-4c7e-9a2f-5b0d1e2c3a4b', MicrosoftAppPassword: 'x', MicrosoftAppTenantId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' };

    function warnings(env: Record<string, string>): Record<string, unknown>[] {
      const lines: Record<string, unknown>[] = [];
      const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
      createApp(loadConfig({ NODE_ENV: 'test', PORT: '0', ...env }), logger);
      return lines.filter((l) => /REVIEWERS/.test(String(l.msg)));
    }

    it('warns when an app id is set and REVIEWERS holds entries that are not AAD object ids (names)', () => {
      const w = warnings({ ...APP, REVIEWERS: `Rita Reviewer, ${RITA_AAD}, ${RITA_CHANNEL_ID}` });
      expect(w).to.have.length(1);
      expect(w[0].level).to.equal(40);
      // Teams channel user ids (29:…) are ids, not names.
      expect(w[0].entries).to.deep.equal(['Rita Reviewer']);
    });

    it('says nothing when every entry is an id, or in local anonymous mode', () => {
      expect(warnings({ ...APP, REVIEWERS: `${RITA_AAD},${RITA_CHANNEL_ID}` })).to.deep.equal([]);
      expect(warnings({ REVIEWERS: 'Rita Reviewer' })).to.deep.equal([]);
    });
  });
});
