/** Small helpers several test files need. */

/** Every button's data (Action.Submit or Action.Execute) anywhere in a value (cards, replies, action sets in containers). */
export function submitDataIn(value: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // A button's data, whether it is sent as a message (Action.Submit) or as an invoke (Action.Execute).
      if ((o.type === 'Action.Submit' || o.type === 'Action.Execute') && o.data) out.push(o.data as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** The error a promise rejects with; fails if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
