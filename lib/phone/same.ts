// Whether a phone a CRM holds is the same number as one Liaison holds: the CRM may keep the
// national form (13800138000) where Liaison keeps E.164 (+8613800138000), or add spaces and
// dashes. Seven digits at least on both sides, so an extension or a short code never matches.
const digits = (s: string) => s.replace(/\D/g, '');

export function samePhone(a: string, b: string): boolean {
  const x = digits(a);
  const y = digits(b);
  if (x.length < 7 || y.length < 7) return false;
  return x === y || x.endsWith(y) || y.endsWith(x);
}
