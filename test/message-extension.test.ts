/**
 * The "Search the plans" message extension through the real HTTP server, as
 * Teams calls it: invoke activities (composeExtension/query,
 * composeExtension/selectItem, and adaptiveCard/action for a shared card's
 * refresh) POSTed to /api/messages and answered in the HTTP response body.
 *
 * Searches: a typo, an acronym, city vs county, nothing found, paging, an
 * empty search (the user's recent picks), in every scope. Every card is
 * checked by Microsoft's Adaptive Cards library (test/helpers/adaptiveCard.ts)
 * and must stand on its own: no buttons, the sources as lines, "as at", and
 * a refresh that brings the latest approved figure (never a pending one).
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { validateCard } from './helpers/adaptiveCard';
import { PLAN_SEARCH_TUNING } from '../knowledge/planSearch';
import { QUERY_PARAMETER, SEARCH_COMMAND, SEARCH_HINT } from '../bot/messageExtension';

/* eslint-disable @typescript-eslint/no-explicit-any -- invoke responses are plain JSON, read freely below */
type Json = any;

const CAMHS = 'ce-p4-camhs-referral-to-treatment';
const REVIEWER = { id: 'rev-me', name: 'Rita Reviewer', aadObjectId: 'rev-me' };
/** Teams' limit for a card a message extension inserts (Teams docs: "The result card size limit is 28 KB"). */
const RESULT_CARD_MAX_BYTES = 28 * 1024;

/** Every string a card shows (its TextBlocks and facts), one per line. */
function shown(card: Json): string {
  const out: string[] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.type === 'TextBlock') out.push(v.text);
      if (v.type === 'FactSet') for (const f of v.facts) out.push(`${f.title}: ${f.value}`);
      walk(v.items);
      walk(v.body);
    }
  };
  walk(card);
  return out.join('\n');
}

/** What a card inserted into someone else's conversation must be: valid, small, with no button that needs the bot there. */
function expectSelfContained(card: Json): void {
  expect(validateCard(card), JSON.stringify(card)).to.deep.equal([]);
  expect(Buffer.byteLength(JSON.stringify(card)), 'card size').to.be.below(RESULT_CARD_MAX_BYTES);
  expect(card.actions ?? [], 'no buttons').to.deep.equal([]);
  expect(JSON.stringify(card.body)).not.to.match(/Action\.(Submit|ShowCard|Execute)/);
}

describe('message extension: Search the plans, over HTTP', function () {
  this.timeout(30_000);
  let s: TestServer;
  let clock = new Date('2018-05-01T09:00:00.000Z');
  before(async () => {
    s = await startTestServer({ REVIEWERS: REVIEWER.aadObjectId, RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000' }, { now: () => clock });
  });
  after(async () => {
    await s.stop();
  });

  /** POSTs an invoke as Teams does (no expectReplies): the invoke response is the HTTP response. */
  async function invoke(c: TestConversation, name: string, value: unknown, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Json }> {
    const r = await c.post(c.activity({ type: 'invoke', name, value, deliveryMode: undefined, ...extra }));
    return { status: r.status, body: r.body ? JSON.parse(r.body) : undefined };
  }

  /** A search as Teams sends it: the command, its one parameter, and the page. */
  async function search(c: TestConversation, query: string, skip = 0, count = 25, extra: Record<string, unknown> = {}) {
    const r = await invoke(c, 'composeExtension/query', { commandId: SEARCH_COMMAND, parameters: [{ name: QUERY_PARAMETER, value: query }], queryOptions: { skip, count } }, extra);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.composeExtension.type).to.equal('result');
    expect(r.body.composeExtension.attachmentLayout).to.equal('list');
    return r.body.composeExtension.attachments as Json[];
  }

  describe('composeExtension/query', () => {
    it('finds the CAMHS waiting time despite a typo, first, with its figure, period and authority in the preview', async () => {
      const results = await search(new TestConversation(s.base), 'camhs wiating');
      expect(results.length).to.be.within(2, PLAN_SEARCH_TUNING.maxResults);
      const [first] = results;
      expect(first.contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(first.preview.contentType).to.equal('application/vnd.microsoft.card.thumbnail');
      expect(first.preview.content).to.deep.include({
                title: 'CAMHS average waiting time from referral to treatment',
        subtitle: '10.9 weeks (April)',
        text: 'Nottinghamshire County Council · County CYPF Plan 2016-18 evidence of achievement',
      });
      // Picking it sends selectItem with the words and the record (Teams calls the bot back when a preview has a tap).
      expect(first.preview.content.tap).to.deep.equal({ type: 'invoke', value: { query: 'camhs wiating', recordId: CAMHS } });
      for (const r of results) {
        expect(r.preview.content.title, 'every result names its item').to.be.a('string').and.not.equal('');
        expect(r.preview.content.subtitle, 'and says what the plans hold about it').to.be.a('string').and.not.equal('');
        expect(r.preview.content.text).to.match(/^(Nottinghamshire County Council|Nottingham City Council)/);
        expectSelfContained(r.content);
      }
    });

    it('inserts the answer as the bot gives it in chat, standing on its own: the sentence, the figure, the source as a line, as at, a refresh', async () => {
      const c = new TestConversation(s.base);
      const chat = await c.say('camhs wiating');
      const [first] = await search(c, 'camhs wiating');
      const card = first.content;
      const text = shown(card);
      // The same understanding and search as a question in chat: the card says what the bot says.
      expect(card.body[0]).to.deep.include({ type: 'TextBlock', text: chat.replies[0].text });
      expect(text).to.include('10.9 weeks').and.include('April').and.include('Previous: 6.59 weeks (January 2017)');
      expect(text).to.include('Note: the source does not give the year');
      // Sources as plain lines (there is no bot in the conversation to open them behind a button).
      expect(text).to.include('Source\nCounty CYPF Plan 2016-18 evidence of achievement (2018), Priority 4, key activity 5');
      // When the figures were read, in each reader's own time zone.
      expect(text).to.include('As at {{DATE(2018-05-01T09:00:00Z, SHORT)}}, {{TIME(2018-05-01T09:00:00Z)}}');
      // Universal Actions: Teams asks the bot for the card as it is now when someone opens it. No userIds: everyone in
      // a chat or channel of up to 60 people is refreshed automatically, bigger ones get "Refresh card".
      expect(card.refresh).to.deep.equal({ action: { type: 'Action.Execute', title: 'Refresh', verb: 'refreshFigure', data: { query: 'camhs wiating', recordId: CAMHS } } });
      expect(card.version).to.equal('1.5');
    });

    it('reads an acronym as the plans spell it out: "cp plans" finds the children on a Child Protection Plan', async () => {
      const results = await search(new TestConversation(s.base), 'cp plans');
      expect(results[0].preview.content).to.deep.include({ title: 'Number/rate of children subject to a Child Protection Plan', subtitle: '569 (2017/18)', text: 'Nottingham City Council · City CYPP 2016-2020 action plan' });
      expect(shown(results[0].content)).to.match(/^Number\/rate of children subject to a Child Protection Plan: 569 \(2017-2018\)/);
      // A long name is cut to one line of the list, and whole on the card.
      const repeat = results[1];
      expect(repeat.preview.content.title).to.equal('Percentage of children becoming the subject of a child…');
      expect(shown(repeat.content)).to.include('Percentage of children becoming the subject of a child protection plan for a second or subsequent time within 2 years of the previous plan ending.');
      expect(shown(results[0].content)).to.include('569');
    });

    it('keeps to the authority named: the city and the county get their own looked after children', async () => {
      const c = new TestConversation(s.base);
      const city = await search(c, 'looked after children city');
      const county = await search(c, 'looked after children county');
      expect(city.length).to.be.at.least(3);
      expect(county.length).to.be.at.least(3);
      for (const r of city) expect(r.preview.content.text, r.preview.content.title).to.match(/^Nottingham City Council/);
      for (const r of county) expect(r.preview.content.text, r.preview.content.title).to.match(/^Nottinghamshire County Council/);
      const ids = (list: Json[]) => list.map((r) => r.content.refresh.action.data.recordId as string);
      expect(ids(city).filter((id) => ids(county).includes(id))).to.deep.equal([]);
      expect(city[0].preview.content).to.deep.include({ title: 'Percentage of Children in Care achieving the National…', subtitle: '46% (2016/17)' });
      // The first result is what the bot answers to the same words.
      expect(city[0].content.body[0].text).to.equal((await c.say('looked after children city')).replies[0].text);
    });

    it('says plainly when the plans do not have it: one result, "Not in the plans", and nothing passed off as a match', async () => {
      const c = new TestConversation(s.base);
      const results = await search(c, 'mmr uptake');
      expect(results).to.have.length(1);
      expect(results[0].preview.content).to.deep.include({ title: 'Not in the plans', subtitle: 'Searched for "mmr uptake"', text: "I couldn't find that in the plans." });
      const card = results[0].content;
      expectSelfContained(card);
      expect(shown(card)).to.match(/^Searched the plans for "mmr uptake"\nI couldn't find that in the plans\.\nAs at /);
      // Refreshed later, the same words are searched again (the plans may have it by then).
      expect(card.refresh).to.deep.equal({ action: { type: 'Action.Execute', title: 'Refresh', verb: 'refreshFigure', data: { query: 'mmr uptake' } } });
      // The chat says the same.
      expect((await c.say('mmr uptake')).replies[0].text).to.equal("I couldn't find that in the plans.");
      // It is the only result: the next page is empty.
      expect(await search(c, 'mmr uptake', 1)).to.deep.equal([]);
    });

    it('pages by skip and count, ten results at most in all', async () => {
      const c = new TestConversation(s.base);
      const all = await search(c, 'camhs', 0, 25);
      expect(all).to.have.length(PLAN_SEARCH_TUNING.maxResults);
      const titles = (list: Json[]) => list.map((r) => r.preview.content.title as string);
      expect(new Set(titles(all)).size, 'distinct items').to.equal(all.length);
      const pages = [await search(c, 'camhs', 0, 3), await search(c, 'camhs', 3, 3), await search(c, 'camhs', 6, 3), await search(c, 'camhs', 9, 3)];
      expect(pages.map((p) => p.length)).to.deep.equal([3, 3, 3, 1]);
      expect(pages.flatMap(titles)).to.deep.equal(titles(all));
      expect(await search(c, 'camhs', 10, 25)).to.deep.equal([]);
      // A page is never more than ten, whatever is asked for.
      expect(await search(c, 'camhs', 0, 100)).to.have.length(PLAN_SEARCH_TUNING.maxResults);
    });

    it('answers the same in a personal chat, a group chat, a channel and a meeting chat', async () => {
      const c = new TestConversation(s.base);
      const scopes: Record<string, Record<string, unknown>> = {
        personal: { conversation: { id: c.id, conversationType: 'personal', tenantId: 't1' } },
        groupChat: { conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 't1' } },
        channel: { conversation: { id: '19:channel@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: 't1' }, channelData: { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:channel@thread.tacv2' } } },
        meeting: { conversation: { id: '19:meeting_abc@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 't1' }, channelData: { meeting: { id: 'meeting-1' } } },
      };
      const seen: string[] = [];
      for (const [scope, extra] of Object.entries(scopes)) {
        const results = await search(c, 'camhs wiating', 0, 25, extra);
        expect(results[0].content.refresh.action.data.recordId, scope).to.equal(CAMHS);
        seen.push(JSON.stringify(results));
      }
      expect(new Set(seen).size, 'the same results in every scope').to.equal(1);
    });

    it('with nothing typed: says what to type, then lists the items the user picked, most recent first, for that user only', async () => {
      const c = new TestConversation(s.base);
      const empty = async (conv: TestConversation, parameters: unknown[]) => (await invoke(conv, 'composeExtension/query', { commandId: SEARCH_COMMAND, parameters, queryOptions: { skip: 0, count: 25 } })).body.composeExtension;
      const initialRun = [{ name: 'initialRun', value: 'true' }];
      expect(await empty(c, initialRun)).to.deep.equal({ type: 'message', text: SEARCH_HINT });
      expect(await empty(c, [{ name: QUERY_PARAMETER, value: '  ' }])).to.deep.equal({ type: 'message', text: SEARCH_HINT });

      for (const q of ['camhs wiating', 'cp plans', 'looked after children city']) {
        const [first] = await search(c, q);
        clock = new Date(clock.getTime() + 60_000);
        const picked = await invoke(c, 'composeExtension/selectItem', first.preview.content.tap.value);
        expect(picked.status).to.equal(200);
      }
      const recent = await empty(c, initialRun);
      expect(recent.type).to.equal('result');
      const recordIds = (list: Json[]) => list.map((r: Json) => r.content.refresh.action.data.recordId);
      expect(recordIds(recent.attachments)).to.deep.equal(['cy-p3-cic-ks2', 'cy-p2-child-protection-plans', CAMHS]);
      expect(recent.attachments[2].preview.content).to.deep.include({ subtitle: '10.9 weeks (April)' });
      for (const r of recent.attachments) expectSelfContained(r.content);
      // Picking one again moves it to the top.
      await invoke(c, 'composeExtension/selectItem', { query: 'camhs wiating', recordId: CAMHS });
      expect(recordIds((await empty(c, initialRun)).attachments)).to.deep.equal([CAMHS, 'cy-p3-cic-ks2', 'cy-p2-child-protection-plans']);
      // Kept by user id: another user has picked nothing.
      expect(await empty(new TestConversation(s.base), initialRun)).to.deep.equal({ type: 'message', text: SEARCH_HINT });
      // What was typed is never kept.
      const rows = s.app.db!.prepare('SELECT * FROM recent_items').all() as Record<string, unknown>[];
      expect(JSON.stringify(rows)).not.to.include('wiating');
    });

    it('refuses a malformed search or another command with 400, and a search in the Playground\'s shape (no command id or name) is a search', async () => {
      const c = new TestConversation(s.base);
      for (const value of [5, null, { parameters: 'camhs' }, { queryOptions: { skip: -1 } }]) {
        const r = await invoke(c, 'composeExtension/query', value);
        expect(r.status, JSON.stringify(value)).to.equal(400);
        expect(r.body).to.deep.include({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      }
      const other = await invoke(c, 'composeExtension/query', { commandId: 'somethingElse', parameters: [{ name: QUERY_PARAMETER, value: 'camhs' }] });
      expect(other.status).to.equal(400);
      expect(other.body.value.message).to.include('searchPlans');
      const playground = await invoke(c, 'composeExtension/query', { parameters: [{ value: 'camhs wiating' }], queryOptions: { skip: 0, count: 25 }, commandContext: 'compose', context: { theme: 'default' } });
      expect(playground.body.composeExtension.attachments[0].content.refresh.action.data.recordId).to.equal(CAMHS);
    });
  });

  describe('composeExtension/selectItem', () => {
    it('returns the card for the result picked, built as the search built it', async () => {
      const c = new TestConversation(s.base);
      const results = await search(c, 'camhs wiating');
      for (const r of results.slice(0, 3)) {
        const picked = await invoke(c, 'composeExtension/selectItem', r.preview.content.tap.value);
        expect(picked.status).to.equal(200);
        const { composeExtension } = picked.body;
        expect(composeExtension).to.deep.include({ type: 'result', attachmentLayout: 'list' });
        expect(composeExtension.attachments).to.have.length(1);
        expect(composeExtension.attachments[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
        expect(composeExtension.attachments[0].content).to.deep.equal(r.content);
      }
    });

    it('for "not in the plans", returns that card; for a record the plans no longer hold, says so; a malformed pick is refused', async () => {
      const c = new TestConversation(s.base);
      const [notFound] = await search(c, 'mmr uptake');
      const picked = await invoke(c, 'composeExtension/selectItem', notFound.preview.content.tap.value);
      expect(picked.body.composeExtension.attachments[0].content).to.deep.equal(notFound.content);

      const gone = await invoke(c, 'composeExtension/selectItem', { query: 'camhs', recordId: 'ce-p9-not-a-record' });
      expect(shown(gone.body.composeExtension.attachments[0].content)).to.include('the plans no longer hold');

      for (const value of [null, 'camhs', { recordId: CAMHS }, { query: 5 }]) {
        const r = await invoke(c, 'composeExtension/selectItem', value);
        expect(r.status, JSON.stringify(value)).to.equal(400);
      }
    });
  });

  describe('a shared card sent in the bot\'s own chat', () => {
    it('is not taken for a question (the bot hears every message there), while any other card without text still is', async () => {
      const c = new TestConversation(s.base);
      const [result] = await search(c, 'camhs wiating');
      const shared = await c.post(c.activity({ attachments: [{ contentType: result.contentType, content: result.content }] }));
      expect(shared.status).to.equal(200);
      expect(shared.replies).to.deep.equal([]);
      const other = await c.post(c.activity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [] } }] }));
      expect(other.replies[0].text).to.match(/^Please type a question/);
    });
  });

  describe('the shared card\'s refresh (adaptiveCard/action, verb refreshFigure)', () => {
    const refresh = (c: TestConversation, data: unknown, trigger = 'automatic') => invoke(c, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'refreshFigure', data }, trigger });

    it('brings the latest approved figure with "as at" updated, and never a pending update', async () => {
      const lead = new TestConversation(s.base);
      const [result] = await search(lead, 'camhs waiting time');
      expect(result.content.refresh.action.data.recordId).to.equal(CAMHS);
      const data = result.content.refresh.action.data;

      // Opened a day later, nothing new: the same figures, read again.
      clock = new Date('2018-05-02T10:30:00.000Z');
      const same = await refresh(lead, data);
      expect(same.status).to.equal(200);
      expect(same.body).to.deep.include({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expectSelfContained(same.body.value);
      expect(shown(same.body.value)).to.include('10.9 weeks').and.include('As at {{DATE(2018-05-02T10:30:00Z, SHORT)}}');
      expect(same.body.value.refresh).to.deep.equal(result.content.refresh);

      // A lead reports a new figure: pending review, it is not published, so a shared card does not show it (nor that it exists).
      const saved = await lead.submit({ action: 'confirmUpdateForm', formId: randomUUID(), itemId: CAMHS, value: '8.2', period: 'March 2018', status: 'on track', narrative: 'Waits fell after the new assessment team started.' });
      expect(saved.text).to.include('pending review');
      expect(shown((await refresh(lead, data)).body.value)).to.include('10.9 weeks').and.not.include('8.2').and.not.match(/pending|awaiting review/i);
      const [searched] = await search(lead, 'camhs waiting time');
      expect(shown(searched.content)).not.to.match(/8\.2|pending|awaiting review/i);

      // Approved, it is the latest figure: the card shows it, read at the time it is opened.
      const reviewer = new TestConversation(s.base, REVIEWER);
      const list = await reviewer.say('review updates');
      const id = (list.replies.find((x) => x.attachments?.length)!.attachments![0].content as Json).actions[0].data.id;
      expect((await reviewer.submit({ action: 'reviewUpdate', id, decision: 'approved' })).text).to.include('Approved');
      clock = new Date('2018-05-03T08:00:00.000Z');
      const fresh = await refresh(new TestConversation(s.base), data, 'manual');
      expectSelfContained(fresh.body.value);
      const text = shown(fresh.body.value);
      expect(fresh.body.value.body[0].text).to.match(/^CAMHS average waiting time from referral to treatment: 8\.2 for March 2018 \(approved update reported by Test User on \d{4}-\d\d-\d\d\); the plan's figure was 10\.9 weeks \(April\)\./);
      expect(fresh.body.value.body[1]).to.deep.include({ text: '8.2', size: 'ExtraLarge' });
      expect(text).to.include('March 2018').and.include('As at {{DATE(2018-05-03T08:00:00Z, SHORT)}}').and.not.match(/pending|awaiting review/i);
      // A new search finds the same.
      expect((await search(lead, 'camhs waiting time'))[0].preview.content.subtitle).to.equal('8.2 (March 2018)');
    });

    it('says so when the item has left the plans, and refuses malformed data; other Action.Execute verbs are not the extension\'s', async () => {
      const c = new TestConversation(s.base);
      const gone = await refresh(c, { query: 'camhs', recordId: 'ce-p9-not-a-record' });
      expect(gone.body.type).to.equal('application/vnd.microsoft.card.adaptive');
      expect(shown(gone.body.value)).to.include('the plans no longer hold');
      expect(gone.body.value.refresh).to.equal(undefined);
      const bad = await refresh(c, { recordId: 7 });
      expect(bad.status).to.equal(400);
      const other = await invoke(c, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'somethingElse', data: {} }, trigger: 'manual' });
      expect(other.body).to.deep.include({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    });
  });
});
