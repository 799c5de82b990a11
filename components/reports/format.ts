// Number formats for reports, in the UI's language.
import { intlTag, type T } from '../../lib/i18n';

export function formats(t: T) {
  const tag = intlTag(t.locale);
  const int = new Intl.NumberFormat(tag);
  const money = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const days = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  return {
    int: (n: number) => int.format(n),
    money: (n: number) => money.format(n),
    pct: (n: number | null) => (n === null ? '—' : pct.format(n)),
    days: (n: number | null) => (n === null ? '—' : days.format(n)),
  };
}

/** A domain value's label; '' (the field was empty) reads as 未填写 / Not set. */
export function termLabel(t: T, key: string): string {
  return key === '' ? t('report.notSet') : t.term(key);
}
