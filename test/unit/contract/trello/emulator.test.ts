// The emulator itself refuses what Trello refuses (so the adapter's passing tests mean something):
// credentials as Trello checks them (query or OAuth header), malformed ids, a create without a
// real list, parameters out of range or of another board, a comment without text, a page over
// 19, an over-long URL (414 before the credentials are looked at), and 429s in Trello's JSON with
// no rate-limit header. Plain fetch, no adapter.
import { afterEach, describe, expect, it } from 'vitest';
import { BOARD, FINANCE_BOARD, LABELS, LISTS, startTrelloEmulator, type TrelloEmulator } from '../../../emulators/trello';

const open: TrelloEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
async function emulator(o: Parameters<typeof startTrelloEmulator>[0] = {}) {
  const e = await startTrelloEmulator(o);
  open.push(e);
  const auth = `key=${e.key}&token=${e.token}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${e.api}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } } : { headers }) });
    const text = await res.text();
    return { status: res.status, text, type: res.headers.get('content-type') ?? '', headers: res.headers };
  };
  return { e, auth, call };
}

describe('Trello emulator: strict as Trello', () => {
  it('checks the key, then the token, in the query or in an OAuth header', async () => {
    const { e, auth, call } = await emulator();
    expect(await call('GET', '/members/me')).toMatchObject({ status: 401, text: 'invalid key' });
    expect(await call('GET', `/members/me?key=${e.key}`)).toMatchObject({ status: 401, text: 'invalid token' });
    expect(await call('GET', `/members/me?key=${e.key}&token=${e.token}x`)).toMatchObject({ status: 401, text: 'invalid token', type: expect.stringContaining('text/plain') });
    expect((await call('GET', `/members/me?${auth}`)).status).toBe(200);
    expect((await call('GET', '/members/me', undefined, { authorization: `OAuth oauth_consumer_key="${e.key}", oauth_token="${e.token}"` })).status).toBe(200);
  });

  it('refuses malformed ids, unknown routes, boards the member is not on, deleted and unknown cards', async () => {
    const { auth, call } = await emulator();
    expect(await call('GET', `/cards/12345?${auth}`)).toMatchObject({ status: 400, text: 'invalid id' });
    expect(await call('GET', `/boards/${FINANCE_BOARD}/lists?${auth}`)).toMatchObject({ status: 401, text: 'unauthorized permission requested' });
    expect(await call('GET', `/cards/6b1556e90000000000001001?${auth}`)).toMatchObject({ status: 404, text: 'The requested resource was not found.' });
    expect((await call('GET', `/webhooks?${auth}`)).status).toBe(404);
    expect(await call('GET', `/boards/${BOARD}?fields=name,colour&${auth}`)).toMatchObject({ status: 400, text: 'invalid value for fields' });
  });

  it('a card needs a real list the member may use; every parameter is checked', async () => {
    const { auth, call } = await emulator();
    const post = (b: Record<string, unknown>) => call('POST', `/cards?${auth}`, b);
    expect(await post({ name: 'x' })).toMatchObject({ status: 400, text: 'invalid value for idList' });
    expect(await post({ idList: '62c3d4e5f607182930415fff' })).toMatchObject({ status: 400, text: 'invalid value for idList' });
    expect(await post({ idList: LISTS.finance })).toMatchObject({ status: 401, text: 'unauthorized permission requested' });
    expect(await post({ idList: LISTS.inbox, due: 'next week' })).toMatchObject({ status: 400, text: 'invalid value for due' });
    expect(await post({ idList: LISTS.inbox, pos: 'middle' })).toMatchObject({ status: 400, text: 'invalid value for pos' });
    expect(await post({ idList: LISTS.inbox, idLabels: LABELS.idea })).toMatchObject({ status: 400, text: 'invalid value for idLabels' });
    expect(await post({ idList: LISTS.inbox, desc: 'x'.repeat(16_385) })).toMatchObject({ status: 400, text: 'invalid value for desc' });
    expect(await post({ idList: LISTS.inbox, dueComplete: 'maybe' })).toMatchObject({ status: 400, text: 'invalid value for dueComplete' });
    const ok = await post({ idList: LISTS.inbox, name: '测试', idLabels: [LABELS.urgent, LABELS.high], due: '2026-12-10T12:00:00+08:00' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ idList: LISTS.inbox, idBoard: BOARD, idShort: 1, due: '2026-12-10T04:00:00.000Z', idLabels: [LABELS.urgent, LABELS.high], labels: [{ name: '紧急', color: 'red' }, { name: '高', color: 'orange' }], closed: false });
  });

  it('comments need text; the actions page stops at 19', async () => {
    const { auth, call } = await emulator();
    const card = JSON.parse((await call('POST', `/cards?${auth}`, { idList: LISTS.inbox })).text) as { id: string };
    expect(await call('POST', `/cards/${card.id}/actions/comments?${auth}`, { text: '  ' })).toMatchObject({ status: 400, text: 'invalid value for text' });
    expect((await call('POST', `/cards/${card.id}/actions/comments?${auth}`, { text: '好' })).status).toBe(200);
    expect(await call('GET', `/cards/${card.id}/actions?filter=commentCard&page=20&${auth}`)).toMatchObject({ status: 400, text: 'invalid value for page' });
    expect(await call('GET', `/cards/${card.id}/actions?filter=nonsense&${auth}`)).toMatchObject({ status: 400, text: 'invalid value for filter' });
  });

  it('a URL over 8 KB is 414 before the credentials are looked at', async () => {
    const { call } = await emulator();
    expect(await call('POST', `/cards?desc=${'a'.repeat(8200)}`)).toMatchObject({ status: 414 });
    expect((await call('POST', `/cards?desc=${'a'.repeat(8000)}`)).status).toBe(401);
  });

  it('429s carry Trello’s JSON and no rate-limit header; the token’s window frees after 10 s', async () => {
    let t = Date.UTC(2026, 11, 6, 12);
    const { auth, call } = await emulator({ tokenPer10s: 2, now: () => t });
    await call('GET', `/boards/${BOARD}/lists?${auth}`);
    await call('GET', `/boards/${BOARD}/lists?${auth}`);
    const r = await call('GET', `/boards/${BOARD}/lists?${auth}`);
    expect([r.status, JSON.parse(r.text)]).toEqual([429, { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' }]);
    expect([...r.headers.keys()].filter((k) => /rate|retry/i.test(k))).toEqual([]);
    t += 10_000;
    expect((await call('GET', `/boards/${BOARD}/lists?${auth}`)).status).toBe(200);
    const k = await emulator({ keyPer10s: 1, now: () => t });
    await k.call('GET', `/boards/${BOARD}/labels?${k.auth}`);
    expect(JSON.parse((await k.call('GET', `/boards/${BOARD}/labels?${k.auth}`)).text)).toEqual({ error: 'API_KEY_LIMIT_EXCEEDED', message: 'Rate limit exceeded' });
  });
});
