// The emulator refuses what DingTalk refuses (so the contract tests can fail): no or a bad token,
// a malformed queryDsl, an order on a field DingTalk cannot sort by, maxResults over 100, a form
// field that does not exist, a missing required field, an unknown creator; token expiry.
import { afterEach, describe, expect, it } from 'vitest';
import { startDingtalkEmulator, type DingtalkEmulator } from '../../../emulators/dingtalk';

const open: DingtalkEmulator[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((e) => e.close()))));

async function emulator() {
  const emu = await startDingtalkEmulator();
  open.push(emu);
  const tokenReply = await fetch(`${emu.url}/v1.0/oauth2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: emu.app.appKey, appSecret: emu.app.appSecret }) });
  const { accessToken, expireIn } = (await tokenReply.json()) as { accessToken: string; expireIn: number };
  expect(expireIn).toBe(7200);
  const api = async (method: string, path: string, body?: unknown, token: string | null = accessToken) => {
    const res = await fetch(`${emu.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { 'x-acs-dingtalk-access-token': token } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { emu, api, accessToken };
}
const q = (dsl: unknown, max = 10) => `/v1.0/crm/personalCustomers?relationType=crm_customer_personal&maxResults=${max}&queryDsl=${encodeURIComponent(typeof dsl === 'string' ? dsl : JSON.stringify(dsl))}`;

describe('DingTalk emulator strictness', () => {
  it('tokens: missing, unknown and expired are 401 InvalidAuthentication with a requestid; a wrong secret 400', async () => {
    const { emu, api } = await emulator();
    expect(await api('GET', q({}), undefined, null)).toEqual({ status: 401, body: { code: 'InvalidAuthentication', message: expect.any(String), requestid: expect.any(String) } });
    expect((await api('GET', q({}), undefined, 'nope')).status).toBe(401);
    emu.control.expireTokens();
    expect((await api('GET', q({}))).status).toBe(401);
    const bad = await fetch(`${emu.url}/v1.0/oauth2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: emu.app.appKey, appSecret: 'x' }) });
    expect(bad.status).toBe(400);
  });

  it('queryDsl: not JSON, an unknown field, an unsortable order field, a BETWEEN without two values, maxResults over 100', async () => {
    const { api } = await emulator();
    expect((await api('GET', q('{oops'))).body.code).toBe('queryDsl.invalid.json');
    const cond = (c: Record<string, unknown>) => ({ queryGroupList: [{ logicType: 'AND', queryObjectList: [c] }] });
    expect((await api('GET', q(cond({ fieldId: 'nope', filterType: 'EQ', value: 'x' })))).body.message).toContain('nope');
    expect((await api('GET', q(cond({ fieldId: 'gmt_modified', filterType: 'BETWEEN', value: ['1'] })))).status).toBe(400);
    expect((await api('GET', q({ queryGroupList: [], order: 'ASC', orderFieldId: 'customer_name' }))).status).toBe(400);
    expect((await api('GET', q({}, 101))).status).toBe(400);
    expect((await api('GET', q({}, 100))).status).toBe(200);
  });

  it('create: unknown creator, a field not on the form, the name missing; update keeps nothing it is not sent', async () => {
    const { api, emu } = await emulator();
    expect((await api('POST', '/v1.0/crm/personalCustomers', { creatorUserId: 'nobody', data: { customer_name: 'x' } })).body.code).toBe('creatorUserId.not.exists');
    expect((await api('POST', '/v1.0/crm/personalCustomers', { creatorUserId: 'manager4220', data: { customer_name: 'x', 'TextField-NOPE': 'y' } })).body.code).toBe('data.format.error');
    expect((await api('POST', '/v1.0/crm/personalCustomers', { creatorUserId: 'manager4220', data: { 'TextField-K2U5DHAC': 'a@b.c' } })).body.message).toContain('customer_name');
    const ok = await api('POST', '/v1.0/crm/personalCustomers', { creatorUserId: 'manager4220', data: { customer_name: 'x', 'TextField-K2U5DHAC': 'a@b.c' } });
    const id = ok.body.instanceId as string;
    await api('PUT', '/v1.0/crm/personalCustomers', { instanceId: id, modifierUserId: 'manager4220', data: { customer_name: 'y' } });
    expect(emu.control.customers()[0]!.data).toEqual({ customer_name: 'y' });
  });

  it('follow records need the customer link and the required Textarea, per item', async () => {
    const { api, emu } = await emulator();
    const id = emu.control.addCustomer({ customer_name: '客户' });
    const link = { key: 'follow_record_related_customer', value: '[]', extendValue: JSON.stringify({ list: [{ instanceId: id }] }) };
    const r = await api('POST', '/v1.0/crm/followRecords/batch', { operatorUserId: 'manager4220', instanceList: [{ dataArray: [link] }, { dataArray: [link, { key: 'TextareaField-K2U5UJAF', value: '内容' }] }] });
    expect((r.body.results as { success: boolean; errorCode?: string }[]).map((x) => [x.success, x.errorCode])).toEqual([[false, 'data.format.error'], [true, undefined]]);
  });
});
