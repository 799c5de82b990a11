// Phone strings as seen in chats and forms → E.164, or null when not a real number.
//
// Metadata: 'libphonenumber-js/max' (~156 KB). The 'min' set only checks lengths, so it
// accepts 1380013800 (10 digits) or 12012345678 as Chinese numbers; matching customers on a
// wrong number is worse than a slightly larger background bundle. This module is imported by
// the background service worker only (never by a content script, see ARCHITECTURE.md).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

/** Full-width digits and punctuation (１３８, ＋, （）, 　) → ASCII, so both parse the same. */
export function toHalfWidth(s: string): string {
  return s.normalize('NFKC');
}

/** Only what a phone number is written with; anything else (letters, 万, ¥) means "not a phone". */
const PHONE_CHARS = /^[+\d\s().\-]+$/;
/** Chinese mobiles: 11 digits, 1[3-9]. Stricter than some metadata ranges, on purpose. */
const CN_MOBILE = /^1[3-9]\d{9}$/;

export function normalizePhone(raw: string, defaultRegion: CountryCode = 'CN'): string | null {
  const s = toHalfWidth(raw)
    .trim()
    .replace(/^tel:/i, '');
  if (!s || s.length > 40 || !PHONE_CHARS.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 17) return null;

  const p = parsePhoneNumberFromString(s, defaultRegion);
  if (!p || !p.isValid()) return null;
  const national = String(p.nationalNumber);
  // 00000000 / 88888888888: syntactically plausible in some plans, never a customer's number.
  if (/^(\d)\1+$/.test(national)) return null;
  if (p.countryCallingCode === '86' && national.length === 11 && national.startsWith('1') && !CN_MOBILE.test(national)) {
    return null;
  }
  return p.number;
}
