// An in-memory CRM with knobs, behind the real CrmAdapter port, for the sync tests.
// mode 'key': the server deduplicates writes by idempotency key (Bitable client_token).
// mode 'lookup': the server knows no keys (Notion, 智邦): customer creates are made safe only by
// the sync layer's search; follow-ups/deals/tasks by the adapter remembering the key in a field
// and looking it up first (the port.ts contract for such CRMs).
import { CrmError, type CrmAdapter, type CustomerQuery, type RemoteCustomer, type RemoteRef } from '../../../lib/crm/port';
import type { Customer } from '../../../lib/model';

export interface Clock {
  now(): number;
  advance(ms: number): void;
  set(t: number): void;
}
export function fakeClock(start = Date.UTC(2026, 2, 5, 2, 0, 0)): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (x) => void (t = Math.max(t, x)) };
}

/**
 * Makes crypto.randomUUID() give version-4 UUIDs from a seeded PRNG until the returned function is
 * called. The product's ids (records, outbox entries, claim tokens) decide the order of rows that
 * share an index key, and that order decides which faults land where: with random ids, seed 1 of
 * fault.key gave 20 and 23 worker lives, 376 and 386 requests in two runs, so a failing seed could
 * not be replayed; with seeded ids two runs give the same figures.
 */
export function seededUuids(seed: number): () => void {
  const rand = rng(seed ^ 0x5eed1d5);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const original = Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID');
  Object.defineProperty(globalThis.crypto, 'randomUUID', {
    configurable: true,
    writable: true,
    value: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`,
  });
  return () => {
    if (original) Object.defineProperty(globalThis.crypto, 'randomUUID', original);
    else delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  };
}

/** Deterministic PRNG (mulberry32) so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Op = 'verify' | 'findCustomers' | 'createCustomer' | 'updateCustomer' | 'addFollowUp' | 'createDeal' | 'createTask';
export type Fault = FaultKind & {
  /** Only this operation triggers it (default: the next call of any kind). */
  op?: Op;
};
type FaultKind =
  /** Refused before anything was stored. */
  | { kind: 'error'; error: CrmError }
  /** Stored, then the reply is lost (default: unknown-outcome, like a 504 or a reset after commit). */
  | { kind: 'commit-then-error'; error?: CrmError }
  /** Never answers, nothing stored. */
  | { kind: 'hang' }
  /** Stored, then never answers (the worker dies waiting). */
  | { kind: 'commit-then-hang' };

export interface RemoteCustomerRow {
  remoteId: string;
  code: string;
  /** The Liaison id, for the test's duplicate count only: the adapter never searches by it. */
  localId: string;
  name: string;
  phones: string[];
  email?: string;
  notes?: string;
  key?: string;
}
export interface RemoteChildRow {
  remoteId: string;
  customerRemoteId: string;
  localId: string;
  key: string;
}
export interface RequestLog {
  op: Op;
  at: number;
  result: 'ok' | 'error' | 'hang';
}

export class FakeCrm {
  readonly customers: RemoteCustomerRow[] = [];
  readonly followUps: RemoteChildRow[] = [];
  readonly deals: RemoteChildRow[] = [];
  readonly tasks: RemoteChildRow[] = [];
  readonly requests: RequestLog[] = [];
  /** Consumed one per call, before `faultFor`. */
  readonly faults: Fault[] = [];
  faultFor?: (op: Op) => Fault | undefined;
  /** Every call fails 503 (an outage). */
  down = false;
  /** Every call fails 401. */
  authRejected = false;
  /** Calls before this time get 429 (the server's own reset); `rateLimitViolations` counts them. */
  rateLimitedUntil = 0;
  rateLimitViolations = 0;
  latencyMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private seq = 0;

  constructor(
    readonly mode: 'key' | 'lookup',
    private readonly clock: Clock,
  ) {}

  /** The next call answers 429 with Retry-After, and the server refuses everything until then. */
  rateLimitNext(retryAfterMs: number): void {
    this.faults.push({ kind: 'error', error: new CrmError('rate-limited', 'HTTP 429', { retryAfterMs, status: 429 }) });
    this.pendingRateLimit = retryAfterMs;
  }
  private pendingRateLimit: number | undefined;

  failNext(n: number, kind: CrmError['kind'] = 'retryable', message = 'HTTP 503: unavailable'): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind: 'error', error: new CrmError(kind, message) });
  }

  private async call<T>(op: Op, commit: () => T): Promise<T> {
    const at = this.clock.now();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      if (this.latencyMs) this.clock.advance(this.latencyMs);
      if (at < this.rateLimitedUntil) {
        this.rateLimitViolations++;
        this.log(op, at, 'error');
        throw new CrmError('rate-limited', 'HTTP 429', { retryAfterMs: this.rateLimitedUntil - at, status: 429 });
      }
      if (this.authRejected) {
        this.log(op, at, 'error');
        throw new CrmError('auth', 'HTTP 401: token invalid', { status: 401 });
      }
      if (this.down) {
        this.log(op, at, 'error');
        throw new CrmError('retryable', 'HTTP 503: unavailable', { status: 503 });
      }
      const queued = this.faults.findIndex((f) => !f.op || f.op === op);
      const fault = queued >= 0 ? this.faults.splice(queued, 1)[0] : this.faultFor?.(op);
      if (fault?.kind === 'error') {
        if (fault.error.kind === 'rate-limited' && this.pendingRateLimit !== undefined) {
          this.rateLimitedUntil = at + this.pendingRateLimit;
          this.pendingRateLimit = undefined;
        }
        this.log(op, at, 'error');
        throw fault.error;
      }
      if (fault?.kind === 'hang') {
        this.log(op, at, 'hang');
        return await new Promise<T>(() => undefined);
      }
      const value = commit();
      if (fault?.kind === 'commit-then-error') {
        this.log(op, at, 'error');
        throw fault.error ?? new CrmError('unknown-outcome', 'network error: connection reset after send');
      }
      if (fault?.kind === 'commit-then-hang') {
        this.log(op, at, 'hang');
        return await new Promise<T>(() => undefined);
      }
      this.log(op, at, 'ok');
      return value;
    } finally {
      this.inFlight--;
    }
  }

  private log(op: Op, at: number, result: RequestLog['result']) {
    this.requests.push({ op, at, result });
  }

  private customerRef(c: RemoteCustomerRow): RemoteRef {
    return { remoteId: c.remoteId, remoteCode: c.code };
  }

  private child(list: RemoteChildRow[], customerRemoteId: string, localId: string, key: string): RemoteRef {
    if (!this.customers.some((c) => c.remoteId === customerRemoteId)) throw new CrmError('not-found', 'HTTP 404: customer not found', { status: 404 });
    // Both modes find the key: natively ('key'), or in the remark field the adapter wrote it to ('lookup').
    const existing = list.find((r) => r.key === key);
    if (existing) return { remoteId: existing.remoteId };
    const row = { remoteId: `r${++this.seq}`, customerRemoteId, localId, key };
    list.push(row);
    return { remoteId: row.remoteId };
  }

  adapter(): CrmAdapter {
    return {
      verify: () => this.call('verify', () => ({ account: 'fake' })),
      findCustomers: (q: CustomerQuery) =>
        this.call('findCustomers', () =>
          this.customers
            .map((c): RemoteCustomer | undefined => {
              const matchedBy: string[] = [];
              if (q.phone && c.phones.includes(q.phone)) matchedBy.push('phone');
              if (q.email && c.email === q.email) matchedBy.push('email');
              if (q.code && c.code === q.code) matchedBy.push('code');
              if (q.name && c.name === q.name) matchedBy.push('name');
              if (!matchedBy.length) return undefined;
              return { ...this.customerRef(c), name: c.name, phones: c.phones, ...(c.email ? { email: c.email } : {}), matchedBy };
            })
            .filter((x): x is RemoteCustomer => !!x),
        ),
      createCustomer: (customer: Customer, { idempotencyKey }) =>
        this.call('createCustomer', () => {
          if (this.mode === 'key') {
            const seen = this.customers.find((c) => c.key === idempotencyKey);
            if (seen) return this.customerRef(seen); // a replayed key returns the first result, data unchanged
          }
          if (!customer.name) throw new CrmError('validation', 'HTTP 422: name is required');
          const row: RemoteCustomerRow = {
            remoteId: `r${++this.seq}`,
            code: `KH2025${String(this.customers.length + 1).padStart(3, '0')}`,
            localId: customer.id,
            name: customer.name,
            phones: [...customer.phones],
            ...(customer.email ? { email: customer.email } : {}),
            ...(customer.notes ? { notes: customer.notes } : {}),
            ...(this.mode === 'key' ? { key: idempotencyKey } : {}),
          };
          this.customers.push(row);
          return this.customerRef(row);
        }),
      updateCustomer: (remoteId, patch) =>
        this.call('updateCustomer', () => {
          const row = this.customers.find((c) => c.remoteId === remoteId);
          if (!row) throw new CrmError('not-found', 'HTTP 404: no such record', { status: 404 });
          if (patch.name !== undefined) row.name = patch.name;
          if ('notes' in patch) {
            if (patch.notes === undefined) delete row.notes;
            else row.notes = patch.notes;
          }
          return this.customerRef(row);
        }),
      addFollowUp: (remoteCustomerId, f, { idempotencyKey }) => this.call('addFollowUp', () => this.child(this.followUps, remoteCustomerId, f.id, idempotencyKey)),
      createDeal: (remoteCustomerId, d, { idempotencyKey }) => this.call('createDeal', () => this.child(this.deals, remoteCustomerId, d.id, idempotencyKey)),
      createTask: (remoteCustomerId, _t, { idempotencyKey }) => this.call('createTask', () => this.child(this.tasks, remoteCustomerId, idempotencyKey, idempotencyKey)),
    };
  }

  writes(): RequestLog[] {
    return this.requests.filter((r) => r.op !== 'findCustomers' && r.op !== 'verify');
  }
}
