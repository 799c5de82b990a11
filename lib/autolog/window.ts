// Conversation windows: messages within `windowMs` of the previous one belong to one follow-up
// record (a chat that goes quiet for half an hour and resumes is a new contact).
export interface Timed {
  id: string;
  at: number;
}

/** Sorted by time, split where the gap to the previous message exceeds windowMs. */
export function groupWindows<T extends Timed>(items: readonly T[], windowMs: number): T[][] {
  const sorted = [...items].sort((a, b) => a.at - b.at);
  const out: T[][] = [];
  for (const m of sorted) {
    const cur = out.at(-1);
    const last = cur?.at(-1);
    if (cur && last && m.at - last.at <= windowMs) cur.push(m);
    else out.push([m]);
  }
  return out;
}

/** A window is over when a later one began, or nothing was said for windowMs. */
export function windowClosed(win: readonly Timed[], isLast: boolean, now: number, windowMs: number): boolean {
  const last = win.at(-1);
  if (!last) return false;
  return !isLast || now - last.at >= windowMs;
}
