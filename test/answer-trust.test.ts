/**
 * Answers staff can trust: every word of the question accounted for, the
 * asked-for value first, nothing passed off as the answer. One behaviour per
 * test, on the real plans.
 */
import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import { exclusionsIn, understand } from '../knowledge/understand';
import type { Answer } from '../knowledge/answer';

/** Where a phrase first appears in the reply's opening sentence(s), or -1. */
const at = (a: Answer, s: string) => a.text.indexOf(s);

describe('answering: every qualifier accounted for', () => {
  const { answerer } = realKnowledge();

  it('says the plans have no figure for a dropped qualifier, then the nearest, labelled ("referral to assessment" is not "to treatment")', () => {
    const a = answerer.answer('avg wait from CAMHS referral to assessment in notts?');
    expect(a.kind).to.equal('notFound');
    expect(a.text).to.match(/^The plans don't have a figure for "assessment"\./);
    // The treatment figure may be offered, but only after the refusal, as the nearest.
    const figure = at(a, '10.9 weeks');
    if (figure >= 0) expect(a.text.slice(0, figure)).to.include('The nearest they have');
  });

  it('never answers a target question with another measure\'s target', () => {
    const a = answerer.answer("Hi, what's the target waiting time from referral to treatment for CAMHS in the county plan?");
    expect(a.text).to.match(/^The plans don't have a target for "CAMHS/);
    expect(a.text).not.to.match(/adopt|placement/i);
  });

  it('records a near miss as a question the plans could not answer (its kind is notFound)', () => {
    expect(answerer.answer('how many young people registered on kooth in q3 17/18 (county)?').kind).to.equal('notFound');
  });

  it('keeps a verb or chat word from counting as a qualifier ("where are the liaison teams based")', () => {
    const a = answerer.answer('where are the CAMHS liaison teams based in the county?');
    expect(a.kind).to.equal('answer');
    expect(a.text).to.include("Queen's Medical Centre");
  });
});

describe('answering: exclusions', () => {
  const { answerer } = realKnowledge();

  it('reads what a question rules out and sets it aside', () => {
    expect(exclusionsIn('fte per 100k - notts county only, not the city pls').exclude).to.deep.equal({ authority: 'city', words: [], periods: [] });
    expect(exclusionsIn('mash enquiries per month in 16/17 (county, not the 14/15 figure)').exclude.periods.map((p) => p.text)).to.deep.equal(['14/15']);
    expect(exclusionsIn('teen conceptions - the actual number not the rate').exclude.measure).to.equal('rate');
    expect(exclusionsIn('ks2 fsm6 % - the actual %, not the gap').exclude.words).to.deep.equal(['gap']);
    // NEET's own words and "not yet" are what is asked about, not exclusions.
    expect(exclusionsIn('% not in education employment or training').exclude.words).to.deep.equal([]);
    expect(exclusionsIn('has it not yet been agreed').exclude.words).to.deep.equal([]);
  });

  it('answers for the county when the city is ruled out', () => {
    expect(understand('first time entrants to youth justice per 100k - notts county only, not the city pls').authority).to.equal('county');
    const a = answerer.answer('first time entrants to youth justice per 100k - notts county only, not the city pls');
    expect(a.text).to.include('237').and.not.include('655');
  });

  it('gives the count when the rate is ruled out', () => {
    const a = answerer.answer('how many teen conceptions were there in the city in the yr to q4 2016 - the actual number not the rate');
    expect(a.kind).to.equal('answer');
    expect(a.text.slice(0, 200)).to.include('127');
    expect(a.text.slice(0, 200)).not.to.include('26.9');
  });

  it('says so when all the plans have is what was ruled out', () => {
    const a = answerer.answer('ks2 reading writing maths % for disadvantaged (FSM6) pupils in notts 2016 - the actual %, not the gap');
    expect(a.kind).to.equal('notFound');
    expect(a.text).to.match(/^The plans don't have that apart from the gap, which you ruled out\./);
  });

  it('never gives a figure the question rules out ("just obese, not incl overweight")', () => {
    const a = answerer.answer('y6 kids in nottm city who are obese - just obese, not incl overweight');
    expect(a.text).to.include('24.5%').and.not.include('39.7%');
  });
});

describe('answering: the asked-for value leads', () => {
  const { answerer } = realKnowledge();

  it('leads with the breakdown asked for ("at birth" among breastfeeding figures)', () => {
    const a = answerer.answer('breastfeeding at birth in the city');
    expect(a.text).to.match(/: 72% /);
    expect(a.headline?.value).to.equal('72%');
    // The indicator's national figure (for the 6-8 week rate) is not set beside another breakdown.
    expect(a.text).not.to.include('44.4%');
  });

  it('leads with the figure the small words point at ("who have FGM")', () => {
    const a = answerer.answer('estimated no. of women living in notts who have FGM');
    expect(a.text).to.match(/: 154 /);
  });

  it('gives both values of a comparison in the first sentence', () => {
    const a = answerer.answer('first time entrants to youth justice in the county - latest vs previous');
    const first = a.text.split('. ')[0];
    expect(first).to.include('237').and.include('147');
  });

  it('gives the figure for the period asked, not the latest, and the two periods of "X vs Y"', () => {
    const a = answerer.answer('city LAC KS2 writing at ARE 15/16 vs 16/17');
    expect(a.text.slice(0, 300)).to.include('26%').and.include('54%');
  });

  it('says when a period\'s value is no figure ("New Measure" is not a 2015 gap)', () => {
    const a = answerer.answer('what was the KS2 FSM6 attainment gap in 2015');
    // In the opening (after the authority's name, as both authorities answer).
    expect(a.text.slice(0, 80)).to.match(/The plans don't have a figure for 2015/);
  });

  it('keeps notes about the source apart from the value, as a plain caution', () => {
    const a = answerer.answer('what is the latest CAMHS waiting time');
    expect(a.headline).to.deep.equal({ value: '10.9 weeks', period: 'April', label: 'CAMHS average waiting time from referral to treatment' });
    expect(a.cautions.join(' ')).to.match(/does not give the year/);
    for (const f of a.facts) expect(f.value).not.to.match(/cut off|page edge/);
  });

  it('answers "by how much" with the plan\'s aim when that is all it has', () => {
    const a = answerer.answer('county CIP - by how much are we meant to cut the % of agency social workers covering vacancies?');
    expect(a.kind).to.equal('answer');
    expect(a.text).to.include('30%');
  });
});

describe('answering: a question about one field answers that field first', () => {
  const { answerer } = realKnowledge();
  const cases: [string, RegExp][] = [
    ['which governance group oversees the MASH development activity', /^Governance group for "The development of the Multi Agency Safeguarding Hub \(MASH\)": MASH Governance Group\./],
    ['who are the partners on the closing the gaps strategy work', /^Lead organisation and partners for "The continued implementation of the Closing the Gaps Strategy.*Nottingham Trent and Manchester Universities\./],
    ['who provided the info used as evidence for the LAC and care leavers strategy progress?', /^Evidence sources for "Looked After Children and Care Leavers Strategy's annual action plans": .*John Robinson/],
  ];
  for (const [q, first] of cases) it(`"${q}"`, () => expect(answerer.answer(q).text).to.match(first));

  it('says the plans name no person when a named lead is asked for and only an organisation leads', () => {
    const a = answerer.answer('who is the named lead officer for the young people\'s health strategy');
    expect(a.text).to.match(/^The plans don't give a named person who leads "The implementation of the Young People’s Health Strategy"; the lead organisation is NHS commissioners and providers\./);
  });
});

describe('answering: conditions are not dates', () => {
  const { answerer } = realKnowledge();

  it('answers "when does X happen" with the rule, not "I couldn\'t find a date"', () => {
    const a = answerer.answer('when does a missing child get a trigger plan put on the police missing person system?');
    expect(a.kind).to.equal('answer');
    expect(a.text).to.match(/^All persons missing 3 x in 90 days/);
  });

  it('answers "when did X start and for how long" with both', () => {
    const a = answerer.answer('when did the community children & young ppl\'s service (CCYPS) contract start and how long does it run?');
    expect(a.text.slice(0, 300)).to.include('April 2016').and.include('5 year');
  });

  it('answers "when did X start" from what happened ("since March 2017"), the event word aside', () => {
    expect(answerer.answer('when did the MASE monthly panel start in notts county?').text).to.match(/since March 2017/);
    expect(answerer.answer('when was the TETC extremism conference held?').text).to.match(/October 20th 2017/);
  });

  it('still refuses a "when" about something still to come that the plans do not date', () => {
    const a = answerer.answer('when is the new hopewood centre opening?');
    expect(a.kind).to.equal('notFound');
  });
});

describe('answering: evidence on topic, said once', () => {
  const { answerer } = realKnowledge();

  it('quotes only the answer\'s own record, never a passage of another authority or service under a figure', () => {
    for (const q of ['what is the latest CAMHS waiting time', 'recorded crime in notts', 'NEET rate notts', 'how many kids on a CP plan in the city']) {
      const a = answerer.answer(q);
      const own = a.sources[0]?.document;
      for (const quote of a.quotes) expect(quote.source.document, `${q}: ${quote.text}`).to.equal(own);
    }
  });

  it('answers "still running?" with the sentence that says it ended, first', () => {
    const a = answerer.answer('is the brushing buddies tooth brushing programme still going');
    expect(a.text).to.match(/^Despite the loss of the service on 31st March 2018/);
  });
});

describe('answering: more shapes of question, each answered or refused as it should be', () => {
  const { answerer } = realKnowledge();

  it('answers two questions in one, part by part ("… and what was the target")', () => {
    const a = answerer.answer('number of children on a CP plan in the city at end of 17/18 and what was the target');
    expect(a.kind).to.equal('answer');
    expect(a.text.slice(0, 400)).to.include('569').and.include('458');
  });

  it('gives a position when a ranking is asked for, and refuses when the plans give none', () => {
    expect(answerer.answer('where do we rank nationally on first time entrants to the youth justice system? (city)').text.slice(0, 400)).to.match(/136 th of 137/);
    expect(answerer.answer('where does the city rank on teenage pregnancy?').text.slice(0, 400)).to.match(/20th highest/);
    expect(answerer.answer('where does the county rank on NEET?').text).to.match(/^The plans don't give a ranking/);
  });

  it('holds an age asked for against the figure\'s ages ("18 year olds" is not 16-17)', () => {
    const a = answerer.answer('what % of 18 year olds in the county are NEET?');
    expect(a.kind).to.equal('notFound');
    expect(a.text).to.match(/^The plans don't have a figure for "18 year olds"/);
    expect(answerer.answer('nottm city first time entrants rate per 100k 10-17 yr olds?').text).to.include('655');
  });

  it('needs a percentage for "what %" (a count of campaigns is none)', () => {
    const a = answerer.answer('what % of 5 yr olds in nottm city have tooth decay?');
    expect(a.kind).to.equal('notFound');
  });

  it('gives a judgement only when it is of what was asked ("children\'s services", not schools)', () => {
    expect(answerer.answer("what rating did ofsted give nottingham city children's services at their last inspection?").kind).to.equal('notFound');
    const county = answerer.answer("What was the outcome of the last Ofsted inspection of notts children's services?");
    expect(county.kind).to.equal('answer');
    expect(county.text.slice(0, 400)).to.include('June 2015').and.include('good');
  });

  it('reads a swapped acronym ("FMG") and a slip in one ("ICCYHP")', () => {
    expect(answerer.answer('how many women in notts are estimated to have FMG?').text).to.match(/: 154 /);
    expect(answerer.answer('what does ICCYHP stand for').text).to.match(/^ICCYPH stands for Integrated Children and Young People's Healthcare/);
  });
});

describe('answering: the figure given is a figure of what was asked', () => {
  const { answerer, summariser } = realKnowledge();

  it('never passes a narrower group\'s figure off as the whole ("progress 8 score" is not children in care\'s)', () => {
    const a = answerer.answer('city progress 8 score?');
    expect(a.kind).to.equal('notFound');
    expect(a.text.slice(0, a.text.indexOf('83%') >= 0 ? a.text.indexOf('83%') : undefined)).to.match(/^(I couldn't find|The plans don't)/);
    // Asked for the group, it is the answer.
    expect(answerer.answer('progress 8 score for children in care in the city').text).to.match(/^Percentage of Children in Care achieving their Progress 8 score: 83%/);
    expect(answerer.answer('LAC progress 8 score in the city').text).to.include('83%');
  });

  it('does not give an indicator\'s figure for a word only its commentary mentions (wait times under CAMHS referrals)', () => {
    const a = answerer.answer('city camhs wait times');
    expect(a.kind).to.equal('notFound');
    expect(a.text).to.match(/^I couldn't find a figure for "camhs wait times" in Nottingham City Council's plans\./);
    expect(a.text.indexOf('1868')).to.be.greaterThan(a.text.indexOf('The nearest they have'));
  });

  it('does not answer a level with a change ("vacancy rate" is not "vacancies reduced by at least 50%")', () => {
    for (const q of ["what's the social worker vacancy rate in the county", 'current vacancy rate for childrens social care social workers']) {
      const a = answerer.answer(q);
      expect(a.text, q).to.match(/^The plans don't have a current figure for "Reduce the vacancy rate from 15% to 10%", only the baseline/);
      expect(a.text, q).not.to.include('at least 50%');
    }
    // Asked how much it changed, the change is the answer.
    expect(answerer.answer('by how much have social worker vacancies fallen').text).to.include('at least 50%');
  });

  it('reads a number inside a name as no figure ("Progress 8", "KS4", "Reduce … by 30%")', () => {
    const a = answerer.answer('whats the vacancy rate for social workers in the county');
    expect(a.text).not.to.match(/^The plans don't have a figure for "Reduce the percentage of Agency/);
  });

  it('counts a part of a whole ("13,500 pupils …, of which 10,250 were in secondary schools")', () => {
    expect(answerer.answer('how many secondary pupils had road safety education in 16/17').text.slice(0, 400)).to.include('10,250');
  });

  it('reads a measure named on its own as asking for its figure ("LAC numbers", "camhs waiting times", "the attainment gap")', () => {
    expect(understand('LAC numbers city')).to.deep.include({ intent: 'figure', countOf: 'lac' });
    expect(understand('camhs waiting times in the county').intent).to.equal('figure');
    expect(understand('what is the attainment gap at 16 for fsm pupils').intent).to.equal('figure');
    // … but "is it up and running? any numbers?" asks how it is going.
    expect(understand('is the Safe Time service up and running? any numbers?').intent).to.equal('status');
    // A measure the plans list with no figure says exactly that.
    expect(answerer.answer('attainment gap at 16 white british low income notts').text).to.match(/^The plans don't have a figure for "Attainment gap at age 16 \(White British children from low income families\)": it is listed as a key performance measure/);
  });

  it('answers a bare acronym with a question mark with what it stands for', () => {
    expect(understand('MASE?').intent).to.equal('acronym');
    expect(answerer.answer('MASE?').text).to.match(/^MASE stands for Multi Agency Sexual Exploitation/);
  });

  it('reads "since" with no date as no request for changes ("what\'s happened to staff turnover since?")', () => {
    expect(understand("when were market factor supplements brought in and what's happened to staff turnover since?").intent).not.to.equal('changes');
    expect(understand('what has changed since last quarter').intent).to.equal('changes');
  });

  it('opens a priority summary with what needs attention and the outcomes, without zero counts; a named report leads with its own account', () => {
    const r = summariser.request('summarise priority 3 for the city');
    expect(r.kind).to.equal('summary');
    if (r.kind !== 'summary') return;
    const opening = r.summary.headline.slice(0, 400);
    expect(opening).to.match(/Nothing needs attention/).and.include('Children are ready for school').and.include('achieve their full potential');
    expect(opening).not.to.match(/\b0 (on target|off target|improving|worse)\b|\.;/);
    const review = summariser.request('quick summary of the happy and healthy section of the mid year review');
    expect(review.kind).to.equal('summary');
    if (review.kind !== 'summary') return;
    expect(review.summary.headline).to.match(/mid-year review of the CYPF Plan says: /);
    expect(review.summary.progress[0].source.document).to.equal('trust-mid-year-review-2017');
  });
});
