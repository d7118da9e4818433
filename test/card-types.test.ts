/**
 * Cards are typed by the Teams SDK's card library (bot/cardElements.ts): a wrong property or value is a compile
 * error, not a card Teams refuses at runtime. Each `@ts-expect-error` below fails the build if the typing ever
 * loosens so that the mistake under it compiles.
 */
import { expect } from 'chai';
import { actionSet, card, container, submit, text, type AdaptiveCard, type CardElement } from '../bot/cardElements';
import { validateCard } from './helpers/adaptiveCard';

describe('card types', () => {
  it('reject a wrong property or value at compile time, and the right ones make a valid card', () => {
    // @ts-expect-error: TextBlock has no "colour" (it is "color")
    const misspelt: CardElement = { type: 'TextBlock', text: 'x', colour: 'Good' };
    // @ts-expect-error: "Huge" is no text size
    const badSize = text('x', { size: 'Huge' });
    // @ts-expect-error: a Container holds "items", not "body"
    const badContainer: CardElement = { type: 'Container', body: [] };
    // @ts-expect-error: no such chart type
    const badChart: CardElement = { type: 'Chart.Bubble', data: [] };
    // @ts-expect-error: an action is not a body element
    const actionInBody = card([submit('Go', { action: 'ask', text: 'help' })]);
    // @ts-expect-error: a donut's slices are numbers
    const badSlice: CardElement = { type: 'Chart.Donut', data: [{ legend: 'On target', value: '3' }] };
    expect([misspelt, badSize, badContainer, badChart, actionInBody, badSlice]).to.have.length(6);

    const good: AdaptiveCard = card(
      [text('Plan assistant', { weight: 'Bolder', size: 'Medium' }), container([text('a quote')], { id: 'x', style: 'emphasis', isVisible: false }), actionSet([submit('Help', { action: 'ask', text: 'help' })])],
      [{ type: 'Action.ToggleVisibility', title: 'Show all', targetElements: ['x'] }],
    );
    expect(validateCard(good)).to.deep.equal([]);
    expect(good.msteams).to.deep.equal({ width: 'Full' });
  });
});
