// The UI's one translation function. Components receive `t` as a prop (never a global) so
// tests can render either language and the entrypoints decide the locale from settings.
// Only the sidebar's strings are imported here (this module ships in every content script);
// extension pages pass the full table (lib/i18n/pages.ts → createPageT).
import { sidebarEn, sidebarZh } from './messages-sidebar';
import type { MessageKey } from './messages';

export type Locale = 'zh_CN' | 'en';
export type { MessageKey };

const SIDEBAR: Record<Locale, Record<string, string>> = { zh_CN: sidebarZh, en: sidebarEn };

export type Vars = Record<string, string | number>;

export interface T {
  (key: MessageKey, vars?: Vars): string;
  readonly locale: Locale;
  /** Label for a domain value stored in Chinese (stage, method, result…); unknown values show as they are. */
  term(value: string): string;
  formatDateTime(ms: number): string;
  formatDate(ms: number): string;
  formatTime(ms: number): string;
  /** A due time relative to now: "2小时后" / "in 2 hours", "逾期 3天" / "3 days overdue". */
  formatRelative(ms: number, now: number): string;
  /** A past event relative to now: "3天前" / "3 days ago". */
  formatAgo(ms: number, now: number): string;
}

/** 'auto' follows the browser's UI language; every Chinese variant gets the zh_CN strings. */
export function pickLocale(setting: 'auto' | 'zh_CN' | 'en', uiLanguage: string): Locale {
  if (setting !== 'auto') return setting;
  return uiLanguage.trim().toLowerCase().replace('_', '-').startsWith('zh') ? 'zh_CN' : 'en';
}

/** BCP 47 tag for Intl. */
export function intlTag(locale: Locale): string {
  return locale === 'zh_CN' ? 'zh-CN' : 'en';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'minute' | 'hour' | 'day';

/** Picks the unit a person would say: 45 minutes, 5 hours, 3 days (rounded, never 0). */
function span(absMs: number): { n: number; unit: Unit } {
  if (absMs < HOUR) return { n: Math.max(1, Math.round(absMs / MINUTE)), unit: 'minute' };
  if (absMs < DAY) return { n: Math.max(1, Math.round(absMs / HOUR)), unit: 'hour' };
  return { n: Math.max(1, Math.round(absMs / DAY)), unit: 'day' };
}

export function createT(locale: Locale, table?: Record<string, string>): T {
  const dict: Record<string, string> = table ?? SIDEBAR[locale];
  const tag = intlTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const dateTimeYear = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const date = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric' });
  const time = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit' });
  const rel = new Intl.RelativeTimeFormat(tag, { numeric: 'always' });
  const units: Record<Unit, Intl.NumberFormat> = {
    minute: new Intl.NumberFormat(tag, { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
    hour: new Intl.NumberFormat(tag, { style: 'unit', unit: 'hour', unitDisplay: 'long' }),
    day: new Intl.NumberFormat(tag, { style: 'unit', unit: 'day', unitDisplay: 'long' }),
  };

  const t = ((key: MessageKey, vars?: Vars) => {
    const template = dict[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }) as T & { locale: Locale };

  Object.assign(t, {
    locale,
    term(value: string) {
      return dict[`term.${value}`] ?? value;
    },
    formatDateTime(ms: number) {
      // The year only when it is not this year: compact for a 340px sidebar.
      const sameYear = new Date(ms).getFullYear() === new Date().getFullYear();
      return (sameYear ? dateTime : dateTimeYear).format(ms);
    },
    formatDate: (ms: number) => date.format(ms),
    formatTime: (ms: number) => time.format(ms),
    formatRelative(ms: number, now: number) {
      const diff = ms - now;
      if (Math.abs(diff) < MINUTE) return t('time.dueNow');
      const { n, unit } = span(Math.abs(diff));
      if (diff > 0) return rel.format(n, unit);
      return t('time.overdue', { d: units[unit].format(n) });
    },
    formatAgo(ms: number, now: number) {
      const diff = now - ms;
      if (diff < MINUTE) return t('time.justNow');
      const { n, unit } = span(diff);
      return rel.format(-n, unit);
    },
  });
  return t;
}
