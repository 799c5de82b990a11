// Jira Cloud's XSRF filter refuses POST/PUT REST calls that carry a browser User-Agent
// ("403 XSRF check failed", even with Basic auth and X-Atlassian-Token: no-check; support.atlassian.com
// KB "REST API calls with a browser User-Agent header may fail CSRF checks"; docs/jira.md). A
// background fetch cannot set User-Agent (a forbidden header), so a declarativeNetRequest session
// rule sets it, for each connected Jira site's host only and for Liaison's own requests only
// (initiatorDomains = the host of the extension's own origin: its id in Chromium, its per-install
// UUID in Firefox, where moz-extension://<uuid> is the initiator; the user's own Jira tabs are
// untouched). Rules are
// replaced from the saved connections whenever they change and when the worker starts (session
// rules do not outlive the browser session).
// API: developer.chrome.com/docs/extensions/reference/api/declarativeNetRequest (updateSessionRules,
// modifyHeaders 'set', initiatorDomains, requestDomains; permission declarativeNetRequestWithHostAccess
// acts only where host access is granted). Firefox (113+, Liaison needs 140) has the same API and
// permission (MDN "declarativeNetRequest"); its ExtensionDNR.sys.mjs matches an extension's own
// requests against that extension's rules only (startDNREvaluation filters rule managers by the
// loading principal's addonPolicy). Verified in Chromium by test/e2e/tickets-routing.test.ts; not
// run in Firefox.
import type { Connection } from '@/lib/model';
import { siteOrigin } from '@/lib/crm/jira/config';

/** Liaison's rule ids for this purpose: [FIRST, FIRST + MAX). Other session rules are left alone. */
export const JIRA_UA_RULE_FIRST = 17_000;
const MAX = 100;
export const LIAISON_USER_AGENT = 'Liaison';

export interface DnrRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; requestHeaders: { header: string; operation: 'set'; value: string }[] };
  condition: { requestDomains: string[]; initiatorDomains: string[]; resourceTypes: ['xmlhttprequest'] };
}

export interface SessionRulesPort {
  getSessionRules(): Promise<{ id: number }[]>;
  updateSessionRules(o: { removeRuleIds?: number[]; addRules?: DnrRule[] }): Promise<void>;
}

/** The hosts of the enabled Jira connections' sites, each once. */
export function jiraHosts(connections: readonly Connection[]): string[] {
  const hosts = connections
    .filter((c) => c.kind === 'jira' && c.enabled)
    .map((c) => siteOrigin(typeof c.settings.site === 'string' ? c.settings.site : undefined))
    .filter((o): o is string => !!o)
    .map((o) => new URL(o).hostname);
  return [...new Set(hosts)].slice(0, MAX);
}

export function jiraUserAgentRules(hosts: readonly string[], initiatorHost: string): DnrRule[] {
  return hosts.map((host, i) => ({
    id: JIRA_UA_RULE_FIRST + i,
    priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'User-Agent', operation: 'set', value: LIAISON_USER_AGENT }] },
    condition: { requestDomains: [host], initiatorDomains: [initiatorHost], resourceTypes: ['xmlhttprequest'] },
  }));
}

/** Replace Liaison's Jira rules with those the connections need now (none: all removed). */
export async function syncJiraUserAgent(port: SessionRulesPort, connections: readonly Connection[], initiatorHost: string): Promise<number> {
  const old = (await port.getSessionRules()).map((r) => r.id).filter((id) => id >= JIRA_UA_RULE_FIRST && id < JIRA_UA_RULE_FIRST + MAX);
  const rules = jiraUserAgentRules(jiraHosts(connections), initiatorHost);
  await port.updateSessionRules({ removeRuleIds: old, addRules: rules });
  return rules.length;
}
