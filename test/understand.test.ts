import { expect } from 'chai';
import { intentOf, understand, type Intent } from '../knowledge/understand';
import { expandShortForms, periodsIn, periodMatches, stem, sentences, numberIn } from '../knowledge/text';
import { realKnowledge } from './helpers/knowledge';

describe('understanding questions', () => {
  const intents: [string, Intent][] = [
    ['help', 'help'],
    ['what can you do?', 'help'],
    ['who leads on breastfeeding', 'lead'],
    ["who's the lead for the early help assessments closed measure (city)?", 'lead'],
    ['when was the online counselling service due', 'date'],
    ['when was the MASH set up in nottinghamshire?', 'date'],
    ['whats TETC', 'acronym'],
    ['what does SEND stand for', 'acronym'],
    ['what are the KPIs for the LAC strategy', 'list'],
    ['breastfeeding at birth - city vs national?', 'compare'],
    ['how many kids on a CP plan in the city', 'figure'],
    ['NEET rate notts', 'figure'],
    ['summarise priority 4 of the city CYPP', 'summary'],
    ['how is safeguarding doing in the city', 'summary'],
    ['submit an update', 'submit'],
    ['update on the MASH', 'submit'],
    ['my updates', 'myUpdates'],
    ['review updates', 'review'],
    ['and the target?', 'target'],
    ['show the trend', 'trend'],
    ['has the transitions protocol been approved?', 'status'],
    // "what's" arrives written out ("what is"): both spellings must read the same.
    ["what's going on with the young people's drug service", 'status'],
    ["what's happening with the paediatric SARC", 'status'],
    ['what actions have been taken on CSE', 'status'],
    ['what has been done about youth homelessness', 'status'],
    ['Could you tell me what IDACI means please?', 'acronym'],
  ];
  for (const [q, intent] of intents) {
    it(`reads "${q}" as ${intent}`, () => expect(understand(q).intent).to.equal(intent));
  }

  const authorities: [string, string | undefined][] = [
    ['NEET rate notts', 'county'],
    ['how many kids on a CP plan in the city', 'city'],
    ['smoking at delivery in Nottingham', 'city'],
    ['KS2 results for Nottinghamshire', 'county'],
    ['Nottingham City breastfeeding', 'city'],
    ['breastfeeding rates', undefined],
  ];
  for (const [q, a] of authorities) {
    it(`reads the authority of "${q}" as ${a ?? 'none'}`, () => expect(understand(q).authority).to.equal(a));
  }

  it('removes authority and document words from what is searched', () => {
    // Document names come from the catalogue (the aliases in the YAML).
    const u = understand('KS2 reading writing maths 2016 - county vs national in the performance report', realKnowledge().answerer.catalogue);
    expect(u.searchText).not.to.match(/county|performance report/);
    expect(u.preferDocs).to.deep.equal(['county-council-plan-q4']);
  });

  it('recognises follow-ups that lean on the last answer', () => {
    for (const q of ['and the target?', 'who leads it?', 'what about the city?', 'show the trend', 'and in 2016/17?']) expect(understand(q).followUp, q).to.equal(true);
    for (const q of ['who leads on breastfeeding', 'what is the latest CAMHS waiting time']) expect(understand(q).followUp, q).to.equal(false);
  });

  it('reads periods in all their spellings, and not ages', () => {
    expect(periodsIn('17/18').map((p) => [p.from, p.to])).to.deep.equal([[2017, 2018]]);
    expect(periodsIn('2016-17 and 2016/2017').map((p) => [p.from, p.to])).to.deep.equal([[2016, 2017], [2016, 2017]]);
    expect(periodsIn('aged 0-17 and 10-24')).to.deep.equal([]);
    const q = periodsIn('Q2 17/18')[0];
    expect([q.from, q.to, q.quarter]).to.deep.equal([2017, 2018, 2]);
    expect(periodMatches(periodsIn('17/18')[0], periodsIn('in 2017/18 the target'))).to.equal(true);
    expect(periodMatches(periodsIn('2019/20')[0], periodsIn('Q3 2016/17'))).to.equal(false);
    expect(understand('what does the future in mind plan say').future).to.equal(true);
    expect(understand('when is the next ofsted inspection due').future).to.equal(true);
  });

  it('stems plurals and verb forms conservatively', () => {
    expect(stem('assessments')).to.equal(stem('assessment'));
    expect(stem('waiting')).to.equal(stem('wait'));
    expect(stem('children')).to.equal(stem('child'));
    expect(stem('care')).not.to.equal(stem('career'));
  });

  it('splits narrative into sentences without breaking decimals or abbreviations', () => {
    const s = sentences('Referral to treatment averaged 6.59 weeks by January 2017. This increased to 10.9 weeks by April. See e.g. Kooth.');
    expect(s).to.deep.equal(['Referral to treatment averaged 6.59 weeks by January 2017.', 'This increased to 10.9 weeks by April.', 'See e.g. Kooth.']);
  });

  it('parses figures as written', () => {
    expect(numberIn('78.1%')).to.equal(78.1);
    expect(numberIn('40,873')).to.equal(40873);
    expect(numberIn('£3,810,257')).to.equal(3810257);
    expect(numberIn('N/A')).to.equal(undefined);
  });

  it('chat shorthand is written out, each rule only where its words are (and in any case)', () => {
    const expanded: [string, string][] = [
      ['Nottm orgs: no. of CYP yrs 1-2, pls', 'Nottingham organisations: number of children and young people years 1-2, please'],
      ['what’s the rd safety figure, then and now?', 'what is the road safety figure, previous vs latest?'],
      ['has it gone up or went down vs before for eng & maths and eng lang', 'has it increase or decrease vs before for English & maths and English lang'],
      ['how many under 5s in the first two qtrs, 3rd march', 'how many under 5 in the first 2 quarters, 3rd march'],
      ['NOTTINGHAM.. thx ppls ppl yp', "Nottingham. thanks people's people young people"],
      ['what is the latest camhs waiting time', 'what is the latest camhs waiting time'],
    ];
    for (const [typed, written] of expanded) expect(expandShortForms(typed), typed).to.equal(written);
  });

  it('intentOf reads the intent understand would, commands included', () => {
    for (const q of ['what is due from me', "what's due from me?", 'overdue updates for the city', 'chase them', 'what has changed since 1 May 2018', 'send me the weekly digest', 'camhs wait', 'who leads on breastfeeding']) {
      expect(intentOf(q), q).to.equal(understand(q).intent);
    }
    expect(intentOf('chase them')).to.equal('chase');
  });
});
