/** Reading what the user typed out of an activity, and making what users typed safe to say back. */
import { TurnContext, type Activity } from 'botbuilder';
import { inert } from '../knowledge/text';

/**
 * A string a user supplied (a display name, a period, a value, a comment) made inert in the text
 * of a plain message. Teams renders message text as Markdown and a subset of HTML, so a name like
 * "[click](http://…) **x**" would become a link in bold. As in cards (cardSafe), the characters that
 * would form a link, emphasis, code or a heading are replaced by look-alikes rather than escaped
 * with backslashes, which hosts treat differently; so are < and > (no tag, no autolink, no quote)
 * and ~ (strikethrough). The words stay readable.
 */
export function replySafe(s: string): string {
  return inert(s);
}

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
