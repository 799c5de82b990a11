// Search keys for a customer: what "link to existing" and the search box match on, by prefix,
// through the multiEntry index customers.searchKeys (schema v2, lib/db/db.ts, which also calls
// this in its upgrade). Queries are normalized the same way by ./query.ts.
//
// Runs in the background only: pinyin-pro and the phone metadata are too big for a content script.
import { pinyin } from 'pinyin-pro';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Customer } from '../model';

/** IndexedDB keys are stored once per entry: keep the row small. */
export const MAX_SEARCH_KEYS = 40;
export const MAX_SEARCH_KEY_LENGTH = 64;

const HAN = /\p{Script=Han}+/gu;
/** Separators between the words of a name or company ("John Smith", "ACME, Inc.", "Li-Na"). */
const WORD_SPLIT = /[\s,.;:!?/\\|()[\]{}<>"'`~@#&*+=_\-·・，。；：！？、（）【】《》“”‘’]+/u;

/** Lower case, full-width → half-width, single spaces. The same text normalization as queries. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function words(s: string): string[] {
  return s.split(WORD_SPLIT).filter((w) => w.length > 0);
}

/** 广东省深圳市腾讯科技有限公司 → 腾讯科技有限公司: people search a company by its own name, not its city. */
function stripRegion(company: string): string {
  return company.replace(/^(?:\p{Script=Han}{2,3}省)?(?:\p{Script=Han}{2,3}市)?/u, '');
}

/**
 * Full pinyin without tones and initials of the Han characters: 张三丰 → zhangsanfeng, zsf.
 * `asName` reads the first character as a surname (单 → shan, 曾 → zeng), as people say names.
 * ü is written v, as typed on every pinyin keyboard (吕 → lv).
 */
function pinyinKeys(s: string, asName: boolean): string[] {
  const han = (s.match(HAN) ?? []).join('');
  if (!han) return [];
  // Names and companies repeat across a customer list (王伟, the same employer): pinyin-pro is the
  // costliest step of a row, so each distinct text is converted once (issue 19: an import of
  // 100,000 customers derives keys for every row).
  const memoKey = (asName ? 'n' : 'c') + han;
  const known = pinyinMemo.get(memoKey);
  if (known) return known;
  const mode = asName ? ({ mode: 'surname', surname: 'head' } as const) : {};
  const full = pinyin(han, { toneType: 'none', type: 'array', v: true, ...mode });
  const initials = pinyin(han, { pattern: 'first', toneType: 'none', type: 'array', ...mode });
  const keys = [full.join(''), initials.join('')];
  if (pinyinMemo.size >= PINYIN_MEMO_MAX) pinyinMemo.clear();
  pinyinMemo.set(memoKey, keys);
  return keys;
}
const PINYIN_MEMO_MAX = 20_000;
const pinyinMemo = new Map<string, string[]>();

type Parsed = ReturnType<typeof parsePhoneNumberFromString>;
/** The national format's digits ('01012345678'), formatted once per parsed number. */
const formatted = new WeakMap<NonNullable<Parsed>, string>();
function nationalDigits(p: NonNullable<Parsed>): string {
  let d = formatted.get(p);
  if (d === undefined) formatted.set(p, (d = p.formatNational().replace(/\D/g, '')));
  return d;
}
/** One parse per phone per call: deriving and filtering the keys of a row read the same numbers. */
const parserWith = (memo: Map<string, Parsed>) => (e164: string): Parsed => {
  if (!memo.has(e164)) memo.set(e164, parsePhoneNumberFromString(e164));
  return memo.get(e164);
};

/** '+8613800138000' → '8613800138000', '13800138000'; Chinese landlines also with the trunk 0 ('01012345678'). */
function phoneKeys(e164: string, parse: (e164: string) => Parsed = parsePhoneNumberFromString): string[] {
  const digits = e164.replace(/\D/g, '');
  const p = parse(e164);
  if (!p) return [digits];
  return [digits, String(p.nationalNumber), nationalDigits(p)];
}

export function deriveSearchKeys(c: Pick<Customer, 'name' | 'company' | 'phones' | 'code' | 'wechatId' | 'email'>): string[] {
  return deriveWith(c, parsePhoneNumberFromString);
}

function deriveWith(c: Pick<Customer, 'name' | 'company' | 'phones' | 'code' | 'wechatId' | 'email'>, parse: (e164: string) => Parsed): string[] {
  const name = normalizeText(c.name ?? '');
  const company = normalizeText(c.company ?? '');
  const code = normalizeText(c.code ?? '');

  // Most useful first: when the cap cuts, it cuts company words and pinyin of the company.
  const candidates: string[] = [
    name,
    name.replace(/ /g, ''),
    ...words(name),
    ...pinyinKeys(name, true),
    code,
    code.replace(/[^a-z0-9]/g, ''),
    ...(c.phones ?? []).flatMap((e164) => phoneKeys(e164, parse)),
    normalizeText(c.wechatId ?? ''),
    normalizeText(c.email ?? ''),
    company,
    stripRegion(company),
    ...words(company),
    ...pinyinKeys(company, false),
  ];

  const keys = new Set<string>();
  for (const k of candidates) {
    const key = k.slice(0, MAX_SEARCH_KEY_LENGTH);
    if (key) keys.add(key);
    if (keys.size >= MAX_SEARCH_KEYS) break;
  }
  return [...keys];
}

// ---- What is stored (issue 19) ----
// Each search key is one entry of the multiEntry index, written with the customer; a bulk import
// pays for every one. Some keys repeat what another index of the customers table already holds,
// and the search (./query.ts) reads those indexes too, so they need not be stored twice:
//   - a phone's digits ('8613800138000') and national number ('13800138000'; the national
//     format with a trunk prefix, '01012345678', stays a key): the `phones` index holds '+8613800138000', found by
//     '+' + query and by '+' + calling code + query (calling codes are prefix-free, so this matches
//     exactly the numbers whose national number starts with the query);
//   - the name, when the stored name is already normalized (张三): the `name` index;
//   - the code in lower case, when the stored code is upper-case ASCII (KH2026-0001): the `code`
//     index, searched with the query in upper case.
// Pinyin, initials, name words, the code without punctuation, wechat id, email and company stay.
// Rows that still carry every key (written before, or by a writer using deriveSearchKeys) are
// found the same way: the search reads both.

/** Every calling code the phone metadata knows ('86', '1', '44'…). */
let callingCodes: string[] | undefined;
export function allCallingCodes(): string[] {
  callingCodes ??= [...new Set(getCountries().map((c) => String(getCountryCallingCode(c))))];
  return callingCodes;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The search keys that some other index of the customer already answers (see above). */
let callingCodeSet: Set<string> | undefined;

function servedElsewhere(c: Pick<Customer, 'name' | 'phones' | 'code'>, parse: (e164: string) => Parsed): Set<string> {
  const served = new Set<string>();
  const name = c.name ?? '';
  if (name && normalizeText(name) === name) served.add(name.slice(0, MAX_SEARCH_KEY_LENGTH));
  const code = c.code ?? '';
  const lc = normalizeText(code);
  if (lc && PRINTABLE_ASCII.test(code) && lc.toUpperCase() === code) served.add(lc.slice(0, MAX_SEARCH_KEY_LENGTH));
  const codes = (callingCodeSet ??= new Set(allCallingCodes()));
  for (const e164 of c.phones ?? []) {
    if (!/^\+\d+$/.test(e164)) continue;
    const p = parse(e164);
    if (!p || !codes.has(String(p.countryCallingCode))) continue;
    const digits = e164.slice(1);
    const national = String(p.nationalNumber);
    if (digits !== `${p.countryCallingCode}${national}`) continue;
    served.add(digits);
    served.add(national);
    // With a trunk prefix ('010…', '020…') the formatted digits are a key of their own.
    const formatted = nationalDigits(p);
    if (formatted === national) served.add(formatted);
  }
  return served;
}

/** The keys written to customers.searchKeys: deriveSearchKeys without those another index answers. */
export function storedSearchKeys(c: Pick<Customer, 'name' | 'company' | 'phones' | 'code' | 'wechatId' | 'email'>): string[] {
  const parse = parserWith(new Map());
  const served = servedElsewhere(c, parse);
  return deriveWith(c, parse).filter((k) => !served.has(k));
}
