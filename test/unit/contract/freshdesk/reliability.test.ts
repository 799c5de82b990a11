// The Freshdesk adapter when Freshdesk or the network misbehaves, against the strict emulator
// (developers.freshdesk.com/api; no vendor description exists to validate against, so requests
// are logged and counted): a wrong or reset API key (401), an agent without the permission (403),
// a 400 naming the field, a 429 with Retry-After from the account's minute and from an endpoint's
// own cap (the connection waits it out), 5xx and lost replies on ticket, contact and note creation
// (never a duplicate), and a timeout.
import { describe, expect, it } from 'vitest';
import { failure, followUp, harness, seen, ticket } from './helpers';

describe('Freshdesk adapter: refusals', () => {
  it('a wrong API key is auth 401 with the next step, and the key never appears in the message', async () => {
    const h = await harness({ apiKey: 'not-the-key' });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'invalid_credentials' });
    expect(e!.userMessage.zh_CN).toContain('查看 API 密钥');
    expect(`${e!.message} ${JSON.stringify(e!.userMessage)}`).not.toContain('not-the-key');
    const reset = await harness();
    reset.emu.control.resetKey();
    expect(await failure(reset.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('an agent without the permission is auth 403 access_denied, told to ask an admin; nothing is created', async () => {
    const h = await harness();
    const viewer = await harness({ emulator: h.emu, apiKey: h.emu.restricted.key });
    const e = await failure(viewer.adapter.createTicket(ticket(), { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'auth', status: 403, vendorCode: 'access_denied' });
    expect(e!.userMessage.zh_CN).toContain('管理员');
    expect(h.emu.state.tickets.size + h.emu.state.contacts.size).toBe(0);
  });

  it('a 400 names Freshdesk’s field, message and code, without the customer’s email or phone', async () => {
    const h = await harness({ settings: { ticketType: 'Complaint' } });
    const t = ticket();
    const e = await failure(h.adapter.createTicket(t, { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'invalid_value' });
    expect(e!.message).toContain("type: It should be one of these values: 'Question,Incident,Problem,Feature Request,Refund' (invalid_value)");
    expect(e!.userMessage.zh_CN).toContain('Freshdesk 拒绝了这些数据：type:');
    const bad = await failure(h.adapter.createTicket(ticket({ customer: { ...t.customer, email: 'not an email +8613800138000' } }), { idempotencyKey: 'k2' }));
    expect(bad).toMatchObject({ kind: 'validation', status: 400 });
    expect(bad!.message).toContain("email: It should be in the 'valid email address' format");
    expect(bad!.message).not.toContain('13800138000');
    expect(h.emu.state.tickets.size).toBe(0);
  });
});

describe('Freshdesk adapter: rate limits', () => {
  it('a 429 carries Freshdesk’s Retry-After; the connection waits it out instead of meeting another', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'k' });
    h.emu.control.rateLimitFor(1500);
    const e = await failure(h.adapter.getTicket(ref.remoteId));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });
    const r429 = h.emu.requests.find((r) => r.status === 429)!;
    expect(r429.api).toBe('tickets.show');
    const started = Date.now();
    expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ status: '新建' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(h.emu.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('an endpoint’s own cap (tickets list, 20 a minute on Growth) answers 429 with the rest of the minute; the ticket is not created blind', async () => {
    const h = await harness({ emu: { endpointPerMinute: { 'tickets.list': 1 } } });
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'a' });
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'b' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(e!.retryAfterMs).toBeGreaterThan(50_000);
    expect(h.emu.state.tickets.size).toBe(1);
    const last = h.emu.requests.at(-1)!;
    expect([last.api, last.status]).toEqual(['tickets.list', 429]);
  });

  it('every reply carries Freshdesk’s X-RateLimit-Total / -Remaining / -Used-CurrentRequest', async () => {
    const h = await harness({ emu: { perMinute: 3 } });
    const seen: Record<string, string | null>[] = [];
    const spy = await harness({
      emulator: h.emu,
      fetch: (async (i: RequestInfo | URL, init?: RequestInit) => {
        const res = await fetch(i, init);
        seen.push({ total: res.headers.get('x-ratelimit-total'), remaining: res.headers.get('x-ratelimit-remaining'), used: res.headers.get('x-ratelimit-used-currentrequest'), retry: res.headers.get('retry-after') });
        return res;
      }) as typeof fetch,
    });
    await spy.adapter.verify();
    await spy.adapter.fieldChoices('groupId');
    await spy.adapter.fieldChoices('ticketType');
    expect(await failure(spy.adapter.listFields())).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(seen.map((s) => [s.total, s.remaining, s.used])).toEqual([['3', '2', '1'], ['3', '1', '1'], ['3', '0', '1'], ['3', '0', '1']]);
    expect(Number(seen[3]!.retry)).toBeGreaterThan(50);
  });
});

describe('Freshdesk adapter: unknown outcomes, never a duplicate', () => {
  it('the ticket create’s reply is lost after Freshdesk committed: the lookup finds it, one ticket', async () => {
    const h = await harness();
    h.emu.control.dropNext({ api: 'tickets.create', commit: true });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'lost' });
    expect(h.emu.state.tickets.size).toBe(1);
    expect(ref.remoteId).toBe(String([...h.emu.state.tickets.keys()][0]));
    expect(h.emu.requests.map((r) => `${r.api}:${r.outcome}`)).toEqual(['contacts.list:replied', 'contacts.create:replied', 'tickets.list:replied', 'tickets.create:dropped', 'tickets.list:replied']);
  });

  it('a 500 after commit on create, and the outbox’s later retry of the same key: still one ticket', async () => {
    const h = await harness();
    const t = ticket();
    h.emu.control.failNext({ api: 'tickets.create', status: 500, commit: true });
    const first = await h.adapter.createTicket(t, { idempotencyKey: 'k500' });
    const retry = await h.another().createTicket(t, { idempotencyKey: 'k500' });
    expect(retry.remoteId).toBe(first.remoteId);
    expect(h.emu.state.tickets.size).toBe(1);
  });

  it('a reply lost before anything was written: unknown-outcome; the retry creates the one ticket', async () => {
    const h = await harness();
    h.emu.control.dropNext({ api: 'tickets.create' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'none' }))).toMatchObject({ kind: 'unknown-outcome' });
    expect(h.emu.state.tickets.size).toBe(0);
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'none' });
    expect(h.emu.state.tickets.size).toBe(1);
  });

  it('a 503 is retryable and nothing was written', async () => {
    const h = await harness();
    h.emu.control.failNext({ api: 'tickets.create', status: 503 });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'retryable', status: 503 });
    expect(h.emu.state.tickets.size).toBe(0);
  });

  it('the contact create’s reply is lost after commit: the retry meets 409 duplicate_value and uses that contact; one contact, one ticket', async () => {
    const h = await harness();
    const t = ticket();
    h.emu.control.dropNext({ api: 'contacts.create', commit: true });
    // The lookup after the unknown outcome finds it at once.
    await h.adapter.createTicket(t, { idempotencyKey: 'c1' });
    expect(h.emu.state.contacts.size).toBe(1);
    // A colleague's contact with that email made between our lookup and our create: 409 names it.
    const other = ticket();
    const racing = await harness({
      emulator: h.emu,
      fetch: (async (i: RequestInfo | URL, init?: RequestInit) => {
        if (seen(i, init).url.endsWith('/api/v2/contacts') && seen(i, init).method === 'POST') h.emu.control.addContact({ name: '同事建的', email: other.customer.email! });
        return fetch(i, init);
      }) as typeof fetch,
    });
    await racing.adapter.createTicket(other, { idempotencyKey: 'c2' });
    expect(h.emu.state.contacts.size).toBe(2);
    const dup = h.emu.requests.find((r) => r.api === 'contacts.create' && r.status === 409);
    expect(dup).toBeDefined();
    const tk = [...h.emu.state.tickets.values()].at(-1)!;
    expect(h.emu.state.contacts.get(tk.requester_id)!.name).toBe('同事建的');
  });

  it('a note’s reply is lost after commit, and the follow-up is retried: one note', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't' });
    const f = followUp();
    h.emu.control.dropNext({ api: 'notes.create', commit: true });
    const a = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'n1' });
    const b = await h.another().addTicketComment(ref.remoteId, f, { idempotencyKey: 'n1' });
    expect(b.remoteId).toBe(a.remoteId);
    expect(h.emu.state.tickets.get(Number(ref.remoteId))!.notes).toHaveLength(1);
    // Another follow-up is another note.
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'n2' });
    expect(h.emu.state.tickets.get(Number(ref.remoteId))!.notes).toHaveLength(2);
  });

  it('a note lookup pages through a long conversation (Link: rel="next")', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't' });
    const tk = h.emu.state.tickets.get(Number(ref.remoteId))!;
    for (let i = 0; i < 150; i++) tk.notes.push({ id: 1000 + i, body: `<p>note ${i}</p>`, body_text: `note ${i}`, private: true, incoming: false, user_id: 1, ticket_id: tk.id, created_at: tk.created_at, updated_at: tk.updated_at });
    const mine = await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'late' });
    h.emu.control.clearLog();
    expect((await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'late' })).remoteId).toBe(mine.remoteId);
    expect(h.emu.requests.map((r) => `${r.api}${r.query}`)).toEqual(['conversations.list?per_page=100&page=1', 'conversations.list?per_page=100&page=2']);
    expect(tk.notes).toHaveLength(151);
  });

  it('a timeout on create is an unknown outcome, reconciled by the lookup', async () => {
    // Only the create is late (1.6 s against a 1 s timeout): a 300 ms timeout for every call had
    // the contact lookup time out too at load 14.
    const h = await harness({ overrides: { timeoutMs: 1_000 } });
    const slow = await harness({
      emulator: h.emu,
      overrides: { timeoutMs: 1_000 },
      fetch: (async (i: RequestInfo | URL, init?: RequestInit) => {
        const res = await fetch(i, init);
        if (seen(i, init).url.endsWith('/api/v2/tickets') && seen(i, init).method === 'POST') await new Promise((r) => setTimeout(r, 1_600));
        return res;
      }) as typeof fetch,
    });
    const ref = await slow.adapter.createTicket(ticket(), { idempotencyKey: 'slow' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['contacts.list', 'contacts.create', 'tickets.list', 'tickets.create', 'tickets.list']);
    expect(h.emu.state.tickets.size).toBe(1);
    expect(ref.remoteId).toBe(String([...h.emu.state.tickets.keys()][0]));
  });
});
