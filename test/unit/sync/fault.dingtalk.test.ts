// The sync fault test (test/unit/sync/fault-emulated.ts: random worker kills, lost replies after
// commit, 503s, rate-limit windows) against the real DingTalk adapter and its emulator over HTTP.
// DingTalk specifics: customers are found before create by name + the key in extendData;
// follow records by their [Liaison <key>] line among the customer's records; a rate-limit window
// is DingTalk's HTTP 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi, whose documented wait is
// one second (the window lasts exactly that). Deals: DingTalk has none (spec deals 'none'), so
// lib/customers queues no deal entries for it. Token expiry is not part of this run: a new
// service worker fetches a new token anyway (the app credentials mint one; the token endpoint is
// outside the monthly quota), which reliability.test.ts covers, so "one refresh per expiry" does
// not apply.
import { expect, it } from 'vitest';
import { createDingtalkAdapter } from '../../../lib/crm/dingtalk/adapter';
import { QPS_WAIT_MS } from '../../../lib/crm/dingtalk/errors';
import { resetDingtalkSessions } from '../../../lib/crm/dingtalk/session';
import { dingtalkSpec } from '../../../lib/crm/dingtalk/spec';
import type { CrmAdapter } from '../../../lib/crm/port';
import type { LiaisonDb } from '../../../lib/db/db';
import { startDingtalkEmulator, type DingtalkEmulator } from '../../emulators/dingtalk';
import { entriesOf, failures, runEmulatedScenario, seedTests, runUntilDuplicated, tally, ZERO_FAILURES, type Counted, type EmulatedCrm, type EmuFigures } from './fault-emulated';
import { fakeClock, type Clock } from './fake-crm';

const SEEDS = Number(process.env.FAULT_EMU_SEEDS ?? 3);
const FIRST = Number(process.env.FAULT_EMU_FIRST ?? 1);
const CUSTOMERS = Number(process.env.FAULT_EMU_CUSTOMERS ?? 40);
const CONTENT = 'TextareaField-K2U5UJAF';

function dingtalk(emu: DingtalkEmulator, clock: Clock): EmulatedCrm {
  return {
    kind: 'dingtalk',
    settings: { appKey: emu.app.appKey, userId: emu.users[0].userid, mapping: { customer: { name: 'customer_name', phones: 'DDPhoneField-K2U5DHAB', email: 'TextField-K2U5DHAC', company: 'TextField-K2U5DHAE' } } },
    adapter: (connection, now, send) => createDingtalkAdapter({ db: null, connection, secrets: { app_secret: emu.app.appSecret }, now, fetch: send }, { apiBase: emu.url, oapiBase: emu.url, timeoutMs: 10_000 }),
    resetModuleState: () => resetDingtalkSessions(),
    limiterKeys: (id) => [{ key: `dingtalk:${id}`, requestsPerSecond: dingtalkSpec.rateLimit.requestsPerSecond, burst: dingtalkSpec.rateLimit.burst, concurrentWrites: dingtalkSpec.rateLimit.concurrentWrites }],
    setFaultPolicy: (p) => emu.control.setFaultPolicy(p ? (entry) => { const f = p(entry.api); return f ? (f.kind === 'drop' ? { kind: 'drop', ...(f.commit ? { commit: true } : {}) } : { kind: 'fail', status: f.status, ...(f.commit ? { commit: true } : {}) }) : undefined; } : undefined),
    exempt: (api) => api === 'oauth2.accessToken',
    rateLimitWindow: () => {
      emu.control.limitFor(QPS_WAIT_MS);
      return clock.now() + QPS_WAIT_MS;
    },
    log: () => emu.requests.map((r) => ({ at: r.at, api: r.api, ...(r.status === 403 ? { rateLimited: { announcedWaitMs: QPS_WAIT_MS } } : {}) })),
    count: (db, connectionId) => countDingtalk(emu, db, connectionId),
    close: () => emu.close(),
  };
}

async function countDingtalk(emu: DingtalkEmulator, db: LiaisonDb, connectionId: string): Promise<Counted> {
  const c: Counted = { lost: 0, duplicated: 0, followUpsLost: 0, followUpsDuplicated: 0, dealsLost: 0, dealsDuplicated: 0, misassociated: 0, orphans: 0, stale: 0 };
  const customers = emu.control.customers();
  const follows = emu.control.follows();
  const seen = new Set<string>();
  const keysOf = async (table: 'customers' | 'followUps', id: string) => new Set((await entriesOf(db, table, id, connectionId)).map((e) => e.idempotencyKey));
  for (const local of await db.customers.toArray()) {
    const remote = customers.filter((r) => r.data.customer_name === local.name);
    remote.forEach((r) => seen.add(r.instanceId));
    const t = tally(remote.length);
    c.lost += t.lost;
    c.duplicated += t.duplicated;
    const link = await db.links.get([local.id, connectionId]);
    if (remote.length === 1) {
      const r = remote[0]!;
      if (!(await keysOf('customers', local.id)).has(String(r.extendData.liaisonKey)) || link?.remoteId !== r.instanceId || link.syncState !== 'synced') c.lost++;
      if ((r.data['TextField-K2U5DHAE'] || undefined) !== (local.company ?? undefined)) c.stale++;
    }
    for (const f of await db.followUps.where('customerId').equals(local.id).toArray()) {
      const found = follows.filter((r) => (r.items.find((i) => i.key === CONTENT)?.value ?? '').split('\n').includes(f.content));
      found.forEach((r) => seen.add(r.recordInstId));
      const ft = tally(found.length);
      c.followUpsLost += ft.lost;
      c.followUpsDuplicated += ft.duplicated;
      const x = found[0];
      const key = x && /\[Liaison ([A-Za-z0-9_-]+)\]$/.exec(x.items.find((i) => i.key === CONTENT)?.value ?? '')?.[1];
      if (found.length === 1 && (x!.customerId !== link?.remoteId || !(await keysOf('followUps', f.id)).has(String(key)))) c.misassociated++;
    }
  }
  c.orphans = [...customers.map((r) => r.instanceId), ...follows.map((r) => r.recordInstId)].filter((id) => !seen.has(id)).length;
  return c;
}

async function scenario(seed: number, wrap?: (a: CrmAdapter) => CrmAdapter): Promise<EmuFigures> {
  const clock = fakeClock();
  const emu = await startDingtalkEmulator({ now: clock.now, tokenTtlMs: Number.MAX_SAFE_INTEGER / 2 });
  try {
    return await runEmulatedScenario(dingtalk(emu, clock), seed, { customers: CUSTOMERS, ...(wrap ? { wrap } : {}) }, clock);
  } finally {
    resetDingtalkSessions();
    await emu.close();
  }
}

seedTests(
  `DingTalk adapter + emulator: 0 lost, 0 duplicated, no request during a QPS refusal's second, across random worker kills (${SEEDS} seeds × ${CUSTOMERS} customers)`,
  'dingtalk emulator',
  { first: FIRST, count: SEEDS },
  (seed) => scenario(seed),
  // deals: made locally, and rightly never sent to DingTalk
  ['kills', 'lostReplies', 'rateLimited', 'deals'],
);

// With the keys stripped the checks fail: records carry keys no outbox entry sent (counted lost /
// misassociated), and a lost reply on a customer without a phone or on a follow-up is written
// twice. DingTalk's own duplicate check on the phone field (same.data.exists) stops the rest, so
// duplicates alone are rarer here than with Zoho.
it('the same scenario with the keys stripped (a new Liaison key per attempt) fails the checks: the test can fail', async () => {
  const stripped = (a: CrmAdapter): CrmAdapter => ({
    ...a,
    createCustomer: (customer, opts) => a.createCustomer(customer, { ...opts, idempotencyKey: crypto.randomUUID() }),
    addFollowUp: (remoteId, f, opts) => a.addFollowUp(remoteId, f, { ...opts, idempotencyKey: crypto.randomUUID() }),
  });
  const s = await runUntilDuplicated('dingtalk emulator, keys stripped', 101, 3, (seed) => scenario(seed, stripped));
  expect(failures(0, s)).not.toEqual(ZERO_FAILURES(0));
  expect(s.lost + s.misassociated + s.duplicated + s.followUpsDuplicated).toBeGreaterThan(0);
}, 240_000);
