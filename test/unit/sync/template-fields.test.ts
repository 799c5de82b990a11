// The worker renders the connection's templates for the record each entry sends and hands them
// to the adapter as WriteOptions.fields (the adapters' own tests cover putting them in payloads).
import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import type { CrmAdapter, WriteOptions } from '../../../lib/crm/port';
import type { SyncEntry } from '../../../lib/sync/entry';
import { CONN, drive, rig, type Rig } from './helpers';

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});

/** The fake CRM's adapter, recording the options of every write. */
function recording(r: Rig) {
  const seen: { op: string; fields?: WriteOptions['fields'] }[] = [];
  const wrap = (a: CrmAdapter): CrmAdapter => ({
    ...a,
    createCustomer: (c, o) => (seen.push({ op: 'createCustomer', ...(o.fields ? { fields: o.fields } : {}) }), a.createCustomer(c, o)),
    updateCustomer: (id, p, o) => (seen.push({ op: 'updateCustomer', ...(o.fields ? { fields: o.fields } : {}) }), a.updateCustomer(id, p, o)),
    addFollowUp: (id, f, o) => (seen.push({ op: 'addFollowUp', ...(o.fields ? { fields: o.fields } : {}) }), a.addFollowUp(id, f, o)),
  });
  const w = r.worker({ adapterFor: (c) => (c.id === CONN ? wrap(r.crm.adapter()) : undefined) });
  return { seen, w };
}

describe('template fields in the outbox worker', () => {
  it('renders the customer and follow-up templates (with the chat site and the logged message) for each write', async () => {
    const r = (current = await rig({
      connection: {
        settings: {
          templates: {
            customer: { Description: '来自{{platform}}：{{senderName}} {{customer.intentLevel|lookup:intent|default:未知}}', Rating: '{{customer.intentLevel|lookup:intent}}' },
            followUp: { Subject: '{{followUp.method}} - {{messageContent|truncate:6}}' },
            lookups: { intent: { 高: 'Hot', 中: 'Warm' } },
          },
        },
      },
    }));
    const c = await createCustomer(r.db, { fields: { name: '张三', phones: ['13800138000'], intentLevel: '高' } }, r.clock.now());
    await r.db.identities.put({ site: 'whatsapp', key: 'thread-1', customerId: c.id, createdAt: 1 });
    await logFollowUp(r.db, c.id, { method: '微信', content: '想了解经营贷利率' }, r.clock.now());
    const { seen, w } = recording(r);
    await drive(r, w);
    expect(seen).toEqual([
      { op: 'createCustomer', fields: { Description: '来自whatsapp：张三 Hot', Rating: 'Hot' } },
      { op: 'addFollowUp', fields: { Subject: '微信 - 想了解经营…' } },
    ]);
  });

  it('sends no fields when the connection has no templates, and leaves out empty values', async () => {
    const r = (current = await rig({ connection: { settings: { templates: { customer: { Company: '{{customer.company}}' } } } } }));
    await createCustomer(r.db, { fields: { name: '李四', phones: ['13900139000'] } }, r.clock.now());
    const { seen, w } = recording(r);
    await drive(r, w);
    expect(seen).toEqual([{ op: 'createCustomer' }]);
  });

  it('a stored mapping that no longer compiles fails the entry with a validation error naming the field, sending nothing', async () => {
    const r = (current = await rig({ connection: { settings: { templates: { customer: { Description: '{{customer.nope}}' } } } } }));
    await createCustomer(r.db, { fields: { name: '王五', phones: ['13700137000'] } }, r.clock.now());
    const { seen, w } = recording(r);
    await drive(r, w);
    expect(seen).toEqual([]);
    const [e] = (await r.db.outbox.toArray()) as SyncEntry[];
    expect(e?.state).toBe('failed');
    expect(e?.lastError).toMatch(/^validation: .*customer\.Description/);
  });
});
