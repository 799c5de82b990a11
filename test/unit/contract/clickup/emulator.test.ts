// The ClickUp emulator refuses what ClickUp refuses — so an adapter that passes against it has not
// merely agreed with itself: the token checked exactly (missing header OAUTH_017, "Bearer" or a
// wrong token OAUTH_025), Workspaces the token does not reach (OAUTH_027), a task without a name,
// a priority outside 1–4, a due date that is not epoch ms, unknown body keys, a comment without
// notify_all; and it behaves as ClickUp documents: 100 tasks a page, closed tasks only on
// request, the tags[] filter, comments newest first 25 a page, X-RateLimit-* on every reply and
// 429 past the limit. Requests the file allows go through the validating fetch (checked against
// clickup.json, replies included); the ones ClickUp must refuse are sent raw.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIST, startClickUpEmulator, type ClickUpEmulator } from '../../../emulators/clickup';
import { clickupFetch, clickupSpecFile } from './openapi';

let emu: ClickUpEmulator;
beforeAll(async () => {
  await clickupSpecFile().catch(() => undefined);
}, 120_000);
afterEach(() => emu?.close());

async function client(o: Parameters<typeof startClickUpEmulator>[0] = {}) {
  emu = await startClickUpEmulator(o);
  const checked = await clickupFetch();
  const go = (f: typeof fetch) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await f(`${emu.url}${path}`, { method, headers: { authorization: emu.token, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
  };
  return { send: go(checked.fetch), raw: go(fetch), log: checked.log };
}

describe('ClickUp emulator', () => {
  it('checks the token exactly as ClickUp documents it', async () => {
    const c = await client();
    const noAuth = await fetch(`${emu.url}/api/v2/user`);
    expect([noAuth.status, await noAuth.json()]).toEqual([401, { err: 'Authorization header required', ECODE: 'OAUTH_017' }]);
    expect((await c.raw('GET', '/api/v2/user', undefined, { authorization: `Bearer ${emu.token}` })).body).toEqual({ err: 'Token invalid', ECODE: 'OAUTH_025' });
    expect((await c.raw('GET', '/api/v2/user', undefined, { authorization: 'pk_1_WRONG' })).status).toBe(401);
    expect((await c.send('GET', '/api/v2/user')).body.user).toMatchObject({ username: '李娜' });
    expect((await c.send('GET', '/api/v2/team/9013000000/space')).body).toEqual({ err: 'Team not authorized', ECODE: 'OAUTH_027' });
    expect(c.log.errors()).toEqual([]);
  });

  it('refuses a task without a name, a priority outside 1–4, a due date that is not epoch ms, unknown keys, bad custom values; nothing is created', async () => {
    const c = await client();
    const bad = [{}, { name: ' ' }, { name: 'a', priority: 5 }, { name: 'a', priority: 'high' }, { name: 'a', due_date: '2026-12-10' }, { name: 'a', labels: ['x'] }, { name: 'a', tags: 'x' }, { name: 'a', status: 'no such status' }, { name: 'a', custom_fields: [{ id: '5dc86497-098d-4bb0-87d6-cf28e43812e7', value: '微信' }] }];
    for (const b of bad) {
      const r = await c.raw('POST', `/api/v2/list/${LIST}/task`, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(Object.keys(r.body).sort()).toEqual(['ECODE', 'err']);
    }
    expect((await c.raw('POST', `/api/v2/list/${LIST}/task`)).status).toBe(400);
    expect(emu.state.tasks.size).toBe(0);
    const ok = await c.send('POST', `/api/v2/list/${LIST}/task`, { name: 'a', priority: null, tags: ['Liaison-X'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'a', priority: null, status: { status: 'to do', type: 'open' }, tags: [{ name: 'liaison-x' }], url: `https://app.clickup.com/t/${ok.body.id}` });
    expect(c.log.errors()).toEqual([]);
  });

  it('requires comment_text and notify_all on a comment; pages comments newest first, 25 at a time, by start + start_id', async () => {
    const c = await client();
    const t = await c.send('POST', `/api/v2/list/${LIST}/task`, { name: 'a' });
    const path = `/api/v2/task/${t.body.id}/comment`;
    expect((await c.raw('POST', path, { comment_text: 'x' })).status).toBe(400);
    expect((await c.raw('POST', path, { notify_all: false })).status).toBe(400);
    for (let i = 0; i < 30; i++) expect((await c.send('POST', path, { comment_text: `c${i}`, notify_all: false })).status).toBe(200);
    const first = await c.send('GET', path);
    expect(first.body.comments).toHaveLength(25);
    expect(first.body.comments[0].comment_text).toBe('c29');
    const last = first.body.comments.at(-1);
    const second = await c.send('GET', `${path}?start=${last.date}&start_id=${last.id}`);
    expect(second.body.comments.map((x: { comment_text: string }) => x.comment_text)).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    expect((await c.raw('GET', `${path}?start_id=${last.id}`)).status).toBe(400);
    expect(c.log.errors()).toEqual([]);
  });

  it('lists a List’s tasks 100 a page from page 0, closed ones only with include_closed, filtered by tags[]', async () => {
    const c = await client({ perMinute: 1000 }); // Business Plus' limit: 120 creates fit in the minute
    for (let i = 0; i < 120; i++) await c.raw('POST', `/api/v2/list/${LIST}/task`, { name: `t${i}`, tags: i === 7 ? ['liaison-seven'] : [] });
    const seven = [...emu.state.tasks.values()].find((x) => x.name === 't7')!;
    emu.control.setStatus(seven.id, 'complete');
    const p0 = await c.send('GET', `/api/v2/list/${LIST}/task?page=0`);
    const p1 = await c.send('GET', `/api/v2/list/${LIST}/task?page=1`);
    expect([p0.body.tasks.length, p0.body.last_page, p1.body.tasks.length, p1.body.last_page]).toEqual([100, false, 19, true]);
    expect((await c.send('GET', `/api/v2/list/${LIST}/task?tags[]=liaison-seven`)).body.tasks).toEqual([]);
    expect((await c.send('GET', `/api/v2/list/${LIST}/task?tags[]=liaison-seven&include_closed=true`)).body.tasks.map((x: { id: string }) => x.id)).toEqual([seven.id]);
    expect(c.log.errors()).toEqual([]);
  });

  it('carries X-RateLimit-Limit/-Remaining/-Reset (Unix seconds) on every reply and answers 429 past the limit', async () => {
    // The emulator's clock, fixed by the test: on the real one the window began when the first
    // request arrived, over a second after `before` under load (npm test at load 14).
    const at = Date.UTC(2026, 11, 7, 6, 0, 0, 250);
    const c = await client({ perMinute: 3, now: () => at });
    const before = Math.floor(at / 1000);
    const rs = [];
    for (let i = 0; i < 4; i++) rs.push(await c.raw('GET', '/api/v2/team'));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(rs.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(rs.every((r) => r.headers.get('x-ratelimit-limit') === '3')).toBe(true);
    const reset = Number(rs[3]!.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 59);
    expect(reset).toBeLessThanOrEqual(before + 61);
    expect(rs[3]!.body).toHaveProperty('err');
    expect(emu.requests.map((r) => r.api)).toEqual(['team', 'team', 'team', 'team']);
  });
});
