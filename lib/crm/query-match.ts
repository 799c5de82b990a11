// Which keys of a CustomerQuery a CRM record really matches (RemoteCustomer.matchedBy). Vendor
// searches may be fuzzy (contains, tokens), so every adapter checks its hits the same way here.
import { normalizePhone } from '../phone';
import type { CustomerQuery } from './port';

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * Phones match when they normalize to the same E.164 number, or (`suffix`, for CRMs where
 * people type numbers in any format, e.g. Salesforce) when the last 7–11 digits agree.
 */
function samePhone(stored: string, query: string, suffix: boolean): boolean {
  const want = normalizePhone(query) ?? query;
  if ((normalizePhone(stored) ?? stored) === want) return true;
  if (!suffix) return false;
  const d = digits(query);
  return d.length >= 7 && digits(stored).endsWith(d.slice(-Math.min(d.length, 11)));
}

export function queryMatches(query: CustomerQuery, found: { phones: readonly string[]; email?: string | undefined; code?: string | undefined; name: string }, opts: { phoneSuffix?: boolean } = {}): string[] {
  const out: string[] = [];
  const q = {
    phone: query.phone?.trim(),
    email: query.email?.trim().toLowerCase(),
    code: query.code?.trim(),
    name: query.name?.trim(),
  };
  if (q.phone && found.phones.some((p) => samePhone(p, q.phone!, opts.phoneSuffix === true))) out.push('phone');
  if (q.email && found.email?.trim().toLowerCase() === q.email) out.push('email');
  if (q.code && found.code?.trim() === q.code) out.push('code');
  if (q.name && found.name.includes(q.name)) out.push('name');
  return out;
}
