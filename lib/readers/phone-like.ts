// Finds phone-like substrings and returns them exactly as written. Deliberately loose and
// tiny: the content script must not carry phone metadata; the background normalizes and
// rejects what is not a number.

// A run of digits joined by the separators people type: dots and parentheses anywhere, a
// single space or dash only between digits ("186 1234 5678", "(415) 555-2671").
const RUN = /(?:\+|\(\+?)?\d(?:[\d().]|[ \-](?=[\d(]))*\d/g;

const MIN_DIGITS = 7;
const MAX_DIGITS = 15; // E.164 maximum

export function phoneLike(text: string, limit = 10): string[] {
  const found: string[] = [];
  // Most messages hold fewer digits than any number: no need to run the pattern over them
  // (the content script asks for every new incoming message).
  let digits = 0;
  for (let i = 0; i < text.length && digits < MIN_DIGITS; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits < MIN_DIGITS) return found;
  const consider = (raw: string) => {
    if (found.length >= limit) return;
    const digits = raw.replace(/\D/g, '').length;
    if (digits > MAX_DIGITS && /\s/.test(raw)) {
      // Two numbers separated by a space ("13800138000 13900139000"): look at each part.
      for (const part of raw.split(/\s+/)) consider(part);
      return;
    }
    if (digits < MIN_DIGITS || digits > MAX_DIGITS) return;
    // Dates ("2026-03-02 10:30") are digit runs too.
    if (/^\d{4}-\d{2}-\d{2}/.test(raw)) return;
    if (!found.includes(raw)) found.push(raw);
  };
  for (const m of text.matchAll(RUN)) consider(m[0]);
  return found;
}
