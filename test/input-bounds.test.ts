/**
 * What a message can cost: its text is cut to MAX_TEXT before the dialogs or
 * the answering read it, and a very long single "word" is cut to
 * MAX_WORD_LENGTH before the search and its typo layer see it, so their work
 * is bounded by the cut, not by what was pasted.
 */
import { expect } from 'chai';
import { MAX_WORD_LENGTH, words } from '../knowledge/text';
import { SearchIndex } from '../knowledge/search';
import { MAX_TEXT } from '../bot/text';
import { realKnowledge } from './helpers/knowledge';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';

describe('input bounds: long text and long words', function () {
  this.timeout(60_000);

  it('cuts a word longer than MAX_WORD_LENGTH, and the search sees only the cut word', () => {
    const long = 'camhswaitingtimes'.repeat(200);
    expect(words(`the ${long} now`)).to.deep.equal(['the', long.slice(0, MAX_WORD_LENGTH), 'now']);
    const index = new SearchIndex(realKnowledge().knowledge);
    // Table-driven: whatever follows the first MAX_WORD_LENGTH letters, the concepts (and their typo work) are the same.
    for (const word of ['x'.repeat(5000), long, 'abcdefghijklmnopqrstuvwxyz'.repeat(300)]) {
      expect(index.concepts(word), word.slice(0, 20)).to.deep.equal(index.concepts(word.slice(0, MAX_WORD_LENGTH)));
    }
  });

  describe('over HTTP', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ RATE_LIMIT_BURST: '1000' });
    });
    after(async () => s?.stop());

    it('a dialog in progress reads the message cut to MAX_TEXT, as answering does', async () => {
      const lead = new TestConversation(s.base, { id: '29:lead', name: 'Lee Lead', aadObjectId: 'aad-lead' });
      expect((await lead.say('update on self-harm admissions in the city')).text).to.include('Is this update for');
      await lead.say('yes');
      await lead.say('40');
      await lead.say('Q3 2017/18');
      expect((await lead.say('on track')).text).to.include('Describe the progress');
      // Longer than the narrative's own limit (4,000): refused whole before, read cut now.
      const narrative = 'SHARP clinics ran in more schools. '.repeat(150);
      expect(narrative.length).to.be.above(4000);
      expect((await lead.say(narrative)).text).to.include('Any evidence');
      const check = await lead.say('none');
      expect(check.text).to.include('Check your update').and.include(narrative.slice(0, MAX_TEXT).trim()).and.not.include(narrative.slice(0, MAX_TEXT + 40));
    });
  });
});
