// Meta-test over the CRM registry: every declared CRM is complete and has operations.
import { describe, expect, it } from 'vitest';
import { crmSpecs } from '../../../lib/crm/registry';
import { adapterFactories, adapterFor } from '../../../lib/crm/adapters';
import { crmSpecSchema, type CrmSpec } from '../../../lib/crm/spec';
import { LiaisonDb } from '../../../lib/db/db';

/** What is missing or blank in a spec (names, field labels and help in both languages…); empty when complete. */
function specProblems(spec: CrmSpec): string[] {
  const parsed = crmSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}

it('the meta-check catches an incomplete spec', () => {
  const broken = {
    ...crmSpecs[0],
    names: { zh_CN: '', en: 'X' },
    auth: { kind: 'token', fields: [{ key: 'token', label: { zh_CN: '令牌', en: 'Token' }, help: { zh_CN: ' ', en: 'Paste it' }, secret: true, type: 'password' }] },
  } satisfies CrmSpec;
  expect(specProblems(broken).sort()).toEqual(['auth.fields.0.help.zh_CN', 'names.zh_CN']);
});

describe.each(crmSpecs.map((s) => [s.id, s] as const))('CRM %s', (id, spec) => {
  it('is a valid spec with names, labels and help text in both languages', () => {
    expect(specProblems(spec)).toEqual([]);
  });

  it('has an adapter factory implementing every operation', () => {
    const adapter = adapterFor(id, {
      db: new LiaisonDb('t-unopened'),
      connection: { id, kind: id, name: id, enabled: true, settings: {}, createdAt: 0 },
      secrets: {},
      now: () => 0,
    });
    expect(adapter).toBeDefined();
    for (const op of ['verify', 'findCustomers', 'createCustomer', 'updateCustomer', 'addFollowUp', 'createDeal', 'createTask'] as const) {
      expect(typeof adapter?.[op], op).toBe('function');
    }
    if ((spec as CrmSpec).capabilities.batchCreate) expect(typeof adapter?.batchCreateCustomers).toBe('function');
    // The read side: a method exactly where the spec declares it, so the pull never calls what is not there
    // and a capability is never left undeclared.
    const read = (spec as CrmSpec).capabilities.read;
    expect({
      getCustomer: typeof adapter?.getCustomer === 'function',
      followUps: typeof adapter?.listFollowUps === 'function',
      deals: typeof adapter?.listDeals === 'function',
      changes: typeof adapter?.changesSince === 'function' ? 'modified-filter' : 'none',
      followUpChanges: typeof adapter?.followUpsSince === 'function',
    }).toEqual({ getCustomer: read.getCustomer, followUps: read.followUps, deals: read.deals, changes: read.changes, followUpChanges: read.followUpChanges === true });
    // Tickets (issue 17), the same way: createTicket where capabilities.tickets is declared, getTicket
    // and addTicketComment where it says read / comments.
    const tickets = (spec as CrmSpec).capabilities.tickets;
    expect({
      create: typeof adapter?.createTicket === 'function',
      read: typeof adapter?.getTicket === 'function',
      comments: typeof adapter?.addTicketComment === 'function',
    }).toEqual({ create: tickets !== undefined, read: tickets?.read === true, comments: tickets?.comments === true });
    // Colleagues (lib/assign): assignOwner / notifyPerson exactly where capabilities.people says, with an id pattern that compiles.
    const people = (spec as CrmSpec).capabilities.people;
    expect({ assign: typeof adapter?.assignOwner === 'function', notify: typeof adapter?.notifyPerson === 'function' }).toEqual({
      assign: people?.assign === true,
      notify: people?.notify === true,
    });
    if (people) {
      expect(people.assign || people.notify, 'people declared with nothing to do').toBe(true);
      expect(() => new RegExp(people.idPattern)).not.toThrow();
    }
  });
});

it('ids are unique and factories match specs one to one', () => {
  const ids = crmSpecs.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(Object.keys(adapterFactories).sort()).toEqual([...ids].sort());
});

/**
 * Every remote CRM is proven against a strict emulator of its API: an adapter without one
 * would be untested against the vendor's contract. Explicit list: the emulator folder per id.
 */
const EMULATORS: Record<string, string> = { zhibang: 'zhibang', 'feishu-bitable': 'feishu', nocodb: 'nocodb', hubspot: 'hubspot', salesforce: 'salesforce', notion: 'notion', airtable: 'airtable', pipedrive: 'pipedrive', dynamics: 'dynamics', monday: 'monday', zoho: 'zoho', jira: 'jira', dingtalk: 'dingtalk', wecom: 'wecom', zendesk: 'zendesk', asana: 'asana', freshdesk: 'freshdesk', trello: 'trello', linear: 'linear', clickup: 'clickup' };
it('every remote adapter has an emulator and contract tests', async () => {
  const { existsSync, readdirSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const root = resolve(import.meta.dirname, '../../..');
  for (const spec of crmSpecs) {
    if (spec.id === 'local') continue;
    const dir = EMULATORS[spec.id];
    expect(dir, `${spec.id} has no emulator listed`).toBeDefined();
    expect(existsSync(resolve(root, 'test/emulators', dir!, 'index.ts')), `${spec.id} emulator`).toBe(true);
    const contract = resolve(root, 'test/unit/contract', dir!);
    expect(existsSync(contract) && readdirSync(contract).filter((f) => f.endsWith('.test.ts')).length, `${spec.id} contract tests`).toBeGreaterThan(0);
  }
});
