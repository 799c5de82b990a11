// Phone numbers in free chat text ("我的电话是138 0013 8000，微信同号", "call me at +1 (415) 555-2671").
//
// Precision over recall: a wrong phone can auto-link a chat to the wrong customer, a missed
// one only means the user links by hand. So a digit run counts only when it has the shape of a
// phone on its own (international prefix, Chinese mobile, Chinese landline with area code) or
// a phone word stands right before it; and never when it reads as an order/card number, an
// amount, a date or a time.
import { normalizePhone, toHalfWidth, type CountryCode } from './normalize';

/** A run of digits and the separators people write phones with (no newline: lines are separate). */
const RUN = /[+(]*\d[\d+().\- \t\u00a0]*/g;
/** Longest group of whitespace-separated tokens tried as one number ("+86 138 0013 8000" is 4). */
const MAX_TOKENS = 8;

const INTERNATIONAL = /^\(?(?:\+|00)/;
const CN_MOBILE = /^1[3-9]\d{9}$/;
/** (021)1234-5678, 010-12345678, 0755 1234 5678: area code set apart, as people write it. */
const CN_LANDLINE = /^(?:\(0\d{2,3}\)|0\d{2,3}[-\s])\s*\d{3,4}[-\s]?\d{4}$/;
const DATE = /(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d{2}/;
/** 4-4-4-4 groups: bank cards and similar, never phones. */
const CARD = /^\d{4}(?:[\s-]\d{4}){3,}/;

const PHONE_WORD = /电话|手机|座机|联系|致电|打给|来电|(?<![单编卡账帐])号码|热线|同号|(?<![a-z])(?:tel|phone|call|mobile|cell|whats ?app|contact|reach|text me|sms)/gi;
const OTHER_NUMBER_WORD = /订单|单号|编号|流水|快递|运单|物流|卡号|账号|帐号|账户|身份证|证件|工号|合同|发票|金额|价格|预算|(?<![a-z])(?:qq|order|invoice|tracking|account|card|amount|price|budget)/gi;
const CURRENCY_BEFORE = /(?:[¥$€£]|rmb|usd|cny|hkd)\s*$/i;
const IMMEDIATE_HASH = /#\s*$/;
const UNIT_AFTER = /^\s*(?:万|元|块|千|百|亿|美元|美金|刀|%|个|件|台|次|天|年|月|日|岁|斤|吨|套|平米)/;
/** Part of a longer token: "SO13800138000", "13800138000abc". */
const GLUED_BEFORE = /[a-z0-9_]$/i;
const GLUED_AFTER = /^[a-z0-9_]/i;

/** End offset of the last match of `re` in `s`, or -1. */
function lastMatchEnd(s: string, re: RegExp): number {
  let end = -1;
  for (const m of s.matchAll(re)) end = m.index + m[0].length;
  return end;
}

/** Within a few characters before the number, which word is nearest: a phone word or an order/amount word. */
function nearestWord(before: string): 'phone' | 'other' | null {
  const phone = lastMatchEnd(before, PHONE_WORD);
  const other = lastMatchEnd(before, OTHER_NUMBER_WORD);
  if (phone < 0 && other < 0) return null;
  return phone >= other ? 'phone' : 'other';
}

function hasStandaloneShape(raw: string, normalized: string): boolean {
  if (INTERNATIONAL.test(raw)) return true;
  if (normalized.startsWith('+86')) {
    const digits = raw.replace(/\D/g, '').replace(/^(?:0086|86)(?=\d{11}$)/, '');
    if (CN_MOBILE.test(digits)) return true;
    if (CN_LANDLINE.test(raw)) return true;
  }
  return false;
}

/** Drops parentheses that do not pair up, e.g. the ")" of "（13800138000）" cut at the run's end. */
function balanceParens(s: string): string {
  const open = (s.match(/\(/g) ?? []).length;
  const close = (s.match(/\)/g) ?? []).length;
  return open === close ? s : s.replace(/[()]/g, ' ').trim();
}

export function extractPhones(text: string, defaultRegion: CountryCode = 'CN'): string[] {
  // Every offset below is in the normalized text, so NFKC changing lengths does not matter.
  const t = toHalfWidth(text);
  const found = new Set<string>();

  for (const run of t.matchAll(RUN)) {
    const runText = run[0].replace(/[^\d]+$/, '');
    if (CARD.test(runText)) continue;
    const tokens = [...runText.matchAll(/\S+/g)].map((m) => ({ start: run.index + m.index, end: run.index + m.index + m[0].length }));

    let i = 0;
    while (i < tokens.length) {
      let next = i + 1;
      for (let j = Math.min(tokens.length - 1, i + MAX_TOKENS - 1); j >= i; j--) {
        const start = tokens[i]!.start;
        const end = tokens[j]!.end;
        const phone = accept(t, start, end, defaultRegion);
        if (phone) {
          found.add(phone);
          next = j + 1;
          break;
        }
      }
      i = next;
    }
  }
  return [...found];
}

function accept(t: string, start: number, end: number, region: CountryCode): string | null {
  const raw = balanceParens(t.slice(start, end));
  const before = t.slice(Math.max(0, start - 20), start);
  const after = t.slice(end, end + 4);

  if (GLUED_BEFORE.test(before) || GLUED_AFTER.test(after) || UNIT_AFTER.test(after)) return null;
  if (CURRENCY_BEFORE.test(before) || IMMEDIATE_HASH.test(before)) return null;
  if (DATE.test(raw)) return null;

  const word = nearestWord(before);
  if (word === 'other') return null;

  const normalized = normalizePhone(raw, region);
  if (!normalized) return null;
  return word === 'phone' || hasStandaloneShape(raw, normalized) ? normalized : null;
}
