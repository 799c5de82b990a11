// The Freshdesk adapter (background only): tickets (tickets.ts) with their requester contact
// (contacts.ts), follow-ups on them as private notes (notes.ts), the ticket fields and the
// settings form's choices (fields.ts), and verify. Freshdesk keeps no customers, deals or tasks
// for Liaison: those port methods refuse (lib/crm/tickets-only.ts; spec.ts declares them false /
// 'none'). The context is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test) never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import type { FreshdeskContext } from './client';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { addTicketComment } from './notes';
import { freshdeskSpec } from './spec';
import { createTicket, getTicket, RECONCILE_DELAYS_MS } from './tickets';
import { verify } from './verify';

/** baseUrl: instead of https://{domain}.freshdesk.com (ticket links keep the real one); reconcileDelaysMs default RECONCILE_DELAYS_MS. */
export type FreshdeskAdapterOverrides = TicketsOnlyOverrides;

export type FreshdeskAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createFreshdeskAdapter(deps: AdapterDeps, overrides: FreshdeskAdapterOverrides = {}): FreshdeskAdapter {
  const run = lazyContext((): FreshdeskContext => ({ config: readConfig(deps, overrides.baseUrl), ...contextBase('freshdesk', deps, freshdeskSpec.rateLimit, overrides, RECONCILE_DELAYS_MS) }));
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    // Follow-ups go on a ticket as private notes (关联工单), not on a customer.
    ...refusingCrmMethods('Freshdesk', { zh_CN: '工单', en: 'tickets' }, { zh_CN: '备注', en: 'notes' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
