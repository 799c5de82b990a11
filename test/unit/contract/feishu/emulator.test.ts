// The emulator must reject what Feishu rejects: an emulator that accepts anything tests nothing.
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../../emulators/feishu';
import { emulator, raw, rawToken } from './helpers';

const UUID = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

async function base(opts: Parameters<typeof emulator>[0] = {}) {
  const emu = await emulator(opts);
  const app = emu.control.createApp();
  const table = emu.control.createTable(app, '客户信息表', [
    { field_name: '姓名', type: FIELD_TYPES.text },
    { field_name: '电话', type: FIELD_TYPES.phone },
    { field_name: '意向金额', type: FIELD_TYPES.number },
    { field_name: '意向等级', type: FIELD_TYPES.singleSelect, property: { options: [{ name: '高' }, { name: '中' }] } },
    { field_name: '标签', type: FIELD_TYPES.multiSelect, property: { options: [] } },
    { field_name: '下次跟进', type: FIELD_TYPES.dateTime },
  ]);
  const token = await rawToken(emu);
  const records = `/open-apis/bitable/v1/apps/${app}/tables/${table}/records`;
  return { emu, app, table, token, records };
}

describe('Feishu emulator: auth', () => {
  it('issues a tenant_access_token only for the right app_id/app_secret (10014 otherwise), and reuses it while > 30 min is left', async () => {
    const emu = await emulator();
    const path = '/open-apis/auth/v3/tenant_access_token/internal';
    expect((await raw(emu, 'POST', path, { app_id: emu.appId, app_secret: 'wrong' })).body).toEqual({ code: 10014, msg: 'app secret invalid' });
    expect((await raw(emu, 'POST', path, { app_id: 'cli_other', app_secret: emu.appSecret })).body.code).toBe(10003);
    expect((await raw(emu, 'POST', path, {})).status).toBe(400);
    const a = await raw(emu, 'POST', path, { app_id: emu.appId, app_secret: emu.appSecret });
    expect(a.body).toMatchObject({ code: 0, expire: 7200 });
    expect((await raw(emu, 'POST', path, { app_id: emu.appId, app_secret: emu.appSecret })).body.tenant_access_token).toBe(a.body.tenant_access_token);
    expect(emu.state.tokenRequests).toBe(5);
  });

  it('rejects a missing (99991661), unknown or expired (99991663) token', async () => {
    const { emu, records, token } = await base();
    expect((await raw(emu, 'POST', `${records}/search`, {})).body.code).toBe(99991661);
    expect((await raw(emu, 'POST', `${records}/search`, {}, 't-forged')).body.code).toBe(99991663);
    expect((await raw(emu, 'POST', `${records}/search`, {}, token)).body.code).toBe(0);
    emu.control.expireTokens();
    const expired = await raw(emu, 'POST', `${records}/search`, {}, token);
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe(99991663);
  });

  it('expires tokens on their own after the configured lifetime', async () => {
    // The emulator's own clock, moved by the test: a real 150 ms lifetime expired before the first
    // request under load (npm test at load 11).
    let at = Date.UTC(2026, 11, 7);
    const emu = await emulator({ tokenTtlMs: 150, now: () => at });
    const app = emu.control.createApp();
    const token = await rawToken(emu);
    at += 149;
    expect((await raw(emu, 'GET', `/open-apis/bitable/v1/apps/${app}/tables`, undefined, token)).body.code).toBe(0);
    at += 51;
    expect((await raw(emu, 'GET', `/open-apis/bitable/v1/apps/${app}/tables`, undefined, token)).body.code).toBe(99991663);
  });
});

describe('Feishu emulator: record writes', () => {
  it('rejects values of the wrong type with the documented codes, unknown fields with 1254045', async () => {
    const { emu, records, token } = await base();
    const write = (fields: unknown) => raw(emu, 'POST', records, { fields }, token).then((r) => r.body.code);
    expect(await write({ 意向金额: '200000' })).toBe(1254061);
    expect(await write({ 电话: 13800138000 })).toBe(1254072);
    expect(await write({ 电话: '138-0013-8000' })).toBe(1254072);
    expect(await write({ 下次跟进: '2026-03-05' })).toBe(1254064);
    expect(await write({ 姓名: 42 })).toBe(1254060);
    expect(await write({ 标签: '抖音' })).toBe(1254063);
    expect(await write({ 微信号: 'x' })).toBe(1254045);
    expect(await write({ 姓名: '王', 电话: '+8613800138000', 意向金额: 1, 下次跟进: 1772672400000, 标签: ['抖音'] })).toBe(0);
    expect(emu.state.apps.size).toBe(1);
  });

  it('creates a select option for a new value (documented), and reads text back as segments', async () => {
    const { emu, app, table, records, token } = await base();
    const r = await raw(emu, 'POST', records, { fields: { 姓名: '王', 意向等级: '极高' } }, token);
    expect(r.body.data.record.fields).toEqual({ 姓名: [{ text: '王', type: 'text' }], 意向等级: '极高' });
    const field = emu.state.apps.get(app)!.tables.get(table)!.fields.find((f) => f.field_name === '意向等级')!;
    expect(field.property!.options!.map((o) => o.name)).toEqual(['高', '中', '极高']);
  });

  it('client_token: must be a uuidv4 (1254037); a repeat returns the same record; a reused token with another body is 1255006', async () => {
    const { emu, app, table, records, token } = await base();
    const bad = await raw(emu, 'POST', `${records}?client_token=not-a-uuid`, { fields: { 姓名: '王' } }, token);
    expect([bad.status, bad.body.code]).toEqual([400, 1254037]);
    const a = await raw(emu, 'POST', `${records}?client_token=${UUID}`, { fields: { 姓名: '王' } }, token);
    const b = await raw(emu, 'POST', `${records}?client_token=${UUID}`, { fields: { 姓名: '王' } }, token);
    expect(b.body.data.record.record_id).toBe(a.body.data.record.record_id);
    const c = await raw(emu, 'POST', `${records}?client_token=${UUID}`, { fields: { 姓名: '李' } }, token);
    expect([c.status, c.body.code]).toEqual([400, 1255006]);
    expect(emu.control.records(app, table)).toHaveLength(1);
  });

  it('batch_create: at most 500 records (1254104), all or nothing', async () => {
    const { emu, app, table, records, token } = await base();
    const many = Array.from({ length: 501 }, (_, i) => ({ fields: { 姓名: `客户${i}` } }));
    expect((await raw(emu, 'POST', `${records}/batch_create`, { records: many }, token)).body.code).toBe(1254104);
    const oneBad = [{ fields: { 姓名: 'a' } }, { fields: { 姓名: 'b', 意向金额: 'lots' } }];
    expect((await raw(emu, 'POST', `${records}/batch_create`, { records: oneBad }, token)).body.code).toBe(1254061);
    expect(emu.control.records(app, table)).toHaveLength(0);
    expect((await raw(emu, 'POST', `${records}/batch_create`, { records: many.slice(0, 500) }, token)).body.data.records).toHaveLength(500);
  });

  it('enforces the per-table record limit (1254103)', async () => {
    const { emu, records, token } = await base({ maxRecordsPerTable: 2 });
    expect((await raw(emu, 'POST', `${records}/batch_create`, { records: [{ fields: { 姓名: 'a' } }, { fields: { 姓名: 'b' } }] }, token)).body.code).toBe(0);
    expect((await raw(emu, 'POST', records, { fields: { 姓名: 'c' } }, token)).body.code).toBe(1254103);
  });

  it('rejects a concurrent write to the same table with 1254291 Write conflict', async () => {
    const { emu, records, token } = await base({ latencyMs: 80 });
    const [a, b] = await Promise.all([raw(emu, 'POST', records, { fields: { 姓名: 'a' } }, token), raw(emu, 'POST', records, { fields: { 姓名: 'b' } }, token)]);
    expect([a.body.code, b.body.code].sort()).toEqual([0, 1254291]);
  });

  it('update: unknown record 1254043; null clears a cell', async () => {
    const { emu, app, table, records, token } = await base();
    const id = (await raw(emu, 'POST', records, { fields: { 姓名: '王', 意向金额: 5 } }, token)).body.data.record.record_id;
    expect((await raw(emu, 'PUT', `${records}/recMissing00`, { fields: { 姓名: 'x' } }, token)).body.code).toBe(1254043);
    expect((await raw(emu, 'PUT', `${records}/${id}`, { fields: { 意向金额: null } }, token)).body.code).toBe(0);
    expect(emu.control.records(app, table)[0]!.fields).toEqual({ 姓名: '王' });
  });
});

describe('Feishu emulator: search', () => {
  it('filters with or/and, paginates with page_token, caps page_size at 500 and rejects the unsupported "in"', async () => {
    const { emu, app, table, records, token } = await base();
    emu.control.addRecords(app, table, Array.from({ length: 7 }, (_, i) => ({ 姓名: `客户${i}`, 电话: `1380013800${i}` })));
    const or = { conjunction: 'or', conditions: [{ field_name: '电话', operator: 'is', value: ['13800138001'] }, { field_name: '姓名', operator: 'is', value: ['客户5'] }] };
    const r = await raw(emu, 'POST', `${records}/search?page_size=1`, { filter: or }, token);
    expect(r.body.data).toMatchObject({ has_more: true, total: 2 });
    const r2 = await raw(emu, 'POST', `${records}/search?page_size=1&page_token=${r.body.data.page_token}`, { filter: or }, token);
    expect(r2.body.data.has_more).toBe(false);
    expect([r.body.data.items[0].fields.姓名[0].text, r2.body.data.items[0].fields.姓名[0].text]).toEqual(['客户1', '客户5']);
    expect((await raw(emu, 'POST', `${records}/search?page_size=501`, {}, token)).status).toBe(400);
    const inFilter = { conjunction: 'or', conditions: [{ field_name: '电话', operator: 'in', value: ['1', '2'] }] };
    expect((await raw(emu, 'POST', `${records}/search`, { filter: inFilter }, token)).body.code).toBe(1254018);
    const twoValues = { conjunction: 'or', conditions: [{ field_name: '电话', operator: 'is', value: ['1', '2'] }] };
    expect((await raw(emu, 'POST', `${records}/search`, { filter: twoValues }, token)).body.code).toBe(1254018);
    const unknown = { conjunction: 'or', conditions: [{ field_name: '手机', operator: 'is', value: ['1'] }] };
    expect((await raw(emu, 'POST', `${records}/search`, { filter: unknown }, token)).body.code).toBe(1254045);
  });

  it('answers HTTP 429 / 99991400 with x-ogw-ratelimit-reset past the per-API limit', async () => {
    const { emu, records, token } = await base({ rateLimits: { 'records.search': 3 } });
    const replies = await Promise.all(Array.from({ length: 5 }, () => raw(emu, 'POST', `${records}/search`, {}, token)));
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.body).toEqual({ code: 99991400, msg: 'request trigger frequency limit' });
    expect(limited[0]!.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    expect(emu.state.requests.filter((q) => q.status === 429).every((q) => q.resetSeconds === 1)).toBe(true);
  });
});

describe('Feishu emulator: tables and tasks', () => {
  it('creates tables with typed fields and links, rejecting unknown types and duplicate names', async () => {
    const emu = await emulator();
    const app = emu.control.createApp();
    const token = await rawToken(emu);
    const tables = `/open-apis/bitable/v1/apps/${app}/tables`;
    expect((await raw(emu, 'POST', tables, { table: { name: 'x', fields: [{ field_name: 'a', type: 99 }] } }, token)).body.code).toBe(1254001);
    const a = await raw(emu, 'POST', tables, { table: { name: 'A', fields: [{ field_name: 'n', type: 1 }] } }, token);
    expect((await raw(emu, 'POST', tables, { table: { name: 'A', fields: [{ field_name: 'n', type: 1 }] } }, token)).body.code).toBe(1254013);
    const b = await raw(emu, 'POST', tables, { table: { name: 'B', fields: [{ field_name: 'n', type: 1 }, { field_name: 'to A', type: 21, property: { table_id: a.body.data.table_id, back_field_name: 'from B' } }] } }, token);
    expect(b.body.code).toBe(0);
    const fieldsA = await raw(emu, 'GET', `${tables}/${a.body.data.table_id}/fields`, undefined, token);
    expect(fieldsA.body.data.items.map((f: { field_name: string }) => f.field_name)).toEqual(['n', 'from B']);
    const link = `${tables}/${b.body.data.table_id}/records`;
    expect((await raw(emu, 'POST', link, { fields: { 'to A': 'recNope' } }, token)).body.code).toBe(1254074);
    expect((await raw(emu, 'POST', link, { fields: { 'to A': ['recNope'] } }, token)).body.code).toBe(1254067);
  });

  it('task v2: summary required, due.timestamp a string of ms', async () => {
    const emu = await emulator();
    const token = await rawToken(emu);
    expect((await raw(emu, 'POST', '/open-apis/task/v2/tasks', { due: { timestamp: '1772672400000' } }, token)).status).toBe(400);
    expect((await raw(emu, 'POST', '/open-apis/task/v2/tasks', { summary: 'x', due: { timestamp: 1772672400000 } }, token)).status).toBe(400);
    const ok = await raw(emu, 'POST', '/open-apis/task/v2/tasks', { summary: '回访王小明', due: { timestamp: '1772672400000', is_all_day: false } }, token);
    expect(ok.body.data.task.guid).toBeTruthy();
  });
});

describe('Feishu emulator: fields Bitable computes, date filters, batch_get', () => {
  const AUTO = { auto_serial: { type: 'custom', options: [{ type: 'fixed_text', value: 'KH' }, { type: 'created_time', value: 'yyyyMMdd' }, { type: 'system_number', value: '3' }] } };

  async function computedBase(timeZone?: string) {
    let t = Date.UTC(2026, 11, 5, 15, 30); // 23:30 on Dec 5th in Shanghai, 15:30 in UTC
    const emu = await emulator({ now: () => t });
    const app = emu.control.createApp('CRM', timeZone);
    const table = emu.control.createTable(app, '客户', [
      { field_name: '姓名', type: FIELD_TYPES.text },
      { field_name: '编号', type: FIELD_TYPES.autoNumber, property: AUTO },
      { field_name: '序号', type: FIELD_TYPES.autoNumber },
      { field_name: '最后更新时间', type: FIELD_TYPES.modifiedTime },
      { field_name: '下次跟进', type: FIELD_TYPES.dateTime },
      { field_name: '负责人', type: FIELD_TYPES.user },
    ]);
    const token = await rawToken(emu);
    const records = `/open-apis/bitable/v1/apps/${app}/tables/${table}/records`;
    return { emu, app, table, token, records, tick: (ms: number) => void (t += ms) };
  }

  it('a table may not start with an auto number (1254012); auto_serial rules are checked', async () => {
    const emu = await emulator();
    const app = emu.control.createApp();
    expect(() => emu.control.createTable(app, 'a', [{ field_name: '编号', type: FIELD_TYPES.autoNumber }])).toThrow(/1254012/);
    expect(() => emu.control.createTable(app, 'b', [{ field_name: '姓名', type: FIELD_TYPES.text }, { field_name: '编号', type: FIELD_TYPES.autoNumber, property: { auto_serial: { type: 'custom', options: [{ type: 'system_number', value: '12' }] } } }])).toThrow(/1254001/);
  });

  it('numbers records in order, formatted as the field says (date in the Base’s time zone); refuses writes to it and to 最后更新时间 (1254015)', async () => {
    const { emu, records, token, app, table, tick } = await computedBase();
    const a = await raw(emu, 'POST', records, { fields: { 姓名: '甲' } }, token);
    expect(a.body.data.record.fields).toEqual({ 姓名: [{ text: '甲', type: 'text' }] }); // the reply echoes what was written
    tick(3_600_000); // now Dec 6th in Shanghai
    await raw(emu, 'POST', records, { fields: { 姓名: '乙' } }, token);
    expect(emu.control.records(app, table).map((r) => r.auto)).toEqual([
      { 编号: { seq: 1, text: 'KH20261205001' }, 序号: { seq: 1, text: '1' } },
      { 编号: { seq: 2, text: 'KH20261206002' }, 序号: { seq: 2, text: '2' } },
    ]);
    for (const fields of [{ 编号: 'KH1' }, { 最后更新时间: 1 }]) {
      const r = await raw(emu, 'POST', records, { fields: { 姓名: '丙', ...fields } }, token);
      expect([r.status, r.body.code]).toEqual([400, 1254015]);
    }
  });

  it('search renders computed cells and people with names; automatic_fields only when asked; sorts numbers as numbers', async () => {
    const { emu, records, token, tick } = await computedBase();
    emu.control.addUser({ id: 'ou_a1', name: '李娜' });
    await raw(emu, 'POST', records, { fields: { 姓名: '甲', 负责人: [{ id: 'ou_a1' }], 下次跟进: 900 } }, token);
    tick(1000);
    await raw(emu, 'POST', records, { fields: { 姓名: '乙', 下次跟进: 10_000 } }, token);
    const plain = await raw(emu, 'POST', `${records}/search`, { sort: [{ field_name: '下次跟进', desc: true }] }, token);
    expect(plain.body.data.items.map((i: { fields: Record<string, unknown> }) => i.fields['姓名'])).toEqual([[{ text: '乙', type: 'text' }], [{ text: '甲', type: 'text' }]]);
    const first = plain.body.data.items[1];
    expect(first).not.toHaveProperty('last_modified_time');
    expect(first.fields).toMatchObject({ 编号: 'KH20261205001', 序号: '1', 最后更新时间: Date.UTC(2026, 11, 5, 15, 30), 负责人: [{ id: 'ou_a1', name: '李娜' }] });
    const auto = await raw(emu, 'POST', `${records}/search`, { automatic_fields: true }, token);
    expect(auto.body.data.items[0]).toMatchObject({ created_time: Date.UTC(2026, 11, 5, 15, 30), last_modified_time: Date.UTC(2026, 11, 5, 15, 30) });
  });

  it('date filters: only is/isEmpty/isNotEmpty/isGreater/isLess, ["ExactDate","<ms>"], compared by day in the Base’s time zone', async () => {
    const shanghai = await computedBase();
    const utc = await computedBase('UTC');
    const search = (b: typeof shanghai, operator: string, value: string[]) =>
      raw(b.emu, 'POST', `${b.records}/search`, { filter: { conjunction: 'and', conditions: [{ field_name: '最后更新时间', operator, value }] } }, b.token);
    for (const b of [shanghai, utc]) await raw(b.emu, 'POST', b.records, { fields: { 姓名: '甲' } }, b.token);
    // 00:30 on Dec 6th in Shanghai is still Dec 5th (16:30) in UTC; the record was modified at 15:30 UTC.
    const t = String(Date.UTC(2026, 11, 5, 16, 30));
    expect((await search(shanghai, 'is', ['ExactDate', t])).body.data.total).toBe(0);
    expect((await search(shanghai, 'isLess', ['ExactDate', t])).body.data.total).toBe(1);
    expect((await search(utc, 'is', ['ExactDate', t])).body.data.total).toBe(1);
    // Later the same day is not "greater": the comparison is by day, not by millisecond.
    expect((await search(utc, 'isGreater', ['ExactDate', String(Date.UTC(2026, 11, 5, 1, 0))])).body.data.total).toBe(0);
    expect((await search(utc, 'isGreater', ['ExactDate', String(Date.UTC(2026, 11, 4, 23, 0))])).body.data.total).toBe(1);
    expect((await search(utc, 'isGreaterEqual', ['ExactDate', t])).body.code).toBe(1254018);
    expect((await search(utc, 'isGreater', [t])).body.code).toBe(1254018);
    expect((await search(utc, 'is', ['Today'])).body.data.total).toBe(1);
  });

  it('an auto number is filtered by its sequence number, not its text', async () => {
    const { emu, records, token } = await computedBase();
    await raw(emu, 'POST', records, { fields: { 姓名: '甲' } }, token);
    const find = async (value: string) =>
      (await raw(emu, 'POST', `${records}/search`, { filter: { conjunction: 'and', conditions: [{ field_name: '编号', operator: 'is', value: [value] }] } }, token)).body.data.total;
    expect(await find('1')).toBe(1);
    expect(await find('KH20261205001')).toBe(0);
  });

  it('batch_get: 1-100 ids, the missing ones in absent_record_ids, automatic fields when asked', async () => {
    const { emu, records, token } = await computedBase();
    const id = (await raw(emu, 'POST', records, { fields: { 姓名: '甲' } }, token)).body.data.record.record_id;
    const got = await raw(emu, 'POST', `${records}/batch_get`, { record_ids: [id, 'recGone0001'], automatic_fields: true }, token);
    expect(got.body.data).toMatchObject({ records: [{ record_id: id, fields: { 编号: 'KH20261205001' }, last_modified_time: Date.UTC(2026, 11, 5, 15, 30) }], absent_record_ids: ['recGone0001'], forbidden_record_ids: [] });
    expect((await raw(emu, 'POST', `${records}/batch_get`, { record_ids: [] }, token)).body.code).toBe(1254001);
    expect((await raw(emu, 'POST', `${records}/batch_get`, { record_ids: Array.from({ length: 101 }, (_, i) => `rec${i}`) }, token)).body.code).toBe(1254001);
  });
});
