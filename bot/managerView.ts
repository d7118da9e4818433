/**
 * The managers' view in Teams, beside the summary card: the exports ("Export
 * as Word", "Export as text"), "what changed since <date>" and the weekly
 * digest. The activity handler (teamsBot.ts) hands these activities over;
 * what they say comes from plain modules (knowledge/summary, whatChanged,
 * reports/…, updates/digest).
 *
 * The Word export goes the Teams way where Teams has it: in a personal chat in
 * Teams the bot sends a file consent card (FileConsentCard); when the user
 * allows it, Teams sends a fileConsent/invoke with an upload URL in the user's
 * OneDrive, the bot PUTs the document there and posts a file info card
 * (FileInfoCard). Where file consent is not available (group chats and
 * channels, which Teams does not offer it in, and local clients such as the
 * Agents Playground, whose connector runs on this machine and has no OneDrive)
 * the bot posts a short-lived signed download link to its own server instead.
 */
import { CardFactory, MessageFactory, TurnContext, type Activity, type Attachment, type InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { Authority } from '../knowledge/schema';
import type { PrioritySummary, Summariser } from '../knowledge/summary';
import { whatChanged } from '../knowledge/whatChanged';
import { boardReport, DOCX_MIME, reportFileName } from '../reports/boardReport';
import { summaryText } from '../reports/summaryText';
import type { ExportLinks } from '../reports/exportLinks';
import { DEFAULT_TIME_ZONE, validTimeZone, type DigestStore } from '../updates/digest';
import { card, cardSafe, text, type AdaptiveCard } from './cardElements';
import { changesCard, changesHeadline } from './changesCards';
import { sinceData } from './summaryCards';
import { storableReference } from './proactive';
import { replySafe } from './text';
import { senderOf, updatesShownTo } from './identity';
import type { UpdateService } from '../updates/service';
import { sameInTurn } from './turnCommit';
import { noteOutcome, noteTurn } from './turnLog';
import type { Logger } from './logger';
import { isoDay } from '../knowledge/periods';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
/** Longest the upload to the user's OneDrive may take before it is given up (the invoke is waiting on it). */
const UPLOAD_TIMEOUT_MS = 20_000;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

export interface ManagerViewDeps {
  /** Summaries as anyone may see them; each reader gets them as they may see them (seenBy, through `updates`). */
  summariser: Summariser;
  /** Who may see which updates (updates/visibility.ts); without it, approved updates only. */
  updates?: Pick<UpdateService, 'visibleTo'>;
  /** Signed download links; without them the Word export says it is not set up here. */
  links?: ExportLinks;
  /** Weekly digest subscriptions; without them the digest commands say it is not set up here. */
  digests?: DigestStore;
  now?: () => Date;
  logger?: Logger;
}

/** What the export buttons carry back (summaryCards exportData): a plan, a priority, and "since" when the card had it. */
const ExportRequestSchema = z.object({ planId: z.string().min(1).max(100), priority: z.number().int().min(1).max(99), since: z.unknown().optional() });

/** A fileConsent/invoke's value, as Teams sends it (FileConsentCardResponse). */
const FileConsentSchema = z.object({
  type: z.literal('fileUpload').optional(),
  action: z.enum(['accept', 'decline']),
  context: ExportRequestSchema.passthrough().nullish(),
  uploadInfo: z
    .object({ name: z.string().min(1).max(300), uploadUrl: z.string().url(), contentUrl: z.string().url(), uniqueId: z.string().max(300).optional(), fileType: z.string().max(20).optional() })
    .passthrough()
    .optional(),
});

/**
 * Whether Teams' file consent flow is available here: a personal chat in Teams itself. Not in group chats or
 * channels (Teams offers it only one to one), nor with a local client (the Agents Playground, the Emulator:
 * their connector is on this machine, with no OneDrive to upload to).
 */
export function fileConsentAvailable(a: Partial<Activity>): boolean {
  if (a.channelId !== 'msteams' || a.conversation?.conversationType !== 'personal') return false;
  try {
    return !LOOPBACK.test(new URL(a.serviceUrl ?? '').hostname);
  } catch {
    return false;
  }
}

/** The time zone Teams says the user is in (the activity's localTimezone, or its clientInfo entity), if it is a real one. */
export function userTimeZone(a: Partial<Activity>): string | undefined {
  const entity = (Array.isArray(a.entities) ? a.entities : []).find((x) => x && typeof x === 'object' && (x as { type?: unknown }).type === 'clientInfo') as { timezone?: unknown } | undefined;
  return validTimeZone(a.localTimezone) ?? validTimeZone(entity?.timezone);
}

/** The uploadUrl Teams gives is its OneDrive upload session (https); plain http only to this machine (tests). */
function uploadAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname));
  } catch {
    return false;
  }
}

export class ManagerView {
  constructor(private readonly deps: ManagerViewDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Summaries as the sender may see them: unreviewed updates only for their submitter and reviewers. */
  private summariser(context: TurnContext): Summariser {
    const updates = this.deps.updates;
    return updates ? this.deps.summariser.seenBy(updatesShownTo(context.activity, updates)) : this.deps.summariser;
  }

  private summary(context: TurnContext, v: z.infer<typeof ExportRequestSchema>): PrioritySummary | undefined {
    const summariser = this.summariser(context);
    return summariser.summarise(v.planId, v.priority, summariser.sinceFromCard(v.since));
  }

  /** The summary an export button asks for (`value`: its data), or undefined, having said it is not found. */
  private async exported(context: TurnContext, value: unknown): Promise<PrioritySummary | undefined> {
    const v = ExportRequestSchema.safeParse(value);
    const s = v.success ? this.summary(context, v.data) : undefined;
    if (!s) {
      noteOutcome(context, 'notFound');
      await context.sendActivity('I could not find that priority any more.');
    }
    return s;
  }

  /** "Export as text": the summary as plain text, to copy into a paper. */
  async exportText(context: TurnContext, value: unknown): Promise<void> {
    const s = await this.exported(context, value);
    if (!s) return;
    await context.sendActivity({ type: 'message', text: summaryText(s), textFormat: 'plain' });
  }

  /** "Export as Word": the board report, by file consent in a Teams personal chat, else by a signed link. */
  async exportDocument(context: TurnContext, value: unknown): Promise<void> {
    const s = await this.exported(context, value);
    if (!s) return;
    const bytes = await boardReport(s);
    const name = reportFileName(s);
    const request = { planId: s.planId, priority: s.number, ...sinceData(s) };
    if (fileConsentAvailable(context.activity)) {
      const consent: Attachment = {
        contentType: FILE_CONSENT_CARD,
        name,
        content: { description: `Board report: ${s.planTitle}, priority ${s.number}, as at ${s.asAt}`, sizeInBytes: bytes.length, acceptContext: request, declineContext: request },
      };
      noteOutcome(context, 'fileConsent');
      await context.sendActivity({ type: 'message', text: `Here is the Word board report for ${s.planTitle}, priority ${s.number}. Allow me to save it to your OneDrive and I'll post it here.`, attachments: [consent] });
      return;
    }
    const links = this.deps.links;
    if (!links) {
      noteOutcome(context, 'unavailable');
      await context.sendActivity('I can\'t offer the Word document here. Ask me in a one-to-one chat, or use "Export as text".');
      return;
    }
    // Once per turn, however often the turn is run again (a new link each run would store the document again).
    const who = personId(context);
    const link = await sameInTurn(context, 'exportLink', () => links.create(who, name, DOCX_MIME, bytes));
    const until = link.expiresAt.toISOString().slice(11, 16);
    noteOutcome(context, 'link');
    await context.sendActivity(
      MessageFactory.attachment(
        CardFactory.adaptiveCard(downloadCard(name, link.url, links.minutes, until)),
        `The Word board report for ${s.planTitle}, priority ${s.number} is ready: the download link works for ${links.minutes} minutes (until ${until} UTC).`,
      ),
    );
  }

  /**
   * Teams' answer to the file consent card. Accepted: the report is made again from the request it carries, put
   * in the user's OneDrive at the upload URL Teams gave, and shown as a file card. Declined: said politely.
   */
  async fileConsent(context: TurnContext): Promise<InvokeResponse> {
    const parsed = FileConsentSchema.safeParse(context.activity.value);
    if (!parsed.success) {
      noteTurn(context, 'invoke:fileConsent/invoke', 'badRequest');
      return { status: 400, body: { code: 'BadRequest', message: 'Expected a file consent response.' } };
    }
    const v = parsed.data;
    if (v.action === 'decline') {
      noteTurn(context, 'invoke:fileConsent/invoke', 'declined');
      await context.sendActivity('No problem: I have not saved anything to your OneDrive. Press "Export as Word" again whenever you want the report, or use "Export as text".');
      return { status: 200 };
    }
    const request = ExportRequestSchema.safeParse(v.context);
    const s = request.success ? this.summary(context, request.data) : undefined;
    if (!s || !v.uploadInfo) {
      noteTurn(context, 'invoke:fileConsent/invoke', 'badRequest');
      await context.sendActivity('I could not tell which report that was for. Please press "Export as Word" on the summary again.');
      return { status: 200 };
    }
    const info = v.uploadInfo;
    try {
      if (!uploadAllowed(info.uploadUrl)) throw new Error('the upload address is not https');
      const bytes = await boardReport(s);
      const res = await fetch(info.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Type': DOCX_MIME, 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
        body: bytes,
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`the upload was refused (HTTP ${res.status})`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.deps.logger?.warn({ err: reason }, 'file upload to OneDrive failed');
      noteTurn(context, 'invoke:fileConsent/invoke', 'uploadFailed');
      await context.sendActivity(`I couldn't save the report to your OneDrive (${replySafe(reason)}). Nothing was saved; please press "Export as Word" again, or use "Export as text".`);
      return { status: 200 };
    }
    noteTurn(context, 'invoke:fileConsent/invoke', 'uploaded');
    const fileInfo: Attachment = { contentType: FILE_INFO_CARD, contentUrl: info.contentUrl, name: info.name, content: { uniqueId: info.uniqueId, fileType: info.fileType ?? 'docx' } };
    await context.sendActivity({ type: 'message', text: `Your board report is in your OneDrive: ${replySafe(info.name)}.`, attachments: [fileInfo] });
    return { status: 200 };
  }

  /** "What changed since …": approved updates, new figures and RAG changes, priority by priority. */
  async whatChanged(context: TurnContext, question: string, authority?: Authority, previous?: { priorityId?: string }): Promise<void> {
    const now = this.now();
    const r = whatChanged(this.summariser(context), question, authority, previous, now);
    if (r.kind === 'notFound') {
      noteOutcome(context, 'notFound');
      await context.sendActivity(replySafe(r.message));
      return;
    }
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(changesCard(r.report, { asAt: isoDay(now) })), changesHeadline(r.report)));
  }

  /** "Send me a weekly digest" / "stop the weekly digest". */
  async digest(context: TurnContext, question: string): Promise<void> {
    const store = this.deps.digests;
    const id = personId(context);
    const stop = /\b(stop|cancel|unsubscribe|turn off|no more|end|don'?t)\b/i.test(question);
    if (!store) {
      await context.sendActivity('The weekly digest is not set up here.');
      return;
    }
    if (stop) {
      const had = await store.unsubscribe(id);
      noteOutcome(context, had ? 'unsubscribed' : 'notSubscribed');
      await context.sendActivity(had ? 'Done: no more weekly digests. Say "send me a weekly digest" to have them again.' : 'You are not getting the weekly digest, so there is nothing to stop.');
      return;
    }
    const a = context.activity;
    // Only what a proactive message needs, bounded (as for reminders); a reference that does not fit is not kept.
    const reference = storableReference(TurnContext.getConversationReference(a));
    if (!reference) {
      noteOutcome(context, 'unreachable');
      await context.sendActivity("I can't send a digest to this chat: Teams did not give me what I need to reach you here. Please ask again in a one-to-one chat with me.");
      return;
    }
    const known = userTimeZone(a);
    const timeZone = known ?? DEFAULT_TIME_ZONE;
    const sender = senderOf(a);
    await store.subscribe({ userId: id, userName: sender.name, reference, timeZone, subscribedAt: this.now().toISOString() });
    noteOutcome(context, 'subscribed');
    await context.sendActivity(
      `Done: every Monday morning (from 08:00, ${timeZone}${known ? '' : ', as Teams did not say your time zone'}) I'll send you here what changed in the week before: approved updates, new figures and changes of RAG status, priority by priority. Say "stop the weekly digest" to end it.`,
    );
  }
}

/** Who is asking, by id (identity.ts): the AAD object id, else the channel's user id; never the name. */
function personId(context: TurnContext): string {
  return senderOf(context.activity).id.slice(0, 200);
}

/** The download link as a card: a button that opens it, and how long it works. */
function downloadCard(name: string, url: string, minutes: number, until: string): AdaptiveCard {
  return card(
    [text('Word board report', { weight: 'Bolder', size: 'Medium' }), text(cardSafe(name)), text(`The link works for ${minutes} minutes (until ${until} UTC). After that, press "Export as Word" again for a fresh one.`, { isSubtle: true })],
    [{ type: 'Action.OpenUrl', title: 'Download the Word document', url }],
  );
}
