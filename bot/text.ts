/** Reading what the user typed out of an activity, and making what users typed safe to say back. */
import { TurnContext, type Activity } from 'botbuilder';
import { inert } from '../knowledge/text';

/** Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069), and NUL and other control characters. */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The one way the bot quotes what a user supplied (a display name, a period, a value, a comment, a
 * whole message that may contain any of them), in a plain message and on a card (cardSafe is this):
 * made inert. Teams renders message text and card text as Markdown and a subset of HTML, so a name
 * like "[click](http://…) **x**" would become a link in bold, and "<at>…</at>" a mention. The
 * characters that would form a link, emphasis, code or a heading are replaced by look-alikes rather
 * than escaped with backslashes, which hosts treat differently; so are < and > (no tag, no mention,
 * no autolink, no quote) and ~ (strikethrough). Bidi controls, which can make text read backwards,
 * and NUL and other control characters are removed. The words stay readable.
 */
export function replySafe(s: string): string {
  return inert(s.replace(INVISIBLE, ''));
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

/** Longest message text the bot will read; longer text is cut, and the user told. */
export const MAX_TEXT = 2000;
