/**
 * "Since when" in a manager's request ("what changed since Q3 2017/18"): read
 * here, apart from the summaries that use it, so that reading a question's
 * intent can tell a date ("since March 2018") from an event ("since the
 * market supplements came in") without the summaries.
 */
import { isoDay, MONTHS } from './periods';
import { normalise } from './text';
import { parsePeriod } from '../updates/validation';

/** The ISO date changes are counted from, and how the request named it ("the start of Q3 2017/18"). */
export interface Since {
  from: string;
  label: string;
}

/**
 * Reads "since …" in a request: "since last quarter", "since Q3 2017/18",
 * "since March 2018", "since september" (the last one), "since 1 April 2018",
 * "since 2018-01-01", "since the last board". Changes are counted from the
 * start of the named period. Words after the date ("since 2018-01-01 in the
 * city") are left to the rest of the request.
 */
export function parseSince(question: string, now: Date = new Date()): Since | { error: string } | undefined {
  const m = normalise(question).match(/\bsince\s+(.+?)\s*\??$/);
  if (!m) return undefined;
  const words = m[1].replace(/[?.!]+$/, '').split(/\s+/);
  // The longest start of what follows "since" that reads as a date or period.
  for (let n = words.length; n > 0 && n >= words.length - 6; n--) {
    const r = sinceDate(words.slice(0, n).join(' ').replace(/^the\s+/, ''), now);
    if (r) return r;
  }
  return { error: `I couldn't read "${m[1]}" as a date or period. Try "since Q3 2017/18", "since March 2018", "since 1 April 2018" or "since last quarter".` };
}

function sinceDate(what: string, now: Date): Since | undefined {
  const y = now.getUTCFullYear();
  const mo = now.getUTCMonth() + 1;
  const iso = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}-01`;
  const lastQuarter = () => {
    // The financial quarter before the current one.
    const qStart = mo >= 4 ? Math.floor((mo - 4) / 3) * 3 + 4 : 1;
    return isoDay(new Date(Date.UTC(y, qStart - 1 - 3, 1)));
  };
  if (/^last quarter$/.test(what)) return { from: lastQuarter(), label: 'the start of last quarter' };
  // The bot does not know when boards meet: it says which date it took, and a date can be given instead.
  if (/^last (board|board meeting|partnership board|trust board|partnership meeting|meeting)$/.test(what)) return { from: lastQuarter(), label: 'the last board (taken as the start of last quarter)' };
  if (/^last month$/.test(what)) return { from: isoDay(new Date(Date.UTC(y, mo - 2, 1))), label: 'the start of last month' };
  if (/^last (year|financial year)$/.test(what)) {
    const fy = mo >= 4 ? y - 1 : y - 2;
    return { from: iso(fy, 4), label: `the start of ${fy}/${String((fy + 1) % 100).padStart(2, '0')}` };
  }
  // A month on its own: the last time it began.
  const month = MONTHS.findIndex((name) => name === what || (what.length >= 3 && name.startsWith(what.replace(/\.$/, ''))));
  if (month >= 0 && /^[a-z]+\.?$/.test(what)) {
    const year = month + 1 <= mo ? y : y - 1;
    return { from: iso(year, month + 1), label: `the start of ${MONTHS[month][0].toUpperCase()}${MONTHS[month].slice(1)} ${year}` };
  }
  const p = parsePeriod(what, now);
  if (p.ok) return { from: p.from, label: `the start of ${p.period}` };
  // A day: only with a four-digit year (Date.parse reads "priority 3" as a date in 2001).
  if (/\b(19|20)\d\d\b/.test(what)) {
    const d = Date.parse(/^\d{4}-\d\d-\d\d$/.test(what) ? `${what}T00:00:00Z` : `${what} UTC`);
    if (!Number.isNaN(d)) {
      const day = isoDay(new Date(d));
      return { from: day, label: day };
    }
  }
  return undefined;
}
