import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { saveRobot } from '../../../lib/notify/store';
import { mappingView, previewMapping, saveMapping, saveStrategyChecked, strategyView } from '../../../lib/strategy/handlers';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
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

  it('group posts name existing robots only (seed 004 parallel: also post to the team group)', async () => {
    const d = await setup();
    await expect(saveStrategyChecked(d, { mode: 'parallel', groupPosts: { ticket: ['nope'] } })).rejects.toThrow(/no such group robot: nope/);
    await expect(saveStrategyChecked(d, { mode: 'parallel', groupPosts: { ticket: ['a b'] } })).rejects.toThrow(/invalid strategy: groupPosts\.ticket\.0/);
    await saveRobot(d, { id: 'team', kind: 'slack', name: '#customer-support', url: 'https://hooks.slack.com/services/T0/B0/abcdefghijklmnopqrstuvwx', enabled: true }, undefined);
    await saveStrategyChecked(d, { mode: 'parallel', groupPosts: { ticket: ['team'], newLead: [] } });
    expect((await strategyView(d)).strategy).toEqual({ mode: 'parallel', groupPosts: { ticket: ['team'], newLead: [] } });
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

  it('previews on the customer open beside the chat (its latest follow-up and deal), naming it', async () => {
    const d = await setup();
    const c = await createCustomer(d, { fields: { name: '李雷', phones: ['13900139000'], intentLevel: '中' } }, 1_000);
    await logFollowUp(d, c.id, { method: '电话', content: '确认下周面谈' }, 2_000);
    const p = await previewMapping(d, 'hs', { customer: { description: '{{platform|default:未知}}/{{messageContent}}' }, followUp: { hs_note_body: '{{followUp.method}}：{{followUp.content}}' } }, c.id);
    expect(p.subject).toEqual({ customerId: c.id, name: '李雷', code: c.code });
    expect(p.values.customer).toMatchObject({ description: '未知/确认下周面谈' });
    expect(p.values.followUp).toMatchObject({ hs_note_body: '电话：确认下周面谈' });
    // No chat customer (or a deleted one): the sample, said so.
    expect((await previewMapping(d, 'hs', {}, 'gone')).subject).toBe('sample');
  });

  it("checks saved fields against the CRM's own list; a CRM that cannot answer now saves unchecked, saying why", async () => {
    const d = await setup();
    const fields = { customer: [{ name: 'firstname' }, { name: 'lifecyclestage' }], followUp: [{ name: 'hs_note_body' }] };
    const listed = async () => fields;
    await expect(saveMapping(d, 'hs', { customer: { lifecycle_stage: 'lead' } }, listed)).rejects.toThrow(/customer\.lifecycle_stage: .*no field "lifecycle_stage"/);
    expect((await mappingView(d, 'hs')).own).toEqual({});
    expect(await saveMapping(d, 'hs', { customer: { lifecyclestage: 'lead' } }, listed)).toEqual({ own: { customer: { lifecyclestage: 'lead' } } });
    const down = async () => {
      throw new Error('HubSpot is not reachable');
    };
    expect(await saveMapping(d, 'hs', { customer: { anything: 'x' } }, down)).toMatchObject({ unchecked: 'HubSpot is not reachable' });
    const view = await mappingView(d, 'hs', listed);
    expect(view.fields).toEqual(fields);
    expect(view.variables.find((v) => v.name === 'customer.intentLevel')?.label).toBe('意向等级');
    expect((await mappingView(d, 'hs', down)).fieldsError).toBe('HubSpot is not reachable');
  });

  it("remembers an observed chat's category for the create that follows", () => {
    const conv = { site: 'whatsapp', threadKey: 't1' };
    expect(categoryOf(conv, Date.now())).toBeNull();
    noteConversation({ ...conv, isGroup: false, contact: { displayName: 'x', handles: { phones: [], emails: [] } }, messages: [{ id: 'm1', direction: 'in', text: '系统登录不了，一直报错，怎么解决？' }] });
    expect(categoryOf(conv, Date.now())).toBe('技术支持');
    expect(categoryOf({ site: 'whatsapp', threadKey: 'other' }, Date.now())).toBeNull();
  });
});
