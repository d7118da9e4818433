/** Reading what the user typed out of an activity. */
import { TurnContext, type Activity } from 'botbuilder';

/** The user's text without the bot's @mention (channel messages carry "<at>Bot</at> question") or control characters. */
export function messageText(activity: Partial<Activity>): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  if (Array.isArray(activity.entities) && activity.entities.length && activity.recipient) {
    try {
      text = TurnContext.removeRecipientMention(activity as Activity) ?? text;
    } catch {
      // Malformed mention entities: fall back to stripping <at> tags below.
    }
  }
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
