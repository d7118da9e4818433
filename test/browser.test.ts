/**
 * End to end in a real browser, as a person uses the bot: the real bot
 * (node dist/bot/index.js) behind Microsoft 365 Agents Playground, a local
 * Teams-like client that renders Adaptive Cards as Teams does and acts as the
 * channel's connector (the bot replies by calling the Playground's serviceUrl,
 * not through expectReplies). Debian's Chromium, driven by playwright-core,
 * types into the compose box and clicks the cards' buttons: the suggested
 * follow-ups on an answer card, the help card's example questions and the
 * update check's Confirm are clicked, never typed instead.
 *
 * One step goes to the Playground's group chat, where the bot is not the
 * one being asked: the message extension ("Search the plans") is opened
 * from the compose box, searched with a typo, and its result inserted and
 * sent; then back to the personal chat.
 *
 * The steps run in order, in the personal chat unless they say otherwise. A screenshot of each lands in
 * screenshots/browser-*.png (git-ignored), and one of the page when a step
 * fails. Without /usr/bin/chromium the suite is skipped, saying so (.ci/run
 * installs it). The browser may reach loopback only: anything else (the
 * Playground page's web fonts on a CDN) is aborted, so it runs offline.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort, startBotProcess, type BotProcess } from './helpers/process';
import { ROOT } from './helpers/paths';
import { startPlayground, type Playground } from '../scripts/playground';
import { documentXml } from './helpers/docx';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(ROOT, 'screenshots');
const VIEWPORT = { width: 1280, height: 1000 };
/** A summary card's first screen must fit a laptop without scrolling: below this height in the Playground, in CSS px. */
const FIRST_SCREEN_PX = 700;
/** How long one reply may take to appear (a turn takes milliseconds; the margin is for a busy CI machine). */
const REPLY_MS = 20_000;
const SELF_HARM = 'update on self-harm admissions in the city';
/** The Playground's default user, Alex Wilber: their AAD object id. */
const PLAYGROUND_USER_AAD = '00000000-0000-0000-0000-0000000000020';
const SAVED = /Saved\. Your update on "Number of hospital admissions for self-harm \(10-24 years\)" for Q3 2017\/18 is pending review \(reference \w+\)/;
/*
 * Agents Playground 0.2.x's card renderer keeps an Action.Submit's data
 * frozen and writes to it when the button is pressed, so a button whose data
 * holds `msteams` (Teams' imBack) or a property named `key` sends nothing and
 * the page reports an error. The bot's buttons carry plain data instead
 * ({ action: 'ask', text } for a question, `confirmKey` on Confirm), and any
 * page error fails the step.
 */

describe('in a real browser: the bot in Agents Playground', function () {
  this.timeout(60_000);
  let bot: BotProcess | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string | undefined;
  const pageErrors: string[] = [];
  // Should mocha exit without running `after`, the children go with it (playwright sees to the browser).
  const killChildren = () => {
    bot?.child.kill('SIGKILL');
    playground?.child.kill('SIGKILL');
  };

  /** The conversation's messages from the bot, a card or text each. */
  const outputs = () => page.locator('.fai-OutputCard');
  /** The conversation's Adaptive Cards (not the cards shown inside them), oldest first. */
  const cards = () => page.locator('.fai-OutputCard .ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)');
  /** The newest Adaptive Card in the conversation. */
  const lastCard = () => cards().last();
  /** The newest card as it is now: stays that card when more arrive. */
  const thisCard = async () => cards().nth((await cards().count()) - 1);
  const button = (card: Locator, name: string) => card.getByRole('button', { name, exact: true });

  /** A screenshot of the page, or of one card (the page made tall enough to show all of it). */
  async function shot(name: string, card?: Locator): Promise<void> {
    const path = join(SHOTS, `browser-${name}.png`);
    if (!card) {
      await page.screenshot({ path });
      return;
    }
    const height = (await card.boundingBox())?.height ?? 0;
    if (height > VIEWPORT.height - 300) await page.setViewportSize({ width: VIEWPORT.width, height: Math.ceil(height) + 400 });
    await card.screenshot({ path });
    await page.setViewportSize(VIEWPORT);
  }

  /** A page error (a button the Playground could not send, say) fails the step that caused it. */
  function checkPageErrors(since: number): void {
    const errors = pageErrors.slice(since);
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
  }

  /**
   * Waits until the bot's messages after the first `since` say `pattern` and
   * returns their text; fails with what did arrive, or on a page error after
   * the first `errors`.
   */
  async function replyAfter(since: number, pattern: RegExp, errors = pageErrors.length): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const text = (await outputs().allInnerTexts()).slice(since).join('\n');
      checkPageErrors(errors);
      if (pattern.test(text)) return text;
      if (Date.now() - t0 > REPLY_MS) throw new Error(`no reply matching ${pattern} within ${REPLY_MS / 1000} s; the bot said: ${JSON.stringify(text.slice(-1500))}`);
      await page.waitForTimeout(100);
    }
  }

  /** Types a message in the compose box and sends it with Enter, as a person does; resolves on the reply. */
  async function say(message: string, reply: RegExp): Promise<string> {
    const since = await outputs().count();
    const errors = pageErrors.length;
    await page.locator('[data-lexical-editor="true"][role="textbox"]').click();
    await page.keyboard.type(message);
    await page.keyboard.press('Enter');
    await page.getByText(message, { exact: true }).last().waitFor();
    return replyAfter(since, reply, errors);
  }

  /** Clicks a button on a card (the newest by default); resolves on the reply. */
  async function press(name: string, reply: RegExp, card: Locator = lastCard()): Promise<string> {
    const since = await outputs().count();
    const errors = pageErrors.length;
    await button(card, name).click();
    return replyAfter(since, reply, errors);
  }

  /**
   * Clicks an Action.Execute button: the bot answers with the card that takes the pressed one's place, so no
   * message arrives; resolves when the card (`card()`, found again as it is re-rendered) says `pattern`.
   */
  async function pressInPlace(card: () => Locator, name: string, pattern: RegExp): Promise<string> {
    const errors = pageErrors.length;
    const before = await outputs().count();
    await button(card(), name).click();
    const t0 = Date.now();
    for (;;) {
      const text = await card().innerText().catch(() => '');
      checkPageErrors(errors);
      if (pattern.test(text)) {
        expect(await outputs().count(), 'the card changed in place: no new message').to.equal(before);
        return text;
      }
      if (Date.now() - t0 > REPLY_MS) throw new Error(`the card did not come to say ${pattern} within ${REPLY_MS / 1000} s; it says: ${JSON.stringify(text.slice(-1500))}`);
      await page.waitForTimeout(100);
    }
  }

  before(async function () {
    this.timeout(120_000);
    if (!existsSync(CHROMIUM)) {
      console.log(`    browser tests skipped: ${CHROMIUM} not found; .ci/run installs it`);
      this.skip();
    }
    mkdirSync(SHOTS, { recursive: true });
    for (const f of readdirSync(SHOTS)) if (/^browser-.*\.png$/.test(f)) rmSync(join(SHOTS, f));
    process.on('exit', killChildren);
    dataDir = mkdtempSync(join(tmpdir(), 'browser-test-'));
    // The Playground's user is Alex Wilber (id user-id-0, AAD object id 00000000-0000-0000-0000-0000000000020): with the
    // default SUBMIT_POLICY (anyone) they may submit updates.
    // The message extension's previews without a tap, as `npm run playground` runs it: the Playground (0.2.x) shows no
    // results at all when a preview has one (bot/messageExtension.ts).
    // Alex is also a reviewer here (by AAD object id), to approve the update they send. The form without Teams' dynamic
    // typeahead, as `npm run playground` runs it: the Playground has none (it shows the item's id instead).
    bot = await startBotProcess({ DATA_DIR: dataDir, RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000', MESSAGE_EXTENSION_SELECT_ITEM: 'false', FORM_TYPEAHEAD: 'false', REVIEWERS: PLAYGROUND_USER_AAD });
    // Its working folder is the temporary one: no .m365agentsplayground.yml there, so its default users and chats.
    playground = await startPlayground({ endpoint: `${bot.base}/api/messages`, port: await freePort(), cwd: dataDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(REPLY_MS);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
      (route) => route.abort(),
    );
    await page.goto(playground.url);
    // Opening the chat installs the bot, which welcomes the user with its help card.
    await lastCard().getByText('Plan assistant', { exact: true }).waitFor({ timeout: 30_000 });
    await lastCard().getByRole('button', { name: 'Summarise priority 2 of the CYPF plan' }).waitFor();
    await shot('01-welcome');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && browser) {
      const name = (this.currentTest.title ?? 'step').replace(/\W+/g, '-');
      await page.screenshot({ path: join(SHOTS, `browser-FAILED-${name}.png`) }).catch(() => undefined);
      console.log('--- bot log ---\n' + (bot?.log().slice(-3000) ?? ''));
      console.log('--- Playground log ---\n' + (playground?.log().slice(-3000) ?? ''));
    }
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close().catch(() => undefined);
    await playground?.stop();
    await bot?.kill();
    process.removeListener('exit', killChildren);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a typed question with the figures and their source on a card', async () => {
    const text = await say('what is the latest CAMHS waiting time', /10\.9 weeks/);
    expect(text).to.include('CAMHS average waiting time from referral to treatment').and.include('10.9 weeks').and.include('6.59 weeks');
    const card = lastCard();
    // The figure large on the card, its comparison as facts (label beside value), the note about the source plainly.
    await card.getByText('10.9 weeks', { exact: true }).waitFor();
    await card.locator('.ac-fact-title', { hasText: 'Previous' }).waitFor();
    await card.locator('.ac-fact-value', { hasText: '6.59 weeks' }).waitFor();
    await card.getByText(/source does not give the year/).waitFor();
    // The sources one click away.
    await button(card, 'Sources').click();
    await card.getByText(/^County CYPF Plan 2016-18 evidence of achievement \(2018\), Priority 4, key activity 5/).first().waitFor();
    // Latest and previous as bars (drawn by the Playground as Teams does; the fallback facts otherwise).
    await card.locator('[aria-label*="chart" i]').or(card.locator('.ac-fact-title', { hasText: /^Previous$/ })).first().waitFor();
    await shot('02-answer', card);
    await shot('02-answer-page');
  });

  it('answers the follow-ups it suggests, clicked on the answer card', async () => {
    // The answer above carries its follow-ups as buttons on its card (one message: no separate suggested actions).
    const answer = await thisCard();
    await button(answer, 'Show the trend').waitFor();
    await button(answer, 'Priority 4 summary').waitFor();
    await press('Show the trend', /Figures in the plan: 10\.9 weeks \(April\)/, answer);
    await lastCard().locator('.ac-fact-value', { hasText: '6.59 weeks' }).waitFor();
    await shot('03-follow-up-trend');
    // The first answer's card still works after another answer came in. It summarises the answer's own plan
    // (the CYPF plan's priority 4) rather than asking which plan.
    const text = await press('Priority 4 summary', /RAG: /, answer);
    expect(text).to.include('Nottinghamshire County Council').and.include('Children, Young People and Families Plan').and.not.include('of which plan');
    await lastCard().getByText('Needs attention', { exact: true }).waitFor();
    await shot('04-follow-up-summary');
  });

  it("summarises a priority: the first screen leads with the RAG line and what needs attention, fits a laptop screen, and opens in full with one click", async () => {
    // The council plan's priority 1 has indicators off target and getting worse.
    await say('summarise priority 1 of the council plan', /Needs attention/);
    const card = lastCard();
    await card.getByText(/^RAG: 8 indicators: 4 on target, 3 off target, 1 no target; 2 improving, 2 worse/).waitFor();
    await card.getByText(/Off target: All recorded crime \(Q4\): 47,583 \(Q4 2016\/17\) against a target of 40,873/).waitFor();
    await card.getByText(/Worse: People killed or seriously injured in road traffic.*323 \(2016\/17\), worse than 320/).waitFor();
    await card.getByText('Progress', { exact: true }).waitFor();
    // The RAG split as a donut beside the RAG line (the Playground draws Teams' charts; a client without them shows the fallback).
    await card.locator('[aria-label="Indicators against target, Donut chart"]').or(card.locator('.ac-fact-title', { hasText: 'Off target' })).first().waitFor();
    // Everything else is on the card but hidden, and the first screen fits a laptop without scrolling.
    expect(await card.getByText('Indicators (8)', { exact: true }).isVisible()).to.equal(false);
    const firstScreen = (await card.boundingBox())!.height;
    console.log(`      first screen of the summary card: ${Math.round(firstScreen)} px high (limit ${FIRST_SCREEN_PX})`);
    expect(firstScreen).to.be.below(FIRST_SCREEN_PX);
    await button(card, 'Export as Word').waitFor();
    await button(card, 'Export as text').waitFor();
    await shot('05-summary-first-screen', card);
    await shot('05-summary-page');
    // One click opens every indicator, key action, narrative and source in place.
    await button(card, 'Show all').click();
    await card.getByText('Indicators (8)', { exact: true }).waitFor();
    await card.getByText('Sources', { exact: true }).waitFor();
    await card.getByText('Average time between a child entering care and moving in with its adoptive family, for those adopted children (days) (Q4)', { exact: true }).waitFor();
    expect((await card.boundingBox())!.height).to.be.above(firstScreen * 2);
    await shot('05-summary-show-all', card);
  });

  it('exports the summary as a Word board report by a signed download link (the Playground has no file consent)', async () => {
    const card = await thisCard();
    const text = await press('Export as Word', /download link works for 15 minutes/, card);
    expect(text).to.include('Word board report');
    await shot('05-summary-export-word-link', lastCard());
    // The button opens the bot's own signed link (the Playground shows its URL as the button's title).
    const link = lastCard().getByRole('link', { name: 'Download the Word document' });
    const url = await link.getAttribute('title');
    expect(url, 'the download link').to.match(/^http:\/\/127\.0\.0\.1:\d+\/exports\/[0-9a-f-]{36}\?exp=\d+&sig=[0-9a-f]{64}$/);
    // The link serves the document: a Word file that holds the RAG table and what needs attention.
    const res = await fetch(url!);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = documentXml(Buffer.from(await res.arrayBuffer()));
    expect(xml).to.include('RAG table: indicators').and.include('All recorded crime (Q4)').and.include('Needs attention');
    // Clicked on the card, the document downloads.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).to.match(/^Nottinghamshire County Nottinghamshire County Council Plan priority 1 \d{4}-\d\d-\d\d\.docx$/);
  });

  it('takes a progress update through the one-card form: the item found as typed, refused without a status, the check card, then "Submitted ✓" in place', async () => {
    await say(SELF_HARM, /Is this update for Number of hospital admissions for self-harm \(10-24 years\) \(City, priority 1\)\?/);
    await press('No, search again', /Which activity or indicator is this update for\?/);
    await press('Use one form instead', /Fill in the form and press Check and submit/);
    const at = (await cards().count()) - 1;
    const form = () => cards().nth(at);
    await form().getByText('Progress update', { exact: true }).waitFor();
    // The item field. Teams searches as the lead types (application/search; test/universal-actions.test.ts has the
    // typos); the Playground has no dynamic typeahead, so this is the fallback: the static list, filtered as typed.
    const item = form().getByRole('combobox', { name: /Activity or indicator/ });
    expect(await item.inputValue()).to.match(/^Number of hospital admissions for self-harm/);
    await item.click();
    await item.press('Control+a');
    await page.keyboard.type('breastfe');
    await page.getByRole('option', { name: /^Percentage of mothers who breastfeed/ }).first().waitFor();
    await shot('06-form-typeahead-fallback');
    await item.press('Control+a');
    await page.keyboard.type('admissions for self-h');
    await page.getByRole('option', { name: /^Number of hospital admissions for self-harm/ }).first().click();
    expect(await item.inputValue()).to.match(/^Number of hospital admissions for self-harm/);
    await form().getByLabel(/^New value/).fill('38');
    await form().getByLabel(/^Period it is for/).fill('sometime soon');
    await form().getByLabel(/^Progress/).fill('SHARP clinics ran in 12 more schools this quarter.');
    // No status chosen (there is no default): refused with the reason beside the field, and nothing is sent.
    const outputsBefore = await outputs().count();
    await button(form(), 'Check and submit').click();
    await form().getByText('Choose a status').waitFor();
    await shot('06b-form-no-status', form());
    expect(await outputs().count()).to.equal(outputsBefore);
    await form().getByRole('combobox', { name: /^Status/ }).click();
    await page.getByRole('option', { name: 'on track', exact: true }).click();
    // The bot checks the form: a period it cannot read comes back on the form, in place, the error beside the field.
    await pressInPlace(form, 'Check and submit', /⚠ /);
    expect(await form().getByLabel(/^Progress/).inputValue()).to.equal('SHARP clinics ran in 12 more schools this quarter.');
    await shot('06c-form-error', form());
    await form().getByLabel(/^Period it is for/).fill('Q3 2017/18');
    // Checked: the check card takes the form's place; nothing is saved until Confirm.
    await pressInPlace(form, 'Check and submit', /Check your update/);
    await form().locator('.ac-fact-value', { hasText: /^38$/ }).waitFor();
    await form().locator('.ac-fact-value', { hasText: 'on track' }).waitFor();
    await shot('06d-form-check', form());
    await pressInPlace(form, 'Confirm', /Submitted ✓ — waiting for review/);
    expect(await form().innerText()).to.match(SAVED);
    // No live button: it cannot be sent again.
    expect(await form().getByRole('button').count()).to.equal(0);
    await shot('06e-form-submitted', form());
  });

  it('a reviewer approves the update on its card, which then shows who approved it and when', async () => {
    await say('review updates', /1 update waiting for review/);
    const at = (await cards().count()) - 1;
    const review = () => cards().nth(at);
    await review().getByText(/for review$/).waitFor();
    await shot('06f-review', review());
    await pressInPlace(review, 'Approve', /Approved by Alex Wilber at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await review().getByRole('button').count()).to.equal(0);
    await shot('06g-approved', review());
  });

  it('takes a progress update question by question, its check card becoming "Saved." in place', async () => {
    await say(SELF_HARM, /Is this update for Number of hospital admissions for self-harm/);
    await press('Yes', /What is the new value for "Number of hospital admissions for self-harm \(10-24 years\)"\?/);
    await say('40', /Which period is this update for\?/);
    await say('Q3 2017/18', /What is the status\?/);
    await shot('09-dialog-status', lastCard());
    await press('on track', /Describe the progress in a sentence or two/);
    await say('Kooth and SHARP referrals are steady; admissions fell slightly.', /Any evidence\?/);
    await say('none', /Please check your update, then confirm/);
    const confirm = lastCard();
    const checkCard = () => confirm;
    await confirm.getByText('Check your update', { exact: true }).waitFor();
    await confirm.locator('.ac-fact-value', { hasText: /^40$/ }).waitFor();
    await confirm.locator('.ac-fact-value', { hasText: 'Q3 2017/18' }).waitFor();
    await confirm.locator('.ac-fact-value', { hasText: 'on track' }).waitFor();
    await shot('10-dialog-confirm', confirm);
    // Action.Execute: the check card itself becomes "Saved…", with no button left to press twice.
    await pressInPlace(checkCard, 'Confirm', SAVED);
    expect(await checkCard().getByRole('button').count(), 'no live button').to.equal(0);
    await shot('11-dialog-saved');
  });

  it('cancels an update half way, and nothing is saved', async () => {
    await say(SELF_HARM, /Is this update for/);
    await press('Yes', /What is the new value/);
    await say('cancel', /Cancelled\. Nothing was saved\./);
    await shot('12-cancelled');
    // The two updates saved above are there, and only they.
    const mine = await say('my updates', /Your 2 most recent updates:/);
    expect(mine.match(/Number of hospital admissions for self-harm/g)).to.have.length(2);
    await shot('13-my-updates', lastCard());
  });

  it('searches the plans from a group chat\'s compose box (the message extension), typo and all, and inserts the figure card', async () => {
    // A conversation where the bot is not the one being asked: the Playground's group chat.
    await page.locator('button[aria-label="Group Chat"]').click();
    const compose = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await compose.waitFor();
    const errors = pageErrors.length;
    // The Playground's "+" beside the compose box opens the message extensions; "Search Command" is a search-based one.
    await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Search Command' }).click();
    const search = page.getByPlaceholder('Enter a search term');
    await search.click();
    // Typed as a person types: the Playground searches as the words change.
    await page.keyboard.type('camhs wiating');
    const panel = page.locator('.fui-PopoverSurface', { has: search });
    // Each result: the item, its key figure with its period, the authority.
    const first = panel.getByText('10.9 weeks (April)', { exact: true });
    await first.waitFor();
    await panel.getByText('CAMHS average waiting time from referral to treatment', { exact: true }).waitFor();
    await panel.getByText(/^Nottinghamshire County Council · County CYPF Plan 2016-18/).first().waitFor();
    checkPageErrors(errors);
    await shot('15-extension-results', panel);
    await first.click();
    // The card waits in the compose box, to be sent: the answer's sentence, the figure, its source as a line, as at.
    const inserted = compose.locator('.ac-adaptiveCard');
    await inserted.getByText('10.9 weeks', { exact: true }).waitFor();
    await inserted.getByText(/^CAMHS average waiting time from referral to treatment: 10\.9 weeks \(April\), previously 6\.59 weeks \(January 2017\)\.$/).waitFor();
    await inserted.getByText('April', { exact: true }).waitFor();
    await inserted.getByText('County CYPF Plan 2016-18 evidence of achievement (2018), Priority 4, key activity 5', { exact: true }).waitFor();
    await inserted.getByText(/^As at .*: the published plans and approved updates, from the Plan assistant\.$/).waitFor();
    // Self-contained: no button that would need the bot in this conversation.
    expect(await inserted.getByRole('button').count()).to.equal(0);
    checkPageErrors(errors);
    await shot('16-extension-inserted', compose);
    await shot('16-extension-inserted-page');
    // Sent, it leaves the compose box and is the user's message in the group chat, for everyone there to read.
    await page.getByRole('button', { name: 'Send Message' }).click();
    await inserted.waitFor({ state: 'detached' });
    const sent = page.locator('.ac-adaptiveCard', { hasText: 'As at' });
    await sent.getByText('10.9 weeks', { exact: true }).waitFor();
    expect(await sent.count()).to.equal(1);
    checkPageErrors(errors);
    await shot('17-extension-sent');
    await page.locator('button[aria-label="Personal Chat"]').click();
    await compose.waitFor();
  });

  it("asks the help card's example questions when they are clicked", async () => {
    await say('help', /Here is what I can do/);
    const help = await thisCard();
    await help.getByText('Plan assistant', { exact: true }).waitFor();
    const text = await press('Who leads on breastfeeding?', /Helene Denness/, help);
    expect(text).not.to.include("didn't recognise");
    await shot('14-help-example');
  });
});
