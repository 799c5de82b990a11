// The Trello spec as declared data (auth fields with help, Trello's API host only, what Trello
// takes and refuses), the methods present exactly where declared, and checks that the validator
// over Trello's own file can fail — and that each overlay patch lifts only its recorded defect.
import { describe, expect, it } from 'vitest';
import { createTrelloAdapter } from '../../../../lib/crm/trello/adapter';
import { readConfig } from '../../../../lib/crm/trello/config';
import { trelloSpec } from '../../../../lib/crm/trello/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { failure } from './helpers';
import { trelloPatches, trelloRawSpecFile, trelloSpecFile } from './openapi';

const KEY = '0123456789abcdef0123456789abcdef';
const TOKEN = 'ATTA0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const BOARD = '61b2c3d4e5f6071829304a5b';
const deps = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
  db: null,
  connection: { id: 't', kind: 'trello', name: 'Trello', enabled: true, createdAt: 0, settings },
  secrets,
  now: Date.now,
});

describe('Trello spec', () => {
  it('is a valid spec: token auth with API key and token (step-by-step help in both languages), remote choices for board, lists and labels', () => {
    const parsed = crmSpecSchema.parse(trelloSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['apiKey', true], ['token', true]]);
    for (const f of [...parsed.auth.fields, ...parsed.configFields]) {
      expect(f.help.zh_CN.length, f.key).toBeGreaterThan(10);
      expect(f.help.en.length, f.key).toBeGreaterThan(10);
    }
    expect(parsed.auth.fields[0]!.help.en).toContain('https://trello.com/power-ups/admin');
    expect(parsed.auth.fields[1]!.help.zh_CN).toContain('https://trello.com/1/authorize?expiration=never&scope=read,write&response_type=token&name=Liaison&key=');
    expect(parsed.configFields.filter((f) => f.required).map((f) => f.key)).toEqual(['idBoard', 'idList']);
    expect(parsed.configFields.filter((f) => f.remoteChoices).map((f) => f.key)).toEqual(['idBoard', 'idList', 'listInProgress', 'listWaiting', 'listResolved', 'listClosed', 'labelLow', 'labelMedium', 'labelHigh', 'labelUrgent']);
    expect(parsed.capabilities.tickets).toEqual({ noun: { zh_CN: 'Trello 卡片', en: 'Trello card' }, read: true, comments: true, needsCustomer: false });
    expect(parsed.capabilities.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
    expect(parsed.idempotency).toBe('lookup');
    // "Rate Limits": 100 requests per 10 s per token; Liaison's bucket refills at 8/s.
    expect(parsed.rateLimit.requestsPerSecond! * 10).toBeLessThanOrEqual(100);
  });

  it('asks for Trello’s API host only', () => {
    expect(hostPatternsFor(trelloSpec, {})).toEqual(['https://api.trello.com/*']);
  });

  it('has the ticket methods and no read side, as declared; customers, deals and tasks are refused as unsupported in both languages', async () => {
    const a = createTrelloAdapter(deps());
    const asPort: CrmAdapter = a;
    expect(asPort.verify).toBe(a.verify);
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect([a.getCustomer, a.listFollowUps, a.listDeals, a.changesSince, a.followUpsSince]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const c = { id: 'c', code: 'K', name: 'n', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
    for (const e of await Promise.all([a.findCustomers({ name: 'x' }), a.createCustomer(c, { idempotencyKey: 'k' }), a.updateCustomer('1', {}, { idempotencyKey: 'k' }), a.createDeal('1', {} as never, { idempotencyKey: 'k' }), a.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }), a.addFollowUp('1', {} as never, { idempotencyKey: 'k' })].map(failure))) {
      expect(e).toMatchObject({ kind: 'unsupported' });
      expect(e!.userMessage.zh_CN).toContain('Trello 不保存');
      expect(e!.userMessage.en).toContain('Trello keeps no');
    }
  });

  it('reads settings at operation time: a missing key or token, a malformed board or list id are named, never the secrets', async () => {
    expect(await failure(createTrelloAdapter(deps({ idBoard: BOARD }, { token: TOKEN })).verify())).toMatchObject({ kind: 'auth' });
    expect(await failure(createTrelloAdapter(deps({ idBoard: BOARD }, { apiKey: KEY })).verify())).toMatchObject({ kind: 'auth' });
    expect(() => readConfig(deps({ idBoard: '售后工单' }, { apiKey: KEY, token: TOKEN }))).toThrow(/idBoard/);
    expect(() => readConfig(deps({ idBoard: BOARD, idList: 'abc' }, { apiKey: KEY, token: TOKEN }))).toThrow(/idList/);
    expect(() => readConfig(deps({}, { apiKey: 'key with spaces!', token: TOKEN }))).toThrow(/apiKey/);
    const cfg = readConfig(deps({ idBoard: BOARD, idList: '' }, { apiKey: ` ${KEY} `, token: TOKEN }));
    expect(cfg).toMatchObject({ baseUrl: 'https://api.trello.com/1', key: KEY, token: TOKEN, settings: { idBoard: BOARD } });
    expect(cfg.settings.idList).toBeUndefined();
    try {
      readConfig(deps({ labelHigh: 'nope' }, { apiKey: KEY, token: TOKEN }));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(TOKEN);
    }
  });
});

describe('Trello’s own OpenAPI file as the check', () => {
  const cards = 'http://x/1/cards';
  const auth = `key=${KEY}&token=${TOKEN}`;
  const list = '62c3d4e5f607182930415a01';

  it('flags what Trello would refuse: no idList (SOURCES.md: Prism missed it), a bad id, no comment text, unknown parameters, inputs in the query string, no credentials', async () => {
    const s = await trelloSpecFile();
    const json = { 'content-type': 'application/json' };
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, name: 'a' }, json).errors).toEqual([]);
    expect(s.check('POST', `${cards}?${auth}`, { name: 'a' }, json).errors.join('\n')).toMatch(/body: must have required property 'idList'/);
    expect(s.check('POST', `${cards}?${auth}`, { idList: 'abc' }, json).errors.join('\n')).toMatch(/idList/);
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, nmae: 'a' }, json).errors.join('\n')).toMatch(/additional/);
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, pos: 'middle' }, json).errors.join('\n')).toMatch(/pos/);
    expect(s.check('POST', `${cards}?${auth}&idList=${list}`, undefined).errors.join('\n')).toMatch(/query idList: not a parameter/);
    expect(s.check('POST', `http://x/1/cards/${list}/actions/comments?${auth}`, {}, json).errors.join('\n')).toMatch(/text/);
    expect(s.check('POST', `http://x/1/cards/${list}/actions/comments?${auth}`, { text: 'hi' }, json).errors).toEqual([]);
    expect(s.check('GET', `http://x/1/cards/${list}/actions?${auth}&page=20`, undefined).errors.join('\n')).toMatch(/page/);
    expect(s.check('GET', `http://x/1/cards/${list}?fields=name`, undefined).errors.length).toBeGreaterThan(0);
  });

  it('the file as it is refuses Trello’s due date-time, its label objects, its null cardRole and comma-separated label ids; each patch lifts only that', async () => {
    const raw = await trelloRawSpecFile();
    const s = await trelloSpecFile();
    expect(raw.applied).toEqual([]);
    expect(s.applied.map((p) => p.id)).toEqual(trelloPatches().map((p) => p.id));
    const json = { 'content-type': 'application/json' };
    // The file as it is: query parameters only, due a date.
    expect(raw.check('POST', `${cards}?${auth}&idList=${list}&due=2026-12-10T04:00:00.000Z`, undefined).errors.join('\n')).toMatch(/due: must match format "date"/);
    expect(raw.check('POST', `${cards}?${auth}`, { idList: list }, json).errors.join('\n')).toMatch(/body: the operation takes none/);
    expect(raw.check('POST', `${cards}?${auth}&idList=${list}&idLabels=63d4e5f60718293041526a01,63d4e5f60718293041526a02`, undefined).errors.join('\n')).toMatch(/idLabels/);
    // Patched: the same parameters as a body, due a moment, id lists comma-separated or arrays.
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, due: '2026-12-10T04:00:00.000Z', idLabels: '63d4e5f60718293041526a01,63d4e5f60718293041526a02' }, json).errors).toEqual([]);
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, idLabels: ['63d4e5f60718293041526a01'] }, json).errors).toEqual([]);
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, due: 'next week' }, json).errors.join('\n')).toMatch(/due: must match format "date-time"/);
    expect(s.check('POST', `${cards}?${auth}`, { idList: list, idLabels: '63d4e5f60718293041526a01,red' }, json).errors.join('\n')).toMatch(/idLabels/);
    const card = { id: list, idList: list, due: '2026-12-10T04:00:00.000Z', badges: { due: '2026-12-10T04:00:00.000Z', start: '2026-12-08T00:00:00.000Z' }, labels: [{ id: list, idBoard: list, name: '紧急', color: 'red' }], cardRole: null, cover: { color: null } };
    const rawErrors = raw.checkReply('GET', `http://x/1/cards/${list}`, 200, card).errors.join('\n');
    for (const what of ['reply.due', 'reply.badges.due', 'reply.badges.start', 'reply.labels.0', 'reply.cardRole', 'reply.cover.color']) expect(rawErrors).toContain(what);
    expect(s.checkReply('GET', `http://x/1/cards/${list}`, 200, card).errors).toEqual([]);
    expect(s.checkReply('GET', `http://x/1/cards/${list}`, 200, { ...card, labels: [{ id: 'red' }] }).errors.join('\n')).toMatch(/labels/);
    expect(s.checkReply('GET', `http://x/1/cards/${list}`, 200, { ...card, cardRole: 'ticket' }).errors.join('\n')).toMatch(/cardRole/);
    // 401 in plain text, as Trello answers it.
    expect(raw.checkReply('GET', `http://x/1/boards/${list}`, 401, 'invalid token').errors.join('\n')).toMatch(/must be object/);
    expect(s.checkReply('GET', `http://x/1/boards/${list}`, 401, 'invalid token').errors).toEqual([]);
  });
});
