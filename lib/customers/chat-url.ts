// Which addresses "open chat" may open. The popup and reminders open a customer's last chat URL
// in a tab, so a URL that arrives from outside (a backup file) must be a chat page: http(s) on a
// site Liaison reads (lib/readers/addresses.ts) or on a site the user defined. Anything else
// (file:, chrome:, data:, javascript:, an arbitrary web page) is refused.
import { matchesPattern } from '../readers/match-pattern';
import { SITE_ADDRESSES } from '../readers/addresses';

/** Every match pattern of the built-in readers: their chat pages and, for single-page apps, the origin they start on. */
const BUILT_IN = SITE_ADDRESSES.flatMap(([, a]) => [...a.matches, ...('spa' in a ? a.spa.injectOn : [])]);

/** The URL, normalised, when it may be opened as a chat; else undefined. */
export function chatUrlOrUndefined(raw: unknown, customPatterns: readonly string[]): string | undefined {
  if (typeof raw !== 'string' || raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Credentials in a URL (https://user:pass@host/) are a phishing shape, never a chat address.
  if (url.username || url.password) return undefined;
  const href = url.href;
  return [...BUILT_IN, ...customPatterns.map(withoutPort)].some((p) => matchesPattern(p, href)) ? href : undefined;
}

/** A user-defined site's pattern may name a port (`http://crm.lan:8080/*`); browser patterns never do, and ignore the port. */
const withoutPort = (pattern: string) => pattern.replace(/^([^:]+:\/\/[^/:]+):(\d+|\*)\//, '$1/');
