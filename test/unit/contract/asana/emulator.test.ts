// The Asana emulator refuses what Asana refuses — so an adapter that passes against it has not
// merely agreed with itself: Bearer auth checked; a body outside the {data} envelope, a field
// Create a task does not take, `external` (OAuth only), a missing workspace, an id that is not
// the workspace's, both due_on and due_at, a custom field off the project or of the wrong type,
// a project the user may not add tasks to, a story without text; Get multiple tasks without
// exactly one filter; limits outside 1–100, forged offsets; the per-token minute with Retry-After.
// Raw requests; every reply is checked against asana.yaml (the requests that are meant to be
// wrong are sent around the validator, and their replies checked by hand).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { F_AMOUNT, F_PRIORITY, P_DEV, P_FREE, P_READONLY, P_SUPPORT, startAsanaEmulator, WS_FREE, WS_PAID, type AsanaEmulator } from '../../../emulators/asana';
import { asanaSpecFile } from './openapi';

let emu: AsanaEmulator;
beforeAll(async () => {
  await asanaSpecFile().catch(() => undefined);
}, 180_000);
afterEach(() => emu?.close());

async function client(o: Parameters<typeof startAsanaEmulator>[0] = {}) {
  emu = await startAsanaEmulator(o);
  const spec = await asanaSpecFile().catch(() => undefined);
  const replyErrors: string[] = [];
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emu.url}/api/1.0${path}`, { method, headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const json = JSON.parse(await res.text()) as Record<string, any>;
    if (spec) replyErrors.push(...spec.checkReply(method, `http://x/api/1.0${path}`, res.status, json).errors);
    return { status: res.status, body: json, headers: res.headers };
  };
  return { send, replyErrors };
}
const message = (r: { body: Record<string, any> }) => (r.body.errors as { message: string }[]).map((e) => e.message).join('; ');

describe('Asana emulator: auth and limits', () => {
  it('checks Bearer auth exactly: a missing, Basic or wrong token is 401 Not Authorized', async () => {
    const c = await client();
    for (const authorization of ['', 'Basic eDp5', `Bearer ${emu.token}x`, emu.token]) {
      const r = await c.send('GET', '/users/me', undefined, { authorization });
      expect([r.status, message(r)]).toEqual([401, 'Not Authorized']);
    }
    expect((await c.send('GET', '/users/me')).status).toBe(200);
    expect(c.replyErrors).toEqual([]);
  });

  it('counts requests per token per minute: the next is 429 with Retry-After and Asana’s message', async () => {
    const c = await client({ perMinute: 2 });
    await c.send('GET', '/users/me');
    await c.send('GET', '/workspaces');
    const r = await c.send('GET', '/users/me');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(message(r)).toBe("You've made too many requests and hit a rate limit. Please retry after the given amount of time.");
  });
});

describe('Asana emulator: create a task', () => {
  const base = { workspace: WS_PAID, projects: [P_SUPPORT], name: 'x' };
  it('refuses what Create a task refuses', async () => {
    const c = await client();
    const cases: [unknown, number, RegExp][] = [
      [{ name: 'x', projects: [P_SUPPORT] }, 400, /data: Missing input/],
      [{ data: { name: 'x' } }, 400, /workspace: Missing input/],
      [{ data: { ...base, title: 'x' } }, 400, /title: Unknown field/],
      [{ data: { ...base, external: { gid: 'liaison-1', data: '' } } }, 400, /OAuth/],
      [{ data: { ...base, workspace: '42' } }, 400, /workspace: Not a recognized ID: 42/],
      [{ data: { ...base, projects: ['42'] } }, 400, /projects: Not a recognized ID: 42/],
      [{ data: { ...base, workspace: WS_FREE } }, 400, /not in workspace/],
      [{ data: { ...base, projects: [P_READONLY] } }, 403, /Forbidden/],
      [{ data: { ...base, due_on: '2026-12-10', due_at: '2026-12-10T02:00:00.000Z' } }, 400, /only provide one of due_on or due_at/],
      [{ data: { ...base, due_on: '2026-02-30' } }, 400, /due_on: Invalid date/],
      [{ data: { ...base, assignee: 'nobody@example.com' } }, 400, /assignee: Not a recognized ID/],
      [{ data: { ...base, custom_fields: { [F_PRIORITY]: 'High' } } }, 400, /not a valid enum option/],
      [{ data: { ...base, custom_fields: { [F_AMOUNT]: '12' } } }, 400, /Number value expected/],
      [{ data: { ...base, projects: [P_DEV], custom_fields: { [F_AMOUNT]: 12 } } }, 400, /not on any of the task's projects/],
      [{ data: { workspace: WS_FREE, projects: [P_FREE], custom_fields: { [F_AMOUNT]: 12 } } }, 402, /premium/],
    ];
    for (const [body, status, re] of cases) {
      const r = await c.send('POST', '/tasks', body);
      expect([r.status, message(r)], JSON.stringify(body)).toEqual([status, expect.stringMatching(re)]);
    }
    expect(emu.state.tasks.size).toBe(0);
    const bad = await fetch(`${emu.url}/api/1.0/tasks`, { method: 'POST', headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' }, body: '{"data":' });
    expect(bad.status).toBe(400);
    expect(c.replyErrors).toEqual([]);
  });

  it('answers 201 with the task projected by opt_fields, and an unknown opt_field is a 400', async () => {
    const c = await client();
    const r = await c.send('POST', '/tasks?opt_fields=name,completed,memberships.section.name', { data: base });
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ gid: expect.stringMatching(/^\d+$/), name: 'x', completed: false, memberships: [{ section: { gid: expect.any(String), name: '待处理' } }] });
    expect((await c.send('GET', `/tasks/${r.body.data.gid}?opt_fields=colour`)).status).toBe(400);
    expect((await c.send('GET', `/tasks/${r.body.data.gid}`)).body.data).toEqual({ gid: r.body.data.gid, resource_type: 'task', name: 'x', resource_subtype: 'default_task' });
    expect(await c.send('GET', '/tasks/42')).toMatchObject({ status: 404, body: { errors: [{ message: 'Unknown object: 42' }] } });
    expect(c.replyErrors).toEqual([]);
  });
});

describe('Asana emulator: lists and stories', () => {
  it('Get multiple tasks wants exactly one filter; pages are limit 1–100 with offsets the emulator issued (another list’s is refused) and next_page null at the end', async () => {
    const c = await client({ perMinute: 1000 });
    for (let i = 0; i < 5; i++) emu.control.addTaskAsColleague(`t${i}`);
    expect(message(await c.send('GET', '/tasks'))).toMatch(/Must specify exactly one of project/);
    expect(message(await c.send('GET', `/tasks?project=${P_SUPPORT}&workspace=${WS_PAID}`))).toMatch(/Must specify exactly one/);
    expect((await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=101`)).status).toBe(400);
    expect((await c.send('GET', `/tasks?project=${P_SUPPORT}&modified_since=yesterday`)).status).toBe(400);
    const p1 = await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=2`);
    expect(p1.body.data).toHaveLength(2);
    expect(p1.body.next_page).toEqual({ offset: expect.any(String), path: expect.stringContaining('/tasks?'), uri: expect.stringContaining('/api/1.0/tasks?') });
    const p2 = await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=2&offset=${p1.body.next_page.offset}`);
    const p3 = await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=2&offset=${p2.body.next_page.offset}`);
    expect([...p1.body.data, ...p2.body.data, ...p3.body.data].map((x: { name: string }) => x.name)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect([p3.body.data.length, p3.body.next_page]).toEqual([1, null]);
    expect(message(await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=2&offset=forged`))).toMatch(/pagination token is invalid/);
    const sections = await c.send('GET', `/projects/${P_SUPPORT}/sections?limit=1`);
    expect(message(await c.send('GET', `/tasks?project=${P_SUPPORT}&limit=2&offset=${sections.body.next_page.offset}`))).toMatch(/pagination token is invalid/);
    expect((await c.send('GET', `/tasks?project=${P_SUPPORT}`)).body).not.toHaveProperty('next_page');
    expect(c.replyErrors).toEqual([]);
  });

  it('a story needs text; a comment modifies the task (modified_since sees it)', async () => {
    let t = Date.UTC(2026, 11, 6, 2);
    const c = await client({ now: () => t });
    const gid = emu.control.addTaskAsColleague('x');
    expect(message(await c.send('POST', `/tasks/${gid}/stories`, { data: { text: ' ' } }))).toBe('text: Missing input');
    expect(message(await c.send('POST', `/tasks/${gid}/stories`, { data: { text: 'a', type: 'comment' } }))).toBe('type: Unknown field');
    t += 60_000;
    const since = new Date(t).toISOString();
    expect((await c.send('GET', `/tasks?project=${P_SUPPORT}&modified_since=${since}`)).body.data).toEqual([]);
    expect((await c.send('POST', `/tasks/${gid}/stories`, { data: { text: '收到' } })).status).toBe(201);
    expect((await c.send('GET', `/tasks?project=${P_SUPPORT}&modified_since=${since}`)).body.data.map((x: { gid: string }) => x.gid)).toEqual([gid]);
    expect(c.replyErrors).toEqual([]);
  });
});
