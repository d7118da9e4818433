/**
 * The answering rules that keep the bot honest on questions it was not tuned
 * on: a figure must be for the period, thing and attribute asked about, or the
 * bot says the plans don't have it; chat shorthand and run-together words meet
 * the plans' words; an answer quotes enough of its passage to say what
 * happened. Built on the real knowledge; each case is a kind of question.
 */
import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import { inNationalPicture } from '../knowledge/answering/compose/indicator';
import type { IndicatorRecord } from '../knowledge/search';
import { correctedQuestion, countsOf, type Answer } from '../knowledge/answer';
import { expandShortForms, normalise, stem } from '../knowledge/text';
import { understand } from '../knowledge/understand';
import { latestFigure, previousFigure, targetStatus } from '../knowledge/figures';

const visible = (a: Answer) => [a.text, ...a.facts.map((f) => `${f.label}: ${f.value}`), ...a.quotes.map((q) => q.text)].join('\n');

describe('answering: honest about what the plans do not have', () => {
  const { answerer, index, knowledge } = realKnowledge();

  const notFound: [string, RegExp][] = [
    // A period the figure is not for: the sentence's own period wins over its document's.
    ['how many older drivers did drive on workshops in 2017?', /couldn't find a figure for 2017/],
    ['city year 6 obesity rate for 2018/19?', /couldn't find a figure for 2018\/19/],
    // A count that is not given: a nearby percentage or list number is no count.
    ['how many looked after children did notts county council have at 31 march 2018?', /couldn't find/],
    ['how many kids in notts county have an EHCP?', /couldn't find/],
    // A key performance measure the plans name without a figure or a target.
    ['average SDQ score for LAC in notts last year?', /^The plans don't have a figure for .*key performance measure/],
    ['whats the target % for LAC initial health assessments done in timescale (county plan)?', /don't have a target/],
    // An acronym the plans never use is what the question is about.
    ['MMR uptake at age 2 in nottingham city?', /couldn't find anything about MMR/],
  ];
  for (const [q, said] of notFound) {
    it(`"${q}": says the plans don't have it`, () => {
      const a = answerer.answer(q);
      expect(a.kind, a.text).to.equal('notFound');
      expect(a.text).to.match(said);
    });
  }

  it('says when an indicator has no national figure, then gives what it has', () => {
    const a = answerer.answer('national rate of first time entrants to the youth justice system per 100k?');
    // Said in the reply's opening (after the authority's name when both authorities answer), then what it has.
    expect(a.text.slice(0, 70)).to.match(/The plans don't have a national figure for/);
    expect(a.text).to.match(/The plans don't have a national figure for "First time entrants/);
    expect(a.text).to.include('237');
  });

  it('says when an indicator has no target ("and the target?" on the CAMHS waiting time)', () => {
    const first = answerer.answer('what is the latest CAMHS waiting time');
    const a = answerer.answer('and the target?', first.context);
    expect(a.text).to.match(/don't have a target/);
    expect(a.text).to.include('10.9 weeks');
  });

  it('gives a count from a sentence that counts the thing asked about', () => {
    const a = answerer.answer('how many taxi drivres were trained to spot CSE in notts by jan 17');
    expect(a.kind, a.text).to.equal('answer');
    expect(visible(a)).to.include('4,000');
    const [drivers] = index.concepts('drivers');
    expect(countsOf('Approximately 4,000 taxi drivers trained to recognise and respond to CSE', drivers)).to.equal(true);
    expect(countsOf('92% of young people open to the Leaving Care Team', drivers)).to.equal(false);
    expect(countsOf('During 2016 drivers attended', drivers)).to.equal(false);
  });

  it('lists the parts of a whole for the period asked, not just the first', () => {
    const a = answerer.answer('how did the jan 2018 audit of MASH referrals for secondary school age kids go? (notts)');
    expect(visible(a)).to.include('inadequate').and.include('improvement');
  });

  it('compares only with a figure the document labels previous', () => {
    const bf = knowledge.indicators.find((i) => i.id === 'cy-p1-breastfeeding')!;
    expect(latestFigure(bf)?.value).to.equal('48.4%');
    expect(previousFigure(bf, latestFigure(bf)), 'the 72% at birth is another measure').to.equal(undefined);
    const audit = knowledge.indicators.find((i) => i.id === 'ce-p1-eha-secondary-audit')!;
    expect(latestFigure(audit), 'parts of a whole have no latest').to.equal(undefined);
  });

  it('judges relative and gap targets only where it can', () => {
    expect(targetStatus('low', '237', 'Lower than 2015-16', undefined, '147')).to.equal('off target');
    expect(targetStatus('low', '120', 'Lower than 2015-16', undefined, '147')).to.equal('on target');
    expect(targetStatus('low', '237', 'Lower than 2015-16')).to.equal('unknown');
    expect(targetStatus('high', '30.37', 'Narrow the gap with National Average', '32.41')).to.equal('unknown');
    expect(targetStatus('high', '78.1%', 'Higher than national', '68%')).to.equal('on target');
  });
});

describe('answering: chat shorthand and word forms', () => {
  const { answerer, index } = realKnowledge();

  it('writes out contractions, shorthand and ordinals, but leaves dates alone', () => {
    expect(expandShortForms("how's it going, what's the latest")).to.equal('how is it going, what is the latest');
    expect(expandShortForms('last yr')).to.equal('last year');
    expect(expandShortForms('the 3rd broadband contract')).to.equal('the third broadband contract');
    expect(expandShortForms('on 3rd March 2017')).to.equal('on 3rd March 2017');
    expect(expandShortForms('under 5s')).to.equal('under 5');
    expect(expandShortForms('no. of referrals')).to.equal('number of referrals');
    expect(expandShortForms('did it go up')).to.equal('did it increase');
    expect(expandShortForms('GCSE eng & maths')).to.equal('GCSE English & maths');
  });

  it('makes hyphenated and run-together words meet ("co-located", "frontdoor")', () => {
    expect(normalise('co-located')).to.equal(normalise('colocated'));
    const [frontdoor] = index.concepts('frontdoor');
    expect(frontdoor.unknown).to.equal(false);
    expect(frontdoor.alternatives.map((a) => a.tokens.join(' '))).to.include('front door');
  });

  it('corrects typos only into the words that steer understanding ("spot" stays "spot")', () => {
    expect(answerer.answer('sumarise priority 2 for the county').kind).to.equal('summary');
    expect(understand('how many taxi drivers were trained to spot CSE').searchText).to.include('spot');
  });

  it('needs every word of a phrase: "attainment 8" is not "progress 8"', () => {
    const a = answerer.answer('whats nottingham city attainment 8 score for 2016?');
    expect(a.kind).to.equal('notFound');
    // Progress 8 is never the answer: at most the nearest, named after saying the plans don't have it.
    const p8 = a.text.search(/Progress 8/);
    if (p8 >= 0) expect(a.text.slice(0, p8)).to.include('The nearest they have');
  });

  it('answers a past "when" with what happened and its date, not the due date', () => {
    const a = answerer.answer('when did the MASH and early help unit co-locate');
    expect(a.text).to.include('August 2016');
  });

  it('quotes what follows the sentence that names the thing ("how did the peer review go?")', () => {
    const a = answerer.answer('how did the virtual school peer review go? (county)');
    expect(a.text).to.include('Peer review in June 2017').and.include('strong leadership');
  });
});

describe('answering: what kind of answer is wanted', () => {
  const { answerer } = realKnowledge();

  it('treats "how is <one indicator> doing" as a question about it, and "how is <a theme> doing" as a summary', () => {
    expect(answerer.answer("how's the city doing on first time entrants to the YJS?").kind).to.equal('answer');
    expect(answerer.answer('how is safeguarding doing in the city').kind).to.equal('summary');
  });

  it('reads a bare command-menu word as a request for help, not a search', () => {
    expect(answerer.answer('ask').kind).to.equal('help');
  });

  it('answers "who are the partners" with the named partners', () => {
    const a = answerer.answer('which universities are partners on closing the gaps in the county plan');
    expect(visible(a)).to.include('Nottingham Trent');
  });

  it('keeps the subject through a chain of follow-ups', () => {
    const first = answerer.answer('NEET rate notts');
    const lead = answerer.answer('who leads it?', first.context);
    const city = answerer.answer('what about the city?', lead.context);
    expect(city.kind, city.text).to.equal('answer');
    expect(city.text).to.include('5.4%');
  });

  it('says an activity with no progress is ongoing, with its actions and measures', () => {
    const a = answerer.answer('is there a milestone for the ICCYPH integration work in the county improvement plan?');
    expect(a.text).to.include('Ongoing').and.include('No specific milestone');
  });
});

describe('answering: more kinds of question', () => {
  const { answerer } = realKnowledge();
  const visibleOf = (q: string) => visible(answerer.answer(q));

  it('lists a plan\'s priorities in its own titles', () => {
    const a = answerer.answer('what are the 4 priorities in the cypf plan 2016-18?');
    expect(a.text).to.include('has 4 priorities').and.include('happy and healthy').and.include('support when needed');
  });

  it('answers an acronym question that also asks for a figure, both parts', () => {
    const a = answerer.answer('KSI on notts roads 2016/17 - what does it stand for and what is the number');
    expect(a.text).to.match(/KSI stands for Killed or Seriously Injured/i).and.include('323');
  });

  it('reads "who should I talk to about X" as who leads X', () => {
    expect(visibleOf('who should I talk to about the city NEET measure')).to.include('Michelle Wright');
  });

  it('says who provides a service from the narrative when no lead is named', () => {
    expect(visibleOf('who runs the CSE / CSA support service in notts now')).to.include("Children's Society");
  });

  it('needs an amount of money for a money question', () => {
    const a = answerer.answer('how much funding is in the youth homelessness prevention plan?');
    expect(a.kind, a.text).to.equal('notFound');
  });

  it('writes out "who\'d" and "orgs"', () => {
    expect(answerer.answer("% of under 5s in the most deprived areas who'd been seen at a children's centre - latest vs previous yr (county)").text).to.include('72.6');
  });

  it('reads "headlines from the mid-year review" as a summary request', () => {
    expect(answerer.answer('give me the headlines from the jan 2017 mid year review of the CYPF plan').kind).to.equal('summary');
  });
});

describe('answering: targets and stages', () => {
  const { answerer } = realKnowledge();

  it('looks further for an indicator with a target when the best matches have none', () => {
    const a = answerer.answer("what's the vacancy rate target in the county social work recruitment and retention plan?");
    expect(a.text).to.equal('The target for "Reduce the vacancy rate from 15% to 10%" is 10%, from a baseline of 15%.');
  });

  it('lists the measures a question asks the stages of ("at what ages are the reviews measured")', () => {
    const a = answerer.answer('at what ages are healthy child programme reviews measured in the county plan');
    expect(a.text).to.include('Antenatal').and.include('12 months').and.include('2 to 2.5 years');
  });
});

describe('answering: acronyms spelled out, typos, deadlines', () => {
  const { answerer } = realKnowledge();

  it('knows an acronym the plans only spell out, by its initials, and searches with its words', () => {
    const a = answerer.answer("what's happening with the paediatric SARC in the city?");
    expect(a.kind, a.text).to.equal('answer');
    expect(a.text).to.include('Paediatric Sexual Assault and Referral Centre');
    // Two capitalised words are never taken for a two-letter acronym; an acronym nowhere in the plans is still unknown.
    expect(answerer.answer('what is the MMR uptake in the city').kind).to.equal('notFound');
  });

  it('reads "what X means" as an acronym question', () => {
    expect(answerer.answer('Could you tell me what IDACI means please?').text).to.include('Income Deprivation Affecting Children Index');
  });

  it('corrects a one-letter typo before splitting a word in two ("housholds" is not "hous" + "holds")', () => {
    const a = answerer.answer('By December 2017 what % of targeted children from low income housholds were recieving a service from children\'s centres in notts?');
    expect(a.text).to.include('73%');
  });

  it('keeps "how long" out of the search: the answer is a figure in weeks', () => {
    expect(answerer.answer('how long can the Notts Enabling Servce support a disabled young person for?').text).to.include('12 weeks');
  });

  it('answers "is there a deadline" for actions that are all ongoing with what the plan expects instead', () => {
    const a = answerer.answer('is there a deadline for the ICCYPH transformation actions?');
    expect(a.text).to.include('(Ongoing)').and.include('No specific milestone');
  });

  it('treats finished and completion as one ("when are the capital projects due to be finished")', () => {
    const a = answerer.answer('When are the early years capital projects due to be finished in the county?');
    expect(a.text).to.include('April 1st 2018');
  });
});

describe('answering: what happened, and year-end figures', () => {
  const { answerer } = realKnowledge();

  it('answers "what actions have been taken" with what the progress evidence says happened, not the plan\'s list', () => {
    for (const q of ['What actions have been taken on CSE in Nottinghamshire County?', 'what has been done on CSE in Nottinghamshire County?']) {
      const a = answerer.answer(q);
      expect(a.intent, q).to.equal('status');
      expect(a.text, q).to.include('Operation Striver');
    }
  });

  it('reads "at year end" as when the figure is from, not what it is about', () => {
    const a = answerer.answer('children on a child protection plan at year end against target - city');
    expect(a.text).to.include('569').and.include('458');
  });
});

describe('answering: priorities named as places to look, chat openers, report passages', () => {
  const { answerer } = realKnowledge();

  it('gives what success looks like for a priority, and its outcomes, in the plan\'s words', () => {
    const a = answerer.answer('what does success look like for priority 3 (achieve their potential) in the county continuous improvement plan?');
    expect(a.text).to.include('school places').and.include('full-time education').and.not.include('.;');
    const o = answerer.answer('what are the outcomes for priority 2 in the city plan');
    expect(o.text).to.include('Children and young people are safe');
  });

  it('reads "priority 2" in a question about something in it as where to look, not a word to find', () => {
    const a = answerer.answer("ICCYPH integration (county CIP priority 2) - what's the deadline for the key actions?");
    expect(a.text).to.include('Ongoing');
    // Naming the priority alone still asks for its summary.
    expect(answerer.answer('what is priority 3 of the county plan about').kind).to.equal('summary');
  });

  it('reads "let me know when … was supposed to go live" as a date question, greetings and thanks aside', () => {
    const a = answerer.answer("Hi there, could you let me know when the online counselling service was supposed to go live according to the county's continuous improvement plan? thanks");
    expect(a.text).to.include('December 2016');
  });

  it('reads "nottm" as Nottingham and "numbers" as no search word', () => {
    expect(answerer.answer('what % of year 6 childen in nottm city are obeese?').text).to.include('24.5%');
    expect(answerer.answer("CP plan numbers in the city - who's the named lead?").text).to.include('John Matravers');
  });

  it('reads "now vs before" as latest against previous', () => {
    const a = answerer.answer("notts children's centres - % of under 5s from the most deprived areas actually seen at a centre, now vs before?");
    expect(a.text).to.include('72.6%').and.include('64.1');
  });

  it('answers who to contact about a report from the report\'s own words', () => {
    const a = answerer.answer("who's the contact for enquiries about the children's trust mid-year review report (jan 2017)?");
    expect(a.text).to.include('Sean Kelly').and.not.include("don't name a lead");
  });
});

describe('answering: a sentence that points back to the one before', () => {
  const { answerer, index } = realKnowledge();

  it('finds "The team … reaching 4094 children" by the programme named in the sentence before', () => {
    const a = answerer.answer("how many children did the city's tooth brushing programme reach in 2017/18 (brushing budies)");
    expect(a.kind, a.text).to.equal('answer');
    expect(a.text).to.include('4094');
  });

  it('finds "Both capital projects due for completion…" by the places named in the sentence before', () => {
    const a = answerer.answer('when are the capital projects for the 60 extra early years places for 3 and 4 yr olds due to complete?');
    expect(a.text).to.include('60 extra early years places').and.include('April 1st 2018');
  });

  it('lends only to sentences that open by pointing back, never across paragraphs', () => {
    const units = index.units.filter((u) => u.before);
    expect(units.length).to.be.greaterThan(10);
    for (const u of units) {
      expect(u.text, u.text).to.match(/^(the|this|these|those|it|they|both|its|their|such|he|she|however)\b/i);
      const prev = index.units[u.id - 1];
      expect(prev.group, u.text).to.equal(u.group);
      expect(prev.position, u.text).to.equal(u.position - 1);
    }
  });
});

describe('answering: counts in words', () => {
  const { answerer } = realKnowledge();

  it('reads "the first two quarters" as the plans write it ("First 2 Quarters")', () => {
    const a = answerer.answer('Kooth in the county - how many registered in the first two quarters of 2017/18 and how many came back?');
    expect(a.text).to.include('608').and.include('88%');
  });
});

describe('answering: units, sure typos, strategies and measures', () => {
  const { answerer } = realKnowledge();

  it('reads "rate per 100k" as how the figure is expressed, not a word to find', () => {
    expect(answerer.answer('city first time entrants to the youth justice system - current rate per 100k?').text).to.include('655');
    // "this yr vs last": both authorities named, both figures.
    const both = answerer.answer('first time entrants to youth justice per 100k - this yr vs last?');
    expect(both.text).to.include('237').and.include('147');
  });

  it('trusts a typo one keystroke from a single word almost as the word ("retension")', () => {
    const a = answerer.answer('vacancy rate target in the social work recuitment and retension plan (county CIP)');
    expect(a.text).to.include('15%').and.include('10%');
  });

  it('leads a status answer with the strategy the question names ("currently being refreshed")', () => {
    const a = answerer.answer("what's the status of the NCC transitions protocol in the county continuous improvement plan?");
    expect(a.text).to.match(/^Strategic plan: .*currently being refreshed/);
    expect(a.facts.map((f) => f.label)).to.include('Strategic plan');
  });

  it('lists an activity\'s performance measures when asked for them by that name', () => {
    const a = answerer.answer('what are the performance measures for the LAC and care leavers strategy activity in the county CIP?');
    expect(a.text).to.match(/^Key performance measures/).and.include('initial health assessments');
  });

  it('corrects two swapped letters in a short word it needs ("mid yaer reveiw")', () => {
    expect(correctedQuestion('ks4 maths in the mid yaer reveiw', answerer.index)).to.equal('ks4 maths in the mid year review');
  });
});

describe('answering: target dates, loose document names, "yet"', () => {
  const { answerer } = realKnowledge();

  it('reads "target date" as when, not how much', () => {
    const a = answerer.answer('target date for the online counselling service going live in the county CIP?');
    expect(a.intent).to.equal('date');
    expect(a.text).to.include('December 2016');
  });

  it('knows a document by a misspelt name ("continous improvment plan") and "comms" as communication', () => {
    const a = answerer.answer('when were the CSE problem profile and the LSCB comms actions due in the county continous improvment plan');
    expect(a.text).to.include('June 2016');
  });

  it('answers "… yet?" with what the plan says is still to do', () => {
    const a = answerer.answer('are all the HWB partners signed up to tobacco declaration action plans yet?');
    expect(a.text).to.match(/^Two organisations have yet to formally agree action plans/);
  });
});

describe('answering: which figure is wanted, who runs it, bands and timescales', () => {
  const { answerer } = realKnowledge();

  it('reads "latest, previous" and "the share of" as which figures to show, not as things the plans must name', () => {
    const a = answerer.answer('adoption timeliness notts - latest, previous and how does it compare to national');
    expect(a.kind, a.text).to.equal('answer');
    expect(a.text).to.include('445').and.include('573').and.include('558');
    const b = answerer.answer('share of notts secondaries rated good or better vs england');
    expect(b.kind, b.text).to.equal('answer');
    expect(b.text).to.match(/^The percentage of good or better schools.*81%.*79%/);
    // The figures themselves lead, not a sentence of commentary that happens to say "previous".
    expect(answerer.answer('q4 performance report: notts fsm6 gap at gcse - latest, previous and national').text).to.match(/^FSM6 Gap for pupils achieving A\*-C in English and maths at GCSE \(KS4\): 30\.2%, previously 29\.4%; national 26\.0%/);
  });

  it('reads "where does it rank nationally" as a ranking, not a national figure it lacks', () => {
    const a = answerer.answer('city FTE rate per 100k and where does the YOT rank nationally');
    expect(a.text).not.to.match(/don't have a national figure/);
    expect(a.text).to.include('655').and.include('136');
    // A national figure asked for beside the rank is still said to be missing.
    expect(answerer.answer('where does the city rank nationally for first time entrants and what is the national rate').text).to.match(/^The plans don't have a national figure/);
  });

  it('reads "which org runs X" as asking who leads it', () => {
    const a = answerer.answer('which org runs the specialist service for child victims of sexual exploitation in the county (not the city one)');
    expect(a.intent).to.equal('lead');
    expect(a.text).to.include("Children's Society");
  });

  it('reads "% … within timescale" as a figure, not a date, and says the plans have none', () => {
    const a = answerer.answer('% of notts LAC getting their initial health assessment within timescale');
    expect(a.kind, a.text).to.equal('notFound');
    expect(a.text).to.match(/^The plans don't have a figure for "Completion of initial health assessments within timescale"/);
    expect(answerer.answer('what is the timescale for the LAC strategy').intent).to.equal('date');
  });

  it('does not pass a wider age band off as the band asked ("16-17" is not "16-18")', () => {
    const a = answerer.answer('city NEET % for just 16-17 yr olds, not the 16-18 figure');
    expect(a.kind, a.text).to.equal('notFound');
    expect(a.text).to.match(/^The plans don't have a figure for "16-17 year olds"/);
    expect(answerer.answer('city NEET % for 16-18 year olds').text).to.match(/^Percentage and number of 16- 18 year olds who are NEET: 5\.4%/);
  });

  it('answers "what is X and how long…" part by part when the whole answer would leave out what X stands for', () => {
    const a = answerer.answer("disabled yp moving to adults: what's NES and how long does it support them for");
    expect(a.text).to.match(/^NES stands for Notts Enabling Service\./).and.include('12 weeks');
    // One passage saying both parts is still answered whole.
    const b = answerer.answer("how many families has the city priority families programme worked with so far, and what's the target for april 2020?");
    expect(b.text).to.match(/^As of 10\/05\/18, we have worked with 3010 families, against a target to work with 3840 families/);
  });

  it('answers "what strategic plan sits behind X" with the activity\'s strategic plan, and "the kpi on X" with its measures', () => {
    const a = answerer.answer('what strategic plan sits behind the ICDS / SEND integration activity');
    expect(a.text).to.match(/^Strategic plan for ".*": Nottinghamshire CYP \(aged 0-25\) SEND Integrated Commissioning Strategy \(2015-2017\)\./);
    const b = answerer.answer("what's the kpi on agency social workers in the recruitment and retention plan");
    expect(b.text).to.match(/^Key performance measures for/).and.include('Reduce the percentage of Agency Social Workers covering vacancies by 30%');
  });

  it('answers a second part that names another measure ("and what did turnover drop to") from that measure, and one that leans on the first from the first', () => {
    const a = answerer.answer('by how much did SW vacancies fall after the market factor supplements came in, and what did turnover drop to? (mid-yr review)');
    expect(a.text).to.match(/^Overall number of social worker vacancies/).and.include('at least 50%').and.include('10.4%');
    const b = answerer.answer('how many pupils had road safety education in notts in the 2016/17 academic yr, and how many of those were in secondary schools?');
    expect(b.text).to.equal('To date in excesss of 13,500 pupils have received road safety education during the 2016/17 academic year, of which 10,250 were in secondary schools.');
  });

  it('gives the judgement of what was asked: children\'s services\' Ofsted rating is no school rating, and schools\' is the overall figure', () => {
    for (const q of ['what is the ofsted rating of notts childrens services', 'what grade did ofsted give notts childrens services']) {
      expect(answerer.answer(q).text, q).to.match(/^Ofsted judged both children's services in Nottinghamshire and the NSCB to be good\./);
    }
    expect(answerer.answer('whats the ofsted rating for notts schools').text).to.match(/^The percentage of good or better schools in Nottinghamshire: 90%/);
    const a = answerer.answer('when did ofsted last inspect notts childrens services and what was the judgement?');
    expect(a.text).to.match(/^In June 2015, Ofsted inspected/).and.include('to be good');
  });

  it('knows "moved in together" as co-location', () => {
    const a = answerer.answer('when did the MASH and the early help unit actually move in together');
    expect(a.text.slice(0, 400)).to.include('co-location of the MASH and the Early Help Unit in August 2016');
  });

  it('prefers the whole group\'s figure when a named indicator turns a bare question into a figure question (KS4, not the FSM6 gap)', () => {
    const a = answerer.answer('ks4 A*-C eng & maths for notts 2016 v national, as per the mid year review?');
    expect(a.text).to.match(/^Percentage of pupils achieving A\*-C in both English and maths at Key Stage 4: 65\.6% for 2016; national 62\.6%/);
  });

  it('knows "best" and "worst" as highest and lowest', () => {
    expect(answerer.answer('which ward is worst for EYFS in the city').text).to.match(/^Arboretum ward has the lowest number of children achieving a good level of development at 54%/);
  });

  it('answers "who do I contact / email / get in touch with about <document>" with the document\'s own contact', () => {
    for (const q of ['Who should I get in touch with about the mid-year review of the CYPF plan?', 'who can i email about the mid year review', 'who is the contact for the mid-year review']) {
      expect(answerer.answer(q).text, q).to.match(/^For any enquiries about this report please contact: Sean Kelly/);
    }
  });

  it('answers "when did <body> approve <the plan>" about the plan named, not any approval ("approve" alone finds the youth homelessness plan)', () => {
    const a = answerer.answer('when did the childrens trust approve the CYPF plan');
    expect(a.text).to.match(/^The plan, which was approved by Nottinghamshire Children’s Trust in March 2016 and by Nottinghamshire County Council’s Policy Committee in May 2016/);
  });

  it('reads "go live" as the plans\' "launched", and still finds a key action that says "go live"', () => {
    expect(answerer.answer("when did the integrated children's disability service go live?").text).to.match(/^The Integrated Children's Disability Service was launched in September 2016\./);
    expect(answerer.answer('when did the new case recording system go live for ICDS').text).to.match(/^"Go live of common case recording and reporting system for all colleagues within ICDS" was due by March 2017/);
  });

  it('reads "when does X start" as also asking when it is available from', () => {
    expect(answerer.answer('when does the new healthy child programme / public health nursing service start').text).to.include('The new service will be available from 1 April 2017.');
  });

  it('sets aside who is asking ("sw here -"), a report\'s own period ("in the Q4 16/17 report") and why ("(board paper)")', () => {
    expect(answerer.answer('sw here - what % of care leavers open to the county leaving care team were in suitable accommodation nov 2017').text).to.match(/^Young people open to the Leaving Care Team reported to be in suitable accommodation at their last birthday: 92%/);
    expect(answerer.answer('how many agency social work staff (fte) did the county have at end of Q3 in the Q4 16/17 report?').text).to.include('57.3 fte at the end of Q3');
    expect(answerer.answer('what vacancy rate are we aiming to get down to for social workers in the county CIP? (board paper)').text).to.match(/^The target for "Reduce the vacancy rate from 15% to 10%" is 10%/);
  });

  it('corrects a misspelt "quarters" before reading the period ("first 2 quaters of 17/18")', () => {
    expect(answerer.answer('how many yp registerd with kooth in the first 2 quaters of 17/18 - notts county').text).to.match(/^First 2 Quarters of 2017\/18 608 young people registered/);
  });

  it('does not take a sentence of commentary under a percentage measure for its percentage', () => {
    const a = answerer.answer('what % of all city pupils leave school with no qualifications?');
    expect(a.kind, a.text).to.equal('notFound');
    expect(a.text).to.match(/^I couldn't find a figure for "Percentage of pupils leaving school with no qualifications/);
  });
});

describe('answering: plural ages, the national picture, targets met in the commentary, "since" an event', () => {
  const { answerer } = realKnowledge();

  it('reads "under 5s" in the plans as the same age as the question\'s "under 5s" (it is not a figure for another age)', () => {
    const a = answerer.answer("county children's centres - % of the registered under 5s who've been seen at a centre, latest vs before?");
    expect(a.kind, a.text).to.equal('answer');
    expect(a.text).to.match(/^Registered children who had been seen at a Children's Centre: 72\.6%, previously 64\.1/);
  });

  it('reads "who\'ve" as "who have" and a number\'s plural ("5s") as the number, in the question and in the plans alike', () => {
    expect(stem('5s')).to.equal('5');
    expect(stem('1990s')).to.equal('1990');
    expect(expandShortForms("who've")).to.equal('who have');
    const a = answerer.answer("notts - % of under 5s in the most deprived (IDACI) areas who've been seen at a childrens centre, now and before?");
    expect(a.kind, a.text).to.equal('answer');
    expect(a.text).to.match(/^Registered children who had been seen at a Children's Centre: 72\.6%, previously 64\.1/);
  });

  it('answers "nationally, how many…" from the plan\'s national picture, saying it is national, where the measure has no national figure', () => {
    const a = answerer.answer('troubled families nationally - how many families has the programme helped get an adult into continuous employment?');
    expect(a.text).to.match(/^Nationally, as the plan's national picture gives it: The programme has helped one or more adult in 13,907 families/);
    // A measure with a national figure of its own still answers with it.
    expect(answerer.answer('smoking at time of delivery nottm city 16/17 vs england avg').text).to.match(/^Percentage of women reporting smoking at time of delivery: 17\.2% for 2016\/17; national 10\.7%/);
  });

  it('counts as the national picture only a sentence or paragraph that opens so, not one beside "the national average"', () => {
    const { index } = realKnowledge();
    const record = (id: string) => index.records.find((r) => r.id === id) as IndicatorRecord;
    const poverty = record('cy-p4-child-poverty');
    const employment = poverty.units.find((u) => u.text.includes('13,907'))!;
    expect(inNationalPicture(poverty, employment)).to.equal(true);
    let beside = 0;
    for (const r of index.records.filter((x): x is IndicatorRecord => x.kind === 'indicator')) {
      for (const u of r.units.filter((x) => x.field === 'text' && /(lower|higher|better|worse) than the national average/i.test(x.text))) {
        expect(inNationalPicture(r, u), `${r.id}: ${u.text.slice(0, 80)}`).to.equal(false);
        beside++;
      }
    }
    expect(beside, 'the plans have such sentences').to.be.greaterThan(0);
  });

  it('takes a target asked of a figure the question found in the measure\'s own commentary ("uptake … 68.5%"), typos and all', () => {
    const a = answerer.answer('whats the city uptake for fundd 2 yr old places at end of spring term 18, and wat are they aiming for');
    expect(a.text).to.match(/^The target for "Percentage of eligible 2 year olds accessing free nursery provision \(Nottingham Plan target\)" is 75% \(2018-19\); the latest figure is 68\.5%/);
  });

  it('reads "since <an event>" in a question about a measure as the question, not a request for changes since a date', () => {
    expect(answerer.answer("mid-year review - what's happened to SW vacancies and turnover since the market factor supplements came in?").text).to.match(/^Since the introduction of market factor supplements in April 2016, the overall number of social worker vacancies .* reduced by at least 50%, whilst staff turnover rates have reduced from 17% to 10\.4%/);
    expect(answerer.answer('what changed since march 2018').kind).to.equal('changes');
    expect(answerer.answer("what's changed since the reorganisation").kind, 'no subject: still a changes request (which says it cannot read the date)').to.equal('changes');
  });

  it('answers "who runs it now that <the provider> went into liquidation" with the plans\' story of the provider, then the plan\'s leads', () => {
    const a = answerer.answer("who runs the young people's drug & alcohol service in the city now that lifeline went into liquidation?");
    expect(a.text).to.match(/^In May 2017, Lifeline the service provider went into liquidation\..*It was eventually agreed that CGL could take on the Nottingham City contract/);
    expect(a.text).to.include('Lucy Putland, Ian Bentley (Crime and Drugs Partnership) lead on');
    // Who leads it, asked plainly, is still the plan's lead.
    expect(answerer.answer("who leads on the young people's drug and alcohol service in the city").text).to.match(/^Lucy Putland, Ian Bentley \(Crime and Drugs Partnership\) lead on/);
  });

  it('reads "closed due to needs being met" as a reason, not a due date: a count asked of a measure the plans give as a percentage says so first', () => {
    const a = answerer.answer('how many early help assessments were closed due to needs being met in the city');
    expect(a.intent).to.equal('figure');
    expect(a.text).to.match(/^I couldn't find a figure for "Number of Early Help Assessments/);
    expect(a.text).to.include('60.5%');
    expect(answerer.answer('when is the co-location of the MASH due to be completed').intent).to.equal('date');
  });
});
