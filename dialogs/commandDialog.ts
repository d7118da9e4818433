/**
 * Base dialog for guided flows (after the core-bot sample's cancel-and-help
 * dialog): "cancel", "back", "start over" and "help" work at any step. Only
 * the exact command words interrupt, so a narrative that merely contains
 * "help" ("help the children") is an answer, not a command.
 */
// Deep imports: the package index also loads the recognizers-text prompts (~250 ms and ~30 MB at start-up); see eslint.config.mjs.
import { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
import { DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
import type { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';

export type Command = 'cancel' | 'back' | 'start over' | 'help';

const COMMANDS: Record<string, Command> = {
  cancel: 'cancel',
  stop: 'cancel',
  quit: 'cancel',
  back: 'back',
  'go back': 'back',
  'start over': 'start over',
  'start again': 'start over',
  restart: 'start over',
  help: 'help',
  '?': 'help',
};

/** The command an answer is, if it is exactly one (case and trailing punctuation ignored). */
export function commandOf(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  const t = text.trim().toLowerCase().replace(/[.!\s]+$/, '');
  return COMMANDS[t];
}

export abstract class CommandDialog extends ComponentDialog {
  /** "cancel" ends the whole flow; the other commands are the flow's to handle. */
  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const cmd = commandOf(typeof innerDc.context.activity.text === 'string' ? innerDc.context.activity.text : undefined);
    if (cmd === 'cancel') {
      await innerDc.context.sendActivity(this.cancelledMessage());
      await innerDc.cancelAllDialogs();
      return { status: DialogTurnStatus.cancelled };
    }
    return super.onContinueDialog(innerDc);
  }

  protected cancelledMessage(): string {
    return 'Cancelled. Nothing was saved.';
  }
}
