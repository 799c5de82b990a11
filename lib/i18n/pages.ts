// `t` for extension pages (options, popup): every string, sidebar and pages alike.
import { createT, type Locale, type T } from './index';
import { messages } from './messages';

export { messages };

export function createPageT(locale: Locale): T {
  return createT(locale, messages[locale]);
}
