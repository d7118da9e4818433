/**
 * An indicator's unit is the unit of the figures the plan reports for it: a lead's update is checked against it
 * (updates/validation.ts), so a unit that contradicts the plan's own figures refuses the update a lead would give.
 * `npm run knowledge:check` warns of such a unit in a new plan's YAML (knowledge/authoring.ts).
 */
import { expect } from 'chai';
import { realKnowledge } from './helpers/knowledge';
import { unitAgainstFigures } from '../knowledge/authoring';
import { parseValue } from '../updates/validation';

const { knowledge } = realKnowledge();
type Indicator = (typeof knowledge.indicators)[number];
const withFigures = (unit: string, values: string[]): Indicator => ({ ...knowledge.indicators[0], unit, values: values.map((value) => ({ ...knowledge.indicators[0].values[0], value })) });

describe('indicator units agree with the figures the plans report', () => {
  it('no shipped indicator has a unit its own figures contradict', () => {
    expect(knowledge.indicators.flatMap((x) => (unitAgainstFigures(x) ? [`${x.id}: ${unitAgainstFigures(x)}`] : []))).to.deep.equal([]);
  });

  it('the city\'s early help measure ("Number of … closed", reported as 60.5%) takes a lead\'s update in per cent', () => {
    const x = knowledge.indicators.find((i) => i.id === 'cy-p2-early-help-closed')!;
    expect(x.values[0].value).to.equal('60.5%');
    expect(parseValue('65%', x.unit)).to.include({ ok: true, value: '65%' });
  });

  it('says which way a unit contradicts the figures, and leaves mixed or agreeing ones alone', () => {
    expect(unitAgainstFigures(withFigures('number', ['60.5%', '68.3%']))).to.include('every figure is a percentage');
    expect(unitAgainstFigures(withFigures('%', ['569', '458']))).to.include('no figure is a percentage');
    expect(unitAgainstFigures(withFigures('number', ['569', '12%']))).to.equal(undefined);
    expect(unitAgainstFigures(withFigures('%', ['76%']))).to.equal(undefined);
    expect(unitAgainstFigures(withFigures('rate per 100k', ['45.2']))).to.equal(undefined);
  });
});
