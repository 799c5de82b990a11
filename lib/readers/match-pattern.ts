// Match patterns as the browser reads them, apart from the readers' registry so a content
// script can check its own page without bundling every site's reader.
/**
 * Browser extension match patterns, the subset readers use: `<all_urls>` or
 * `scheme://host/path` where scheme is `*` (http or https) or exact, host is `*`, `*.domain`
 * (the domain and its subdomains) or exact, and path is a glob with `*`. As in the browser,
 * the port is ignored and the query and fragment are not part of the path.
 */
export function matchesPattern(pattern: string, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1);
  if (pattern === '<all_urls>') return ['http', 'https', 'file', 'ws', 'wss'].includes(scheme);
  const m = /^(\*|[a-z][a-z0-9+.-]*):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, pScheme = '', pHost = '', pPath = ''] = m;
  if (pScheme === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== pScheme) return false;
  const host = u.hostname.toLowerCase();
  const want = pHost.toLowerCase();
  if (want.startsWith('*.')) {
    const base = want.slice(2);
    if (host !== base && !host.endsWith(`.${base}`)) return false;
  } else if (want !== '*' && host !== want) return false;
  const glob = new RegExp(`^${pPath.split('*').map(escapeRegExp).join('.*')}$`);
  return glob.test(u.pathname);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
