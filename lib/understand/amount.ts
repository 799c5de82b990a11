// Money in chat text: 50万, 30w, 3.5万, 1.2亿, ¥300,000, 300k, $20,000, 五十万, 30-50万.
// A bare number is never an amount (phone numbers, order ids, 36期): it needs a currency
// sign or a money unit. Quantities and rates after the number (500个, 3.5%, 3年) are not money.
import { normalize } from './normalize';

export interface Amount {
  /** The amount, in units of the currency (yuan, dollars). For a range: the upper bound. */
  value: number;
  /** The lower bound of a range (30-50万 → 300000). */
  min?: number;
  /** ISO 4217 when said or implied (万 implies CNY); absent for a bare 300k. */
  currency?: 'CNY' | 'USD' | 'HKD' | 'EUR' | 'GBP';
  /** The words it came from, normalized. */
  text: string;
  start: number;
  end: number;
}

const CN_NUM = '[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零一二三四五六七八九]+)?';
const AR_NUM = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';
const NUM = `(?:${AR_NUM}|${CN_NUM})`;
const PREFIX = '(us\\$|hk\\$|\\$|¥|rmb|cny|usd|hkd|eur|€|£|gbp)?\\s*';
const UNIT = '(亿|千万|百万|万|w(?![a-z])|千|k(?![a-z])|m(?![a-z])|million|mn|bn|billion)?';
const SUFFIX = '\\s*(元|块钱|块|人民币|rmb|cny|yuan|美元|美金|刀|usd|dollars?|bucks|港币|港元|hkd|欧元|eur|euros?|英镑|gbp|pounds?)?';
// Groups: 1 prefix, 2 number, 3 its unit, 4 range end, 5 its unit, 6 suffix.
const AMOUNT = new RegExp(
  `(?<![\\d.,a-z])${PREFIX}(${NUM})\\s*${UNIT}(?:\\s*(?:-|~|～|到|至|—|to)\\s*(?:us\\$|\\$|¥)?\\s*(${NUM})\\s*${UNIT})?${SUFFIX}`,
  'gu',
);
/** What follows a money-looking number that makes it a quantity or a rate (5万个, 3.5万%). */
const NOT_MONEY_AFTER = /^\s*(%|个|件|台|套|箱|只|支|人|次|份|张|部|辆|平|米|斤|公斤|吨|pcs|pieces|units?|percent|sqm)/u;

const MULT: Record<string, number> = {
  亿: 1e8, 千万: 1e7, 百万: 1e6, 万: 1e4, w: 1e4, 千: 1e3, k: 1e3, m: 1e6, million: 1e6, mn: 1e6, bn: 1e9, billion: 1e9,
};
const CUR: Record<string, Amount['currency']> = {
  '$': 'USD', 'us$': 'USD', usd: 'USD', 美元: 'USD', 美金: 'USD', 刀: 'USD', dollar: 'USD', dollars: 'USD', bucks: 'USD',
  '¥': 'CNY', rmb: 'CNY', cny: 'CNY', 元: 'CNY', 块: 'CNY', 块钱: 'CNY', 人民币: 'CNY', yuan: 'CNY',
  'hk$': 'HKD', hkd: 'HKD', 港币: 'HKD', 港元: 'HKD', eur: 'EUR', '€': 'EUR', 欧元: 'EUR', euro: 'EUR', euros: 'EUR',
  '£': 'GBP', gbp: 'GBP', 英镑: 'GBP', pound: 'GBP', pounds: 'GBP',
};
const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 五十, 一百五, 三千二百, 两点五 → number. */
export function chineseNumber(s: string): number | undefined {
  const [intPart = '', frac] = s.split('点');
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  for (const ch of intPart) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch]!;
    else if (ch === '十' || ch === '百' || ch === '千') {
      const u = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
      section += (digit || (ch === '十' ? 1 : 0)) * u;
      digit = 0;
      lastUnit = u;
    } else return undefined;
  }
  // 一百五 = 150 (the trailing digit is a tenth of the last unit), 三十五 = 35.
  if (digit) section += lastUnit > 10 && !/[零〇]/.test(intPart) ? digit * (lastUnit / 10) : digit;
  total += section;
  if (frac) {
    let f = 0;
    let scale = 0.1;
    for (const ch of frac) {
      f += (CN_DIGIT[ch] ?? 0) * scale;
      scale /= 10;
    }
    total += f;
  }
  return total;
}

function parseNum(s: string): number | undefined {
  if (/^[\d,.]+$/.test(s)) {
    const n = Number(s.replace(/,/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  return chineseNumber(s);
}

/** Every amount in the text, left to right. */
export function extractAmounts(text: string): Amount[] {
  return amountsInNormalized(normalize(text));
}

/** extractAmounts on text already normalize()d. */
export function amountsInNormalized(t: string): Amount[] {
  // Most chat lines hold no number at all.
  if (!/[\d一二两三四五六七八九十]/u.test(t)) return [];
  const out: Amount[] = [];
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(t); m; m = AMOUNT.exec(t)) {
    if (!m[0].trim()) {
      AMOUNT.lastIndex++;
      continue;
    }
    const [whole, prefix, first, unit1, second, unit2, suffix] = m;
    const hiUnit = (unit2 ?? unit1)?.trim();
    const loUnit = (unit1 ?? unit2)?.trim();
    const cur = (prefix && CUR[prefix]) || (suffix && CUR[suffix.trim()]) || undefined;
    if (!hiUnit && !cur) continue;
    // 5m alone is five metres as often as five million: only with a currency.
    if (hiUnit === 'm' && !cur) continue;
    if (NOT_MONEY_AFTER.test(t.slice(m.index + whole.length))) continue;
    const a = parseNum(first!);
    if (a === undefined) continue;
    const lead = whole.length - whole.trimStart().length;
    const base = { text: whole.trim(), start: m.index + lead, end: m.index + whole.trimEnd().length };
    // 万 (and its shorthand w) and 亿 imply yuan; 300k does not say which currency.
    const currency = cur ?? (hiUnit && /[亿万千w]/.test(hiUnit) ? 'CNY' : undefined);
    const hi = second !== undefined ? parseNum(second) : undefined;
    if (second !== undefined && hi === undefined) continue;
    if (hi !== undefined) {
      const lo = a * (loUnit ? (MULT[loUnit] ?? 1) : 1);
      const up = hi * (hiUnit ? (MULT[hiUnit] ?? 1) : 1);
      out.push({ ...base, value: Math.max(lo, up), min: Math.min(lo, up), ...(currency ? { currency } : {}) });
    } else {
      out.push({ ...base, value: a * (loUnit ? (MULT[loUnit] ?? 1) : 1), ...(currency ? { currency } : {}) });
    }
  }
  return out.map((x) => ({ ...x, value: Math.round(x.value * 100) / 100, ...(x.min !== undefined ? { min: Math.round(x.min * 100) / 100 } : {}) }));
}
