// Names come from chat pages and CRMs, so they may carry Unicode bidirectional controls. An
// override (RLO U+202E "‮") reverses what follows: "Invoice‮fdp.exe" displays as "Invoiceexe.pdf",
// and a name like "‮ 王经理" can push the code or stage shown beside it around. Every place that shows
// a customer's or contact's name shows it neutralised (the controls replaced by a visible marker,
// so the user sees something was there) and isolated (<bdi> in markup, FSI…PDI in plain text such
// as a title attribute), so a right-to-left name stays right-to-left without reordering its
// neighbours.

/** Embeddings, overrides and isolates: U+202A–U+202E and U+2066–U+2069. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** What a removed control shows as: a visible, neutral sign. */
export const BIDI_MARKER = '\uFFFD';

/** The text with every bidi embedding, override and isolate control replaced by a visible marker. */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, BIDI_MARKER);
}

/** Neutralised and wrapped in first-strong isolates, for plain-text contexts (title, aria-label, notifications). */
export function isolateText(text: string): string {
  return `\u2068${neutraliseBidi(text)}\u2069`;
}
