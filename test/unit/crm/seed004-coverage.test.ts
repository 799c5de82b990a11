// Seed 004 (CRM 系统集成指南) names sixteen systems. Each is either connected — a registered
// adapter with an emulator, contract tests and help text for every credential field — or listed
// below as not yet connected, with the issue that will connect it and why. The list is explicit;
// when the seed is present (../shared/seeds, as in CI) its headings are checked against it, so
// a system cannot be forgotten.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmSpecs } from '../../../lib/crm/registry';
import type { CrmSpec } from '../../../lib/crm/spec';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Seed 004's heading → the CRM id that connects it. */
const CONNECTED: Record<string, { id: string; emulator: string }> = {
  Salesforce: { id: 'salesforce', emulator: 'salesforce' },
  'Microsoft Dynamics 365': { id: 'dynamics', emulator: 'dynamics' },
  HubSpot: { id: 'hubspot', emulator: 'hubspot' },
  '飞书（Lark）': { id: 'feishu-bitable', emulator: 'feishu' },
  Notion: { id: 'notion', emulator: 'notion' },
  Airtable: { id: 'airtable', emulator: 'airtable' },
  'Monday.com': { id: 'monday', emulator: 'monday' },
  'Zoho CRM': { id: 'zoho', emulator: 'zoho' },
  Pipedrive: { id: 'pipedrive', emulator: 'pipedrive' },
  Jira: { id: 'jira', emulator: 'jira' },
  Asana: { id: 'asana', emulator: 'asana' },
  Trello: { id: 'trello', emulator: 'trello' },
  Linear: { id: 'linear', emulator: 'linear' },
  ClickUp: { id: 'clickup', emulator: 'clickup' },
  '钉钉（DingTalk）': { id: 'dingtalk', emulator: 'dingtalk' },
  企业微信: { id: 'wecom', emulator: 'wecom' },
};

/** Not connected yet: which issue connects it, and why it is not done. */
const PENDING: Record<string, { issue: number; why: string }> = {
};

describe('seed 004: every system is connected or listed with the issue that will connect it', () => {
  it('the explicit list covers the sixteen systems, once each', () => {
    const names = [...Object.keys(CONNECTED), ...Object.keys(PENDING)];
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(16);
  });

  const seedDir = resolve(ROOT, '../shared/seeds');
  const seedFile = existsSync(seedDir) ? readdirSync(seedDir).find((f) => f.startsWith('004_')) : undefined;
  it.runIf(seedFile !== undefined)('the seed’s own headings (#### N. Name) are exactly the list', () => {
    const text = readFileSync(resolve(seedDir, seedFile!), 'utf8');
    // The section "## 支持的CRM系统", up to the next second-level heading.
    const start = text.indexOf('## 支持的CRM系统');
    expect(start, 'the seed has its list of systems').toBeGreaterThanOrEqual(0);
    const end = text.indexOf('\n## ', start + 1);
    const section = text.slice(start, end < 0 ? undefined : end);
    const headings = [...section.matchAll(/^#### \d+\. (.+)$/gm)].map((m) => m[1]!.trim());
    expect(headings.length).toBeGreaterThan(0);
    expect(headings.sort()).toEqual([...Object.keys(CONNECTED), ...Object.keys(PENDING)].sort());
  });

  for (const [name, c] of Object.entries(CONNECTED)) {
    it(`${name}: adapter, emulator, contract tests and help text`, () => {
      const spec = crmSpecs.find((s) => s.id === c.id) as CrmSpec | undefined;
      expect(spec, `${name} is registered as ${c.id}`).toBeDefined();
      expect(existsSync(resolve(ROOT, 'test/emulators', c.emulator, 'index.ts')), `${name} emulator`).toBe(true);
      const contract = resolve(ROOT, 'test/unit/contract', c.emulator);
      expect(existsSync(contract) && readdirSync(contract).filter((f) => f.endsWith('.test.ts')).length, `${name} contract tests`).toBeGreaterThan(0);
      const fields = spec!.auth.fields;
      expect(fields.length, `${name} asks for credentials`).toBeGreaterThan(0);
      for (const f of fields) {
        expect(f.help.zh_CN.length, `${name}.${f.key} help (zh)`).toBeGreaterThan(10);
        expect(f.help.en.length, `${name}.${f.key} help (en)`).toBeGreaterThan(10);
      }
      // The read side the two-way issue added: declared for every connected system — a customer,
      // or for a ticket system (a tracker or help desk holds no customers), its tickets' status.
      expect(spec!.capabilities.read.getCustomer || spec!.capabilities.tickets?.read === true, `${name} reads a customer or its tickets back`).toBe(true);
    });
  }
});
