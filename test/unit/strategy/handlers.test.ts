import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { mappingView, previewMapping, saveMapping, saveStrategyChecked, strategyView } from '../../../lib/strategy/handlers';
import { categoryOf, forgetConversations, noteConversation } from '../../../lib/strategy/category';

let db: LiaisonDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
  forgetConversations();
});
async function setup() {
  db = new LiaisonDb('h-' + crypto.randomUUID());
  await db.connections.put({ id: 'hs', kind: 'hubspot', name: 'HubSpot', enabled: true, settings: {}, createdAt: 0 });
  await db.connections.put({ id: 'zb', kind: 'zhibang', name: '智邦', enabled: true, settings: {}, createdAt: 0 });
  return db;
}

describe('strategy and mapping messages', () => {
  it('saves a strategy naming existing connections only, with clear reasons', async () => {
    const d = await setup();
    expect(await strategyView(d)).toEqual({ strategy: { mode: 'parallel' } });
    await expect(saveStrategyChecked(d, { mode: 'primary-backup', primary: 'hs', backup: 'gone' })).rejects.toThrow(/no such connection: gone/);
    await expect(saveStrategyChecked(d, { mode: 'primary-backup', primary: 'hs' })).rejects.toThrow(/invalid strategy: backup/);
    await saveStrategyChecked(d, { mode: 'primary-backup', primary: 'hs', backup: 'zb' });
    expect((await strategyView(d)).strategy).toMatchObject({ mode: 'primary-backup', primary: 'hs', backup: 'zb' });
  });

  it('previews templates over the CRM defaults on the sample customer, and refuses bad ones on save', async () => {
    const d = await setup();
    const p = await previewMapping(d, 'hs', { customer: { hs_lead_status: "{{customer.intentLevel|lookup:intent}}", lifecyclestage: 'lead' }, lookups: { intent: { 高: 'Hot' } } });
    expect(p.issues).toEqual([]);
    expect(p.values.customer).toMatchObject({ hs_lead_status: 'Hot', lifecyclestage: 'lead' });
    // The spec's defaults are underneath: the sample name is sent too.
    expect(Object.values(p.values.customer ?? {})).toContain('张三');
    const bad = await previewMapping(d, 'hs', { customer: { x: '{{senderNam}}' } });
    expect(bad.issues[0]).toMatchObject({ field: 'customer.x' });
    await expect(saveMapping(d, 'hs', { customer: { x: '{{senderNam}}' } })).rejects.toThrow(/customer\.x: .*senderNam/);
    await saveMapping(d, 'hs', { customer: { lifecyclestage: 'lead' } });
    expect((await mappingView(d, 'hs')).own).toEqual({ customer: { lifecyclestage: 'lead' } });
    expect((await mappingView(d, 'hs')).effective.customer?.lifecyclestage).toBe('lead');
  });

  it("remembers an observed chat's category for the create that follows", () => {
    const conv = { site: 'whatsapp', threadKey: 't1' };
    expect(categoryOf(conv, Date.now())).toBeNull();
    noteConversation({ ...conv, isGroup: false, contact: { displayName: 'x', handles: { phones: [], emails: [] } }, messages: [{ id: 'm1', direction: 'in', text: '系统登录不了，一直报错，怎么解决？' }] });
    expect(categoryOf(conv, Date.now())).toBe('技术支持');
    expect(categoryOf({ site: 'whatsapp', threadKey: 'other' }, Date.now())).toBeNull();
  });
});
