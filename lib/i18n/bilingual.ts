// Background errors and warnings are often written in both languages, 「中文 / English」
// (lib/customers, lib/sync/team.ts, the 智邦 enum warnings…), sometimes behind technical
// prefixes ("NocoDB: not-found: …"). A UI shows the half in its own language (issue 15, 7d: no
// English error text in a Chinese UI). Text that is not in that form is returned as it is:
// hostile or technical text stays exactly what it was.
import type { Locale, T } from './index';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const LATIN = /[A-Za-z]/g;

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

/** Share of Han characters among the letters (Han + Latin) of a text; 0 without letters. */
function hanShare(s: string): number {
  const han = s.match(HAN)?.length ?? 0;
  const latin = s.match(LATIN)?.length ?? 0;
  return han + latin === 0 ? 0 : han / (han + latin);
}

/**
 * Technical prefixes before the two halves: "kind: ", "<connection name>: " (ASCII colon and a
 * space; the Chinese halves use the full-width ：). Never past a " / ".
 */
const PREFIX = /^(?:[^\s:：/][^:：/\n]{0,40}?: )*/;

export interface BilingualParts {
  prefix: string;
  zh: string;
  en: string;
}

/**
 * The two halves of 「中文 / English」, or undefined when the text is not in that form. Among the
 * " / " in the text (a half may hold one: "App ID / App Secret"), the split with the most Han
 * characters on the left and the fewest on the right is taken; the left must read as Chinese (≥ 30 % Han)
 * and the right as English (< 30 % Han, at least one Latin letter), so "A / B" in one language
 * is not split.
 */
export function splitBilingual(text: string): BilingualParts | undefined {
  const prefix = PREFIX.exec(text)?.[0] ?? '';
  const body = text.slice(prefix.length);
  let best: { at: number; score: number; latinLeft: number } | undefined;
  for (let at = body.indexOf(' / '); at >= 0; at = body.indexOf(' / ', at + 1)) {
    const left = body.slice(0, at);
    const right = body.slice(at + 3);
    if (hanShare(left) < 0.3 || hanShare(right) >= 0.3 || !/[A-Za-z]/.test(right)) continue;
    // Most Chinese on the left and least on the right; on a tie (a " / " inside the English
    // half), the earlier split.
    const score = count(left, HAN) - count(right, HAN);
    const latinLeft = count(left, LATIN);
    if (!best || score > best.score || (score === best.score && latinLeft < best.latinLeft)) best = { at, score, latinLeft };
  }
  if (!best) return undefined;
  return { prefix, zh: body.slice(0, best.at).trim(), en: body.slice(best.at + 3).trim() };
}

/** The half of a 「中文 / English」 text in the UI's language; any other text unchanged. */
export function pickBilingual(text: string, locale: Locale): string {
  const parts = splitBilingual(text);
  if (!parts) return text;
  return parts.prefix + (locale === 'zh_CN' ? parts.zh : parts.en);
}

/** CrmError kinds (lib/crm/errors.ts CRM_ERROR_KINDS) as the background prefixes them to stored errors ("auth: …"). */
export const ERROR_KINDS = ['retryable', 'rate-limited', 'auth', 'validation', 'conflict', 'not-found', 'unknown-outcome', 'unsupported'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const KIND_LEAD = /^(?:([^:：/\n]{1,60}?): )?(retryable|rate-limited|auth|validation|conflict|not-found|unknown-outcome|unsupported): ([\s\S]*)$/;

/**
 * "[<name>: ]<kind>: <detail>" → its parts (the form lib/sync stores in lastError and
 * crm.candidates / crm.pullCustomer return); undefined when no known kind leads the text.
 */
export function errorKindOf(text: string): { name?: string; kind: ErrorKind; detail: string } | undefined {
  const m = KIND_LEAD.exec(text);
  if (!m) return undefined;
  return { ...(m[1] !== undefined ? { name: m[1] } : {}), kind: m[2] as ErrorKind, detail: m[3]! };
}

const HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * What a UI shows for a background error or warning: the half in its language. Under a Chinese
 * UI the technical kind ("auth: ") is left out, and where what remains is a message in English
 * only, what its kind means is shown instead. `detail` keeps the whole original text (a
 * tooltip, a bug report) whenever the shown text differs from it.
 */
export function errorDisplay(t: T, text: string): { text: string; detail?: string } {
  const shown = displayText(t, text);
  return shown === text ? { text } : { text: shown, detail: text };
}

function displayText(t: T, text: string): string {
  const k = errorKindOf(text);
  if (!k) return pickBilingual(text, t.locale);
  const detail = pickBilingual(k.detail, t.locale);
  if (t.locale !== 'zh_CN') return `${k.name !== undefined ? `${k.name}: ` : ''}${k.kind}: ${detail}`;
  const said = HAS_HAN.test(detail) ? detail : t(`crmError.${k.kind}`);
  return `${k.name !== undefined ? `${k.name}：` : ''}${said}`;
}
