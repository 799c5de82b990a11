// The monday emulator is strict by construction: it refuses what monday's schema or its
// documented column value rules refuse, so a contract test passing against it means something.
import { afterEach, expect, it } from 'vitest';
import { startMondayEmulator, type MondayEmulator } from '../../../emulators/monday';

let emu: MondayEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function post(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${emu!.url}/v2`, { method: 'POST', headers: { 'content-type': 'application/json', Authorization: token ?? emu!.token, 'API-Version': '2026-10' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
}

it('refuses an unknown field, a missing required argument and a variable of the wrong type', async () => {
  emu = await startMondayEmulator();
  expect((await post('query Q { me { nmae } }')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await post('mutation M { create_item(board_id: 1) { id } }')).body.errors?.[0]?.message).toMatch(/item_name/);
  const r = await post('query Q($l: Int!) { next_items_page(cursor: "c", limit: $l) { cursor } }', { l: 'ten' });
  expect(r.body.errors?.length).toBeGreaterThan(0);
  expect(r.body.data ?? null).toBeNull();
});

it('refuses a bad token with 401, and column values their type does not take, naming the column', async () => {
  emu = await startMondayEmulator();
  const b = emu.control.addBoard('客户', [{ title: '状态', type: 'status', labels: ['新客户'] }, { title: '电话', type: 'phone' }]);
  expect((await post('query Q { me { name } }', {}, 'Bearer ' + emu.token)).status).toBe(401);
  const create = 'mutation C($b: ID!, $v: JSON) { create_item(board_id: $b, item_name: "x", column_values: $v) { id } }';
  const status = emu.control.column(b.id, '状态');
  const unknownLabel = await post(create, { b: b.id, v: JSON.stringify({ [status]: { label: '跟进中' } }) });
  expect(unknownLabel.body.errors?.[0]?.extensions).toMatchObject({ code: 'ColumnValueException', error_data: { column_id: status } });
  const phone = emu.control.column(b.id, '电话');
  expect((await post(create, { b: b.id, v: JSON.stringify({ [phone]: '+8613800138000' }) })).body.errors?.[0]?.extensions?.code).toBe('ColumnValueException');
  expect((await post(create, { b: b.id, v: JSON.stringify({ nope: 'x' }) })).body.errors?.[0]?.extensions?.code).toBe('InvalidColumnIdException');
  expect((await post(create, { b: '42', v: '{}' })).body.errors?.[0]?.extensions?.code).toBe('InvalidBoardIdException');
  expect(emu.control.items(b.id)).toEqual([]); // nothing half-written
});

it('a field the schema has but the emulator does not implement is an error, never a silent null', async () => {
  emu = await startMondayEmulator();
  const r = await post('query Q { teams { id } }');
  expect(r.body.errors?.[0]?.extensions?.code).toBe('NOT_IMPLEMENTED_BY_EMULATOR');
});
