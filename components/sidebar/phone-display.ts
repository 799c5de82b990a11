// E.164 → how people read it (+86 138 0013 8000). Display only: the background stores and
// matches E.164; this stays tiny because it ships in the content script (no phone metadata).

export function formatPhoneForDisplay(e164: string): string {
  const cn = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(e164);
  if (cn) return `+86 ${cn[1]} ${cn[2]} ${cn[3]}`;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (nanp) return `+1 ${nanp[1]} ${nanp[2]} ${nanp[3]}`;
  // Chinese landlines: +86 10 1234 5678 (Beijing, Shanghai… 2-digit areas) or +86 755 1234 5678.
  const cnLand = /^\+86(10|2\d)(\d{4})(\d{4})$/.exec(e164) ?? /^\+86([3-9]\d{2})(\d{3,4})(\d{4})$/.exec(e164);
  if (cnLand) return `+86 ${cnLand[1]} ${cnLand[2]} ${cnLand[3]}`;
  return e164;
}
