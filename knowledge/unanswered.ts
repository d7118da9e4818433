/**
 * Questions the bot could not answer, and "none of these" clicks: the
 * authors' to-do list for the knowledge. The bot records through this
 * interface; storage/ implements it on SQLite or PostgreSQL.
 */
export interface UnansweredEntry {
  question: string;
  reason: 'notFound' | 'noneOfThese';
  suggestions: string[];
  conversation?: string;
}

export interface UnansweredSummary {
  question: string;
  reason: string;
  count: number;
  lastAsked: string;
}

/** Async because the shared engine (PostgreSQL) is; the SQLite and memory logs resolve at once. */
export interface UnansweredLog {
  record(entry: UnansweredEntry): Promise<void>;
  list(limit?: number): Promise<UnansweredSummary[]>;
}

/** Keeps entries in memory: tests and tools that need no database. */
export class MemoryUnansweredLog implements UnansweredLog {
  readonly entries: (UnansweredEntry & { at: string })[] = [];
  async record(entry: UnansweredEntry): Promise<void> {
    this.entries.push({ ...entry, at: new Date().toISOString() });
  }
  async list(limit = 50): Promise<UnansweredSummary[]> {
    const m = new Map<string, UnansweredSummary>();
    for (const e of this.entries) {
      const key = `${e.reason}|${e.question.trim().toLowerCase()}`;
      const s = m.get(key) ?? { question: e.question, reason: e.reason, count: 0, lastAsked: e.at };
      s.count++;
      s.lastAsked = e.at;
      m.set(key, s);
    }
    return [...m.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }
}
