/**
 * Per-turn work the bot avoids without changing behaviour: the dialog state
 * configuration botbuilder-dialogs would rebuild for every DialogContext is
 * built once (by the SDK, on the first turn) and reused; dialogs still carry on
 * across turns. The turn-commit change check is covered in turn-commit.test.ts.
 */
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
import { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
import { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
import { DIALOG_STATE_CONFIGURATION_KEY, reusingDialogConfiguration } from '../bot/server';

describe('dialog state configuration reused across turns', () => {
  it('is the key botbuilder-dialogs keeps it under', async () => {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty('dialogState'));
    let seen: unknown;
    await new TestAdapter(async (context) => {
      await dialogs.createContext(context);
      seen = context.turnState.get(DIALOG_STATE_CONFIGURATION_KEY);
    }).send('hi');
    expect(seen, 'an SDK upgrade moved it: reusingDialogConfiguration no longer saves anything').to.have.property('memoryScopes').that.is.an('array').with.length.greaterThan(0);
  });

  it('builds it on the first turn, hands the same one to later turns, and a dialog carries on across them', async () => {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty('dialogState'));
    dialogs.add(
      new WaterfallDialog('ask', [
        async (step) => {
          await step.context.sendActivity('What is your name?');
          return Dialog.EndOfTurn;
        },
        async (step) => {
          await step.context.sendActivity(`Hello ${step.context.activity.text}, you are ${step.context.activity.from.name}.`);
          return step.endDialog();
        },
      ]),
    );
    const configs: unknown[] = [];
    const turn = reusingDialogConfiguration(async (context: TurnContext) => {
      const dc = await dialogs.createContext(context);
      const r = await dc.continueDialog();
      if (r.status === DialogTurnStatus.empty) await dc.beginDialog('ask');
      await state.saveChanges(context);
      configs.push(context.turnState.get(DIALOG_STATE_CONFIGURATION_KEY));
    });
    await new TestAdapter(turn)
      .send('start')
      .assertReply('What is your name?')
      .send('Ada')
      .assertReply('Hello Ada, you are User1.')
      .send('again')
      .assertReply('What is your name?')
      .startTest();
    expect(configs).to.have.length(3);
    expect(configs[0]).to.be.an('object');
    expect(configs[1]).to.equal(configs[0]);
    expect(configs[2]).to.equal(configs[0]);
  });
});
