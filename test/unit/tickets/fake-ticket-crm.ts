// A fake CRM that takes tickets, for the sync tests: FakeCrm's customers (test/unit/sync) plus
// createTicket / getTicket kept in memory. createTicket dedupes by the idempotency key (as an
// adapter with spec.idempotency 'key' or a lookup on a stored key must), refuses a ticket without
// a customer where `needsCustomer`, and can lose its reply after committing (an unknown outcome).
import { CrmError, type CrmAdapter, type TicketInput } from '../../../lib/crm/port';
import type { TicketCapabilities } from '../../../lib/crm/spec';
import type { TicketStatus } from '../../../lib/model';
import { FakeCrm } from '../sync/fake-crm';

export interface RemoteTicketRow {
  remoteId: string;
  number: string;
  key: string;
  input: TicketInput;
  status: TicketStatus;
  vendorStatus: string;
}

export class FakeTicketCrm {
  readonly tickets: RemoteTicketRow[] = [];
  /** Every createTicket call with the key it carried, in order. */
  readonly creates: { key: string; remoteCustomerId?: string }[] = [];
  readonly reads: string[] = [];
  /** The next createTicket commits, then its reply is lost. */
  loseNextReply = false;
  /** The next createTicket commits, then never answers (the worker is killed waiting). */
  hangNext = false;
  /** getTicket fails with this (once). */
  readFault: CrmError | undefined;
  private seq = 0;

  constructor(
    readonly crm: FakeCrm,
    readonly caps: TicketCapabilities = { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: false, needsCustomer: false },
  ) {}

  adapter(): CrmAdapter {
    return {
      ...this.crm.adapter(),
      createTicket: async (input, { idempotencyKey }) => {
        await Promise.resolve();
        this.creates.push({ key: idempotencyKey, ...(input.remoteCustomerId ? { remoteCustomerId: input.remoteCustomerId } : {}) });
        if (this.caps.needsCustomer && !this.crm.customers.some((c) => c.remoteId === input.remoteCustomerId)) {
          throw new CrmError('validation', 'HTTP 422: a ticket needs a customer');
        }
        let row = this.tickets.find((t) => t.key === idempotencyKey);
        if (!row) {
          row = { remoteId: `t${++this.seq}`, number: `#${100 + this.seq}`, key: idempotencyKey, input, status: '新建', vendorStatus: 'new' };
          this.tickets.push(row);
        }
        if (this.hangNext) {
          this.hangNext = false;
          return new Promise(() => undefined);
        }
        if (this.loseNextReply) {
          this.loseNextReply = false;
          throw new CrmError('unknown-outcome', 'network error: connection reset after send');
        }
        return { remoteId: row.remoteId, remoteCode: row.number, status: row.status, vendorStatus: row.vendorStatus };
      },
      getTicket: async (remoteId) => {
        await Promise.resolve();
        this.reads.push(remoteId);
        if (this.readFault) {
          const f = this.readFault;
          this.readFault = undefined;
          throw f;
        }
        const row = this.tickets.find((t) => t.remoteId === remoteId);
        return row ? { remoteId: row.remoteId, remoteCode: row.number, status: row.status, vendorStatus: row.vendorStatus } : null;
      },
    };
  }
}
