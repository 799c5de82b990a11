// The sync fault test (fault.key/fault.lookup) against the real HubSpot adapter and the HubSpot
// emulator over HTTP: see fault-emulated.ts for the faults and the clock. HubSpot specifics:
// contacts and deals are upserted by liaison_id (the Liaison record id), notes are created once
// per (contact, hs_timestamp) after a search; rate limits are 429 with Retry-After, or with
// only X-HubSpot-RateLimit-Interval-Milliseconds, or the DAILY policy.
import { expect, it } from 'vitest';
import { createHubspotAdapter, SEARCH_REQUESTS_PER_SECOND } from '../../../lib/crm/hubspot/adapter';
import { resetQuotas } from '../../../lib/crm/hubspot/quota';
import { LIAISON_ID_PROPERTY, LIAISON_CODE_PROPERTY, hubspotSpec } from '../../../lib/crm/hubspot/spec';
import type { CrmAdapter } from '../../../lib/crm/port';
import type { LiaisonDb } from '../../../lib/db/db';
import { startHubspotEmulator, type EmObject, type HubspotEmulator } from '../../emulators/hubspot';
import { runEmulatedScenario, tally, type Counted, type EmulatedCrm, type EmuFigures, seedTests, runUntilDuplicated } from './fault-emulated';
import { fakeClock, type Clock } from './fake-crm';

const SEEDS = Number(process.env.FAULT_EMU_SEEDS ?? 5);
/** Replay one failing seed: FAULT_EMU_FIRST=3 FAULT_EMU_SEEDS=1. */
const FIRST = Number(process.env.FAULT_EMU_FIRST ?? 1);
const CUSTOMERS = Number(process.env.FAULT_EMU_CUSTOMERS ?? 60);

/** The emulator's burst interval (HubSpot Free/Starter: 10 s): a 429 without Retry-After means wait that long. */
const INTERVAL_MS = 10_000;

function hubspot(emu: HubspotEmulator, clock: Clock): EmulatedCrm {
  return {
    kind: 'hubspot',
    settings: {},
    adapter: (connection, now, fetch) => createHubspotAdapter({ db: null, connection, secrets: { token: emu.token }, now, fetch }, { baseUrl: emu.url, timeoutMs: 10_000 }),
    prepare: async (a) => {
      const r = await (a as ReturnType<typeof createHubspotAdapter>).prepare();
      if (!r.usable) throw new Error(`prepare: ${r.problems.join(', ')}`);
    },
    resetModuleState: () => resetQuotas(),
    limiterKeys: (id) => [
      { key: `hubspot:${id}`, requestsPerSecond: hubspotSpec.rateLimit.requestsPerSecond, burst: hubspotSpec.rateLimit.burst },
      { key: `hubspot-search:${id}`, requestsPerSecond: SEARCH_REQUESTS_PER_SECOND, burst: 1 },
    ],
    setFaultPolicy: (p) => emu.control.setFaultPolicy(p ? (entry) => p(entry.api) : undefined),
    rateLimitWindow: (rand) => {
      const x = rand();
      // Retry-After (1–30 s); only the interval header (the window fits in it); the daily quota (≤ 1 h: the adapter's probe).
      const o = x < 0.5 ? { ms: 1_000 + Math.floor(rand() * 29_000), retryAfter: true } : x < 0.85 ? { ms: 1_000 + Math.floor(rand() * (INTERVAL_MS - 1_000)), retryAfter: false } : { ms: 600_000 + Math.floor(rand() * 3_000_000), retryAfter: false, policy: 'DAILY' as const };
      emu.control.rateLimitFor(o.ms, { retryAfter: o.retryAfter, ...('policy' in o ? { policy: o.policy } : {}) });
      return clock.now() + o.ms;
    },
    log: () =>
      emu.state.requests.map((r) => ({
        at: r.at,
        api: r.api,
        ...(r.status === 429 ? { rateLimited: { announcedWaitMs: r.retryAfterSeconds !== undefined ? r.retryAfterSeconds * 1000 : r.policy === 'DAILY' ? 3600_000 : INTERVAL_MS } } : {}),
      })),
    count: (db, connectionId) => countHubspot(emu, db, connectionId),
    close: () => emu.close(),
  };
}

async function countHubspot(emu: HubspotEmulator, db: LiaisonDb, connectionId: string): Promise<Counted> {
  const c: Counted = { lost: 0, duplicated: 0, followUpsLost: 0, followUpsDuplicated: 0, dealsLost: 0, dealsDuplicated: 0, misassociated: 0, orphans: 0, stale: 0 };
  const contacts = emu.control.objects('contacts');
  const notes = emu.control.objects('notes');
  const deals = emu.control.objects('deals');
  const seen = new Set<EmObject>();
  const assoc = (o: EmObject, type: 'notes' | 'deals', typeId: number, contactId: string | undefined) =>
    emu.control.associationsOf(type, o.id).some((a) => a.toType === 'contacts' && a.toId === contactId && a.typeId === typeId);

  for (const local of await db.customers.toArray()) {
    // By name (unique per customer): a contact whose liaison_id was lost still counts.
    const remote = contacts.filter((o) => o.properties.firstname === local.name);
    remote.forEach((o) => seen.add(o));
    const t = tally(remote.length);
    c.lost += t.lost;
    c.duplicated += t.duplicated;
    const link = await db.links.get([local.id, connectionId]);
    if (remote.length === 1) {
      const o = remote[0]!;
      if (o.properties[LIAISON_ID_PROPERTY] !== local.id || link?.remoteId !== o.id || link.syncState !== 'synced') c.lost++;
      if ((o.properties.company ?? undefined) !== local.company || (o.properties[LIAISON_CODE_PROPERTY] ?? undefined) !== local.code) c.stale++;
    }
    for (const f of await db.followUps.where('customerId').equals(local.id).toArray()) {
      const found = notes.filter((n) => (n.properties.hs_note_body ?? '').split('<br>')[0] === f.content);
      found.forEach((o) => seen.add(o));
      const ft = tally(found.length);
      c.followUpsLost += ft.lost;
      c.followUpsDuplicated += ft.duplicated;
      if (found.length === 1 && (!assoc(found[0]!, 'notes', 202, link?.remoteId) || found[0]!.properties.hs_timestamp !== String(f.at))) c.misassociated++;
    }
    for (const d of await db.deals.where('customerId').equals(local.id).toArray()) {
      const found = deals.filter((o) => o.properties.dealname === d.product);
      found.forEach((o) => seen.add(o));
      const dt = tally(found.length);
      c.dealsLost += dt.lost;
      c.dealsDuplicated += dt.duplicated;
      if (found.length === 1 && (found[0]!.properties[LIAISON_ID_PROPERTY] !== d.id || !assoc(found[0]!, 'deals', 3, link?.remoteId))) c.misassociated++;
    }
  }
  c.orphans = [...contacts, ...notes, ...deals].filter((o) => !seen.has(o)).length;
  return c;
}

async function scenario(seed: number, wrap?: (a: CrmAdapter) => CrmAdapter): Promise<EmuFigures> {
  const clock = fakeClock();
  const emu = await startHubspotEmulator({ now: clock.now });
  try {
    return await runEmulatedScenario(hubspot(emu, clock), seed, { customers: CUSTOMERS, ...(wrap ? { wrap } : {}) }, clock);
  } finally {
    await emu.close();
  }
}

seedTests(
  `HubSpot adapter + emulator: 0 lost, 0 duplicated, no request during a 429 wait, across random worker kills (${SEEDS} seeds × ${CUSTOMERS} customers)`,
  'hubspot emulator',
  { first: FIRST, count: SEEDS },
  (seed) => scenario(seed),
  // The faults really happened (a run without them would prove nothing).
  ['kills', 'lostReplies', 'rateLimited'],
);

it('the same scenario with the keys stripped (a new liaison_id / note timestamp per attempt) produces duplicates: the test can fail', async () => {
  // A broken adapter configuration: contacts and deals upserted under a fresh liaison_id per
  // attempt, notes under a fresh natural key (hs_timestamp), i.e. no idempotency key. The
  // worker's reconciliation is HubSpot's upsert / the note search, so a retry after a lost reply
  // or a kill makes a second contact, deal or note.
  const stripped = (a: CrmAdapter): CrmAdapter => ({
    ...a,
    createCustomer: (customer, opts) => a.createCustomer({ ...customer, id: crypto.randomUUID() }, opts),
    createDeal: (remoteId, deal, opts) => a.createDeal(remoteId, { ...deal, id: crypto.randomUUID() }, opts),
    addFollowUp: (remoteId, f, opts) => a.addFollowUp(remoteId, { ...f, at: f.at + Math.floor(Math.random() * 1000) + 1 }, opts),
  });
  const s = await runUntilDuplicated('hubspot emulator, keys stripped', 101, 3, (seed) => scenario(seed, stripped));
  expect(s.duplicated + s.dealsDuplicated + s.followUpsDuplicated).toBeGreaterThan(0);
}, 120_000);
