import { expect } from 'chai';
import {
  checkNarrative,
  movesWrongWay,
  parseEvidence,
  parsePeriod,
  parseStatus,
  parseValue,
  UpdateFormSchema,
  validateUpdateForm,
  type FieldErrors,
  type ItemRules,
} from '../updates/validation';
import { UpdateDraftSchema } from '../updates/types';

/** A fixed "now" so the future-period rule does not drift with the calendar. */
const NOW = new Date('2018-05-15T12:00:00Z');

/** Narrows a parser result to its refusal message, failing the test when it was accepted. */
function refusal(r: { ok: boolean; message?: string }, label: string): string {
  expect(r.ok, `${label} should be refused`).to.equal(false);
  return r.message ?? '';
}

describe('update validation', () => {
  describe('parseValue', () => {
    const accepted: [string, string | undefined, string, number][] = [
      ['12.5', undefined, '12.5', 12.5],
      ['1,234', undefined, '1,234', 1234],
      ['1,234,567.5', undefined, '1,234,567.5', 1234567.5],
      ['1,234,567', 'number', '1,234,567', 1234567],
      ['  7 ', undefined, '7', 7],
      ['0', 'count', '0', 0],
      ['.5', 'score', '0.5', 0.5],
      ['12.5%', '%', '12.5%', 12.5],
      ['12.5', '%', '12.5%', 12.5],
      ['78.10 %', '%', '78.10%', 78.1],
      ['45 percent', 'percentage', '45%', 45],
      ['45 per cent', '% reduction', '45%', 45],
      ['0%', '%', '0%', 0],
      ['100', '%', '100%', 100],
      ['45%', undefined, '45%', 45],
      ['£3,000', '£', '3,000', 3000],
      ['3,000 pounds', '£', '3,000', 3000],
      ['-£250', '£', '-250', -250],
      ['10.9 weeks', 'weeks', '10.9', 10.9],
      ['10.9 wks', 'weeks', '10.9', 10.9],
      ['4 days', 'days', '4', 4],
      ['57.3 fte', 'fte', '57.3', 57.3],
      ['45.2 per 100k', 'rate per 100k', '45.2', 45.2],
      ['9.8 per 1,000 live births', 'rate per 1000 live births', '9.8', 9.8],
      ['23.0 percentage points', 'percentage points', '23.0', 23],
      ['-1.5 pp', 'percentage points', '-1.5', -1.5],
      ['23%', 'percentage points', '23', 23],
      ['-2.5', 'score', '-2.5', -2.5],
      ['40,873 children', 'number', '40,873', 40873],
      ['−3', '£', '-3', -3],
    ];
    for (const [input, unit, value, number] of accepted) {
      it(`accepts ${JSON.stringify(input)} (unit ${unit ?? 'none'}) as ${value}`, () => {
        expect(parseValue(input, unit)).to.deep.equal({ ok: true, value, number });
      });
    }

    const refused: [string, string | undefined, RegExp[]][] = [
      ['', undefined, [/Please give the latest figure as a number/, /12\.5/]],
      ['', '%', [/^Please give the latest figure as a percentage, like 47\.5%\.$/]],
      ['lots', 'number', [/need a number/, /1,234/]],
      ['n/a', '%', [/need a number/]],
      ['12 to 15', 'number', [/just one number/, /found 2/, /12, 15/]],
      ['Q3: 45%', '%', [/just one number/, /3, 45/]],
      ['1 234', undefined, [/just one number/]],
      ['12,5', '%', [/"12,5"/, /point for decimals/, /commas only between thousands/]],
      ['1,23,456', 'number', [/"1,23,456"/, /commas only between thousands/]],
      ['120', '%', [/percentage must be between 0 and 100/, /you wrote 120\./]],
      ['120%', undefined, [/between 0 and 100/, /you wrote 120\./]],
      ['-5%', '%', [/between 0 and 100/, /you wrote -5\./]],
      ['-3', 'number', [/can't be negative/, /you wrote -3\./]],
      ['-3', 'count', [/can't be negative/]],
      ['-3', undefined, [/can't be negative/]],
      ['-2 weeks', 'weeks', [/can't be negative/, /-2/]],
      ['-4.1', 'rate per 100k', [/can't be negative/]],
      ['5 days', 'weeks', [/measured in weeks/, /"days"/, /give the figure in weeks/]],
      ['3 weeks', 'days', [/measured in days/, /"weeks"/]],
      ['12%', 'number', [/measured as a whole number \(a count\)/, /"%"/]],
      ['12 percent', 'count', [/as a whole number/, /"percent"/]],
      ['£12', '%', [/measured as a percentage/, /"£"/]],
      ['12%', 'rate per 100k', [/measured as a rate per 100k/, /"%"/, /like 45\.2/]],
      ['12 pp', '%', [/as a percentage/, /"pp"/]],
      ['4 hours', 'weeks', [/measured in weeks/, /"hours"/]],
      ['3k', '£', [/in full/, /3,000/]],
      ['£1.5 million', '£', [/in full/]],
    ];
    for (const [input, unit, patterns] of refused) {
      it(`refuses ${JSON.stringify(input)} (unit ${unit ?? 'none'})`, () => {
        const message = refusal(parseValue(input, unit), input);
        for (const p of patterns) expect(message).to.match(p);
      });
    }
  });

  describe('vague figures are refused with the word that makes them vague, never stored', () => {
    const vague: [string, string | undefined, string][] = [
      ['about 47 percent', '%', 'about'],
      ['About 47%', '%', 'about'],
      ['approx 50', '%', 'approx'],
      ['approx. 50%', '%', 'approx'],
      ['approximately 50', 'number', 'approximately'],
      ['~12', 'number', '~'],
      ['≈12', 'number', '≈'],
      ['around 10 weeks', 'weeks', 'around'],
      ['47%?', '%', '?'],
      ['47?', undefined, '?'],
      ['roughly 30', 'number', 'roughly'],
      ['nearly 200', 'number', 'nearly'],
      ['almost 90%', '%', 'almost'],
      ['over 200', 'number', 'over'],
      ['under 5%', '%', 'under'],
      ['more than 40', 'number', 'more than'],
      ['at least 12', 'number', 'at least'],
      ['up to 15 days', 'days', 'up to'],
      ['c. 40', 'number', 'c.'],
      ['circa 40', 'number', 'circa'],
      ['50+', 'number', '+'],
      ['<5', '%', '<'],
      ['47ish', '%', 'ish'],
      ['47 or so', '%', 'or so'],
      ['est. 47%', '%', 'est'],
      ['estimated 47%', '%', 'estimated'],
      ['some 40', 'number', 'some'],
      ['47% tbc', '%', 'tbc'],
    ];
    for (const [input, unit, word] of vague) {
      it(`refuses ${JSON.stringify(input)} (unit ${unit ?? 'none'}), naming "${word}"`, () => {
        const message = refusal(parseValue(input, unit), input);
        expect(message).to.include(`("${word}")`);
        expect(message).to.match(/not an exact figure/);
        expect(message).to.match(/say so in the progress/);
      });
    }
    // Exact figures that merely contain the letters of those words are still figures.
    const exact: [string, string | undefined, string][] = [
      ['47 percent', '%', '47%'],
      ['+5', 'score', '5'],
      ['£3,000', '£', '3,000'],
      ['10.9 weeks', 'weeks', '10.9'],
      ['12 cases', 'number', '12'],
    ];
    for (const [input, unit, value] of exact) {
      it(`still accepts ${JSON.stringify(input)} as ${value}`, () => {
        expect(parseValue(input, unit)).to.deep.include({ ok: true, value });
      });
    }
  });

  describe('a value must be what the item measures', () => {
    const wrong: [string, string, RegExp][] = [
      ['12.5', 'number', /a count, so it needs a whole number, like 1,234; you wrote 12\.5\./],
      ['47%', 'number', /measured as a whole number \(a count\), but you wrote "%"/],
      ['10 weeks', 'number', /measured as a whole number \(a count\), but you wrote "weeks"/],
      ['12%', 'rate', /measured as a rate, but you wrote "%"/],
      ['12 days', 'weeks', /measured in weeks, but you wrote "days"\. Please give the figure in weeks, like 10\.5 weeks\./],
      ['£12', '%', /measured as a percentage, but you wrote "£"\. Please give the figure as a percentage, like 47\.5%\./],
      ['12 weeks', '£', /measured in pounds \(£\)/],
      ['101', '% reduction', /between 0 and 100/],
    ];
    for (const [input, unit, pattern] of wrong) {
      it(`refuses ${JSON.stringify(input)} for an item measured in ${JSON.stringify(unit)}`, () => {
        expect(refusal(parseValue(input, unit), input)).to.match(pattern);
      });
    }
  });

  describe('parsePeriod', () => {
    const accepted: [string, string, 'quarter' | 'month' | 'year', string, string][] = [
      ['Q3 2017/18', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['q3 17/18', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['Quarter 3 2017-18', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['Q3 2017-2018', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['  Q3 FY17/18. ', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['2017/18 Q3', 'Q3 2017/18', 'quarter', '2017-10-01', '2017-12-31'],
      ['Q1 2017/18', 'Q1 2017/18', 'quarter', '2017-04-01', '2017-06-30'],
      ['Q2 2017/18', 'Q2 2017/18', 'quarter', '2017-07-01', '2017-09-30'],
      ['Q4 2017/18', 'Q4 2017/18', 'quarter', '2018-01-01', '2018-03-31'],
      ['Q4 1999/00', 'Q4 1999/00', 'quarter', '2000-01-01', '2000-03-31'],
      ['March 2018', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['mar 2018', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['Mar-18', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ["Mar '18", 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['03/2018', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['3/2018', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['2018-03', 'March 2018', 'month', '2018-03-01', '2018-03-31'],
      ['Sept 2017', 'September 2017', 'month', '2017-09-01', '2017-09-30'],
      ['February 2016', 'February 2016', 'month', '2016-02-01', '2016-02-29'],
      ['feb 2017', 'February 2017', 'month', '2017-02-01', '2017-02-28'],
      ['2017/18', '2017/18', 'year', '2017-04-01', '2018-03-31'],
      ['2017-18', '2017/18', 'year', '2017-04-01', '2018-03-31'],
      ['17/18', '2017/18', 'year', '2017-04-01', '2018-03-31'],
      ['2017-2018', '2017/18', 'year', '2017-04-01', '2018-03-31'],
      ['FY 2017/18', '2017/18', 'year', '2017-04-01', '2018-03-31'],
      ['2011-12', '2011/12', 'year', '2011-04-01', '2012-03-31'],
      // Up to a year ahead is allowed.
      ['2018/19', '2018/19', 'year', '2018-04-01', '2019-03-31'],
      ['Q1 2019/20', 'Q1 2019/20', 'quarter', '2019-04-01', '2019-06-30'],
    ];
    for (const [input, period, kind, from, to] of accepted) {
      it(`accepts ${JSON.stringify(input)} as ${period} (${kind})`, () => {
        expect(parsePeriod(input, NOW)).to.deep.equal({ ok: true, period, kind, from, to });
      });
    }

    const refused: [string, RegExp[]][] = [
      ['', [/give the period/, /Q3 2017\/18/, /March 2018/]],
      ['soon', [/"soon"/, /Q3 2017\/18/, /March 2018/, /2017\/18/]],
      ['February 30', [/"February 30"/, /March 2018/]],
      ['30 February 2018', [/couldn't read/, /March 2018/]],
      ['Q5 2017/18', [/four quarters/, /Q1 to Q4/, /you wrote Q5/]],
      ['Q0 17/18', [/four quarters/, /Q0/]],
      ['Q3 2017', [/couldn't read/, /Q3 2017\/18/]],
      ['2017/19', [/"2017\/19"/, /consecutive/, /2017\/18/]],
      ['2017-19', [/consecutive/]],
      ['17/19', [/consecutive/]],
      ['Q3 2017/19', [/consecutive/]],
      ['2018', [/which financial year/, /2017\/18 or 2018\/19/]],
      ['13/2018', [/no month 13/, /March 2018/]],
      ['Febtober 2018', [/couldn't read/]],
      ['Q2 2019/20', [/Q2 2019\/20 is in the future/, /2019-07-01/]],
      ['2030/31', [/2030\/31 is in the future/]],
      ['June 2019', [/June 2019 is in the future/]],
    ];
    for (const [input, patterns] of refused) {
      it(`refuses ${JSON.stringify(input)}`, () => {
        const message = refusal(parsePeriod(input, NOW), input);
        for (const p of patterns) expect(message).to.match(p);
      });
    }

    it('judges the future against the current date by default', () => {
      expect(parsePeriod('2099/00').ok).to.equal(false);
      expect(parsePeriod('2017/18').ok).to.equal(true);
    });
  });

  describe('parseStatus', () => {
    const accepted: [string, string][] = [
      ['on track', 'on track'],
      ['On Track!', 'on track'],
      ['on-track', 'on track'],
      ['green', 'on track'],
      ['G', 'on track'],
      ['good', 'on track'],
      ['at risk', 'at risk'],
      ['At-risk.', 'at risk'],
      ['amber', 'at risk'],
      ['a', 'at risk'],
      ['off track', 'off track'],
      ['RED', 'off track'],
      ['r', 'off track'],
      ['behind', 'off track'],
      ['complete', 'complete'],
      ['Completed', 'complete'],
      ['done.', 'complete'],
      ['finished', 'complete'],
    ];
    for (const [input, status] of accepted) {
      it(`reads ${JSON.stringify(input)} as ${status}`, () => {
        expect(parseStatus(input)).to.deep.equal({ ok: true, status });
      });
    }

    for (const input of ['', 'purple', 'maybe', 'not sure']) {
      it(`refuses ${JSON.stringify(input)} and lists the choices`, () => {
        const message = refusal(parseStatus(input), input);
        expect(message).to.match(/on track \(green\), at risk \(amber\), off track \(red\) or complete/);
        if (input) expect(message).to.include(`"${input}"`);
      });
    }
  });

  describe('checkNarrative', () => {
    it('trims and keeps line breaks, removing control and invisible characters', () => {
      expect(checkNarrative('  Recruited two\u0007 new\u200B workers.\r\nMore to do.\u202E ')).to.deep.equal({
        ok: true,
        text: 'Recruited two new workers.\nMore to do.',
      });
    });

    it('accepts exactly 4000 characters', () => {
      const text = 'word '.repeat(800).trim() + 'x';
      expect(text.length).to.equal(4000);
      expect(checkNarrative(text).ok).to.equal(true);
    });

    const refused: [string, RegExp[]][] = [
      ['', [/describe the progress/]],
      ['   \u0000\u0001  ', [/describe the progress/]],
      ['Done it.', [/bit short/, /3 words/]],
      ['Supercalifragilistic progress', [/bit short/, /3 words/]],
      ['a b c', [/bit short/]],
      ['x '.repeat(2001), [/4,002 characters|4,001 characters/, /4,000 or fewer/]],
    ];
    for (const [input, patterns] of refused) {
      it(`refuses ${JSON.stringify(input.slice(0, 30))}`, () => {
        const message = refusal(checkNarrative(input), input);
        for (const p of patterns) expect(message).to.match(p);
      });
    }
  });

  describe('parseEvidence', () => {
    const accepted: [string, string | undefined][] = [
      ['', undefined],
      ['none', undefined],
      ['None.', undefined],
      ['no', undefined],
      ['SKIP', undefined],
      ['-', undefined],
      ['n/a', undefined],
      ['https://council.sharepoint.com/sites/cyp/report.docx', 'https://council.sharepoint.com/sites/cyp/report.docx'],
      ['  http://example.org/a?b=c  ', 'http://example.org/a?b=c'],
      ['https://x.sharepoint.com/' + 'a'.repeat(400), 'https://x.sharepoint.com/' + 'a'.repeat(400)],
      ['Children & Young People Committee report, March 2018', 'Children & Young People Committee report, March 2018'],
      ['Ofsted report: March 2018', 'Ofsted report: March 2018'],
      ['t'.repeat(300), 't'.repeat(300)],
    ];
    for (const [input, evidence] of accepted) {
      it(`accepts ${JSON.stringify(input.slice(0, 50))}`, () => {
        expect(parseEvidence(input)).to.deep.equal({ ok: true, evidence });
      });
    }

    const refused: [string, RegExp[]][] = [
      ['javascript:alert(1)', [/http:\/\/ or https:\/\//, /"javascript:"/]],
      ['JavaScript: alert(document.cookie)', [/"javascript:"/]],
      ['java\tscript:alert(1)', [/"javascript:"/]],
      ['data:text/html;base64,PHNjcmlwdD4=', [/"data:"/, /title instead/]],
      ['file:///C:/Users/me/report.docx', [/"file:"/]],
      ['ftp://example.org/report.pdf', [/"ftp:"/]],
      ['https://', [/doesn't look complete/, /https:\/\//]],
      ['t'.repeat(301), [/too long for a document title/, /301 characters/, /300 at most/]],
      ['https://x.org/' + 'a'.repeat(2048), [/link is too long/, /title instead/]],
    ];
    for (const [input, patterns] of refused) {
      it(`refuses ${JSON.stringify(input.slice(0, 40))}`, () => {
        const message = refusal(parseEvidence(input), input);
        for (const p of patterns) expect(message).to.match(p);
      });
    }
  });

  describe('movesWrongWay', () => {
    const cases: ['high' | 'low' | 'none', string | undefined, string, boolean][] = [
      ['high', '78.1%', '75%', true],
      ['high', '78.1%', '80%', false],
      ['high', '78.1%', '78.1%', false],
      ['low', '40,873', '41,000', true],
      ['low', '40,873', '40,000', false],
      ['low', '12 weeks', '10.9', false],
      ['none', '10', '99', false],
      ['high', undefined, '5', false],
      ['high', 'Data available end of June', '5', false],
      ['low', '5', 'not a number', false],
      ['high', '-2', '-3', true],
    ];
    for (const [polarity, previous, next, expected] of cases) {
      it(`${polarity}: ${String(previous)} -> ${next} is ${expected ? '' : 'not '}the wrong way`, () => {
        expect(movesWrongWay(polarity, previous, next)).to.equal(expected);
      });
    }
  });

  describe('validateUpdateForm', () => {
    const indicator: ItemRules = { kind: 'indicator', unit: '%', polarity: 'high', previous: '78.1%' };
    const activity: ItemRules = { kind: 'activity' };
    const form = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
      action: 'submitUpdateForm',
      formId: '7d8f2c1e-0b5a-4c1e-9a34-5f0e2b6d1c90',
      itemId: 'county-ind-ehcp-20-weeks',
      value: '80',
      period: 'q3 17/18',
      status: 'green',
      narrative: 'Plans issued on time have risen again this quarter.',
      evidence: 'none',
      ...over,
    });
    const fields = (r: ReturnType<typeof validateUpdateForm>): string[] => (r.ok ? [] : Object.keys(r.errors));
    const message = (r: ReturnType<typeof validateUpdateForm>, field: keyof FieldErrors): string => (r.ok ? '' : (r.errors[field] ?? ''));

    it('turns a good indicator submission into a normalised draft, dropping unknown fields', () => {
      const r = validateUpdateForm(form({ msteams: { x: 1 }, extra: 'y' }), indicator, NOW);
      expect(r).to.deep.equal({
        ok: true,
        draft: {
          itemId: 'county-ind-ehcp-20-weeks',
          value: '80%',
          period: 'Q3 2017/18',
          periodKind: 'quarter',
          status: 'on track',
          narrative: 'Plans issued on time have risen again this quarter.',
          evidence: undefined,
        },
      });
      if (r.ok) expect(UpdateDraftSchema.parse(r.draft)).to.deep.equal(r.draft);
      expect(UpdateFormSchema.parse(form({ extra: 'y' }))).to.not.have.property('extra');
    });

    it('ignores the value of an activity', () => {
      const r = validateUpdateForm(form({ value: 'not a number', status: 'done' }), activity, NOW);
      expect(r.ok).to.equal(true);
      if (r.ok) {
        expect(r.draft.value).to.equal(undefined);
        expect(r.draft.status).to.equal('complete');
      }
    });

    it('requires a value for an indicator', () => {
      for (const value of [undefined, '', '   ']) {
        const r = validateUpdateForm(form({ value }), indicator, NOW);
        expect(r.ok ? {} : r.errors, String(value)).to.deep.equal({ value: 'Please give the latest figure as a percentage, like 47.5%.' });
      }
    });

    it('reports every bad field at once, with the parsers’ messages', () => {
      const r = validateUpdateForm(
        form({ value: '120', period: 'soon', status: 'purple', narrative: 'ok', evidence: 'javascript:alert(1)' }),
        indicator,
        NOW,
      );
      expect(fields(r)).to.deep.equal(['value', 'period', 'status', 'narrative', 'evidence']);
      expect(message(r, 'value')).to.match(/between 0 and 100/);
    });

    it('requires a reason and recovery when off track', () => {
      const r = validateUpdateForm(form({ status: 'red' }), activity, NOW);
      expect(fields(r)).to.deep.equal(['reason', 'recovery']);
      expect(message(r, 'reason')).to.match(/off track.*say why/);
      expect(message(r, 'recovery')).to.match(/back on track/);
      const fixed = validateUpdateForm(form({ status: 'red', reason: ' Staff\u0000 sickness ', recovery: 'Agency cover from May.' }), activity, NOW);
      expect(fixed.ok && fixed.draft).to.include({ status: 'off track', reason: 'Staff sickness', recovery: 'Agency cover from May.' });
    });

    it('requires a reason and recovery when the figure moves the wrong way', () => {
      const r = validateUpdateForm(form({ value: '75%' }), indicator, NOW);
      expect(fields(r)).to.deep.equal(['reason', 'recovery']);
      expect(message(r, 'reason')).to.match(/moved the wrong way since 78\.1%/);
      expect(fields(validateUpdateForm(form({ value: '75%', reason: 'Fewer staff', recovery: 'Recruiting' }), indicator, NOW))).to.deep.equal([]);
      // Same figure, the right way, or an indicator with no polarity: not needed.
      expect(validateUpdateForm(form({ value: '78.1' }), indicator, NOW).ok).to.equal(true);
      expect(validateUpdateForm(form({ value: '75' }), { ...indicator, polarity: 'none' }, NOW).ok).to.equal(true);
      expect(validateUpdateForm(form({ value: '75' }), { ...indicator, previous: undefined }, NOW).ok).to.equal(true);
    });

    it('keeps the evidence and a reason given when not required', () => {
      const r = validateUpdateForm(form({ evidence: 'https://example.org/r.pdf', reason: 'Context' }), indicator, NOW);
      expect(r.ok && r.draft).to.include({ evidence: 'https://example.org/r.pdf', reason: 'Context' });
    });

    const malformed: [string, unknown, string, RegExp][] = [
      ['not an object', 'hello', 'form', /not understood/],
      ['null', null, 'form', /not understood/],
      ['the wrong action', form({ action: 'somethingElse' }), 'action', /submitUpdateForm/],
      ['no form id', form({ formId: '' }), 'formId', /form id/],
      ['a damaged form id', form({ formId: 'abc<script>' }), 'formId', /form id/],
      ['an over-long form id', form({ formId: 'a'.repeat(101) }), 'formId', /100 characters/],
      ['no item', form({ itemId: '' }), 'itemId', /item is missing/],
      ['a missing period', form({ period: undefined }), 'period', /give the period this update is for/],
      ['a missing status', form({ status: undefined }), 'status', /Please choose a status: on track \(green\), at risk \(amber\), off track \(red\) or complete/],
      ['an empty status', form({ status: '' }), 'status', /Please choose a status/],
      ['a number for the status', form({ status: 3 }), 'status', /as text/],
      ['an over-long narrative', form({ narrative: 'x'.repeat(4001) }), 'narrative', /4000 characters or fewer/],
      ['an over-long reason', form({ reason: 'x'.repeat(2001) }), 'reason', /2000 characters/],
      ['an over-long value', form({ value: '1'.repeat(301) }), 'value', /300 characters/],
      ['an over-long evidence link', form({ evidence: 'x'.repeat(2049) }), 'evidence', /2048 characters/],
    ];
    for (const [label, raw, field, pattern] of malformed) {
      it(`refuses a submission with ${label}`, () => {
        const r = validateUpdateForm(raw, indicator, NOW);
        expect(r.ok).to.equal(false);
        const error = r.ok ? undefined : r.errors[field as keyof FieldErrors];
        expect(error, JSON.stringify(r)).to.be.a('string');
        expect(error).to.match(pattern);
      });
    }
  });
});
