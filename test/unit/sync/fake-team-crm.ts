// An in-memory CRM that is read back (issue 15), behind the real CrmAdapter port: each record
// has a modified time and a version; a colleague edits through `colleagueEdit` / `colleagueNote`
// as they would in the CRM's own UI. Strict where the port is strict: changesSince filters on
// modified time (inclusive) and pages (page size capped at `maxPage`), a guarded update with a
// stale marker is refused as a conflict, unknown remote ids are not-found.
import { CrmError, type CrmAdapter, type RemoteCustomerRecord, type RemoteFieldValues, type RemoteFollowUp, type RemoteRef } from '../../../lib/crm/port';
import type { Customer } from '../../../lib/model';
import type { Clock } from './fake-crm';

/** The fields this CRM maps (Liaison names). */
export const TEAM_FIELDS = ['code', 'name', 'phones', 'stage', 'intentLevel', 'owner', 'notes', 'nextFollowUpAt', 'tags'] as const;
type Field = (typeof TEAM_FIELDS)[number];

export interface TeamRecord {
  remoteId: string;
  fields: RemoteFieldValues;
  modifiedAt: number;
  version: number;
  deleted?: boolean;
}
export interface TeamFollowUp {
  remoteId: string;
  customerRemoteId: string;
  content: string;
  at: number;
  by: string;
  key?: string;
  /** When the row was written in the CRM (its own clock; `at` is what the user typed). */
  modifiedAt?: number;
}

export class TeamCrm {
  readonly records: TeamRecord[] = [];
  readonly followUps: TeamFollowUp[] = [];
  readonly calls: { op: string; patch?: string[] }[] = [];
  maxPage = 2;
  /** Offer adapter.followUpsSince (a CRM that can filter follow-ups by modified time). */
  followUpFeed = false;
  /** The CRM's clock relative to the test's, reported on each changes page (ChangesPage.asOf); undefined: not reported. */
  asOfOffset: number | undefined = undefined;
  /** addFollowUp commits, then the reply is lost (once). */
  loseNextFollowUpReply = false;
  private seq = 0;
  private codeSeq = 0;

  constructor(
    private readonly clock: Clock,
    readonly opts: { keysOnFollowUps: boolean; conditional: boolean } = { keysOnFollowUps: true, conditional: true },
  ) {}

  private touch(r: TeamRecord) {
    // Strictly later than before, even when the fake clock stands still.
    r.modifiedAt = Math.max(this.clock.now(), r.modifiedAt + 1);
    r.version++;
  }
  private find(remoteId: string): TeamRecord {
    const r = this.records.find((x) => x.remoteId === remoteId && !x.deleted);
    if (!r) throw new CrmError('not-found', `HTTP 404: ${remoteId}`, { status: 404 });
    return r;
  }
  private view(r: TeamRecord): RemoteCustomerRecord {
    return { remoteId: r.remoteId, remoteCode: String(r.fields.code ?? ''), marker: String(r.version), modifiedAt: r.modifiedAt, fields: structuredClone(r.fields) };
  }
  private ref(r: TeamRecord): RemoteRef {
    return { remoteId: r.remoteId, ...(r.fields.code ? { remoteCode: String(r.fields.code) } : {}), marker: String(r.version) };
  }

  /** A colleague edits the record in the CRM's UI. */
  colleagueEdit(remoteId: string, patch: RemoteFieldValues): void {
    const r = this.find(remoteId);
    Object.assign(r.fields, patch);
    this.touch(r);
  }
  /** A colleague logs a follow-up in the CRM (the customer record itself does not change). */
  colleagueNote(remoteId: string, content: string, by: string, at = this.clock.now()): void {
    this.find(remoteId);
    this.followUps.push({ remoteId: `n${++this.seq}`, customerRemoteId: remoteId, content, at, by, modifiedAt: this.clock.now() });
  }

  private writeFields(r: TeamRecord, c: Partial<Customer>) {
    for (const f of TEAM_FIELDS) {
      if (f === 'code') continue; // allocated here: this CRM is the code master
      if (!(f in c)) continue;
      const v = (c as Record<string, unknown>)[f];
      (r.fields as Record<string, unknown>)[f] = v === undefined ? null : structuredClone(v);
    }
  }

  adapter(): CrmAdapter {
    const log = (op: string, patch?: object) => this.calls.push({ op, ...(patch ? { patch: Object.keys(patch).sort() } : {}) });
    return {
      verify: async () => ({ account: 'team' }),
      findCustomers: async (q) => {
        log('findCustomers');
        return this.records
          .filter((r) => !r.deleted && q.phone && ((r.fields.phones as string[] | null) ?? []).includes(q.phone))
          .map((r) => ({ ...this.ref(r), name: String(r.fields.name), phones: (r.fields.phones as string[]) ?? [], matchedBy: ['phone'], fields: { stage: r.fields.stage ?? null } }));
      },
      createCustomer: async (c: Customer) => {
        log('createCustomer', c);
        const r: TeamRecord = { remoteId: `r${++this.seq}`, fields: { code: `KH2025${String(++this.codeSeq).padStart(3, '0')}` }, modifiedAt: 0, version: 0 };
        this.writeFields(r, c);
        this.touch(r);
        this.records.push(r);
        return this.ref(r);
      },
      updateCustomer: async (remoteId, patch, opts) => {
        log('updateCustomer', patch);
        const r = this.find(remoteId);
        if (this.opts.conditional && opts.ifMarker !== undefined && opts.ifMarker !== String(r.version)) throw new CrmError('conflict', 'HTTP 412: the record changed since', { status: 412 });
        this.writeFields(r, patch);
        this.touch(r);
        return this.ref(r);
      },
      addFollowUp: async (remoteId, f, { idempotencyKey }) => {
        log('addFollowUp');
        this.find(remoteId);
        const row: TeamFollowUp = { remoteId: `n${++this.seq}`, customerRemoteId: remoteId, content: f.content, at: f.at, by: 'me', ...(this.opts.keysOnFollowUps ? { key: idempotencyKey } : {}), modifiedAt: this.clock.now() };
        this.followUps.push(row);
        if (this.loseNextFollowUpReply) {
          this.loseNextFollowUpReply = false;
          throw new CrmError('unknown-outcome', 'network error: connection reset after send');
        }
        return { remoteId: row.remoteId };
      },
      createDeal: async () => {
        throw new CrmError('unsupported', 'no deals');
      },
      createTask: async () => {
        throw new CrmError('unsupported', 'no tasks');
      },
      getCustomer: async (remoteId) => {
        log('getCustomer');
        const r = this.records.find((x) => x.remoteId === remoteId);
        return r && !r.deleted ? this.view(r) : null;
      },
      listFollowUps: async (remoteId, o = {}) => {
        log('listFollowUps');
        this.find(remoteId);
        return this.followUps
          .filter((f) => f.customerRemoteId === remoteId && (o.since === undefined || f.at >= o.since))
          .sort((a, b) => b.at - a.at)
          .slice(0, o.limit ?? 100)
          .map((f): RemoteFollowUp => ({ remoteId: f.remoteId, at: f.at, content: f.content, by: f.by, ...(f.key ? { liaisonKey: f.key } : {}) }));
      },
      ...(this.followUpFeed
        ? {
            followUpsSince: async ({ since, page, limit }: { since: number; page?: string; limit?: number }) => {
              log('followUpsSince');
              const size = Math.min(limit ?? this.maxPage, this.maxPage);
              const all = this.followUps.filter((f) => (f.modifiedAt ?? 0) >= since).sort((a, b) => (a.modifiedAt ?? 0) - (b.modifiedAt ?? 0) || a.remoteId.localeCompare(b.remoteId));
              const offset = page ? Number(page) : 0;
              const slice = all.slice(offset, offset + size);
              const asOf = this.asOfOffset === undefined ? undefined : this.clock.now() + this.asOfOffset;
              return {
                rows: slice.map((f) => ({ remoteId: f.remoteId, customerRemoteId: f.customerRemoteId, at: f.at, content: f.content, by: f.by, ...(f.key ? { liaisonKey: f.key } : {}), ...(f.modifiedAt !== undefined ? { modifiedAt: f.modifiedAt } : {}) })),
                ...(offset + size < all.length ? { next: String(offset + size) } : {}),
                ...(asOf !== undefined ? { asOf } : {}),
              };
            },
          }
        : {}),
      changesSince: async ({ since, page, limit }) => {
        log('changesSince');
        const size = Math.min(limit ?? this.maxPage, this.maxPage);
        const all = this.records.filter((r) => !r.deleted && r.modifiedAt >= since).sort((a, b) => a.modifiedAt - b.modifiedAt || a.remoteId.localeCompare(b.remoteId));
        const offset = page ? Number(page) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new CrmError('validation', 'bad page token');
        const slice = all.slice(offset, offset + size);
        const asOf = this.asOfOffset === undefined ? undefined : this.clock.now() + this.asOfOffset;
        return { records: slice.map((r) => this.view(r)), ...(offset + size < all.length ? { next: String(offset + size) } : {}), ...(asOf !== undefined ? { asOf } : {}) };
      },
    };
  }

  get(remoteId: string): TeamRecord {
    return this.find(remoteId);
  }
  fieldOf(remoteId: string, f: Field): unknown {
    return this.find(remoteId).fields[f];
  }
}
