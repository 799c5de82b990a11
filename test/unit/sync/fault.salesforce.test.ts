// The sync fault test (fault.key/fault.lookup) against the real Salesforce adapter and the
// Salesforce org emulator over HTTP: see fault-emulated.ts for the faults and the clock.
// Salesforce specifics: Leads, Tasks (follow-ups) and Opportunities are upserted on the
// external ID Liaison_Id__c = the outbox entry's idempotency key; the allocation limit is 403
// REQUEST_LIMIT_EXCEEDED (no header: the adapter waits LIMIT_EXCEEDED_WAIT_MS); access tokens
// expire mid-run and must cost exactly one refresh each. The token endpoint itself is left out
// of the random faults: a lost token reply legitimately costs a second refresh, which would
// blur that count.
import { expect, it } from 'vitest';
import { createSalesforceAdapter } from '../../../lib/crm/salesforce/adapter';
import { LIMIT_EXCEEDED_WAIT_MS } from '../../../lib/crm/salesforce/errors';
import { resetSessions } from '../../../lib/crm/salesforce/session';
import { salesforceSpec } from '../../../lib/crm/salesforce/spec';
import type { CrmAdapter } from '../../../lib/crm/port';
import type { LiaisonDb } from '../../../lib/db/db';
import { EXTERNAL_ID_FIELD, startSalesforceEmulator, type EmRecord, type SalesforceEmulator } from '../../emulators/salesforce';
import { connect } from '../contract/salesforce/helpers';
import { entriesOf, runEmulatedScenario, tally, type Counted, type EmulatedCrm, type EmuFigures, seedTests, runUntilDuplicated, keysStripped } from './fault-emulated';
import { fakeClock, type Clock } from './fake-crm';

const SEEDS = Number(process.env.FAULT_EMU_SEEDS ?? 5);
/** Replay one failing seed: FAULT_EMU_FIRST=3 FAULT_EMU_SEEDS=1. */
const FIRST = Number(process.env.FAULT_EMU_FIRST ?? 1);
const CUSTOMERS = Number(process.env.FAULT_EMU_CUSTOMERS ?? 60);

async function salesforce(emu: SalesforceEmulator, clock: Clock): Promise<EmulatedCrm> {
  const settings = { loginHost: 'my-domain', myDomain: emu.loginUrl, consumerKey: emu.clientId };
  // The connection's secrets as the background keeps them: renewed tokens are merged in.
  const secrets = await connect(emu, settings);
  return {
    kind: 'salesforce',
    settings,
    adapter: (connection, now, send) =>
      createSalesforceAdapter({ db: null, connection, secrets: { ...secrets }, now, fetch: send, onSecrets: (p) => void Object.assign(secrets, p) }, { timeoutMs: 10_000 }),
    resetModuleState: () => resetSessions(),
    limiterKeys: (id) => [{ key: `salesforce:${id}`, ...salesforceSpec.rateLimit }],
    setFaultPolicy: (p) => emu.control.setFaultPolicy(p ? (entry) => p(entry.api) : undefined),
    exempt: (api) => api.startsWith('oauth.'),
    rateLimitWindow: (rand) => {
      // Up to the adapter's wait: Salesforce says nothing about when the allocation frees up.
      const ms = 30_000 + Math.floor(rand() * (LIMIT_EXCEEDED_WAIT_MS - 30_000));
      emu.control.limitExceededFor(ms);
      return clock.now() + ms;
    },
    expireTokens: () => emu.control.expireTokens(),
    refreshes: () => emu.state.oauth.tokenRequests.refresh_token,
    log: () => emu.state.requests.map((r) => ({ at: r.at, api: r.api, ...(r.errorCode === 'REQUEST_LIMIT_EXCEEDED' ? { rateLimited: { announcedWaitMs: LIMIT_EXCEEDED_WAIT_MS } } : {}) })),
    count: (db, connectionId) => countSalesforce(emu, db, connectionId),
    close: () => emu.close(),
  };
}

async function countSalesforce(emu: SalesforceEmulator, db: LiaisonDb, connectionId: string): Promise<Counted> {
  const c: Counted = { lost: 0, duplicated: 0, followUpsLost: 0, followUpsDuplicated: 0, dealsLost: 0, dealsDuplicated: 0, misassociated: 0, orphans: 0, stale: 0 };
  const leads = emu.control.records('Lead');
  const tasks = emu.control.records('Task');
  const opportunities = emu.control.records('Opportunity');
  const seen = new Set<EmRecord>();
  const keysOf = async (table: 'customers' | 'followUps' | 'deals', id: string) => new Set((await entriesOf(db, table, id, connectionId)).map((e) => e.idempotencyKey));

  for (const local of await db.customers.toArray()) {
    // By name (unique per customer, whole in LastName): a Lead under a foreign key still counts.
    const remote = leads.filter((r) => r.fields.LastName === local.name);
    remote.forEach((r) => seen.add(r));
    const t = tally(remote.length);
    c.lost += t.lost;
    c.duplicated += t.duplicated;
    const link = await db.links.get([local.id, connectionId]);
    if (remote.length === 1) {
      const r = remote[0]!;
      const keys = await keysOf('customers', local.id);
      if (!keys.has(String(r.fields[EXTERNAL_ID_FIELD])) || link?.remoteId !== r.Id || link.syncState !== 'synced') c.lost++;
      if (r.fields.Company !== (local.company ?? local.name)) c.stale++;
    }
    for (const f of await db.followUps.where('customerId').equals(local.id).toArray()) {
      const found = tasks.filter((r) => String(r.fields.Description ?? '').split('\n').includes(f.content));
      found.forEach((r) => seen.add(r));
      const ft = tally(found.length);
      c.followUpsLost += ft.lost;
      c.followUpsDuplicated += ft.duplicated;
      if (found.length === 1 && (found[0]!.fields.WhoId !== link?.remoteId || !(await keysOf('followUps', f.id)).has(String(found[0]!.fields[EXTERNAL_ID_FIELD])))) c.misassociated++;
    }
    for (const d of await db.deals.where('customerId').equals(local.id).toArray()) {
      const found = opportunities.filter((r) => r.fields.Name === d.product);
      found.forEach((r) => seen.add(r));
      const dt = tally(found.length);
      c.dealsLost += dt.lost;
      c.dealsDuplicated += dt.duplicated;
      // Opportunities hang off Accounts: the Description names the customer's Lead.
      const names = String(found[0]?.fields.Description ?? '').includes(`客户（Liaison）：${link?.remoteId}`);
      if (found.length === 1 && (!names || !(await keysOf('deals', d.id)).has(String(found[0]!.fields[EXTERNAL_ID_FIELD])))) c.misassociated++;
    }
  }
  c.orphans = [...leads, ...tasks, ...opportunities].filter((r) => !seen.has(r)).length;
  return c;
}

async function scenario(seed: number, wrap?: (a: CrmAdapter) => CrmAdapter): Promise<EmuFigures> {
  const clock = fakeClock();
  // Sessions only end when the test expires them (an org timeout would be an uncounted expiry).
  const emu = await startSalesforceEmulator({ now: clock.now, sessionTtlMs: 365 * 86_400_000 });
  try {
    return await runEmulatedScenario(await salesforce(emu, clock), seed, { customers: CUSTOMERS, ...(wrap ? { wrap } : {}) }, clock);
  } finally {
    await emu.close();
  }
}

seedTests(
  `Salesforce adapter + emulator: 0 lost, 0 duplicated, one refresh per expiry, no request during a REQUEST_LIMIT_EXCEEDED wait, across random worker kills (${SEEDS} seeds × ${CUSTOMERS} customers)`,
  'salesforce emulator',
  { first: FIRST, count: SEEDS },
  (seed) => scenario(seed),
  // The faults really happened (a run without them would prove nothing).
  ['kills', 'lostReplies', 'rateLimited', 'expiries'],
);

it('the same scenario with the idempotency keys stripped (a new external ID per attempt) produces duplicates: the test can fail', async () => {
  // A broken configuration: every attempt upserts under a fresh Liaison_Id__c, so a retry after
  // a lost reply or a kill inserts a second Lead, Task or Opportunity (the Lead duplicate rule
  // still catches the customers that have an email).
  const s = await runUntilDuplicated('salesforce emulator, keys stripped', 101, 3, (seed) => scenario(seed, keysStripped));
  expect(s.duplicated + s.followUpsDuplicated + s.dealsDuplicated).toBeGreaterThan(0);
}, 120_000);
