// The read side against the strict emulator, every request and reply checked against HubSpot's
// own OpenAPI files (openapi.ts): getCustomer with its marker, a colleague's edit, changesSince
// filtered and paged by HubSpot, notes and deals with authors and Liaison's own keys, the search
// lane's pace, error classification.
import { afterEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { SEARCH_REQUESTS_PER_SECOND } from '../../../../lib/crm/hubspot/adapter';
import { ALL_SCOPES, type HubspotEmulator } from '../../../emulators/hubspot';
import { customer, deal, emulator, failure, followUp, harness, maxInWindow, raw, readyHarness } from './helpers';
import { checkRequest, checkResponse } from './openapi';

/** A clock the emulator keeps, which a test can move forward (rate windows follow real time). */
function clock() {
  let skew = 0;
  let frozen: number | undefined;
  return {
    now: () => frozen ?? Date.now() + skew,
    jump: (ms: number) => void (skew += ms),
    /** Stop the clock (requests arriving meanwhile share one instant), then let it run on from where it was. */
    freeze: () => void (frozen = Date.now() + skew),
    thaw: () => {
      if (frozen !== undefined) skew = frozen - Date.now();
      frozen = undefined;
    },
  };
}

async function setup(o: { emu?: Parameters<typeof emulator>[0]; settings?: Record<string, unknown>; fetch?: typeof fetch } = {}) {
  const time = clock();
  const emu = await emulator({ now: time.now, ...o.emu });
  // helpers.harness checks every request and reply against HubSpot's files (openapi.ts).
  const h = await readyHarness({ emulator: emu, ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.settings ? { settings: o.settings } : {}) });
  return { ...h, time };
}

/** Every page of a changesSince read. */
async function allChanges(adapter: Awaited<ReturnType<typeof setup>>['adapter'], since: number, limit: number) {
  const pages: string[][] = [];
  let page: string | undefined;
  do {
    const r = await adapter.changesSince({ since, limit, ...(page ? { page } : {}) });
    pages.push(r.records.map((x) => x.remoteId));
    page = r.next;
  } while (page);
  return pages;
}

const stored = (emu: HubspotEmulator, id: string) => emu.control.objects('contacts').find((o) => o.id === id)!;

describe('HubSpot spec check (openapi.ts) can fail', () => {
  it('flags a search body HubSpot would refuse and a reply the spec does not type', async () => {
    const url = new URL('http://x/crm/v3/objects/contacts/search');
    const req = async (method: string, u: URL, body: unknown) => (await checkRequest(method, u, body)).violations;
    expect(await req('POST', url, { filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '1' }] }] })).toEqual([]);
    expect((await req('POST', url, { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'AFTER', value: '1' }] }], limit: '100' })).join('\n')).toMatch(/operator[\s\S]*limit/);
    expect(await req('GET', new URL('http://x/crm/v3/objects/contacts/1?properties=a,b&archived=maybe'), undefined)).toEqual([expect.stringContaining('query archived')]);
    expect(await req('GET', new URL('http://x/crm/v3/objects/contacts/1?fields=a'), undefined)).toEqual([expect.stringContaining('query fields: not a parameter')]);
    const reply = { id: '1', properties: { a: null }, createdAt: '2026-12-06T00:00:00.000Z', updatedAt: '2026-12-06T00:00:00.000Z', archived: false };
    expect(await checkResponse('GET', new URL('http://x/crm/v3/objects/contacts/1'), 200, reply)).toEqual([]);
    expect(await checkResponse('GET', new URL('http://x/crm/v3/objects/contacts/1'), 200, { ...reply, properties: { a: 5 } })).not.toEqual([]);
    expect(await checkResponse('GET', new URL('http://x/crm/v4/objects/contacts/1/associations/notes'), 200, { results: [{ toObjectId: '5' }] })).not.toEqual([]);
  });
});

describe('HubSpot read: getCustomer', () => {
  it('reads a contact back in Liaison terms with its marker; a colleague edit changes the marker and the values', async () => {
    const h = await setup();
    const c = customer({ phones: ['+8613800138000'], stage: '跟进中' });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k1' });
    const first = await h.adapter.getCustomer(ref.remoteId);
    const o = stored(h.emu, ref.remoteId);
    expect(first).toEqual({
      remoteId: ref.remoteId,
      remoteCode: 'KH2026-0001',
      marker: String(o.updatedAt),
      modifiedAt: o.updatedAt,
      fields: { name: '王小明', phones: ['+8613800138000'], email: c.email, company: '深圳小明贸易', stage: '跟进中', code: 'KH2026-0001' },
    });
    expect(h.emu.state.requests.at(-1)).toMatchObject({ api: 'objects.get', status: 200 });

    h.time.jump(5_000);
    h.emu.control.editAsColleague('contacts', ref.remoteId, { hs_lead_status: 'CONNECTED', phone: '139 0013 9000', lastname: 'Wang', company: '' });
    const second = await h.adapter.getCustomer(ref.remoteId);
    expect(second!.marker).not.toBe(first!.marker);
    expect(second!.modifiedAt).toBeGreaterThan(first!.modifiedAt!);
    // Converted back: national digits → E.164, the lead status → the stage it stands for, a cleared property → null.
    expect(second!.fields).toEqual({ name: '王小明 Wang', phones: ['+8613900139000'], email: c.email, company: null, stage: '已联系', code: 'KH2026-0001' });
  });

  it('a value it cannot interpret is named unreadable, never guessed', async () => {
    const h = await setup();
    const id = h.emu.control.addObject('contacts', { firstname: 'A', hs_lead_status: 'BAD_TIMING' });
    const r = await h.adapter.getCustomer(id);
    // BAD_TIMING is no Liaison stage; OPEN_DEAL stands for 方案沟通 and 谈判中 alike.
    expect(r!.unreadable).toEqual(['stage']);
    expect(r!.fields).not.toHaveProperty('stage');
    h.emu.control.editAsColleague('contacts', id, { hs_lead_status: 'OPEN_DEAL' });
    expect((await h.adapter.getCustomer(id))!.unreadable).toEqual(['stage']);
    // …but with lifecyclestage customer it is the won stage Liaison writes it for.
    h.emu.control.editAsColleague('contacts', id, { lifecyclestage: 'customer' });
    expect((await h.adapter.getCustomer(id))!.fields.stage).toBe('成交');
  });

  it('mapped custom properties come back typed: a datetime as epoch ms, tags split, a number; a property the portal lacks is unreadable', async () => {
    const mapping = { customer: { nextFollowUpAt: 'next_follow_up', tags: 'liaison_tags', amount: 'loan_amount', grade: 'no_such_property' } };
    const h = await setup({ settings: { mapping } });
    for (const [name, type, fieldType] of [['next_follow_up', 'datetime', 'date'], ['liaison_tags', 'string', 'text'], ['loan_amount', 'number', 'number']] as const) {
      expect((await raw(h.emu, 'POST', '/crm/v3/properties/contacts', { name, label: name, type, fieldType, groupName: 'contactinformation' })).status).toBe(201);
    }
    const due = Date.UTC(2026, 11, 8, 2, 0);
    const id = h.emu.control.addObject('contacts', { firstname: 'B', next_follow_up: String(due), liaison_tags: '老客户; 抵押贷;', loan_amount: '1500000.5' });
    const r = await h.adapter.getCustomer(id);
    expect(r!.fields).toMatchObject({ name: 'B', nextFollowUpAt: due, tags: ['老客户', '抵押贷'], amount: 1_500_000.5, phones: null, stage: null });
    expect(r!.unreadable).toEqual(['grade']);
  });

  it('a contact deleted (archived) or never there reads as null; a bad id is refused before any request', async () => {
    const h = await setup();
    const id = h.emu.control.addObject('contacts', { firstname: 'C' });
    expect(await h.adapter.getCustomer(id)).not.toBeNull();
    h.emu.control.archive('contacts', id);
    expect(await h.adapter.getCustomer(id)).toBeNull();
    expect(await h.adapter.getCustomer('999999')).toBeNull();
    expect(h.emu.state.requests.slice(-2).map((r) => r.status)).toEqual([404, 404]);
    const before = h.emu.state.requests.length;
    expect(await failure(h.adapter.getCustomer('abc'))).toMatchObject({ kind: 'validation' });
    expect(h.emu.state.requests.length).toBe(before);
  });

  it('updateCustomer returns the marker the next read shows; ifMarker is ignored (no conditional update in HubSpot)', async () => {
    const h = await setup();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const read = await h.adapter.getCustomer(ref.remoteId);
    h.time.jump(1_000);
    h.emu.control.editAsColleague('contacts', ref.remoteId, { company: '同事改的' });
    // A stale marker: HubSpot's PATCH has no precondition, so the write lands (last writer wins).
    const upd = await h.adapter.updateCustomer(ref.remoteId, { company: '我改的' }, { idempotencyKey: 'k2', ifMarker: read!.marker! });
    const after = await h.adapter.getCustomer(ref.remoteId);
    expect(upd.marker).toBe(after!.marker);
    expect(after!.fields.company).toBe('我改的');
  });
});

describe('HubSpot read: changesSince', () => {
  it('returns exactly the contacts modified at or after `since`, across pages, filtered by HubSpot', async () => {
    const h = await setup();
    const ids = Array.from({ length: 7 }, (_, i) => h.emu.control.addObject('contacts', { firstname: `P${i}` }));
    h.time.jump(60_000);
    const since = h.time.now();
    // Inclusive: a record modified exactly at `since` belongs.
    const edited = [ids[1]!, ids[4]!, ids[5]!, ids[6]!];
    for (const id of edited) {
      h.emu.control.editAsColleague('contacts', id, { jobtitle: 'x' });
      h.time.jump(1_000);
    }
    expect(stored(h.emu, ids[1]!).updatedAt).toBeGreaterThanOrEqual(since);
    const pages = await allChanges(h.adapter, since, 2);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat().sort()).toEqual([...edited].sort());
    // What the filter kept out is there: the same search without it returns every contact.
    h.time.jump(2_000);
    const all = await raw(h.emu, 'POST', '/crm/v3/objects/contacts/search', { filterGroups: [], limit: 100 });
    expect(all.body.total).toBe(7);
    // Each page was a search with the lastmodifieddate filter, sorted by it.
    const searches = h.spec.records.filter((c) => c.status === undefined && c.operation?.startsWith('POST /crm/v3/objects/contacts/search'));
    expect(searches).toHaveLength(pages.length);
    // Nothing modified since: one request, no records, no next page.
    h.time.jump(60_000);
    expect(await h.adapter.changesSince({ since: h.time.now() })).toEqual({ records: [] });
  });

  it('records carry marker and fields like getCustomer; a contact edited during the pass is not lost and no other is skipped', async () => {
    const h = await setup();
    const since = h.time.now();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(h.emu.control.addObject('contacts', { firstname: `Q${i}` }));
      h.time.jump(10);
    }
    const first = await h.adapter.changesSince({ since, limit: 2 });
    expect(first.records.map((r) => r.remoteId)).toEqual(ids.slice(0, 2));
    expect(first.records[0]).toEqual(await h.adapter.getCustomer(ids[0]!));
    // A colleague edits a contact of the first page: an offset page would now skip ids[2].
    h.emu.control.editAsColleague('contacts', ids[0]!, { firstname: 'Q0 edited' });
    const seen = [...first.records.map((r) => r.remoteId)];
    let page = first.next;
    while (page) {
      const r = await h.adapter.changesSince({ since, limit: 2, page });
      seen.push(...r.records.map((x) => x.remoteId));
      page = r.next;
    }
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen.filter((id) => id === ids[0])).toHaveLength(2); // read again after its edit
  });

  it('pages through contacts modified in one millisecond with HubSpot\'s own `after`; a forged page token is refused', async () => {
    const t = Date.now() + 120_000;
    const emu = await emulator({ now: () => t });
    const h = await harness({ emulator: emu });
    const ids = Array.from({ length: 5 }, (_, i) => emu.control.addObject('contacts', { firstname: `S${i}` }));
    // The emulator's clock stands still: only 4 searches a second pass, so each page is fetched
    // by itself here; the ids must still come out once each.
    const seen: string[] = [];
    let page: string | undefined;
    do {
      const r = await h.adapter.changesSince({ since: t, limit: 2, ...(page ? { page } : {}) });
      seen.push(...r.records.map((x) => x.remoteId));
      page = r.next;
      if (page) expect(JSON.parse(page)).toMatchObject({ m: t, a: expect.any(String) });
    } while (page && seen.length < 10);
    expect(seen).toEqual(ids);
    expect(await failure(h.adapter.changesSince({ since: t, page: 'garbage' }))).toMatchObject({ kind: 'validation' });
  });

  it('a burst of pages keeps to the search limit the emulator enforces (429 SECONDLY past 4 a second)', async () => {
    const h = await setup();
    const since = h.time.now();
    for (let i = 0; i < 14; i++) h.emu.control.addObject('contacts', { firstname: `R${i}` });
    // The emulator does refuse a faster burst: six raw searches at one instant of its clock
    // (frozen, so a loaded machine spreading their arrivals over a second cannot hide the limit).
    h.time.freeze();
    const burst = await Promise.all(Array.from({ length: 6 }, () => raw(h.emu, 'POST', '/crm/v3/objects/contacts/search', { filterGroups: [], limit: 1 })));
    h.time.thaw();
    expect(burst.filter((r) => r.status === 429).map((r) => r.body.policyName)).toContain('SECONDLY');
    h.emu.control.clearLog();
    h.time.jump(2_000);
    const pages = await allChanges(h.adapter, since, 2);
    expect(pages.length).toBeGreaterThanOrEqual(7);
    expect(new Set(pages.flat()).size).toBe(14);
    const searches = h.emu.state.requests.filter((r) => r.api === 'objects.search');
    expect(searches.every((r) => r.status === 200)).toBe(true);
    expect(maxInWindow(searches.map((r) => r.at), 1000)).toBeLessThanOrEqual(4);
    expect(SEARCH_REQUESTS_PER_SECOND).toBeLessThan(4);
  });
});

describe('HubSpot read: follow-ups and deals', () => {
  it('lists the contact\'s notes newest first with author and time; Liaison\'s own carry liaisonKey', async () => {
    const h = await setup();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const mine = followUp({ at: Date.UTC(2026, 11, 1, 3, 0) });
    const myNote = await h.adapter.addFollowUp(ref.remoteId, mine, { idempotencyKey: 'k2' });
    const owner = h.emu.control.addOwner({ firstName: 'Lei', lastName: 'Li', email: 'li.lei@example.com' });
    const theirs = h.emu.control.addNoteAsColleague(ref.remoteId, { body: '<p>客户说下周 <b>签约</b></p><p>&amp; 要发合同</p>', at: Date.UTC(2026, 11, 3, 9, 0), ownerId: owner });
    const orphan = h.emu.control.addNoteAsColleague(ref.remoteId, { body: 'no owner', at: Date.UTC(2026, 10, 20) });
    // Another contact's note is not this contact's history.
    const other = h.emu.control.addObject('contacts', { firstname: 'X' });
    h.emu.control.addNoteAsColleague(other, { body: 'not yours', at: Date.UTC(2026, 11, 4) });

    const list = await h.adapter.listFollowUps(ref.remoteId);
    expect(list.map((f) => f.remoteId)).toEqual([theirs, myNote.remoteId, orphan]);
    expect(list[0]).toEqual({ remoteId: theirs, at: Date.UTC(2026, 11, 3, 9, 0), content: '客户说下周 签约\n& 要发合同', by: 'Lei Li' });
    expect(list[1]).toEqual({
      remoteId: myNote.remoteId, at: mine.at, content: '客户问了抵押贷利率', method: '微信', result: '有意向', nextAction: '发方案', nextAt: mine.nextAt, liaisonKey: mine.id,
    });
    expect(list[2]).not.toHaveProperty('by');
    expect((await h.adapter.listFollowUps(ref.remoteId, { since: Date.UTC(2026, 11, 2) })).map((f) => f.remoteId)).toEqual([theirs]);
    expect((await h.adapter.listFollowUps(ref.remoteId, { limit: 1 })).map((f) => f.remoteId)).toEqual([theirs]);
    // A deleted note is gone from the history.
    h.emu.control.archive('notes', theirs);
    expect((await h.adapter.listFollowUps(ref.remoteId)).map((f) => f.remoteId)).toEqual([myNote.remoteId, orphan]);
    // The owners were asked once for all these reads (kept five minutes).
    expect(h.emu.state.requests.filter((r) => r.api === 'owners.list')).toHaveLength(1);
    expect(h.spec.uncovered.filter((u) => u.includes('owners'))).toHaveLength(1);
  });

  it('without the owners scope the author is the owner id', async () => {
    const scopes = ALL_SCOPES.filter((s) => s !== 'crm.objects.owners.read');
    const h = await setup({ emu: { scopes } });
    const contact = h.emu.control.addObject('contacts', { firstname: 'Y' });
    const owner = h.emu.control.addOwner({ firstName: 'Mei', lastName: 'Han', email: 'han@example.com' });
    h.emu.control.addNoteAsColleague(contact, { body: 'x', at: Date.UTC(2026, 11, 1), ownerId: owner });
    expect((await h.adapter.listFollowUps(contact))[0]!.by).toBe(owner);
    expect(h.emu.state.requests.find((r) => r.api === 'owners.list')).toMatchObject({ status: 403 });
  });

  it('lists deals with the status the stage stands for; Liaison\'s own carry liaisonKey', async () => {
    const h = await setup();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const mine = deal({ status: '已放款', amount: 1_000_000 });
    const myDeal = await h.adapter.createDeal(ref.remoteId, mine, { idempotencyKey: 'k2' });
    h.time.jump(1_000);
    const open = h.emu.control.addDealAsColleague(ref.remoteId, { dealname: '续贷', pipeline: 'default', dealstage: 'presentationscheduled', amount: '200000' });
    h.time.jump(1_000);
    const lost = h.emu.control.addDealAsColleague(ref.remoteId, { dealname: '车贷', pipeline: 'default', dealstage: 'closedlost' });
    const deals = await h.adapter.listDeals(ref.remoteId);
    expect(deals.map((d) => [d.remoteId, d.status])).toEqual([[lost, '已取消'], [open, '进行中'], [myDeal.remoteId, '已放款']]);
    expect(deals[2]).toMatchObject({ product: '抵押贷', amount: 1_000_000, closedAt: mine.closedAt, liaisonKey: mine.id });
    expect(deals[1]).toMatchObject({ product: '续贷', amount: 200_000 });
    expect(deals[1]).not.toHaveProperty('liaisonKey');
  });
});

describe('HubSpot read: errors', () => {
  it('401 → auth, 429 → rate-limited with the wait, a malformed reply → a validation CrmError', async () => {
    const h = await setup();
    const id = h.emu.control.addObject('contacts', { firstname: 'Z' });
    h.emu.control.rateLimitFor(3_000);
    const limited = await failure(h.adapter.getCustomer(id));
    expect(limited).toMatchObject({ kind: 'rate-limited' });
    expect(limited!.retryAfterMs).toBeGreaterThan(0);

    const revoked = await setup();
    const rid = revoked.emu.control.addObject('contacts', { firstname: 'Z' });
    revoked.emu.control.revokeToken();
    expect(await failure(revoked.adapter.getCustomer(rid))).toMatchObject({ kind: 'auth', status: 401 });
    expect(await failure(revoked.adapter.changesSince({ since: 0 }))).toMatchObject({ kind: 'auth', status: 401 });
    expect(await failure(revoked.adapter.listFollowUps(rid))).toMatchObject({ kind: 'auth', status: 401 });

    // A reply that is not HubSpot's shape (a proxy's HTML page, a truncated body).
    const garbled: typeof fetch = async (input, init) => {
      const res = await globalThis.fetch(input, init);
      const url = new Request(input, init).url;
      if (/\/crm\/v3\/objects\/contacts\/\d+/.test(url)) return new Response('<html>502 gateway</html>', { status: 200, headers: { 'content-type': 'text/html' } });
      if (/\/associations\//.test(url)) return new Response(JSON.stringify({ results: [{ toObjectId: 'x1' }] }), { status: 200, headers: { 'content-type': 'application/json' } });
      return res;
    };
    const g = await harness({ emulator: h.emu, fetch: garbled, specReport: false });
    const e1 = await failure(g.adapter.getCustomer(id));
    expect(e1).toBeInstanceOf(CrmError);
    expect(e1).toMatchObject({ kind: 'validation', message: expect.stringContaining('unexpected reply') });
    expect(await failure(g.adapter.listFollowUps(id))).toMatchObject({ kind: 'validation', message: expect.stringContaining('toObjectId') });
    // The spec check saw both garbled replies too (and nothing else); cleared so the test ends clean.
    expect(g.spec.errors()).toEqual([
      'GET /crm/v3/objects/contacts/{contactId} → 200: reply: must be object',
      "GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType} → 200: reply.results.0: must have required property 'associationTypes'",
    ]);
    g.spec.records.length = 0;
  });
});

describe('HubSpot read: candidates and the emulator\'s strictness', () => {
  it('findCustomers candidates carry what the search reply has, in Liaison terms', async () => {
    const h = await setup();
    h.emu.control.addObject('contacts', { firstname: '张伟', phone: '+8613800138000', liaison_code: 'KH2025001', hs_lead_status: 'OPEN_DEAL', lifecyclestage: 'customer' });
    const [c] = await h.adapter.findCustomers({ phone: '+8613800138000' });
    expect(c!.fields).toMatchObject({ code: 'KH2025001', stage: '成交', name: '张伟', phones: ['+8613800138000'] });
    expect(h.emu.state.requests.filter((r) => r.api === 'objects.search')).toHaveLength(1);
  });

  it('refuses what HubSpot refuses on the read routes', async () => {
    const emu = await emulator();
    const id = emu.control.addObject('contacts', { firstname: 'E' });
    const f = [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }];
    const s = (body: unknown) => raw(emu, 'POST', '/crm/v3/objects/contacts/search', body);
    // One sort rule; a known property; a direction; a datetime value; paging stops at 10,000; page ≤ 200.
    expect((await s({ filterGroups: f, sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }, { propertyName: 'createdate', direction: 'ASCENDING' }] })).status).toBe(400);
    expect((await s({ filterGroups: f, sorts: [{ propertyName: 'modified_at', direction: 'ASCENDING' }] })).status).toBe(400);
    await new Promise((ok) => setTimeout(ok, 1_100)); // the search limit: 4 a second
    expect((await s({ filterGroups: f, sorts: [{ propertyName: 'lastmodifieddate', direction: 'UP' }] })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: 'yesterday' }] }] })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [{ propertyName: 'modified_at', operator: 'GTE', value: '0' }] }] })).body.errors[0].code).toBe('PROPERTY_DOESNT_EXIST');
    await new Promise((ok) => setTimeout(ok, 1_100));
    expect((await s({ filterGroups: f, after: '10000' })).status).toBe(400);
    expect((await s({ filterGroups: f, limit: 201 })).status).toBe(400);
    expect((await s({ filterGroups: f, after: 2 })).status).toBe(400); // a cursor is a string
    // GET: archived must be a boolean; parameters it does not emulate are refused, not ignored.
    expect((await raw(emu, 'GET', `/crm/v3/objects/contacts/${id}?archived=yes`)).status).toBe(400);
    expect((await raw(emu, 'GET', `/crm/v3/objects/contacts/${id}?associations=notes`)).status).toBe(400);
    // batch/read: ≤ 100 inputs, ids as strings, no unknown keys; a missing id is a 207 naming it.
    const br = (body: unknown) => raw(emu, 'POST', '/crm/v3/objects/contacts/batch/read', body);
    expect((await br({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) })), properties: [] })).status).toBe(400);
    expect((await br({ inputs: [{ id: 5 }], properties: [] })).status).toBe(400);
    expect((await br({ inputs: [{ id }], props: [] })).status).toBe(400);
    const partial = await br({ inputs: [{ id }, { id: '424242' }], properties: ['firstname'], propertiesWithHistory: [] });
    expect(partial.status).toBe(207);
    expect(partial.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } });
    expect(partial.body.results[0].properties).toMatchObject({ firstname: 'E', hs_object_id: id });
    // v4 association lists: limit ≤ 500; an unknown record is 404.
    expect((await raw(emu, 'GET', `/crm/v4/objects/contacts/${id}/associations/notes?limit=501`)).status).toBe(400);
    expect((await raw(emu, 'GET', `/crm/v4/objects/contacts/424242/associations/notes`)).status).toBe(404);
    // Owners need their own scope.
    emu.control.setScopes(ALL_SCOPES.filter((x) => x !== 'crm.objects.owners.read'));
    expect((await raw(emu, 'GET', '/crm/v3/owners?limit=10')).status).toBe(403);
  });
});
