/** What a card action's handler is: one per verb of the union (bot/actions/schema.ts), checked exhaustive by its type. */
import type { TurnContext } from 'botbuilder';
import type { BotParts } from '../routes/parts';
import type { ActionOf, Verb } from './schema';

/**
 * 'asMessage': the press stands for a typed message (the activity's text is set); the router answers it as one.
 * 'unrecognised': nothing here to act on; the router says the button was not recognised.
 */
export type ActionResult = void | 'asMessage' | 'unrecognised';

export interface ActionRoute<V extends Verb> {
  handle(parts: BotParts, context: TurnContext, action: ActionOf<V>): Promise<ActionResult>;
  /** The verb is known but its payload is not what its cards send; without this, the "didn't recognise that button" card. */
  invalid?(parts: BotParts, context: TurnContext): Promise<void>;
}

export type ActionRoutes = { [V in Verb]: ActionRoute<V> };
