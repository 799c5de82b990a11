// Zendesk faults through the emulator, every adapter request checked against Zendesk's own file:
// the Idempotency-Key rules as Zendesk states them (replay = hit, another body = 400, two-hour
// keys), a ticket / comment / user whose reply was lost after commit found (not duplicated) on
// retry — also when the retry comes after the key expired or with another body — 5xx on a write
// an unknown outcome and on a read retryable, a deleted token auth at once, 429s with
// Retry-After (the account's minute and the per-ticket update limit).
import { describe, expect, it } from 'vitest';
import { customer, failure, followUp, harness, ticket } from './helpers';

const TWO_HOURS = 2 * 60 * 60 * 1000;

describe('Zendesk Idempotency-Key, as the emulator holds it to Zendesk\'s rules', () => {
  it('same key and body: the first reply again with x-idempotency-lookup hit; another body: 400 IdempotentRequestError; after two hours: a new ticket', async () => {
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const t = await harness({ emu: { now: () => now } });
    const auth = { authorization: `Basic ${Buffer.from(`${t.emu.email}/token:${t.emu.token}`).toString('base64')}`, 'content-type': 'application/json', accept: 'application/json' };
    const post = (body: unknown, key = 'key-1') => fetch(`${t.emu.url}/api/v2/tickets`, { method: 'POST', headers: { ...auth, 'idempotency-key': key }, body: JSON.stringify(body) });
    const body = { ticket: { subject: 'Printer offline', comment: { body: 'Restarting does not help.' } } };
    const first = await post(body);
    expect([first.status, first.headers.get('x-idempotency-lookup')]).toEqual([201, 'miss']);
    const created = (await first.json()) as { ticket: { id: number } };
    // Key order and spacing do not make another body.
    const again = await fetch(`${t.emu.url}/api/v2/tickets`, { method: 'POST', headers: { ...auth, 'idempotency-key': 'key-1' }, body: '{ "ticket": { "comment": { "body": "Restarting does not help." }, "subject": "Printer offline" } }' });
    expect([again.status, again.headers.get('x-idempotency-lookup')]).toEqual([201, 'hit']);
    expect(await again.json()).toEqual(created);
    const other = await post({ ticket: { ...body.ticket, priority: 'high' } });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({ error: 'IdempotentRequestError', description: "Request parameters don't match the given idempotency key" });
    expect(t.emu.state.tickets.size).toBe(1);
    now += TWO_HOURS;
    const late = await post(body);
    expect([late.status, late.headers.get('x-idempotency-lookup')]).toEqual([201, 'miss']);
    expect(t.emu.state.tickets.size).toBe(2);
    // Only creates take the key's rules; a failed create is not remembered.
    const bad = await post({ ticket: { subject: 'no comment' } }, 'key-2');
    expect(bad.status).toBe(422);
    expect(t.emu.control.idempotencyKeys()).toEqual(['key-1']);
  });
});

describe('Zendesk reliability', () => {
  it('a ticket create whose reply was lost after commit: the retry returns that ticket', async () => {
    const t = await harness();
    const c = customer();
    t.emu.control.dropNext({ api: 'tickets.create', commit: true });
    expect(await failure(t.adapter.createTicket(ticket(c), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await t.adapter.createTicket(ticket(c), { idempotencyKey: 'k' });
    expect(t.emu.state.tickets.size).toBe(1);
    expect(ref.remoteId).toBe(String([...t.emu.state.tickets.keys()][0]));
  });

  it('the retry comes after the key expired, or with another body (the customer was linked meanwhile): still one ticket, by its external_id', async () => {
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const t = await harness({ emu: { now: () => now } });
    const c = customer();
    t.emu.control.dropNext({ api: 'tickets.create', commit: true });
    expect(await failure(t.adapter.createTicket(ticket(c), { idempotencyKey: 'late' }))).toMatchObject({ kind: 'unknown-outcome' });
    now += TWO_HOURS + 60_000; // the outbox was offline; Zendesk forgot the key
    expect(t.emu.control.idempotencyKeys()).toEqual(['late']); // dropped on the next create, not before
    await t.adapter.createTicket(ticket(c), { idempotencyKey: 'late' });
    expect(t.emu.state.tickets.size).toBe(1);

    const user = await t.adapter.createCustomer(c, { idempotencyKey: 'u' });
    t.emu.control.dropNext({ api: 'tickets.create', commit: true });
    expect(await failure(t.adapter.createTicket(ticket(c), { idempotencyKey: 'changed' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await t.adapter.createTicket(ticket(c, { remoteCustomerId: user.remoteId }), { idempotencyKey: 'changed' });
    expect(t.emu.state.tickets.size).toBe(2);
    expect(t.emu.state.tickets.get(Number(ref.remoteId))!.external_id).toBe('changed');
  });

  it('Zendesk holds the key for another body and no ticket carries it: sent once more under a key of this body', async () => {
    const t = await harness();
    // Someone else's create used the key first (no external_id): that ticket is not ours.
    const auth = { authorization: `Basic ${Buffer.from(`${t.emu.email}/token:${t.emu.token}`).toString('base64')}`, 'content-type': 'application/json' };
    await fetch(`${t.emu.url}/api/v2/tickets`, { method: 'POST', headers: { ...auth, 'idempotency-key': 'shared' }, body: JSON.stringify({ ticket: { comment: { body: 'x' } } }) });
    t.emu.control.clearLog();
    const c = customer();
    const ref = await t.adapter.createTicket(ticket(c), { idempotencyKey: 'shared' });
    expect(t.emu.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['tickets.list 200', 'tickets.create 400', 'tickets.list 200', 'tickets.create 201']);
    expect(t.emu.requests[3]!.key).toMatch(/^shared\.[0-9a-f]{8}$/);
    expect(t.emu.state.tickets.get(Number(ref.remoteId))!.external_id).toBe('shared');
    // Its retry finds it.
    expect(await t.adapter.createTicket(ticket(c), { idempotencyKey: 'shared' })).toMatchObject({ remoteId: ref.remoteId });
    expect(t.emu.state.tickets.size).toBe(2);
  });

  it('a comment and a user whose replies were lost after commit are found on retry, not doubled', async () => {
    const t = await harness();
    const c = customer();
    t.emu.control.dropNext({ api: 'users.create_or_update', commit: true });
    expect(await failure(t.adapter.createCustomer(c, { idempotencyKey: 'u' }))).toMatchObject({ kind: 'unknown-outcome' });
    const users = t.emu.state.users.size;
    await t.adapter.createCustomer(c, { idempotencyKey: 'u' });
    expect(t.emu.state.users.size).toBe(users);
    const ref = await t.adapter.createTicket(ticket(c), { idempotencyKey: 'k' });
    const f = followUp();
    t.emu.control.dropNext({ api: 'tickets.update', commit: true });
    expect(await failure(t.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'n' }))).toMatchObject({ kind: 'unknown-outcome' });
    await t.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'n' });
    expect(t.emu.state.tickets.get(Number(ref.remoteId))!.comments).toHaveLength(2);
  });

  it('500 on a create is unknown-outcome and the retry finds the ticket; 503 on a read is retryable', async () => {
    const t = await harness();
    const c = customer();
    t.emu.control.failNext({ api: 'tickets.create', status: 500, commit: true });
    expect(await failure(t.adapter.createTicket(ticket(c), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
    const ref = await t.adapter.createTicket(ticket(c), { idempotencyKey: 'k' });
    t.emu.control.failNext({ api: 'tickets.show', status: 503 });
    expect(await failure(t.adapter.getTicket(ref.remoteId))).toMatchObject({ kind: 'retryable', status: 503 });
    expect(t.emu.state.tickets.size).toBe(1);
  });

  it('a deleted token is auth (401) on every operation, one request each, never echoed', async () => {
    const t = await harness();
    const ref = await t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'k' });
    t.emu.control.revokeToken();
    t.emu.control.clearLog();
    // Each call's failure is caught as it is made (they run at once): awaited one by one, a later
    // one could reject before the loop reached it, an unhandled rejection.
    for (const e of await Promise.all([t.adapter.getTicket(ref.remoteId), t.adapter.getCustomer('9001'), t.adapter.findCustomers({ email: 'a@example.com' }), t.adapter.verify()].map(failure))) {
      expect(e).toMatchObject({ kind: 'auth', status: 401 });
      expect(e!.message).not.toContain(t.emu.token);
    }
    expect(t.emu.requests.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  it('429: the account\'s minute spent is rate-limited with the Retry-After wait; so is a ticket updated too often', async () => {
    const t = await harness({ emu: { perMinute: 3 } });
    const auth = { authorization: `Basic ${Buffer.from(`${t.emu.email}/token:${t.emu.token}`).toString('base64')}` };
    const replies = await Promise.all(Array.from({ length: 4 }, () => fetch(`${t.emu.url}/api/v2/users/me`, { headers: auth })));
    const limited = replies.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    const e = await failure(t.adapter.verify());
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(e!.retryAfterMs).toBeGreaterThan(0);
    expect(e!.retryAfterMs).toBeLessThanOrEqual(60_000);

    // A window a fault test opens: the whole of it announced.
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const w = await harness({ emu: { now: () => now } });
    w.emu.control.rateLimitFor(30_000);
    now += 10_000;
    expect(await failure(w.adapter.getTicket('1'))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 20_000 });

    const busy = await harness({ emu: { ticketUpdates: 2 } });
    const ref = await busy.adapter.createTicket(ticket(customer()), { idempotencyKey: 'k' });
    await busy.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'a' });
    await busy.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'b' });
    const third = await failure(busy.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'c' }));
    expect(third).toMatchObject({ kind: 'rate-limited', status: 429, vendorCode: 'TooManyRequests' });
    expect(third!.retryAfterMs).toBeGreaterThan(500_000);
    // One busy ticket does not hold the connection for ten minutes: the next call goes at once
    // (with the connection cooled down it would wait ~600 s of real time and time out).
    expect(await busy.adapter.getTicket(ref.remoteId)).toMatchObject({ remoteId: ref.remoteId });
  });
});
