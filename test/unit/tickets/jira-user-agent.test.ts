// The session rules that give Liaison's requests to a connected Jira site a non-browser
// User-Agent (entrypoints/background/jira-user-agent.ts): one per enabled Jira site, only for the
// extension's own requests, replaced as connections change, other rules left alone.
import { describe, expect, it } from 'vitest';
import { JIRA_UA_RULE_FIRST, jiraHosts, syncJiraUserAgent, type DnrRule, type SessionRulesPort } from '../../../entrypoints/background/jira-user-agent';
import type { Connection } from '../../../lib/model';

const conn = (id: string, kind: string, settings: Record<string, unknown>, enabled = true): Connection => ({ id, kind, name: id, enabled, settings, createdAt: 0 });

function fakeDnr(initial: { id: number }[] = []) {
  let rules: ({ id: number } | DnrRule)[] = [...initial];
  const port: SessionRulesPort = {
    getSessionRules: async () => rules,
    updateSessionRules: async ({ removeRuleIds = [], addRules = [] }) => {
      if (addRules.some((a) => rules.some((r) => r.id === a.id && !removeRuleIds.includes(r.id)))) throw new Error('duplicate rule id');
      rules = [...rules.filter((r) => !removeRuleIds.includes(r.id)), ...addRules];
    },
  };
  return { port, rules: () => rules };
}

describe('Jira User-Agent session rules', () => {
  it('takes the hosts of enabled Jira sites only, each once, and nothing from a bad site', () => {
    expect(
      jiraHosts([
        conn('a', 'jira', { site: 'https://acme.atlassian.net/' }),
        conn('b', 'jira', { site: 'https://acme.atlassian.net/jira/software' }),
        conn('c', 'jira', { site: 'https://off.atlassian.net' }, false),
        conn('d', 'jira', { site: 'http://plain.atlassian.net' }),
        conn('e', 'zendesk', { subdomain: 'acme' }),
        conn('f', 'jira', {}),
      ]),
    ).toEqual(['acme.atlassian.net']);
  });

  it("sets User-Agent for the site's host, on the extension's own requests only", async () => {
    const dnr = fakeDnr();
    expect(await syncJiraUserAgent(dnr.port, [conn('a', 'jira', { site: 'https://acme.atlassian.net' })], 'extid')).toBe(1);
    expect(dnr.rules()).toEqual([
      {
        id: JIRA_UA_RULE_FIRST,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'User-Agent', operation: 'set', value: 'Liaison' }] },
        condition: { requestDomains: ['acme.atlassian.net'], initiatorDomains: ['extid'], resourceTypes: ['xmlhttprequest'] },
      },
    ]);
  });

  it('replaces its rules when connections change and removes them when Jira is gone, leaving other rules', async () => {
    const dnr = fakeDnr([{ id: 5 }]);
    await syncJiraUserAgent(dnr.port, [conn('a', 'jira', { site: 'https://acme.atlassian.net' }), conn('b', 'jira', { site: 'https://beta.atlassian.net' })], 'extid');
    expect(dnr.rules().map((r) => r.id)).toEqual([5, JIRA_UA_RULE_FIRST, JIRA_UA_RULE_FIRST + 1]);
    await syncJiraUserAgent(dnr.port, [conn('b', 'jira', { site: 'https://beta.atlassian.net' })], 'extid');
    expect(dnr.rules().map((r) => ('condition' in r ? r.condition.requestDomains[0] : r.id))).toEqual([5, 'beta.atlassian.net']);
    expect(await syncJiraUserAgent(dnr.port, [], 'extid')).toBe(0);
    expect(dnr.rules()).toEqual([{ id: 5 }]);
  });
});
